package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Consent is what a participant agreed to, under one version of the consent
// text.
type Consent struct {
	// Version names the consent text shown.
	Version string
	// TakePart is consent to take part; Quotes is consent to be quoted.
	TakePart, Quotes bool
	// GivenAt is when the choice was made; zero means now.
	GivenAt time.Time
}

// SaveConsent appends a consent for the participant; the latest saved is the
// current one, and earlier ones are kept as a record. It returns ErrNotFound
// if there is no such participant.
func (db *DB) SaveConsent(ctx context.Context, participantID int64, c Consent) error {
	if c.Version == "" {
		return errors.New("save consent: the consent version is empty; pass the version of the consent text shown")
	}
	c.GivenAt = db.orNow(c.GivenAt)
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save consent: %w", err)
	}
	defer tx.Rollback()
	if err := insertConsent(ctx, tx, participantID, c); err != nil {
		return fmt.Errorf("save consent: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save consent: %w", err)
	}
	return nil
}

// insertConsent appends c for the participant.
func insertConsent(ctx context.Context, tx *sql.Tx, participantID int64, c Consent) error {
	if err := participantExists(ctx, tx, participantID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO consents (participant_id, version, take_part, quotes, given_at)
		VALUES (?, ?, ?, ?, ?)`, participantID, c.Version, c.TakePart, c.Quotes, formatTime(c.GivenAt))
	return err
}

// latestConsent returns the participant's most recently saved consent, or
// nil if none, and its row id (0 if none), which StepRev keeps to tell
// whether it is still the latest.
func latestConsent(ctx context.Context, tx rowQuerier, participantID int64) (*Consent, int64, error) {
	var c Consent
	var id int64
	var given string
	// +?: read on every answer (ReadStep); see unplanned (opensession.go).
	err := tx.QueryRowContext(ctx, `SELECT id, version, take_part, quotes, given_at FROM consents
		WHERE participant_id = +? ORDER BY id DESC LIMIT 1`, participantID).Scan(&id, &c.Version, &c.TakePart, &c.Quotes, &given)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	} else if err != nil {
		return nil, 0, err
	}
	if c.GivenAt, err = parseTime(given); err != nil {
		return nil, 0, err
	}
	return &c, id, nil
}
