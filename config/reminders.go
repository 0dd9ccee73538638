package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/peervoice/peervoice/schedule"
)

// Reminders configures the gentle reminder sent to a participant who
// paused a flow (the reminders.* keys). Off unless Enabled.
type Reminders struct {
	Enabled bool
	// Delay is how long a flow must be left, paused or silent, before its
	// reminder is due.
	Delay time.Duration
	// QuietHours is when no reminder is sent, as schedule.ParseQuiet
	// reads it ("21:00-09:00"); a reminder due then waits for its end.
	QuietHours string
	// Timezone is where QuietHours are read; "" means prompts.timezone.
	Timezone string
	// Text is the reminder's wording, with %s for the flow's title
	// where it is wanted; "" for the built-in wording, in English or
	// Welsh, which says it is optional and how to stop reminders.
	Text string
}

// Limits of the reminders.* keys.
const (
	// minReminderDelay keeps reminders gentle: nobody is chased within
	// the hour they paused.
	minReminderDelay = time.Hour
	// maxReminderText fits a Discord message with room to spare.
	maxReminderText = 1500
)

// ParseDays reads a duration in days or in Go's units: "3d", "1d12h",
// "36h", "90m".
func ParseDays(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q: the days before \"d\" are not a whole number", s)
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	return days + d, nil
}

func reminderDelay(c *Config, v any) error {
	const name = "reminders.delay"
	const expect = "a duration of at least an hour, such as 3d, 1d12h or 36h"
	var d time.Duration
	var err error
	switch v := v.(type) {
	case string:
		d, err = ParseDays(v)
	case time.Duration:
		d = v
	default:
		err = fmt.Errorf("not text")
	}
	if err != nil || d < minReminderDelay {
		return &Error{Key: name, Value: v, Expected: expect}
	}
	c.Reminders.Delay = d
	return nil
}

func quietHours(s string) string {
	if _, err := schedule.ParseQuiet(s); err != nil {
		return schedule.ExpectQuiet
	}
	return ""
}

func optionalTimezone(s string) string {
	if s == "" {
		return ""
	}
	return timezone(s)
}

func reminderText(s string) string {
	if n := utf8.RuneCountInString(s); n > maxReminderText {
		return fmt.Sprintf("at most %d characters (it has %d)", maxReminderText, n)
	}
	if strings.Count(s, "%") != strings.Count(s, "%s")+2*strings.Count(s, "%%") || strings.Count(s, "%s") > 1 {
		return `text with at most one %s (the flow's title), and %% for a percent sign`
	}
	return ""
}

// Quiet returns reminders.quiet_hours, parsed.
func (r Reminders) Quiet() (schedule.Quiet, error) {
	q, err := schedule.ParseQuiet(r.QuietHours)
	if err != nil {
		return q, fmt.Errorf("reminders.quiet_hours: %w", err)
	}
	return q, nil
}

// Location returns the zone of the quiet hours: reminders.timezone, else
// prompts.timezone, the zone participants' times are read in.
func (r Reminders) Location(prompts Prompts) (*time.Location, error) {
	if r.Timezone == "" {
		return prompts.Location()
	}
	loc, err := schedule.Location(r.Timezone)
	if err != nil {
		return nil, fmt.Errorf("reminders.timezone: %w", err)
	}
	return loc, nil
}
