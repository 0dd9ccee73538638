package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
)

// london is where the community's schedules are read.
var london = mustLocation("Europe/London")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func TestParseWhen(t *testing.T) {
	tests := []struct {
		in, want string // want: the canonical form
	}{
		{"weekly mon 18:00", "weekly mon 18:00"},
		{"every monday 18:00", "weekly mon 18:00"},
		{"Every Monday at 18:00", "weekly mon 18:00"},
		{"mon 18:00", "weekly mon 18:00"},
		{"fridays 9:30", "weekly fri 09:30"},
		{"weekly tues 07:05", "weekly tue 07:05"},
		{"each thurs, 20:00", "weekly thu 20:00"},
		{"weekly every sunday 0:00", "weekly sun 00:00"},
		{"2026-12-01 18:00", "2026-12-01 18:00"},
		{"once 2026-12-01 at 18:00", "2026-12-01 18:00"},
		{"on 2026-1-5 9:00", "2026-01-05 09:00"},
		{"2026-12-01T18:00", "2026-12-01 18:00"},
	}
	for _, tt := range tests {
		w, err := bot.ParseWhen(tt.in, london)
		if err != nil || w.String() != tt.want {
			t.Errorf("ParseWhen(%q) = %v, %v; want %s", tt.in, w, err, tt.want)
			continue
		}
		if again, err := bot.ParseWhen(w.String(), london); err != nil || again != w {
			t.Errorf("ParseWhen(%q) = %v, %v; want it to read its own String", w.String(), again, err)
		}
	}
}

func TestParseWhenErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"monday 25:00", `"monday 25:00": "25:00" is not a time of day: expected 24-hour time such as 18:00`},
		{"mon 6pm", `"6pm" is not a time of day`},
		{"mon 18:0", `"18:0" is not a time of day`},
		{"mon", `"mon": expected a day and time such as "weekly mon 18:00", or a date and time such as "2026-12-01 18:00"`},
		{"", `expected a day and time`},
		{"weekly 18:00", `"weekly 18:00": expected a day and time such as "mon 18:00"`},
		{"once 18:00", `"once 18:00": expected a date and time such as "2026-12-01 18:00"`},
		{"weekly 2026-12-01 18:00", `"2026-12-01" is not a day of the week (mon, tue, wed, thu, fri, sat or sun)`},
		{"once mon 18:00", `"mon" is not a date: expected year-month-day such as 2026-12-01`},
		{"2026-02-30 18:00", `"2026-02-30" is not a date`},
		{"tomorrow 18:00", `"tomorrow" is neither a day of the week nor a date`},
		{"mo 18:00", `"mo" is neither a day of the week nor a date`},
	}
	for _, tt := range tests {
		w, err := bot.ParseWhen(tt.in, london)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseWhen(%q) = %v, %v; want an error containing %q", tt.in, w, err, tt.want)
		}
	}
}

// at is a London wall-clock time.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, london)
}

// utc is a UTC time.
func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// TestOccurrences pins Latest and Next, across the clock changes in
// Europe/London (2026: forward on Sunday 29 March at 01:00 GMT, back on
// Sunday 25 October at 02:00 BST).
func TestOccurrences(t *testing.T) {
	none := time.Time{}
	tests := []struct {
		name             string
		when             string
		now              time.Time
		latest, next     time.Time // zero: none
		latestOK, nextOK bool
	}{
		{"at the time", "weekly mon 18:00", at(2026, 11, 30, 18, 0), utc(2026, 11, 30, 18, 0), utc(2026, 12, 7, 18, 0), true, true},
		{"a second before", "weekly mon 18:00", at(2026, 11, 30, 17, 59).Add(59 * time.Second), utc(2026, 11, 23, 18, 0), utc(2026, 11, 30, 18, 0), true, true},
		{"midweek", "weekly mon 18:00", at(2026, 12, 3, 12, 0), utc(2026, 11, 30, 18, 0), utc(2026, 12, 7, 18, 0), true, true},
		// Monday 18:00 is 18:00 UTC before the change and 17:00 UTC after:
		// 167 hours apart, not 168.
		{"spring forward", "weekly mon 18:00", at(2026, 3, 30, 12, 0), utc(2026, 3, 23, 18, 0), utc(2026, 3, 30, 17, 0), true, true},
		{"fall back", "weekly mon 18:00", at(2026, 10, 26, 12, 0), utc(2026, 10, 19, 17, 0), utc(2026, 10, 26, 18, 0), true, true},
		// 01:30 on 29 March does not exist in London: it is posted at
		// 01:30 UTC (02:30 BST), once.
		{"skipped hour", "weekly sun 01:30", at(2026, 3, 29, 3, 0), utc(2026, 3, 29, 1, 30), utc(2026, 4, 5, 0, 30), true, true},
		{"before the skipped hour", "weekly sun 01:30", utc(2026, 3, 29, 0, 59), utc(2026, 3, 22, 1, 30), utc(2026, 3, 29, 1, 30), true, true},
		// 01:30 on 25 October happens twice in London: the second, GMT, counts.
		{"repeated hour", "weekly sun 01:30", utc(2026, 10, 25, 0, 45), utc(2026, 10, 18, 0, 30), utc(2026, 10, 25, 1, 30), true, true},
		{"after the repeated hour", "weekly sun 01:30", utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 1, 30), utc(2026, 11, 1, 1, 30), true, true},
		// Monday 00:30 BST is Sunday 23:30 UTC: the local date counts.
		{"local date", "weekly mon 00:30", utc(2026, 7, 5, 23, 45), utc(2026, 7, 5, 23, 30), utc(2026, 7, 12, 23, 30), true, true},
		{"once, to come", "2026-12-01 18:00", at(2026, 11, 30, 18, 0), none, utc(2026, 12, 1, 18, 0), false, true},
		{"once, now", "2026-12-01 18:00", at(2026, 12, 1, 18, 0), utc(2026, 12, 1, 18, 0), none, true, false},
		{"once, in summer time", "2026-07-01 18:00", at(2026, 7, 2, 0, 0), utc(2026, 7, 1, 17, 0), none, true, false},
	}
	for _, tt := range tests {
		w, err := bot.ParseWhen(tt.when, london)
		if err != nil {
			t.Fatal(err)
		}
		latest, ok := w.Latest(tt.now)
		if ok != tt.latestOK || ok && !latest.Equal(tt.latest) {
			t.Errorf("%s: ParseWhen(%q).Latest(%v) = %v, %v; want %v, %v", tt.name, tt.when, tt.now.UTC(), latest.UTC(), ok, tt.latest, tt.latestOK)
		}
		next, ok := w.Next(tt.now)
		if ok != tt.nextOK || ok && !next.Equal(tt.next) {
			t.Errorf("%s: ParseWhen(%q).Next(%v) = %v, %v; want %v, %v", tt.name, tt.when, tt.now.UTC(), next.UTC(), ok, tt.next, tt.nextOK)
		}
	}
}

// TestOccurrencesAllYear walks 2026 in 10-minute steps: every Sunday
// (the day the clocks change) has exactly one occurrence, on that
// Sunday, and Next always agrees with the following Latest.
func TestOccurrencesAllYear(t *testing.T) {
	for _, when := range []string{"weekly sun 01:30", "weekly sun 02:00", "weekly sun 00:59", "weekly mon 18:00"} {
		w, err := bot.ParseWhen(when, london)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[time.Time]bool{}
		var prev time.Time
		for now := at(2026, 1, 1, 0, 0); now.Year() == 2026; now = now.Add(10 * time.Minute) {
			latest, _ := w.Latest(now)
			next, _ := w.Next(now)
			if latest.After(now) || !next.After(now) || next.Sub(latest) > 169*time.Hour || next.Sub(latest) < 167*time.Hour {
				t.Fatalf("%s at %v: Latest %v, Next %v", when, now, latest, next)
			}
			if !latest.Equal(prev) {
				if !prev.IsZero() {
					if want, _ := w.Next(prev); !latest.Equal(want) {
						t.Fatalf("%s: after %v came %v; Next said %v", when, prev, latest, want)
					}
				}
				prev = latest
				seen[latest] = true
				if latest.In(london).Weekday() != w.Day {
					t.Errorf("%s: occurrence %v is on a %v", when, latest.In(london), latest.In(london).Weekday())
				}
			}
		}
		if n := len(seen); n != 53 && n != 52 {
			t.Errorf("%s: %d occurrences in 2026; want 52 or 53", when, n)
		}
	}
}
