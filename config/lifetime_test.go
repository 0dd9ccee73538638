package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/config"
)

func TestLifetimes(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name, yaml string
		env        map[string]string
		expire     time.Duration
		freeText   time.Duration
		answers    time.Duration
	}{
		{"defaults", "", nil, 30 * day, 0, 0},
		{"days and years", "sessions:\n  expire_after: 14d\nretention:\n  free_text: 365d\n  answers: 3y\n", nil, 14 * day, 365 * day, 3 * 365 * day},
		{"hours", "sessions:\n  expire_after: 720h\n", nil, 30 * day, 0, 0},
		{"weeks and mixed", "retention:\n  free_text: 2w\n  answers: 1y6w\n", nil, 30 * day, 14 * day, 365*day + 42*day},
		{"off", "sessions:\n  expire_after: off\n", nil, 0, 0, 0},
		{"zero", "sessions:\n  expire_after: 0\n", nil, 0, 0, 0},
		{"environment", "", map[string]string{"PEERVOICE_RETENTION_ANSWERS": "90d", "PEERVOICE_SESSIONS_EXPIRE_AFTER": "OFF"}, 0, 0, 90 * day},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, warnings, err := load(t, tt.yaml, tt.env)
			if err != nil || len(warnings) > 0 {
				t.Fatalf("Load(%q) = %v, %v", tt.yaml, warnings, err)
			}
			got := [3]time.Duration{c.Sessions.ExpireAfter, c.Retention.FreeText, c.Retention.Answers}
			if want := [3]time.Duration{tt.expire, tt.freeText, tt.answers}; got != want {
				t.Errorf("Load(%q): expire_after, free_text, answers = %v; want %v", tt.yaml, got, want)
			}
		})
	}
}

func TestBadLifetimes(t *testing.T) {
	const expected = `expected a duration such as 30d, 720h, 52w or 3y (d = 24h, w = 7d, y = 365d), or "off" (or 0) for none`
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"no unit", "sessions:\n  expire_after: 30\n", nil, "config: sessions.expire_after = 30: " + expected + " (set it in the config file or as PEERVOICE_SESSIONS_EXPIRE_AFTER); a bare number has no unit"},
		{"unknown unit", "retention:\n  free_text: 2 months\n", nil, `config: retention.free_text = "2 months": ` + expected},
		{"word", "retention:\n  answers: forever\n", nil, `config: retention.answers = "forever": ` + expected},
		{"negative", "retention:\n  answers: -3y\n", nil, `config: retention.answers = "-3y": ` + expected},
		{"true", "sessions:\n  expire_after: true\n", nil, "config: sessions.expire_after = true: " + expected},
		{"environment", "", map[string]string{"PEERVOICE_RETENTION_FREE_TEXT": "365days"}, `config: retention.free_text = "365days": ` + expected + ` (set it in the config file or as PEERVOICE_RETENTION_FREE_TEXT); "365days": unknown unit "days"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := load(t, tt.yaml, tt.env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load(%q) = %v; want an error containing %q", tt.yaml, err, tt.want)
			}
		})
	}
}

func TestFormatLifetime(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
	}{{"3y", "3y"}, {"365d", "1y"}, {"30d", "30d"}, {"720h", "30d"}, {"36h", "36h0m0s"}, {"off", "off"}} {
		d, err := config.ParseLifetime(tt.in)
		if err != nil {
			t.Fatalf("ParseLifetime(%q): %v", tt.in, err)
		}
		if got := config.FormatLifetime(d); got != tt.want {
			t.Errorf("FormatLifetime(ParseLifetime(%q)) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
