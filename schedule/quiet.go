package schedule

import (
	"fmt"
	"strings"
	"time"
)

// ExpectQuiet is what a bad quiet-hours setting is told.
const ExpectQuiet = `a span of 24-hour times such as "21:00-09:00" (it may run past midnight), or "off"`

// Quiet is a span of local time each day in which nothing is sent to
// participants, such as 21:00-09:00; the zero value has none.
type Quiet struct {
	// Start and End are minutes after midnight; Start == End means none.
	Start, End int
}

// ParseQuiet reads quiet hours: "21:00-09:00" (which runs past
// midnight), "13:00-14:00", or "off" (or "") for none.
func ParseQuiet(s string) (Quiet, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" || s == "off" || s == "none" {
		return Quiet{}, nil
	}
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Quiet{}, fmt.Errorf("%q has no \"-\" between its start and end: expected %s", s, ExpectQuiet)
	}
	start, err := clockMinutes(strings.TrimSpace(from))
	if err != nil {
		return Quiet{}, err
	}
	end, err := clockMinutes(strings.TrimSpace(to))
	if err != nil {
		return Quiet{}, err
	}
	if start == end {
		return Quiet{}, fmt.Errorf("%q starts and ends at the same time: expected %s", s, ExpectQuiet)
	}
	return Quiet{Start: start, End: end}, nil
}

// clockMinutes reads a 24-hour time, "21:00" or "9:30".
func clockMinutes(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day: expected 24-hour time such as 21:00", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// String writes q as ParseQuiet reads it.
func (q Quiet) String() string {
	if q.Start == q.End {
		return "off"
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", q.Start/60, q.Start%60, q.End/60, q.End%60)
}

// within reports whether minute m of the day is in the quiet hours.
func (q Quiet) within(m int) bool {
	if q.Start < q.End {
		return m >= q.Start && m < q.End
	}
	return m >= q.Start || m < q.End
}

// After returns t if it is outside the quiet hours in loc, else the end
// of the quiet hours t falls in: the earliest time from t at which
// something may be sent. Across a clock change the end is the local time
// End on its day, as time.Date makes it.
func (q Quiet) After(t time.Time, loc *time.Location) time.Time {
	if q.Start == q.End {
		return t
	}
	lt := t.In(loc)
	if !q.within(lt.Hour()*60 + lt.Minute()) {
		return t
	}
	day := lt
	if q.Start > q.End && lt.Hour()*60+lt.Minute() >= q.Start {
		day = lt.AddDate(0, 0, 1) // the quiet hours end tomorrow
	}
	end := time.Date(day.Year(), day.Month(), day.Day(), q.End/60, q.End%60, 0, 0, loc)
	if !end.After(t) { // a clock change moved the end back before t
		return t
	}
	return end
}
