package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/config"
)

func TestRemindersDefaults(t *testing.T) {
	c, _, err := load(t, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := c.Reminders
	if r.Enabled || r.Delay != 72*time.Hour || r.QuietHours != "21:00-09:00" || r.Timezone != "" || r.Text != "" {
		t.Errorf("reminders defaults = %+v; want off, 3d, 21:00-09:00, prompts' zone, built-in text", r)
	}
	loc, err := r.Location(c.Prompts)
	if err != nil || loc.String() != "Europe/London" {
		t.Errorf("reminders' zone = %v, %v; want prompts.timezone's, Europe/London", loc, err)
	}
}

func TestRemindersSet(t *testing.T) {
	yaml := "reminders:\n  enabled: true\n  delay: 1d12h\n  quiet_hours: \"22:30-07:00\"\n  timezone: America/New_York\n  text: \"Carry on with %s if you like.\"\n"
	c, warnings, err := load(t, yaml, nil)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("Load() = %v, %v", warnings, err)
	}
	r := c.Reminders
	q, qerr := r.Quiet()
	loc, lerr := r.Location(c.Prompts)
	if !r.Enabled || r.Delay != 36*time.Hour || qerr != nil || q.String() != "22:30-07:00" || lerr != nil || loc.String() != "America/New_York" {
		t.Errorf("reminders = %+v (quiet %v, %v; zone %v, %v)", r, q, qerr, loc, lerr)
	}
}

// TestRemindersBadValues: each bad value is an error naming its key and
// what was expected.
func TestRemindersBadValues(t *testing.T) {
	for _, tc := range []struct{ env, value, want string }{
		{"PEERVOICE_REMINDERS_DELAY", "soon", "reminders.delay = \"soon\": expected a duration of at least an hour"},
		{"PEERVOICE_REMINDERS_DELAY", "10m", "reminders.delay = \"10m\": expected a duration of at least an hour"},
		{"PEERVOICE_REMINDERS_QUIET_HOURS", "21:00", `reminders.quiet_hours = "21:00": expected a span of 24-hour times`},
		{"PEERVOICE_REMINDERS_QUIET_HOURS", "21:00-25:00", `reminders.quiet_hours = "21:00-25:00": expected a span`},
		{"PEERVOICE_REMINDERS_TIMEZONE", "Mars/Olympus", `reminders.timezone = "Mars/Olympus": expected a time zone name`},
		{"PEERVOICE_REMINDERS_TEXT", "100% sure about %s", "reminders.text = \"100% sure about %s\": expected text with at most one %s"},
		{"PEERVOICE_REMINDERS_TEXT", strings.Repeat("a", 1501), "reminders.text = \"aaa"},
		{"PEERVOICE_REMINDERS_ENABLED", "perhaps", `reminders.enabled = "perhaps"`},
	} {
		_, _, err := load(t, "", map[string]string{tc.env: tc.value})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%.20q: Load() = %v; want an error containing %q", tc.env, tc.value, err, tc.want)
		}
	}
}

func TestParseDays(t *testing.T) {
	for in, want := range map[string]time.Duration{"3d": 72 * time.Hour, "1d12h": 36 * time.Hour, "90m": 90 * time.Minute, "0d2h": 2 * time.Hour} {
		if got, err := config.ParseDays(in); err != nil || got != want {
			t.Errorf("ParseDays(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"d", "x3d", "-1d", "3d4", ""} {
		if got, err := config.ParseDays(in); err == nil {
			t.Errorf("ParseDays(%q) = %v; want an error", in, got)
		}
	}
}
