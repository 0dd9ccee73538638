package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// addressAD binds a sealed address to its participant's row.
func addressAD(pid int64) string {
	return "reminder_prefs.address\x00" + strconv.FormatInt(pid, 10)
}

// AllowReminders records how to reach the participant (their platform
// and user id, sealed under their data key) and that reminders are
// allowed: it undoes StopReminders. The user id is never stored in the
// clear.
func (db *DB) AllowReminders(ctx context.Context, participantID int64, platform, userID string, at time.Time) error {
	if platform == "" || userID == "" {
		return errors.New("allow reminders: the platform and user id are required")
	}
	if err := db.ensureDataKey(ctx, participantID); err != nil {
		return fmt.Errorf("allow reminders: %w", err)
	}
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("allow reminders: %w", err)
	}
	defer tx.Rollback()
	dk, err := db.keyReader().key(ctx, participantID)
	if err != nil {
		return fmt.Errorf("allow reminders: %w", err)
	}
	if dk == nil {
		if err := participantExists(ctx, tx, participantID); err != nil {
			return fmt.Errorf("allow reminders: %w", err)
		}
		return fmt.Errorf("allow reminders: participant %d has no readable data key: %w", participantID, ErrDecrypt)
	}
	sealed := seal(dk, addressAD(participantID), []byte(userID))
	if _, err := tx.ExecContext(ctx, `INSERT INTO reminder_prefs (participant_id, platform, address, key_version, opted_out_at, updated_at)
		VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (participant_id) DO UPDATE SET
			platform = excluded.platform, address = excluded.address, key_version = excluded.key_version,
			opted_out_at = NULL, updated_at = excluded.updated_at`,
		participantID, platform, sealed, keyVersion, formatTime(db.orNow(at))); err != nil {
		return fmt.Errorf("allow reminders for participant %d: %w", participantID, explainReference(ctx, tx, err, participantID, "", ""))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("allow reminders: %w", err)
	}
	return nil
}

// StopReminders records that the participant wants no more reminders
// (No more reminders), and cancels any of theirs not yet sent. It is
// kept until AllowReminders.
func (db *DB) StopReminders(ctx context.Context, participantID int64, at time.Time) error {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("stop reminders: %w", err)
	}
	defer tx.Rollback()
	if err := participantExists(ctx, tx, participantID); err != nil {
		return fmt.Errorf("stop reminders: %w", err)
	}
	when := formatTime(db.orNow(at))
	if _, err := tx.ExecContext(ctx, `INSERT INTO reminder_prefs (participant_id, platform, address, key_version, opted_out_at, updated_at)
		VALUES (?, '', NULL, ?, ?, ?) ON CONFLICT (participant_id) DO UPDATE SET
			opted_out_at = COALESCE(reminder_prefs.opted_out_at, excluded.opted_out_at), updated_at = excluded.updated_at`,
		participantID, keyVersion, when, when); err != nil {
		return fmt.Errorf("stop reminders for participant %d: %w", participantID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE reminders SET status = 'cancelled', last_error = 'the participant asked for no more reminders'
		WHERE participant_id = ? AND status = 'pending'`, participantID); err != nil {
		return fmt.Errorf("stop reminders for participant %d: %w", participantID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("stop reminders: %w", err)
	}
	return nil
}

// ReminderPrefs returns what is stored about the participant's
// reminders; the zero value when nothing is.
func (db *DB) ReminderPrefs(ctx context.Context, participantID int64) (ReminderPrefs, error) {
	var p ReminderPrefs
	var reachable bool
	var out sql.NullString
	err := db.rd.QueryRowContext(ctx, `SELECT address IS NOT NULL, opted_out_at FROM reminder_prefs WHERE participant_id = ?`,
		participantID).Scan(&reachable, &out)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	} else if err != nil {
		return p, fmt.Errorf("reminder settings of participant %d: %w", participantID, err)
	}
	p.Reachable = reachable
	if out.Valid {
		if p.OptedOutAt, err = parseTime(out.String); err != nil {
			return p, fmt.Errorf("reminder settings of participant %d: %w", participantID, err)
		}
	}
	return p, nil
}

// deleteReminders deletes what is stored about a participant's
// reminders, for a withdrawal (their sealed address goes with their key
// anyway).
func deleteReminders(ctx context.Context, tx *sql.Tx, participantID int64) error {
	for _, q := range []string{
		`DELETE FROM reminders WHERE participant_id = ?`,
		`DELETE FROM reminder_prefs WHERE participant_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, participantID); err != nil {
			return err
		}
	}
	return nil
}
