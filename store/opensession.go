package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The reads of one step. A participant's answer needs their row, their
// latest consent and the session it goes to. ReadStep reads the three in
// one transaction, and finds the session under way in SQL (the partial
// index sessions_open, migration 013), decrypting only that one: an
// answer then costs the same whatever the participant's history.

// StepRead is what one step of a participant needs from the store.
type StepRead struct {
	// Participant is the participant, with their latest consent.
	Participant Participant
	// Session is the session asked for by id or, when none was named,
	// the participant's latest unfinished session (active or paused,
	// most recently updated first, as Sessions lists them). Found
	// reports whether there is one.
	Session Session
	Found   bool
}

// ReadStep returns, in one read transaction, the participant with this
// pseudonym (ErrNotFound if there is none) and the session a step of
// theirs goes to: the one with sessionID if it is theirs (its state
// decrypted; an error wrapping ErrDecrypt if it cannot be, as Session),
// or with sessionID empty, their latest unfinished session (Unreadable
// if its state cannot be decrypted, as Sessions). A session of someone
// else is not found, and not decrypted.
func (db *DB) ReadStep(ctx context.Context, pseudonym, sessionID string) (StepRead, error) {
	tx, err := db.rd.BeginTx(ctx, nil)
	if err != nil {
		return StepRead{}, fmt.Errorf("read step: %w", err)
	}
	defer tx.Rollback()
	kr := db.keyReader()
	var out StepRead
	if out.Participant, err = findParticipant(ctx, tx, pseudonym); err != nil {
		return StepRead{}, fmt.Errorf("read step: %w", err)
	}
	pid := out.Participant.ID
	var ss []Session
	if sessionID != "" {
		ss, err = db.findSessionsWith(ctx, tx, kr, false, `WHERE id = ? AND participant_id = ?`, sessionID, pid)
	} else {
		ss, err = openSessions(ctx, db, tx, kr, pid)
	}
	if err != nil {
		return StepRead{}, fmt.Errorf("read step of participant %d: %w", pid, err)
	}
	if len(ss) > 0 {
		out.Session, out.Found = ss[0], true
	}
	return out, nil
}

// OpenSession returns the participant's latest unfinished session (as
// ReadStep without a session id), or ErrNotFound.
func (db *DB) OpenSession(ctx context.Context, participantID int64) (Session, error) {
	tx, err := db.rd.BeginTx(ctx, nil)
	if err != nil {
		return Session{}, fmt.Errorf("open session: %w", err)
	}
	defer tx.Rollback()
	ss, err := openSessions(ctx, db, tx, db.keyReader(), participantID)
	if err != nil {
		return Session{}, fmt.Errorf("open session of participant %d: %w", participantID, err)
	}
	if len(ss) == 0 {
		return Session{}, fmt.Errorf("open session of participant %d: %w", participantID, ErrNotFound)
	}
	return ss[0], nil
}

// openSessions reads the participant's latest unfinished session, if
// any, through sessions_open: its WHERE matches the index's, so only
// their unfinished sessions are read, and only the latest decrypted.
func openSessions(ctx context.Context, db *DB, tx *sql.Tx, kr *keyReader, pid int64) ([]Session, error) {
	return db.findSessionsWith(ctx, tx, kr, true, `INDEXED BY sessions_open
		WHERE participant_id = ? AND status IN ('active', 'paused') ORDER BY updated_at DESC, id LIMIT 1`, pid)
}
