package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
)

// Conditional steps. A process that keeps a participant's session in
// memory between their answers (the participant service does) can skip
// the read of each answer, but only if nothing changed the session
// behind it: another process (peervoice withdraw, a retention run, a
// second bot), the expiry job, or a consent given meanwhile. SaveStepIf
// makes the write itself the check: inside the write transaction, on the
// writer's connection (whose page cache the last commit left warm), it
// saves the step only if the session row, the participant's latest
// consent and, for a step with no session named, their open session are
// all still as read. Otherwise it writes nothing and returns ErrChanged,
// and the caller reads afresh and does the step again.

// ErrChanged means SaveStepIf found the session or the participant's
// consent changed since its StepRev was taken: nothing was written.
var ErrChanged = errors.New("store: session changed since it was read")

// StepRev is one session row and its participant's latest consent, as
// ReadStep read them or SaveStepIf wrote them. It holds the row's state
// as stored, sealed: any rewrite of the state (a step, retention,
// re-encryption) seals it with a new random nonce, so comparing it tells
// whether the row was touched. It holds nothing decrypted.
type StepRev struct {
	session     string
	participant int64
	status      string
	sealed      []byte
	consent     int64
}

// Valid reports whether r names a session (the zero StepRev does not).
func (r StepRev) Valid() bool { return r.session != "" }

// SaveStepIf is SaveStep for a session stored as rev says (from ReadStep,
// or from the SaveStepIf that wrote it last): it saves the step, in one
// durable transaction with its answers, only if the session row is still
// the one rev took (same status and stored state), the participant's
// latest consent is the same, and, with open set, the session is still
// their open one (what ReadStep without a session id would find). Else
// it writes nothing and returns an error wrapping ErrChanged. It returns
// the StepRev of the row as written.
func (db *DB) SaveStepIf(ctx context.Context, s Session, answers []Answer, cleared []string, rev StepRev, open bool) (StepRev, error) {
	s.UpdatedAt = db.orNow(s.UpdatedAt)
	if s.StartedAt.IsZero() {
		s.StartedAt = s.UpdatedAt
	}
	answers, err := prepareStep(s, answers, cleared)
	if err != nil {
		return StepRev{}, fmt.Errorf("save step: %w", err)
	}
	if !rev.Valid() || rev.session != s.ID || rev.participant != s.ParticipantID {
		return StepRev{}, fmt.Errorf("save step: session %q of participant %d: the revision given is of session %q of participant %d", s.ID, s.ParticipantID, rev.session, rev.participant)
	}
	// As SaveStep: a participant stored before data keys gets theirs now.
	if err := db.ensureDataKey(ctx, s.ParticipantID); err != nil {
		return StepRev{}, fmt.Errorf("save step: %w", err)
	}
	r := &stepReq{s: s, answers: answers, cleared: cleared, rev: &rev, open: open}
	if err := db.enqueue(ctx, r); err != nil {
		return StepRev{}, fmt.Errorf("save step: %w", err)
	}
	return r.wrote, nil
}

// saveReq saves one queued step, conditionally if it carries a StepRev.
func (db *DB) saveReq(ctx context.Context, tx *sql.Tx, kr *keyReader, r *stepReq) error {
	if r.rev == nil {
		return db.saveStep(ctx, tx, kr, r.s, r.answers, r.cleared)
	}
	s := r.s
	dk, err := kr.key(ctx, s.ParticipantID)
	if err != nil {
		return err
	}
	if dk == nil {
		if err := participantExists(ctx, tx, s.ParticipantID); err != nil {
			// Withdrawn since: their session went with them.
			return fmt.Errorf("session %q: %w", s.ID, ErrChanged)
		}
		return fmt.Errorf("participant %d has no readable data key (%w): their answers cannot be encrypted; restore the database from a backup", s.ParticipantID, ErrDecrypt)
	}
	sealed, err := updateSessionIf(ctx, tx, dk, s, *r.rev, r.open)
	if err != nil {
		return explainReference(ctx, tx, err, s.ParticipantID, s.FlowID, s.FlowVersion)
	}
	if err := writeAnswers(ctx, tx, dk, s, r.answers, r.cleared); err != nil {
		return err
	}
	r.wrote = StepRev{session: s.ID, participant: s.ParticipantID, status: s.Status, sealed: sealed, consent: r.rev.consent}
	return nil
}

// updateSessionIf saves the state of session s, and returns it as
// sealed, if the row, the latest consent and (with open) the open session
// are as rev took them; else it writes nothing and returns ErrChanged.
// The check is the UPDATE's own WHERE: on the writer's warm pages, the
// row found by its key, the consent and the open session by their
// indexes (both subqueries are uncorrelated, so SQLite evaluates them
// once, before it changes the row). As upsertSession, it names the
// status only when the step changes it, so a step that keeps it leaves
// sessions_open alone. Parameters are +?: see unplanned (opensession.go).
func updateSessionIf(ctx context.Context, tx *sql.Tx, dk cipher.AEAD, s Session, rev StepRev, open bool) ([]byte, error) {
	sealed := seal(dk, stateAD(s.ID), s.State)
	set := `flow_version = ?, state = ?, key_version = ?, updated_at = ?`
	args := []any{s.FlowVersion, sealed, keyVersion, formatTime(s.UpdatedAt)}
	if s.Status != rev.status {
		set += `, status = ?`
		args = append(args, s.Status)
	}
	where := `id = +? AND participant_id = +? AND flow_id = +? AND status = +? AND state = +?
		AND COALESCE((SELECT id FROM consents WHERE participant_id = +? ORDER BY id DESC LIMIT 1), 0) = +?`
	args = append(args, rev.session, rev.participant, s.FlowID, rev.status, rev.sealed, rev.participant, rev.consent)
	if open {
		where += ` AND id = (SELECT id FROM sessions ` + openSessionWhere + `)`
		args = append(args, rev.participant)
	}
	res, err := tx.ExecContext(ctx, `UPDATE sessions SET `+set+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n != 1 {
		return nil, fmt.Errorf("session %q: %w", s.ID, ErrChanged)
	}
	return sealed, nil
}
