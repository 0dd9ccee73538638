package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// When is a schedule time: every week on a day at a time, or once at a
// date and time, in a time zone.
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

// Examples of the forms, for what errors expect.
const (
	// ExpectWeekly is what a weekly time is expected to look like.
	ExpectWeekly = `a day and time such as "mon 18:00"`
	// ExpectOnce is what a one-off time is expected to look like.
	ExpectOnce = `a date and time such as "2026-12-01 18:00"`
	// ExpectAny is what a schedule time of either kind is expected to
	// look like.
	ExpectAny = `a day and time such as "weekly mon 18:00", or a date and time such as "2026-12-01 18:00"`
)

// Error is a schedule time that cannot be read: the text, what is wrong
// with it (empty when the text as a whole is not of the form), and what
// was expected, with examples.
type Error struct {
	Input    string
	Problem  string // such as `"25:00" is not a time of day`
	Expected string // such as `24-hour time such as 18:00`
}

func (e *Error) Error() string {
	if e.Problem == "" {
		return fmt.Sprintf("%q: expected %s", e.Input, e.Expected)
	}
	return fmt.Sprintf("%q: %s", e.Input, e.Reason())
}

// Reason is the error without the text it is about: what is wrong and
// what was expected.
func (e *Error) Reason() string {
	if e.Problem == "" {
		return "expected " + e.Expected
	}
	if e.Expected == "" {
		return e.Problem
	}
	return e.Problem + ": expected " + e.Expected
}

// kind is which forms a parse accepts.
type kind string

const (
	anyKind kind = ""
	weekly  kind = "weekly"
	once    kind = "once"
)

// Parse reads a schedule time in loc (nil: UTC). Weekly: "weekly mon
// 18:00", "every monday 18:00", "each monday 18:00", "weekly, mon
// 18:00", "mondays 18:00" or "mon 18:00" (a day's name of at least three
// letters). Once: "2026-12-01 18:00", "once 2026-12-01 18:00", "on
// 2026-12-01 18:00" or "2026-12-01T18:00". Times are 24-hour; "at" may
// come before them; case and commas do not matter. The error is an
// *Error.
func Parse(s string, loc *time.Location) (When, error) { return parse(s, loc, anyKind) }

// ParseWeekly is Parse for a weekly time alone: the text may leave out
// "weekly", and a date is refused.
func ParseWeekly(s string, loc *time.Location) (When, error) { return parse(s, loc, weekly) }

// ParseOnce is Parse for a one-off time alone: the text may leave out
// "once", and a day of the week is refused.
func ParseOnce(s string, loc *time.Location) (When, error) { return parse(s, loc, once) }

func parse(s string, loc *time.Location, want kind) (When, error) {
	if loc == nil {
		loc = time.UTC
	}
	var f []string
	for _, w := range strings.Fields(strings.ToLower(strings.ReplaceAll(s, ",", " "))) {
		if w != "at" {
			f = append(f, w)
		}
	}
	mode := want
	for len(f) > 0 { // "weekly every monday" reads as "weekly monday"
		var m kind
		switch f[0] {
		case "weekly", "every", "each":
			m = weekly
		case "once", "on":
			m = once
		}
		if m == "" {
			break
		}
		if want != anyKind && m != want {
			return When{}, &Error{Input: s, Problem: fmt.Sprintf("%q marks a %s time, not a %s one", f[0], name[m], name[want]), Expected: expected(want)}
		}
		mode, f = m, f[1:]
	}
	if len(f) == 1 { // 2026-12-01T18:00
		if d, t, ok := strings.Cut(f[0], "t"); ok && strings.Contains(d, "-") {
			f = []string{d, t}
		}
	}
	if len(f) != 2 {
		return When{}, &Error{Input: s, Expected: expected(mode)}
	}
	w := When{Loc: loc}
	var ok bool
	if w.Hour, w.Minute, ok = clock(f[1]); !ok {
		return When{}, &Error{Input: s, Problem: fmt.Sprintf("%q is not a time of day", f[1]), Expected: "24-hour time such as 18:00"}
	}
	if day, ok := weekday(f[0]); ok && mode != once {
		w.Weekly, w.Day = true, day
		return w, nil
	}
	if d, err := time.Parse("2006-1-2", f[0]); err == nil && mode != weekly {
		w.Year, w.Month, w.Date = d.Date()
		return w, nil
	}
	switch {
	case mode == weekly:
		return When{}, &Error{Input: s, Problem: fmt.Sprintf("%q is not a day of the week (mon, tue, wed, thu, fri, sat or sun)", f[0])}
	case mode == once || strings.Contains(f[0], "-"):
		return When{}, &Error{Input: s, Problem: fmt.Sprintf("%q is not a date", f[0]), Expected: "year-month-day such as 2026-12-01"}
	}
	return When{}, &Error{Input: s, Problem: fmt.Sprintf("%q is neither a day of the week nor a date; expected %s", f[0], ExpectAny)}
}

// name is what a kind is called in errors.
var name = map[kind]string{weekly: "weekly", once: "one-off"}

// expected is what a text of the kind is expected to look like.
func expected(k kind) string {
	switch k {
	case weekly:
		return ExpectWeekly
	case once:
		return ExpectOnce
	}
	return ExpectAny
}

// clock reads a 24-hour time of day such as 18:00 or 9:30.
func clock(s string) (hour, minute int, ok bool) {
	h, m, ok := strings.Cut(s, ":")
	hour, herr := strconv.Atoi(h)
	minute, merr := strconv.Atoi(m)
	if !ok || herr != nil || merr != nil || len(m) != 2 || len(h) > 2 || hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return 0, 0, false
	}
	return hour, minute, true
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

// String is the canonical form Parse reads back: "weekly mon 18:00" or
// "2026-12-01 18:00".
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
	return "once, on " + w.Once().Format("Monday 2 January 2006 at 15:04")
}
