package digest

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Period is the span a digest covers: an ISO week (2026-W47) or a
// calendar month (2026-11), in the digest's time zone.
type Period struct {
	// Name is the period as written on the command line.
	Name string
	// Start and End bound the period: [Start, End), midnight local time.
	Start, End time.Time
	month      bool
}

var (
	weekRe  = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)
	monthRe = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
)

// ParsePeriod reads an ISO week such as 2026-W47 (Monday to Sunday) or a
// month such as 2026-11, in loc.
func ParsePeriod(s string, loc *time.Location) (Period, error) {
	if m := weekRe.FindStringSubmatch(s); m != nil {
		year, _ := strconv.Atoi(m[1])
		week, _ := strconv.Atoi(m[2])
		p := isoWeek(year, week, loc)
		if y, w := p.Start.ISOWeek(); y != year || w != week || week < 1 {
			return Period{}, fmt.Errorf("period %q: %d has no week %d; ISO weeks run from W01 to W52 or W53", s, year, week)
		}
		return p, nil
	}
	if m := monthRe.FindStringSubmatch(s); m != nil {
		year, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[2])
		if month < 1 || month > 12 {
			return Period{}, fmt.Errorf("period %q: there is no month %d; months run from 01 to 12", s, month)
		}
		return monthPeriod(year, time.Month(month), loc), nil
	}
	return Period{}, fmt.Errorf("period %q: want an ISO week such as 2026-W47 or a month such as 2026-11", s)
}

// Week returns the ISO week that contains t, in loc.
func Week(t time.Time, loc *time.Location) Period {
	year, week := t.In(loc).ISOWeek()
	return isoWeek(year, week, loc)
}

// LastWeek returns the last complete ISO week before now, in loc: the
// default period of a digest.
func LastWeek(now time.Time, loc *time.Location) Period {
	return Week(now, loc).Previous()
}

// isoWeek returns week w of ISO year y. Week 1 holds 4 January.
func isoWeek(y, w int, loc *time.Location) Period {
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, loc)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	start := monday.AddDate(0, 0, 7*(w-1))
	year, week := start.ISOWeek()
	return Period{Name: fmt.Sprintf("%04d-W%02d", year, week), Start: start, End: start.AddDate(0, 0, 7)}
}

func monthPeriod(y int, m time.Month, loc *time.Location) Period {
	start := time.Date(y, m, 1, 0, 0, 0, 0, loc)
	return Period{Name: start.Format("2006-01"), Start: start, End: start.AddDate(0, 1, 0), month: true}
}

// Previous returns the period of the same kind just before p.
func (p Period) Previous() Period {
	if p.month {
		prev := p.Start.AddDate(0, -1, 0)
		return monthPeriod(prev.Year(), prev.Month(), p.Start.Location())
	}
	return Week(p.Start.AddDate(0, 0, -7), p.Start.Location())
}

// Unit names the kind of period: "week" or "month".
func (p Period) Unit() string {
	if p.month {
		return "month"
	}
	return "week"
}

// Label describes the period in words, to the day: "16 to 22 November
// 2026", or "November 2026".
func (p Period) Label() string {
	if p.month {
		return p.Start.Format("January 2006")
	}
	last := p.End.AddDate(0, 0, -1)
	switch {
	case p.Start.Year() != last.Year():
		return p.Start.Format("2 January 2006") + " to " + last.Format("2 January 2006")
	case p.Start.Month() != last.Month():
		return p.Start.Format("2 January") + " to " + last.Format("2 January 2006")
	}
	return p.Start.Format("2") + " to " + last.Format("2 January 2006")
}

// EmptyNotice says that period p has no answers, and names the week
// that has: the week of latest, the time of the latest answer (zero
// when nothing has been answered yet). ask says how to ask for a
// period's digest, such as "peervoice digest --period 2026-W45".
func EmptyNotice(p Period, latest time.Time, ask func(period string) string) string {
	empty := fmt.Sprintf("No answers in %s (%s)", p.Name, p.Label())
	if latest.IsZero() {
		return empty + ": nothing has been answered yet. The digest fills in once participants answer a flow."
	}
	w := Week(latest, p.Start.Location())
	if !w.Start.Before(p.End) {
		// After p: the week under way, say, on a new setup.
		return fmt.Sprintf("%s; the latest answers are in %s (%s): %s", empty, w.Name, w.Label(), ask(w.Name))
	}
	return fmt.Sprintf("%s; the latest week with answers is %s (%s): %s", empty, w.Name, w.Label(), ask(w.Name))
}
