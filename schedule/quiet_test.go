package schedule_test

import (
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/schedule"
)

func TestParseQuiet(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{"21:00-09:00", "21:00-09:00", ""},
		{" 9:30 - 10:15 ", "09:30-10:15", ""},
		{"off", "off", ""},
		{"", "off", ""},
		{"21:00", "", `no "-"`},
		{"25:00-09:00", "", "not a time of day"},
		{"09:00-09:00", "", "same time"},
	} {
		q, err := schedule.ParseQuiet(tc.in)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseQuiet(%q) = %v, %v; want an error saying %q", tc.in, q, err, tc.err)
		case tc.err == "" && (err != nil || q.String() != tc.want):
			t.Errorf("ParseQuiet(%q) = %v, %v; want %s", tc.in, q, err, tc.want)
		}
	}
}

func TestQuietAfter(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	night, _ := schedule.ParseQuiet("21:00-09:00")
	lunch, _ := schedule.ParseQuiet("12:00-13:00")
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, london) }
	for _, tc := range []struct {
		q        schedule.Quiet
		t, want  time.Time
		scenario string
	}{
		{night, at(12, 1, 20, 59), at(12, 1, 20, 59), "just before"},
		{night, at(12, 1, 21, 0), at(12, 2, 9, 0), "at the start: the end is tomorrow"},
		{night, at(12, 1, 23, 30), at(12, 2, 9, 0), "before midnight"},
		{night, at(12, 2, 3, 0), at(12, 2, 9, 0), "after midnight: the end is today"},
		{night, at(12, 2, 9, 0), at(12, 2, 9, 0), "at the end"},
		{lunch, at(12, 2, 12, 30), at(12, 2, 13, 0), "a span within one day"},
		{lunch, at(12, 2, 14, 0), at(12, 2, 14, 0), "after it"},
		{night, at(3, 28, 22, 0), at(3, 29, 9, 0), "the night the clocks go forward"},
		{schedule.Quiet{}, at(12, 1, 23, 0), at(12, 1, 23, 0), "no quiet hours"},
	} {
		if got := tc.q.After(tc.t, london); !got.Equal(tc.want) {
			t.Errorf("%s: %v.After(%v) = %v; want %v", tc.scenario, tc.q, tc.t, got, tc.want)
		}
	}
}
