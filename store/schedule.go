package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Schedule is a community prompt schedule made with /prompt schedule.
// Schedules from the config file are not stored; only their posts are.
type Schedule struct {
	// ID is assigned by AddSchedule and never reused.
	ID int64
	// FlowID is the flow the prompt invites people to answer.
	FlowID string
	// ChannelID is the Discord channel to post in.
	ChannelID string
	// When is as the bot normalised it: "weekly mon 18:00" or
	// "2026-12-01 18:00", read in the configured time zone.
	When string
	// Text is the moderator's invitation; "" for the flow's introduction.
	Text string
	// CreatedAt is when the schedule was made; zero means now. Earlier
	// occurrences are never posted.
	CreatedAt time.Time
}

// Key is the schedule's id as posts know it: its number as text.
func (s Schedule) Key() string { return strconv.FormatInt(s.ID, 10) }

// AddSchedule stores s and returns it with its new ID.
func (db *DB) AddSchedule(ctx context.Context, s Schedule) (Schedule, error) {
	if s.FlowID == "" || s.ChannelID == "" || s.When == "" {
		return Schedule{}, fmt.Errorf("add schedule: flow %q, channel %q, when %q: all three are required", s.FlowID, s.ChannelID, s.When)
	}
	s.CreatedAt = db.orNow(s.CreatedAt)
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return Schedule{}, fmt.Errorf("add schedule: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO schedules (flow_id, channel_id, when_text, text, created_at) VALUES (?, ?, ?, ?, ?)`,
		s.FlowID, s.ChannelID, s.When, s.Text, formatTime(s.CreatedAt))
	if err != nil {
		return Schedule{}, fmt.Errorf("add schedule: %w", err)
	}
	if s.ID, err = res.LastInsertId(); err != nil {
		return Schedule{}, fmt.Errorf("add schedule: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Schedule{}, fmt.Errorf("add schedule: %w", err)
	}
	s.CreatedAt = s.CreatedAt.UTC()
	return s, nil
}

// Schedules returns the stored schedules, oldest first.
func (db *DB) Schedules(ctx context.Context) ([]Schedule, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT id, flow_id, channel_id, when_text, text, created_at FROM schedules ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("schedules: %w", err)
	}
	defer rows.Close()
	var out []Schedule
	for rows.Next() {
		var s Schedule
		var created string
		if err := rows.Scan(&s.ID, &s.FlowID, &s.ChannelID, &s.When, &s.Text, &created); err != nil {
			return nil, fmt.Errorf("schedules: %w", err)
		}
		if s.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("schedules: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("schedules: %w", err)
	}
	return out, nil
}

// DeleteSchedule removes a stored schedule, or returns ErrNotFound. Its
// posts are kept as a record, and its pending ones are no longer retried
// by a bot that no longer knows the schedule.
func (db *DB) DeleteSchedule(ctx context.Context, id int64) error {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete schedule: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM schedules WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete schedule %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete schedule %d: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("delete schedule %d: %w", id, ErrNotFound)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete schedule %d: %w", id, err)
	}
	return nil
}

// FirstSeen returns when a schedule from the config file was first seen,
// recording now if this is the first time.
func (db *DB) FirstSeen(ctx context.Context, scheduleID string, now time.Time) (time.Time, error) {
	now = db.orNow(now)
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return time.Time{}, fmt.Errorf("first seen %s: %w", scheduleID, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO schedules_seen (schedule_id, first_seen) VALUES (?, ?) ON CONFLICT DO NOTHING`,
		scheduleID, formatTime(now)); err != nil {
		return time.Time{}, fmt.Errorf("first seen %s: %w", scheduleID, err)
	}
	var seen string
	if err := tx.QueryRowContext(ctx, `SELECT first_seen FROM schedules_seen WHERE schedule_id = ?`, scheduleID).Scan(&seen); err != nil {
		return time.Time{}, fmt.Errorf("first seen %s: %w", scheduleID, err)
	}
	if err := tx.Commit(); err != nil {
		return time.Time{}, fmt.Errorf("first seen %s: %w", scheduleID, err)
	}
	return parseTime(seen)
}
