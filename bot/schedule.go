package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // prompts.timezone works where the system has no zoneinfo database
)

// DefaultTimezone is where schedule times are read unless
// prompts.timezone says otherwise.
const DefaultTimezone = "Europe/London"

// When is when a scheduled prompt is posted: every week on a day at a
// time, or once at a date and time, in a time zone.
type When struct {
	Weekly bool
	Day    time.Weekday // weekly
	Year   int          // once
	Month  time.Month   // once
	Date   int          // once: day of the month
	Hour   int
	Minute int
	Loc    *time.Location
}

// whenExamples ends every error of ParseWhen.
const whenExamples = `expected a day and time such as "weekly mon 18:00", or a date and time such as "2026-12-01 18:00"`

// ParseWhen reads a schedule time in loc: weekly as "weekly mon 18:00",
// "every monday 18:00" or "mon 18:00"; once as "2026-12-01 18:00" or
// "once 2026-12-01 18:00". Times are 24-hour; "at" may come before
// them.
func ParseWhen(s string, loc *time.Location) (When, error) {
	if loc == nil {
		loc = time.UTC
	}
	var f []string
	for _, w := range strings.Fields(strings.ToLower(strings.ReplaceAll(s, ",", " "))) {
		if w != "at" {
			f = append(f, w)
		}
	}
	mode := ""
	for len(f) > 0 { // "weekly every monday" reads as "weekly monday"
		if f[0] == "weekly" || f[0] == "every" || f[0] == "each" {
			mode, f = "weekly", f[1:]
		} else if f[0] == "once" || f[0] == "on" {
			mode, f = "once", f[1:]
		} else {
			break
		}
	}
	if len(f) == 1 { // 2026-12-01T18:00
		if d, t, ok := strings.Cut(f[0], "t"); ok && strings.Contains(d, "-") {
			f = []string{d, t}
		}
	}
	if len(f) != 2 {
		switch mode {
		case "weekly":
			return When{}, fmt.Errorf(`%q: expected a day and time such as "mon 18:00"`, s)
		case "once":
			return When{}, fmt.Errorf(`%q: expected a date and time such as "2026-12-01 18:00"`, s)
		}
		return When{}, fmt.Errorf("%q: %s", s, whenExamples)
	}
	w := When{Loc: loc}
	var err error
	if w.Hour, w.Minute, err = parseClock(f[1]); err != nil {
		return When{}, fmt.Errorf("%q: %w", s, err)
	}
	if day, ok := weekday(f[0]); ok && mode != "once" {
		w.Weekly, w.Day = true, day
		return w, nil
	}
	if d, err := time.Parse("2006-1-2", f[0]); err == nil && mode != "weekly" {
		w.Year, w.Month, w.Date = d.Date()
		return w, nil
	}
	switch {
	case mode == "weekly":
		return When{}, fmt.Errorf("%q: %q is not a day of the week (mon, tue, wed, thu, fri, sat or sun)", s, f[0])
	case mode == "once" || strings.Contains(f[0], "-"):
		return When{}, fmt.Errorf("%q: %q is not a date: expected year-month-day such as 2026-12-01", s, f[0])
	}
	return When{}, fmt.Errorf("%q: %q is neither a day of the week nor a date; %s", s, f[0], whenExamples)
}

// parseClock reads a 24-hour time of day such as 18:00 or 9:30.
func parseClock(s string) (hour, minute int, err error) {
	h, m, ok := strings.Cut(s, ":")
	hour, herr := strconv.Atoi(h)
	minute, merr := strconv.Atoi(m)
	if !ok || herr != nil || merr != nil || len(m) != 2 || len(h) > 2 || hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return 0, 0, fmt.Errorf("%q is not a time of day: expected 24-hour time such as 18:00", s)
	}
	return hour, minute, nil
}

// weekday reads a day's name: "mon", "monday", "mondays", "tues", ...
func weekday(s string) (time.Weekday, bool) {
	s = strings.TrimSuffix(s, "s")
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if len(s) >= 3 && strings.HasPrefix(name, s) {
			return d, true
		}
	}
	return 0, false
}

// String is the canonical form ParseWhen reads back: "weekly mon 18:00"
// or "2026-12-01 18:00".
func (w When) String() string {
	if w.Weekly {
		return fmt.Sprintf("weekly %s %02d:%02d", strings.ToLower(w.Day.String()[:3]), w.Hour, w.Minute)
	}
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d", w.Year, w.Month, w.Date, w.Hour, w.Minute)
}

// Describe says when in words: "every Monday at 18:00" or "once, on
// Tuesday 1 December 2026 at 18:00".
func (w When) Describe() string {
	if w.Weekly {
		return fmt.Sprintf("every %s at %02d:%02d", w.Day, w.Hour, w.Minute)
	}
	return "once, on " + w.once().Format("Monday 2 January 2006 at 15:04")
}

// once is the one-off time. time.Date settles local times that do not
// exist (the skipped hour in spring) or exist twice (the repeated hour in
// autumn); either way one instant, the same every time, so an occurrence
// is claimed once.
func (w When) once() time.Time {
	return time.Date(w.Year, w.Month, w.Date, w.Hour, w.Minute, 0, 0, w.Loc)
}

// on is the weekly time on the local date y-m-d (normalised, so d may
// be out of range), settled as once is.
func (w When) on(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, w.Hour, w.Minute, 0, 0, w.Loc)
}

// Latest returns the most recent occurrence at or before now; false if
// there is none (a one-off still to come).
func (w When) Latest(now time.Time) (time.Time, bool) {
	if !w.Weekly {
		t := w.once()
		return t, !t.After(now)
	}
	l := now.In(w.Loc)
	back := (int(l.Weekday()) - int(w.Day) + 7) % 7
	t := w.on(l.Year(), l.Month(), l.Day()-back)
	if t.After(now) {
		t = w.on(l.Year(), l.Month(), l.Day()-back-7)
	}
	return t, true
}

// Next returns the first occurrence after now; false if there is none
// (a one-off that has passed).
func (w When) Next(now time.Time) (time.Time, bool) {
	if !w.Weekly {
		t := w.once()
		return t, t.After(now)
	}
	l := now.In(w.Loc)
	ahead := (int(w.Day) - int(l.Weekday()) + 7) % 7
	t := w.on(l.Year(), l.Month(), l.Day()+ahead)
	if !t.After(now) {
		t = w.on(l.Year(), l.Month(), l.Day()+ahead+7)
	}
	return t, true
}
