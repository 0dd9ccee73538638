package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Participant is a person taking part, known only by a pseudonym.
type Participant struct {
	// ID is the store's own id; it is never reused after a withdrawal.
	ID int64
	// Pseudonym is DB.Pseudonym of the platform user id.
	Pseudonym string
	// CreatedAt is when the participant was first stored.
	CreatedAt time.Time
	// Consent is the latest consent given, or nil if none.
	Consent *Consent
}

// EnsureParticipant returns the participant with this pseudonym, creating it
// if absent, with its latest consent. The pseudonym must come from
// DB.Pseudonym: anything else, such as a raw user id, is refused.
func (db *DB) EnsureParticipant(ctx context.Context, pseudonym string) (Participant, error) {
	if err := checkPseudonym(pseudonym); err != nil {
		return Participant{}, fmt.Errorf("ensure participant: %w", err)
	}
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return Participant{}, fmt.Errorf("ensure participant: %w", err)
	}
	defer tx.Rollback()
	if err := insertParticipant(ctx, tx, pseudonym, db.now()); err != nil {
		return Participant{}, fmt.Errorf("ensure participant: %w", err)
	}
	p, err := findParticipant(ctx, tx, pseudonym)
	if err != nil {
		return Participant{}, fmt.Errorf("ensure participant: %w", err)
	}
	made, err := db.insertDataKey(ctx, tx, p.ID)
	if err != nil {
		return Participant{}, fmt.Errorf("ensure participant: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Participant{}, fmt.Errorf("ensure participant: %w", err)
	}
	if made {
		db.doneKeys(ctx, p.ID)
	}
	return p, nil
}

// FindParticipant returns the participant with this pseudonym and its latest
// consent, or ErrNotFound.
func (db *DB) FindParticipant(ctx context.Context, pseudonym string) (Participant, error) {
	tx, err := db.rd.BeginTx(ctx, nil)
	if err != nil {
		return Participant{}, fmt.Errorf("find participant: %w", err)
	}
	defer tx.Rollback()
	p, err := findParticipant(ctx, tx, pseudonym)
	if err != nil {
		return Participant{}, fmt.Errorf("find participant: %w", err)
	}
	return p, nil
}

// Withdraw deletes the participant's data key from the keyring, durably,
// and then their answers, sessions, consents and the participant row
// itself, in one transaction of the database: whatever copy of their
// rows is left anywhere, a copy of the database taken before included,
// can no longer be decrypted. The database's write lock is held
// throughout, so nothing is written for them between the two; a crash
// between the two leaves the withdrawal marked pending in the keyring,
// and the next Open finishes it. Then it checkpoints both files'
// write-ahead logs, so that no copy of the key is left in the keyring's
// files either; while other connections still read an older snapshot,
// the checkpoint is retried in the background until they have moved on
// (checkpoint.go). It returns ErrNotFound if there is no such
// participant.
func (db *DB) Withdraw(ctx context.Context, participantID int64) error {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	defer tx.Rollback()
	if err := participantExists(ctx, tx, participantID); err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	if err := db.ring.shredKey(ctx, participantID); err != nil {
		return fmt.Errorf("withdraw: delete the data key from the keyring %s: %w", db.ring.path, err)
	}
	db.keys.cache.drop(participantID)
	if afterKeyShredded != nil {
		afterKeyShredded(participantID)
	}
	if err := deleteParticipant(ctx, tx, participantID); err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	// Unmarked only now that the rows are gone; if this fails, the next
	// Open does it.
	db.ring.done(ctx, participantID)
	// Copy the changes into the files and empty the write-ahead logs, so
	// the deleted key does not linger in the keyring's. The deletion is
	// already durable, and a busy reader merely postpones this, so its
	// outcome is not an error of Withdraw.
	db.checkpointer.now()
	return nil
}

// insertParticipant stores pseudonym unless it is already there.
func insertParticipant(ctx context.Context, tx *sql.Tx, pseudonym string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO participants (pseudonym, key_version, created_at)
		VALUES (?, ?, ?) ON CONFLICT (pseudonym) DO NOTHING`, pseudonym, pseudonymVersion, formatTime(now))
	return err
}

// findParticipant loads a participant and its latest consent.
func findParticipant(ctx context.Context, tx rowQuerier, pseudonym string) (Participant, error) {
	p, _, err := findParticipantConsent(ctx, tx, pseudonym)
	return p, err
}

// findParticipantConsent is findParticipant that also returns the row id
// of their latest consent (0 if none), for ReadStep's StepRev.
func findParticipantConsent(ctx context.Context, tx rowQuerier, pseudonym string) (Participant, int64, error) {
	var p Participant
	var created string
	err := tx.QueryRowContext(ctx, `SELECT id, pseudonym, created_at FROM participants WHERE pseudonym = ?`,
		pseudonym).Scan(&p.ID, &p.Pseudonym, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Participant{}, 0, ErrNotFound
	} else if err != nil {
		return Participant{}, 0, err
	}
	if p.CreatedAt, err = parseTime(created); err != nil {
		return Participant{}, 0, err
	}
	var consent int64
	if p.Consent, consent, err = latestConsent(ctx, tx, p.ID); err != nil {
		return Participant{}, 0, err
	}
	return p, consent, nil
}

// participantExists returns ErrNotFound, wrapped with the id, unless the
// participant exists.
func participantExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var ok bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM participants WHERE id = ?)`, id).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("participant %d: %w", id, ErrNotFound)
	}
	return nil
}

// deleteParticipant deletes a participant and everything stored about
// them in the database; their key in the keyring is deleted before
// (Withdraw).
func deleteParticipant(ctx context.Context, tx *sql.Tx, id int64) error {
	if err := participantExists(ctx, tx, id); err != nil {
		return err
	}
	if err := deleteReminders(ctx, tx, id); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM answers WHERE session_id IN (SELECT id FROM sessions WHERE participant_id = ?)`,
		`DELETE FROM sessions WHERE participant_id = ?`,
		`DELETE FROM consents WHERE participant_id = ?`,
		`DELETE FROM participants WHERE id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}
