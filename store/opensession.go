package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The reads of one step. A participant's answer needs their row, their
// latest consent and the session it goes to. ReadStep reads the three in
// one statement, so one read transaction, and finds the session under
// way in SQL (the partial index sessions_open, migration 013),
// decrypting only that one: an answer then costs the same whatever the
// participant's history. One statement rather than three in a
// transaction also saves what each costs after another connection's
// commit: database/sql's goroutines per transaction and per query, and
// the round trips through cgo.

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

// openSessionWhere selects a participant's latest unfinished session
// (bound to ?1 or a column) through sessions_open: its WHERE matches the
// index's, so only their unfinished sessions are read.
const openSessionWhere = `INDEXED BY sessions_open
	WHERE participant_id = %s AND status IN ('active', 'paused') ORDER BY updated_at DESC, id LIMIT 1`

// readStepQuery reads a participant by pseudonym (?1), their latest
// consent, and the session named ?2 if it is theirs, or with ?2 empty
// their latest unfinished session. The session's columns are COALESCEd
// so that sealedSession scans them; its id is empty when there is none.
var readStepQuery = `SELECT p.id, p.pseudonym, p.created_at,
		c.id IS NOT NULL, COALESCE(c.version, ''), COALESCE(c.take_part, 0), COALESCE(c.quotes, 0), COALESCE(c.given_at, ''),
		COALESCE(s.id, ''), COALESCE(s.participant_id, 0), COALESCE(s.flow_id, ''), COALESCE(s.flow_version, ''),
		COALESCE(s.status, ''), COALESCE(s.state, x''), COALESCE(s.key_version, 0), COALESCE(s.started_at, ''),
		COALESCE(s.updated_at, ''), s.expired_at, COALESCE(s.wave, 0)
	FROM participants p
	LEFT JOIN consents c ON c.id = (SELECT id FROM consents WHERE participant_id = p.id ORDER BY id DESC LIMIT 1)
	LEFT JOIN sessions s ON s.rowid = CASE WHEN ?2 = '' THEN
		(SELECT rowid FROM sessions ` + fmt.Sprintf(openSessionWhere, "p.id") + `)
		ELSE (SELECT rowid FROM sessions WHERE id = ?2 AND participant_id = p.id) END
	WHERE p.pseudonym = ?1`

// ReadStep returns, in one read, the participant with this pseudonym
// (ErrNotFound if there is none) and the session a step of theirs goes
// to: the one with sessionID if it is theirs (its state decrypted; an
// error wrapping ErrDecrypt if it cannot be, as Session), or with
// sessionID empty, their latest unfinished session (Unreadable if its
// state cannot be decrypted, as Sessions). A session of someone else is
// not found, and not decrypted.
func (db *DB) ReadStep(ctx context.Context, pseudonym, sessionID string) (StepRead, error) {
	kr := db.keyReader() // before the read: see keyReader
	var out StepRead
	p := &out.Participant
	var created string
	var hasConsent bool
	var c Consent
	var given string
	var r sealedSession
	dest := append([]any{&p.ID, &p.Pseudonym, &created, &hasConsent, &c.Version, &c.TakePart, &c.Quotes, &given}, r.dest()...)
	err := db.rd.QueryRowContext(ctx, readStepQuery, pseudonym, sessionID).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return StepRead{}, fmt.Errorf("read step: participant: %w", ErrNotFound)
	}
	if err != nil {
		return StepRead{}, fmt.Errorf("read step: %w", err)
	}
	if p.CreatedAt, err = parseTime(created); err != nil {
		return StepRead{}, fmt.Errorf("read step: participant %d: %w", p.ID, err)
	}
	if hasConsent {
		if c.GivenAt, err = parseTime(given); err != nil {
			return StepRead{}, fmt.Errorf("read step: consent of participant %d: %w", p.ID, err)
		}
		p.Consent = &c
	}
	if r.s.ID == "" {
		return out, nil
	}
	if out.Session, err = db.openSession(ctx, kr, &r, sessionID == ""); err != nil {
		return StepRead{}, fmt.Errorf("read step of participant %d: %w", p.ID, err)
	}
	out.Found = true
	return out, nil
}

// OpenSession returns the participant's latest unfinished session (as
// ReadStep without a session id), or ErrNotFound.
func (db *DB) OpenSession(ctx context.Context, participantID int64) (Session, error) {
	ss, err := db.findSessions(ctx, db.rd, true, fmt.Sprintf(openSessionWhere, "?"), participantID)
	if err != nil {
		return Session{}, fmt.Errorf("open session of participant %d: %w", participantID, err)
	}
	if len(ss) == 0 {
		return Session{}, fmt.Errorf("open session of participant %d: %w", participantID, ErrNotFound)
	}
	return ss[0], nil
}
