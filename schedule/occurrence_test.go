package schedule_test

import (
	"testing"
	"time"

	"github.com/peervoice/peervoice/schedule"
)

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
		{"once, long past", "once 2025-01-06 09:00", at(2026, 11, 30, 18, 0), utc(2025, 1, 6, 9, 0), none, true, false},
		{"once, a year to come", "on 2027-12-01 18:00", at(2026, 12, 1, 18, 0), none, utc(2027, 12, 1, 18, 0), false, true},
		// A one-off in the skipped hour is one instant, 01:30 UTC; in the
		// repeated hour, the second 01:30 (GMT).
		{"once, in the skipped hour", "2026-03-29 01:30", utc(2026, 3, 29, 1, 0), none, utc(2026, 3, 29, 1, 30), false, true},
		{"once, in the repeated hour", "2026-10-25 01:30", utc(2026, 10, 25, 1, 0), none, utc(2026, 10, 25, 1, 30), false, true},
		// 2027: forward on 28 March, back on 31 October.
		{"spring forward 2027", "weekly sun 12:00", utc(2027, 3, 28, 10, 0), utc(2027, 3, 21, 12, 0), utc(2027, 3, 28, 11, 0), true, true},
		{"fall back 2027", "weekly sun 12:00", utc(2027, 10, 31, 11, 30), utc(2027, 10, 24, 11, 0), utc(2027, 10, 31, 12, 0), true, true},
	}
	for _, tt := range tests {
		w, err := schedule.Parse(tt.when, london)
		if err != nil {
			t.Fatal(err)
		}
		latest, ok := w.Latest(tt.now)
		if ok != tt.latestOK || ok && !latest.Equal(tt.latest) {
			t.Errorf("%s: Parse(%q).Latest(%v) = %v, %v; want %v, %v", tt.name, tt.when, tt.now.UTC(), latest.UTC(), ok, tt.latest, tt.latestOK)
		}
		next, ok := w.Next(tt.now)
		if ok != tt.nextOK || ok && !next.Equal(tt.next) {
			t.Errorf("%s: Parse(%q).Next(%v) = %v, %v; want %v, %v", tt.name, tt.when, tt.now.UTC(), next.UTC(), ok, tt.next, tt.nextOK)
		}
	}
}

// TestOccurrencesAllYear walks 2026 and 2027 in 10-minute steps: every Sunday
// (the day the clocks change) has exactly one occurrence, on that
// Sunday, and Next always agrees with the following Latest.
func TestOccurrencesAllYear(t *testing.T) {
	for _, when := range []string{"weekly sun 01:30", "weekly sun 02:00", "weekly sun 00:59", "weekly mon 18:00"} {
		w, err := schedule.Parse(when, london)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[time.Time]bool{}
		var prev time.Time
		for now := at(2026, 1, 1, 0, 0); now.Year() <= 2027; now = now.Add(10 * time.Minute) {
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
		if n := len(seen); n < 104 || n > 106 {
			t.Errorf("%s: %d occurrences in 2026 and 2027; want 104 to 106", when, n)
		}
	}
}
