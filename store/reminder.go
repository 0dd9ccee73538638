package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/peervoice/peervoice/digest/figures"
)

// ReminderStatus is where a claimed reminder stands.
type ReminderStatus string

// The statuses of a Reminder.
const (
	// ReminderPending: claimed, not yet known to be sent; retried.
	ReminderPending ReminderStatus = "pending"
	// ReminderSent: the participant has it in their DMs.
	ReminderSent ReminderStatus = "sent"
	// ReminderUndeliverable: the participant's DMs are closed; never
	// retried.
	ReminderUndeliverable ReminderStatus = "undeliverable"
	// ReminderCancelled: the flow was finished or closed, or the
	// participant declined or opted out, before it went.
	ReminderCancelled ReminderStatus = "cancelled"
)

// Reminder is the claim on the one reminder a session may get, and what
// became of it (011_reminders.sql). SessionID is unique: whoever inserts
// it first sends.
type Reminder struct {
	SessionID     string
	ParticipantID int64
	// Nonce is sent with every attempt, with enforce_nonce, so that a
	// retry gets back the message an earlier attempt created.
	Nonce         string
	Status        ReminderStatus
	DueAt         time.Time // the session's last activity plus the delay
	ClaimedAt     time.Time // zero means now
	Attempts      int       // failed attempts so far
	LastError     string
	LastAttemptAt time.Time // zero if no attempt failed
	SentAt        time.Time // zero unless sent
}

// ReminderPrefs is what is stored about one participant's reminders.
type ReminderPrefs struct {
	// Reachable is set when the store holds how to reach them (their
	// sealed platform id).
	Reachable bool
	// OptedOutAt is when they pressed No more reminders; zero: reminders
	// are allowed.
	OptedOutAt time.Time
}

// ReminderCandidate is a session that has had no activity since
// UpdatedAt, unfinished, whose participant may be reminded and has not
// been about it: the participant's most recently used unfinished session.
type ReminderCandidate struct {
	SessionID     string
	ParticipantID int64
	FlowID        string
	UpdatedAt     time.Time
}

// ReminderTarget is what the bot checks just before sending a session's
// reminder, and whom it sends it to.
type ReminderTarget struct {
	SessionID     string
	FlowID        string
	SessionStatus string // StatusActive, StatusPaused, StatusDone
	UpdatedAt     time.Time
	// LaterWave: the participant has a later session of the same flow
	// (they started its next wave), so a finished session's offer of the
	// next wave is out of date.
	LaterWave bool
	// TakesPart is the participant's latest consent to take part.
	TakesPart bool
	OptedOut  bool
	// Platform and UserID are how to reach them; empty when not known
	// (or no longer readable).
	Platform, UserID string
}

// ReminderCandidates returns up to limit sessions due a reminder: not
// finished, untouched since idleSince or before, the most recently used
// unfinished session of a participant who is reachable, has not opted
// out, whose latest consent is to take part, and whose session has never
// been claimed for a reminder, of one of flowIDs (the flows open now,
// from the live catalog: a closed flow's sessions are not reminded).
// Oldest first.
func (db *DB) ReminderCandidates(ctx context.Context, idleSince time.Time, flowIDs []string, limit int) ([]ReminderCandidate, error) {
	if len(flowIDs) == 0 {
		return nil, nil
	}
	args := []any{formatTime(idleSince)}
	marks := strings.Repeat(", ?", len(flowIDs))[2:]
	for _, id := range flowIDs {
		args = append(args, id)
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT s.id, s.participant_id, s.flow_id, s.updated_at FROM sessions s
		JOIN reminder_prefs p ON p.participant_id = s.participant_id
		WHERE s.status IN ('active', 'paused') AND s.updated_at <= ? AND s.flow_id IN (`+marks+`)
		  AND p.address IS NOT NULL AND p.opted_out_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.session_id = s.id)
		  AND s.updated_at = (SELECT MAX(s2.updated_at) FROM sessions s2
		      WHERE s2.participant_id = s.participant_id AND s2.status IN ('active', 'paused'))
		  AND (SELECT c.take_part FROM consents c WHERE c.participant_id = s.participant_id ORDER BY c.id DESC LIMIT 1) = 1
		ORDER BY s.updated_at, s.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("reminder candidates: %w", err)
	}
	defer rows.Close()
	var out []ReminderCandidate
	for rows.Next() {
		var c ReminderCandidate
		var updated string
		if err := rows.Scan(&c.SessionID, &c.ParticipantID, &c.FlowID, &updated); err != nil {
			return nil, fmt.Errorf("reminder candidates: %w", err)
		}
		if c.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, fmt.Errorf("reminder candidates: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reminder candidates: %w", err)
	}
	return out, nil
}

// ReminderTarget returns what the bot checks before sending the
// session's reminder, with the participant's address decrypted; or
// ErrNotFound when the session is gone (its participant withdrew).
func (db *DB) ReminderTarget(ctx context.Context, sessionID string) (ReminderTarget, error) {
	tx, err := db.rd.BeginTx(ctx, nil)
	if err != nil {
		return ReminderTarget{}, fmt.Errorf("reminder target: %w", err)
	}
	defer tx.Rollback()
	kr := db.keyReader()
	t := ReminderTarget{SessionID: sessionID}
	var pid int64
	var updated string
	var takePart sql.NullBool
	var platform, out sql.NullString
	var sealed []byte
	var version sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT s.participant_id, s.flow_id, s.status, s.updated_at,
		(SELECT c.take_part FROM consents c WHERE c.participant_id = s.participant_id ORDER BY c.id DESC LIMIT 1),
		EXISTS (SELECT 1 FROM sessions s2 WHERE s2.participant_id = s.participant_id AND s2.flow_id = s.flow_id AND s2.wave > s.wave),
		p.platform, p.address, p.key_version, p.opted_out_at
		FROM sessions s LEFT JOIN reminder_prefs p ON p.participant_id = s.participant_id WHERE s.id = ?`, sessionID).
		Scan(&pid, &t.FlowID, &t.SessionStatus, &updated, &takePart, &t.LaterWave, &platform, &sealed, &version, &out)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("reminder of session %q: %w", sessionID, ErrNotFound)
	} else if err != nil {
		return t, fmt.Errorf("reminder of session %q: %w", sessionID, err)
	}
	if t.UpdatedAt, err = parseTime(updated); err != nil {
		return t, fmt.Errorf("reminder of session %q: %w", sessionID, err)
	}
	t.TakesPart = takePart.Valid && takePart.Bool
	t.OptedOut = out.Valid
	if sealed != nil {
		dk, err := kr.key(ctx, pid)
		if err != nil {
			return t, fmt.Errorf("reminder of session %q: %w", sessionID, err)
		}
		// An address that cannot be read (a damaged row or key) is no
		// address: the reminder is not sent, which is the safe side.
		if plain, err := db.keys.open(int(version.Int64), dk, addressAD(pid), sealed); err == nil {
			t.Platform, t.UserID = platform.String, string(plain)
		}
	}
	return t, nil
}

// ClaimReminder inserts r as pending and reports whether this call
// claimed it: false means the session was claimed before, whatever
// became of it. Only the claimer sends, so a session is reminded once by
// however many bot processes.
func (db *DB) ClaimReminder(ctx context.Context, r Reminder) (bool, error) {
	if r.SessionID == "" || r.Nonce == "" || r.DueAt.IsZero() {
		return false, fmt.Errorf("claim reminder: session %q, nonce %q, due %v: all three are required", r.SessionID, r.Nonce, r.DueAt)
	}
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("claim reminder: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO reminders (session_id, participant_id, nonce, status, due_at, claimed_at)
		SELECT id, participant_id, ?, 'pending', ?, ? FROM sessions WHERE id = ?
		ON CONFLICT (session_id) DO NOTHING`,
		r.Nonce, formatTime(r.DueAt), formatTime(db.orNow(r.ClaimedAt)), r.SessionID)
	if err != nil {
		return false, fmt.Errorf("claim reminder of session %q: %w", r.SessionID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim reminder: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("claim reminder: %w", err)
	}
	return n == 1, nil
}

// PendingReminders returns the reminders claimed but not yet sent nor
// given up, oldest first: they failed, or their process stopped before
// recording them.
func (db *DB) PendingReminders(ctx context.Context) ([]Reminder, error) {
	return db.reminders(ctx, "pending reminders", `WHERE status = 'pending' ORDER BY due_at, session_id`)
}

// Reminders returns every claimed reminder, for tests and checks.
func (db *DB) Reminders(ctx context.Context) ([]Reminder, error) {
	return db.reminders(ctx, "reminders", `ORDER BY due_at, session_id`)
}

// ReminderSent records that the session's reminder is in the
// participant's DMs. One given up by another process is recorded as sent
// all the same, because it is.
func (db *DB) ReminderSent(ctx context.Context, sessionID string, at time.Time) error {
	return db.updateReminder(ctx, "record reminder", sessionID,
		`UPDATE reminders SET status = 'sent', sent_at = ? WHERE session_id = ? AND status != 'sent'`, formatTime(db.orNow(at)))
}

// ReminderFailed counts a failed attempt at a pending reminder, and why;
// it stays pending, to be retried.
func (db *DB) ReminderFailed(ctx context.Context, sessionID, reason string, at time.Time) error {
	return db.updateReminder(ctx, "record failed reminder", sessionID,
		`UPDATE reminders SET attempts = attempts + 1, last_error = ?, last_attempt_at = ? WHERE session_id = ? AND status = 'pending'`,
		reason, formatTime(db.orNow(at)))
}

// ReminderClosed gives up a pending reminder as ReminderUndeliverable or
// ReminderCancelled, saying why; it is never retried.
func (db *DB) ReminderClosed(ctx context.Context, sessionID string, status ReminderStatus, reason string) error {
	if status != ReminderUndeliverable && status != ReminderCancelled {
		return fmt.Errorf("close reminder of session %q: status %q: expected %q or %q", sessionID, status, ReminderUndeliverable, ReminderCancelled)
	}
	return db.updateReminder(ctx, "close reminder", sessionID,
		`UPDATE reminders SET status = ?, last_error = ? WHERE session_id = ? AND status = 'pending'`, string(status), reason)
}

// updateReminder runs one UPDATE on a reminder; args come before the
// session id. An unknown reminder is ErrNotFound.
func (db *DB) updateReminder(ctx context.Context, what, sessionID, query string, args ...any) error {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, query, append(args, sessionID)...); err != nil {
		return fmt.Errorf("%s of session %q: %w", what, sessionID, err)
	}
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM reminders WHERE session_id = ?`, sessionID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s of session %q: %w", what, sessionID, ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("%s of session %q: %w", what, sessionID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// reminders lists the reminders matching where.
func (db *DB) reminders(ctx context.Context, what, where string, args ...any) ([]Reminder, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT session_id, participant_id, nonce, status, due_at, claimed_at, attempts, last_error,
		COALESCE(last_attempt_at, ''), COALESCE(sent_at, '') FROM reminders `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []Reminder
	for rows.Next() {
		var r Reminder
		var due, claimed, attempted, sent string
		if err := rows.Scan(&r.SessionID, &r.ParticipantID, &r.Nonce, &r.Status, &due, &claimed, &r.Attempts, &r.LastError, &attempted, &sent); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		for _, f := range []struct {
			s string
			t *time.Time
		}{{due, &r.DueAt}, {claimed, &r.ClaimedAt}, {attempted, &r.LastAttemptAt}, {sent, &r.SentAt}} {
			if f.s == "" {
				continue
			}
			if *f.t, err = parseTime(f.s); err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// countReminders counts the reminders sent in each of the digest's
// windows. Only the times are read: a reminder names nobody.
func (c *digestCounter) countReminders(ctx context.Context, tx *sql.Tx, d *figures.Data) error {
	rows, err := tx.QueryContext(ctx, `SELECT sent_at FROM reminders WHERE status = 'sent' AND sent_at IS NOT NULL`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var at string
		if err := rows.Scan(&at); err != nil {
			return err
		}
		for w, a := range []*figures.Activity{&d.Period, &d.Previous, &d.Total} {
			if c.in(figures.Window(w), at) {
				a.RemindersSent++
			}
		}
	}
	return rows.Err()
}
