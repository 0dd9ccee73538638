package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sessions configures how long an unfinished session stays open.
type Sessions struct {
	// ExpireAfter closes a session left unfinished (active or paused)
	// longer than this as a partial response (sessions.expire_after);
	// 0: never.
	ExpireAfter time.Duration
}

// Retention configures how long answers are kept (retention.*); 0 keeps
// them for as long as the study runs.
type Retention struct {
	FreeText time.Duration // the words of free-text answers older than this are deleted
	Answers  time.Duration // whole answers older than this are deleted
}

// Day and Year are the units of a lifetime: a day is 24 hours and a year
// 365 days, whatever the calendar, so that a period means the same
// everywhere it is stated and applied.
const (
	Day  = 24 * time.Hour
	Year = 365 * Day
)

// lifetimeExpected says what a lifetime key takes.
const lifetimeExpected = `a duration such as 30d, 720h, 52w or 3y (d = 24h, w = 7d, y = 365d), or "off" (or 0) for none`

// ParseLifetime reads a duration in days, weeks or years as well as Go's
// units (30d, 3y, 720h, 1y6w); "off", "none", "never", "0" or empty
// mean none, 0. A negative or unreadable value is an error.
func ParseLifetime(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "0", "off", "none", "never", "false":
		return 0, nil
	}
	var total time.Duration
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		j := i
		for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
			j++
		}
		if i == 0 || j == i {
			return 0, fmt.Errorf("%q is not a duration", s)
		}
		num, unit := rest[:i], rest[i:j]
		var per time.Duration
		switch unit {
		case "d":
			per = Day
		case "w":
			per = 7 * Day
		case "y":
			per = Year
		default:
			d, err := time.ParseDuration(num + unit)
			if err != nil {
				return 0, fmt.Errorf("%q: unknown unit %q", s, unit)
			}
			total += d
			rest = rest[j:]
			continue
		}
		n, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration", s)
		}
		total += time.Duration(n * float64(per))
		rest = rest[j:]
	}
	return total, nil
}

// lifetime sets a lifetime key, read by ParseLifetime.
func lifetime(name string, field func(*Config) *time.Duration) func(*Config, any) error {
	return func(c *Config, v any) error {
		var d time.Duration
		var err error
		switch v := v.(type) {
		case nil:
		case string:
			d, err = ParseLifetime(v)
		case bool: // YAML 1.1 readers take off for false
			if v {
				err = fmt.Errorf("true is not a duration")
			}
		case int:
			if v != 0 {
				err = fmt.Errorf("a bare number has no unit")
			}
		case int64:
			if v != 0 {
				err = fmt.Errorf("a bare number has no unit")
			}
		case time.Duration:
			d = v
		default:
			err = fmt.Errorf("not text")
		}
		if err == nil && d < 0 {
			err = fmt.Errorf("a duration cannot be negative")
		}
		if err != nil {
			return &Error{Key: name, Value: v, Expected: lifetimeExpected, Problem: err.Error()}
		}
		*field(c) = d
		return nil
	}
}

// FormatLifetime writes a lifetime back in the largest unit that divides
// it (3y, 30d, 36h), or "off": how participants and config check see it.
func FormatLifetime(d time.Duration) string {
	switch {
	case d <= 0:
		return "off"
	case d%Year == 0:
		return strconv.FormatInt(int64(d/Year), 10) + "y"
	case d%Day == 0:
		return strconv.FormatInt(int64(d/Day), 10) + "d"
	}
	return d.String()
}
