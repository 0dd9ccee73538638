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
	if err := checkRev(ctx, tx, *r.rev, r.open); err != nil {
		return err
	}
	// The row is there, so is its participant (a foreign key): a missing
	// key is damage, as in saveStep.
	dk, err := kr.key(ctx, s.ParticipantID)
	if err != nil {
		return err
	}
	if dk == nil {
		return fmt.Errorf("participant %d has no readable data key (%w): their answers cannot be encrypted; restore the database from a backup", s.ParticipantID, ErrDecrypt)
	}
	sealed, err := updateSessionIf(ctx, tx, dk, s, r.rev.status)
	if err != nil {
		return explainReference(ctx, tx, err, s.ParticipantID, s.FlowID, s.FlowVersion)
	}
	if err := writeAnswers(ctx, tx, dk, s, r.answers, r.cleared); err != nil {
		return err
	}
	r.wrote = StepRev{session: s.ID, participant: s.ParticipantID, status: s.Status, sealed: sealed, consent: r.rev.consent}
	return nil
}

// checkRev returns ErrChanged unless the session row, the latest consent
// and (with open) the open session are as rev took them. One statement:
// three indexed lookups on the writer's warm pages. Parameters are +?:
// see unplanned (opensession.go).
func checkRev(ctx context.Context, tx *sql.Tx, rev StepRev, open bool) error {
	var same sql.NullBool
	var consent int64
	var openID sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT
			(SELECT status = +? AND state = +? FROM sessions WHERE id = +? AND participant_id = +?),
			COALESCE((SELECT id FROM consents WHERE participant_id = +? ORDER BY id DESC LIMIT 1), 0),
			(SELECT id FROM sessions `+openSessionWhere+`)`,
		rev.status, rev.sealed, rev.session, rev.participant, rev.participant, rev.participant).Scan(&same, &consent, &openID)
	if err != nil {
		return fmt.Errorf("check session %q: %w", rev.session, err)
	}
	switch {
	case !same.Valid || !same.Bool:
		return fmt.Errorf("session %q: %w", rev.session, ErrChanged)
	case consent != rev.consent:
		return fmt.Errorf("session %q: the participant's consent: %w", rev.session, ErrChanged)
	case open && (!openID.Valid || openID.String != rev.session):
		return fmt.Errorf("session %q is no longer the one under way: %w", rev.session, ErrChanged)
	}
	return nil
}

// updateSessionIf saves the state of a session checkRev found stored
// with status was, and returns the state as sealed. As upsertSession, it
// names the status only when the step changes it, so a step that keeps
// it leaves sessions_open alone.
func updateSessionIf(ctx context.Context, tx *sql.Tx, dk cipher.AEAD, s Session, was string) ([]byte, error) {
	sealed := seal(dk, stateAD(s.ID), s.State)
	var res sql.Result
	var err error
	if s.Status == was {
		res, err = tx.ExecContext(ctx, `UPDATE sessions SET flow_version = ?, state = ?, key_version = ?, updated_at = ?
			WHERE id = +? AND participant_id = +? AND flow_id = +? AND status = +?`,
			s.FlowVersion, sealed, keyVersion, formatTime(s.UpdatedAt), s.ID, s.ParticipantID, s.FlowID, was)
	} else {
		res, err = tx.ExecContext(ctx, `UPDATE sessions SET flow_version = ?, status = ?, state = ?, key_version = ?, updated_at = ?
			WHERE id = +? AND participant_id = +? AND flow_id = +? AND status = +?`,
			s.FlowVersion, s.Status, sealed, keyVersion, formatTime(s.UpdatedAt), s.ID, s.ParticipantID, s.FlowID, was)
	}
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n != 1 {
		// checkRev found it; only another flow's id can miss it.
		return nil, fmt.Errorf("session %q is stored for another flow; a session's flow never changes", s.ID)
	}
	return sealed, nil
}
