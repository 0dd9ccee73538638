package store

import (
	"fmt"
	"time"
)

// timeFormat is fixed-width UTC, so stored times sort as text and SQLite's
// date functions read them.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// formatTime renders t for storage.
func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// parseTime reads a time written by formatTime.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// orNow returns t, or the store's clock when t is zero.
func (db *DB) orNow(t time.Time) time.Time {
	if t.IsZero() {
		return db.now()
	}
	return t
}
