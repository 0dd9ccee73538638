package schedule

import "time"

// Once is the instant of a one-off time. time.Date settles local times
// that do not exist (the skipped hour in spring) or exist twice (the
// repeated hour in autumn); either way one instant, the same every time,
// so an occurrence is claimed once.
func (w When) Once() time.Time {
	return time.Date(w.Year, w.Month, w.Date, w.Hour, w.Minute, 0, 0, w.Loc)
}

// on is the weekly time on the local date y-m-d (normalised, so d may
// be out of range), settled as Once is.
func (w When) on(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, w.Hour, w.Minute, 0, 0, w.Loc)
}

// Latest returns the most recent occurrence at or before now; false if
// there is none (a one-off still to come).
func (w When) Latest(now time.Time) (time.Time, bool) {
	if !w.Weekly {
		t := w.Once()
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
		t := w.Once()
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
