package schedule_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/schedule"
)

// london is where the community's schedules are read by default.
var london = mustLocation(schedule.DefaultTimezone)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// spellings is every accepted spelling, with its canonical form.
var spellings = []struct {
	in, want string // want: the canonical form
}{
	{"weekly mon 18:00", "weekly mon 18:00"},
	{"every monday 18:00", "weekly mon 18:00"},
	{"each monday 18:00", "weekly mon 18:00"},
	{"weekly, mon 18:00", "weekly mon 18:00"},
	{"Every Monday at 18:00", "weekly mon 18:00"},
	{"mon 18:00", "weekly mon 18:00"},
	{"Monday 18:00", "weekly mon 18:00"},
	{"mondays 9:30", "weekly mon 09:30"},
	{"fridays 9:30", "weekly fri 09:30"},
	{"every tue 07:00", "weekly tue 07:00"},
	{"weekly tues 07:05", "weekly tue 07:05"},
	{"weekly thurs 20:15", "weekly thu 20:15"},
	{"each thurs, 20:00", "weekly thu 20:00"},
	{"weekly every sunday 0:00", "weekly sun 00:00"},
	{"sun at 0:00", "weekly sun 00:00"},
	{"every friday at 9:30", "weekly fri 09:30"},
	{"WEEKLY SAT 23:59", "weekly sat 23:59"},
	{"2026-12-01 18:00", "2026-12-01 18:00"},
	{"once 2026-12-01 18:00", "2026-12-01 18:00"},
	{"once 2026-12-01 at 18:00", "2026-12-01 18:00"},
	{"2026-12-01 at 18:00", "2026-12-01 18:00"},
	{"on 2026-1-5 9:00", "2026-01-05 09:00"},
	{"on 2026-12-01 at 18:00", "2026-12-01 18:00"},
	{"2026-12-01T18:00", "2026-12-01 18:00"},
	{"Once, 2026-12-01 18:00", "2026-12-01 18:00"},
}

func TestParse(t *testing.T) {
	for _, tt := range spellings {
		w, err := schedule.Parse(tt.in, london)
		if err != nil || w.String() != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %s", tt.in, w, err, tt.want)
			continue
		}
		if w.Loc != london {
			t.Errorf("Parse(%q).Loc = %v; want %v", tt.in, w.Loc, london)
		}
		if again, err := schedule.Parse(w.String(), london); err != nil || again != w {
			t.Errorf("Parse(%q) = %v, %v; want it to read its own String", w.String(), again, err)
		}
	}
}

// TestParseWeeklyOnce: ParseWeekly and ParseOnce accept exactly the
// spellings Parse reads as weekly and as once, with the same result, so
// the config file's weekly: and once: take what /prompt schedule takes.
func TestParseWeeklyOnce(t *testing.T) {
	for _, tt := range spellings {
		w, err := schedule.Parse(tt.in, london)
		if err != nil {
			t.Fatal(err)
		}
		wk, werr := schedule.ParseWeekly(tt.in, london)
		on, oerr := schedule.ParseOnce(tt.in, london)
		if w.Weekly && (werr != nil || wk != w || oerr == nil) {
			t.Errorf("ParseWeekly(%q) = %v, %v; ParseOnce = %v; want %v and an error", tt.in, wk, werr, oerr, w)
		}
		if !w.Weekly && (oerr != nil || on != w || werr == nil) {
			t.Errorf("ParseOnce(%q) = %v, %v; ParseWeekly = %v; want %v and an error", tt.in, on, oerr, werr, w)
		}
	}
}

func TestParseErrors(t *testing.T) {
	parse := map[string]func(string, *time.Location) (schedule.When, error){
		"Parse": schedule.Parse, "ParseWeekly": schedule.ParseWeekly, "ParseOnce": schedule.ParseOnce,
	}
	tests := []struct {
		parse, in, want string // want: the whole message
		reason          string // want: Reason()
	}{
		{"Parse", "monday 25:00", `"monday 25:00": "25:00" is not a time of day: expected 24-hour time such as 18:00`, `"25:00" is not a time of day: expected 24-hour time such as 18:00`},
		{"Parse", "mon 6pm", `"mon 6pm": "6pm" is not a time of day: expected 24-hour time such as 18:00`, ""},
		{"Parse", "mon 18:0", `"mon 18:0": "18:0" is not a time of day: expected 24-hour time such as 18:00`, ""},
		{"Parse", "mon 123:00", `"mon 123:00": "123:00" is not a time of day`, ""},
		{"Parse", "mon", `"mon": expected a day and time such as "weekly mon 18:00", or a date and time such as "2026-12-01 18:00"`, `expected a day and time such as "weekly mon 18:00", or a date and time such as "2026-12-01 18:00"`},
		{"Parse", "", `"": expected a day and time such as "weekly mon 18:00"`, ""},
		{"Parse", "weekly 18:00", `"weekly 18:00": expected a day and time such as "mon 18:00"`, ""},
		{"Parse", "once 18:00", `"once 18:00": expected a date and time such as "2026-12-01 18:00"`, ""},
		{"Parse", "weekly 2026-12-01 18:00", `"weekly 2026-12-01 18:00": "2026-12-01" is not a day of the week (mon, tue, wed, thu, fri, sat or sun)`, `"2026-12-01" is not a day of the week (mon, tue, wed, thu, fri, sat or sun)`},
		{"Parse", "once mon 18:00", `"once mon 18:00": "mon" is not a date: expected year-month-day such as 2026-12-01`, ""},
		{"Parse", "2026-02-30 18:00", `"2026-02-30 18:00": "2026-02-30" is not a date: expected year-month-day such as 2026-12-01`, ""},
		{"Parse", "tomorrow 18:00", `"tomorrow 18:00": "tomorrow" is neither a day of the week nor a date; expected a day and time such as "weekly mon 18:00", or a date and time such as "2026-12-01 18:00"`, ""},
		{"Parse", "mo 18:00", `"mo" is neither a day of the week nor a date`, ""},
		{"Parse", "mon 18:00 sharp", `"mon 18:00 sharp": expected a day and time such as "weekly mon 18:00"`, ""},
		{"ParseWeekly", "someday 18:00", `"someday 18:00": "someday" is not a day of the week (mon, tue, wed, thu, fri, sat or sun)`, ""},
		{"ParseWeekly", "2026-12-01 18:00", `"2026-12-01" is not a day of the week`, ""},
		{"ParseWeekly", "once 2026-12-01 18:00", `"once 2026-12-01 18:00": "once" marks a one-off time, not a weekly one: expected a day and time such as "mon 18:00"`, ""},
		{"ParseWeekly", "mondays at noon", `"mondays at noon": "noon" is not a time of day: expected 24-hour time such as 18:00`, ""},
		{"ParseWeekly", "18:00", `"18:00": expected a day and time such as "mon 18:00"`, `expected a day and time such as "mon 18:00"`},
		{"ParseOnce", "mon 18:00", `"mon 18:00": "mon" is not a date: expected year-month-day such as 2026-12-01`, ""},
		{"ParseOnce", "weekly 2026-12-01 18:00", `"weekly 2026-12-01 18:00": "weekly" marks a weekly time, not a one-off one: expected a date and time such as "2026-12-01 18:00"`, ""},
		{"ParseOnce", "2026-12-01", `"2026-12-01": expected a date and time such as "2026-12-01 18:00"`, ""},
	}
	for _, tt := range tests {
		w, err := parse[tt.parse](tt.in, london)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s(%q) = %v, %v; want an error containing %q", tt.parse, tt.in, w, err, tt.want)
			continue
		}
		var se *schedule.Error
		if !errors.As(err, &se) || se.Input != tt.in {
			t.Errorf("%s(%q) = %#v; want a *schedule.Error about %q", tt.parse, tt.in, err, tt.in)
		} else if tt.reason != "" && se.Reason() != tt.reason {
			t.Errorf("%s(%q).Reason() = %q; want %q", tt.parse, tt.in, se.Reason(), tt.reason)
		}
	}
}

func TestDescribe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"each monday 18:00", "every Monday at 18:00"},
		{"sun 0:05", "every Sunday at 00:05"},
		{"once 2026-12-01 18:00", "once, on Tuesday 1 December 2026 at 18:00"},
	} {
		w, err := schedule.Parse(tt.in, london)
		if err != nil || w.Describe() != tt.want {
			t.Errorf("Parse(%q).Describe() = %q, %v; want %q", tt.in, w.Describe(), err, tt.want)
		}
	}
}

func TestLocation(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"", schedule.DefaultTimezone},
		{"Europe/London", "Europe/London"},
		{"America/New_York", "America/New_York"},
	} {
		loc, err := schedule.Location(tt.name)
		if err != nil || loc.String() != tt.want {
			t.Errorf("Location(%q) = %v, %v; want %s", tt.name, loc, err, tt.want)
		}
	}
	for _, bad := range []string{"London", "Local", "Mars/Olympus"} {
		if loc, err := schedule.Location(bad); err == nil || !strings.Contains(err.Error(), `expected a time zone name such as Europe/London`) {
			t.Errorf("Location(%q) = %v, %v; want an error with an example", bad, loc, err)
		}
	}
}
