package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Session statuses.
const (
	StatusActive = "active"
	StatusPaused = "paused"
	StatusDone   = "done"
	// StatusExpired: left unfinished longer than sessions.expire_after and
	// closed as a partial response (ExpireSessions). Its answers stay and
	// count; it is never carried on, and the participant starts afresh.
	StatusExpired = "expired"
)

// Session is one participant's run through one flow.
type Session struct {
	// ID is chosen by the caller; it must not contain a NUL byte.
	ID            string
	ParticipantID int64
	FlowID        string
	// FlowVersion is the hash of a stored FlowVersion of FlowID.
	FlowVersion string
	// Status is StatusActive, StatusPaused or StatusDone, or, as read
	// back, StatusExpired (set only by ExpireSessions and ExpireSession).
	Status string
	// State is the flow engine's session as opaque JSON. It holds answers,
	// so it is encrypted at rest.
	State []byte
	// Unreadable is set, on a session listed by Sessions, when its state
	// could not be decrypted (the row is damaged, or its participant's
	// data key is missing or damaged): State is then nil. Session, which
	// reads one session to carry it on, returns an error wrapping
	// ErrDecrypt instead.
	Unreadable bool
	// StartedAt is kept from the first save; zero means now.
	StartedAt time.Time
	// UpdatedAt is set on every save; zero means now.
	UpdatedAt time.Time
	// ExpiredAt is when an expired session was closed; zero otherwise.
	ExpiredAt time.Time
	// Wave numbers the participant's sessions of the flow, 1, 2, … in
	// the order they started: each round of a repeating flow (and each
	// further set of answers to a flow taken once) is a wave. The store
	// sets it when the session is first saved, whatever SaveStep is
	// given, and never changes it; it is read back by Session and
	// Sessions.
	Wave int
}

// SaveStep writes the session (insert or update), upserts answers (one per
// session and question), and deletes the answers of the cleared question
// ids of this session, all in one durable transaction. Cleared answers are
// deleted before the new ones are written, so a question both cleared and
// answered keeps its new answer. Answers with an empty SessionID, FlowID or
// FlowVersion take the session's. The participant and the flow version must
// already be stored (EnsureParticipant, SaveFlowVersion).
//
// Nothing else is deleted: a paused or abandoned session keeps its partial
// answers.
func (db *DB) SaveStep(ctx context.Context, s Session, answers []Answer, cleared []string) error {
	s.UpdatedAt = db.orNow(s.UpdatedAt)
	if s.StartedAt.IsZero() {
		s.StartedAt = s.UpdatedAt
	}
	answers, err := prepareStep(s, answers, cleared)
	if err != nil {
		return fmt.Errorf("save step: %w", err)
	}
	if err := db.ensureDataKey(ctx, s.ParticipantID); err != nil {
		return fmt.Errorf("save step: %w", err)
	}
	if err := db.enqueue(ctx, &stepReq{s: s, answers: answers, cleared: cleared}); err != nil {
		return fmt.Errorf("save step: %w", err)
	}
	return nil
}

// Session returns the session with this id, its state decrypted, or
// ErrNotFound.
func (db *DB) Session(ctx context.Context, id string) (Session, error) {
	tx, err := db.rd.BeginTx(ctx, nil)
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	defer tx.Rollback()
	ss, err := db.findSessions(ctx, tx, false, `WHERE id = ?`, id)
	if err != nil {
		return Session{}, fmt.Errorf("session %q: %w", id, err)
	}
	if len(ss) == 0 {
		return Session{}, fmt.Errorf("session %q: %w", id, ErrNotFound)
	}
	return ss[0], nil
}

// Sessions returns the participant's sessions, most recently updated first.
func (db *DB) Sessions(ctx context.Context, participantID int64) ([]Session, error) {
	tx, err := db.rd.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	defer tx.Rollback()
	ss, err := db.findSessions(ctx, tx, true, `WHERE participant_id = ? ORDER BY updated_at DESC, id`, participantID)
	if err != nil {
		return nil, fmt.Errorf("sessions of participant %d: %w", participantID, err)
	}
	return ss, nil
}

// DeleteSession deletes the session and its answers, or returns
// ErrNotFound.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	defer tx.Rollback()
	if err := deleteSession(ctx, tx, id); err != nil {
		return fmt.Errorf("delete session %q: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// prepareStep checks a step before anything is written and returns the
// answers with the session's ids filled in.
func prepareStep(s Session, answers []Answer, cleared []string) ([]Answer, error) {
	if err := checkID("session id", s.ID); err != nil {
		return nil, err
	}
	switch {
	case s.ParticipantID <= 0:
		return nil, fmt.Errorf("session %q: participant id %d; want the id of a stored participant", s.ID, s.ParticipantID)
	case s.FlowID == "" || s.FlowVersion == "":
		return nil, fmt.Errorf("session %q: flow %q, version %q: both are required", s.ID, s.FlowID, s.FlowVersion)
	case s.Status != StatusActive && s.Status != StatusPaused && s.Status != StatusDone:
		return nil, fmt.Errorf("session %q: status %q; want %q, %q or %q", s.ID, s.Status, StatusActive, StatusPaused, StatusDone)
	}
	out := make([]Answer, len(answers))
	for i, a := range answers {
		if a.SessionID == "" {
			a.SessionID = s.ID
		}
		if a.FlowID == "" {
			a.FlowID = s.FlowID
		}
		if a.FlowVersion == "" {
			a.FlowVersion = s.FlowVersion
		}
		if a.AnsweredAt.IsZero() {
			a.AnsweredAt = s.UpdatedAt
		}
		if a.SessionID != s.ID {
			return nil, fmt.Errorf("answer to %q belongs to session %q, not %q; save it with its own session", a.QuestionID, a.SessionID, s.ID)
		}
		if err := checkID("question id", a.QuestionID); err != nil {
			return nil, err
		}
		if a.Kind == "" {
			return nil, fmt.Errorf("answer to %q has no kind; want the question type (choice, multi, scale, text, number)", a.QuestionID)
		}
		out[i] = a
	}
	for _, q := range cleared {
		if err := checkID("cleared question id", q); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkID rejects ids that would make the additional data of a ciphertext
// ambiguous.
func checkID(what, id string) error {
	if id == "" {
		return fmt.Errorf("%s is empty", what)
	}
	if strings.IndexByte(id, 0) >= 0 {
		return fmt.Errorf("%s %q contains a NUL byte", what, id)
	}
	return nil
}

// saveStep writes a checked step, encrypted with the participant's data
// key (SaveStep made sure there is one).
func (db *DB) saveStep(ctx context.Context, tx *sql.Tx, kr *keyReader, s Session, answers []Answer, cleared []string) error {
	dk, err := kr.key(ctx, s.ParticipantID)
	if err != nil {
		return err
	}
	if dk == nil {
		if err := participantExists(ctx, tx, s.ParticipantID); err != nil {
			return fmt.Errorf("%w; store the participant with EnsureParticipant first", err)
		}
		return fmt.Errorf("participant %d has no readable data key (%w): their answers cannot be encrypted; restore the database from a backup", s.ParticipantID, ErrDecrypt)
	}
	if err := upsertSession(ctx, tx, dk, s); err != nil {
		return explainReference(ctx, tx, err, s.ParticipantID, s.FlowID, s.FlowVersion)
	}
	return writeAnswers(ctx, tx, dk, s, answers, cleared)
}

// writeAnswers deletes the cleared answers of session s, then upserts
// answers, sealed with dk: the rest of a step once its session is saved.
func writeAnswers(ctx context.Context, tx *sql.Tx, dk cipher.AEAD, s Session, answers []Answer, cleared []string) error {
	for _, q := range cleared {
		if _, err := tx.ExecContext(ctx, `DELETE FROM answers WHERE session_id = ? AND question_id = ?`, s.ID, q); err != nil {
			return fmt.Errorf("clear answer to %q: %w", q, err)
		}
	}
	for _, a := range answers {
		if err := upsertAnswer(ctx, tx, dk, a); err != nil {
			err = explainReference(ctx, tx, err, s.ParticipantID, a.FlowID, a.FlowVersion)
			return fmt.Errorf("answer to %q: %w", a.QuestionID, err)
		}
	}
	return nil
}

// stateAD is the additional data binding a session's state to its row.
func stateAD(sessionID string) string { return "sessions.state\x00" + sessionID }

// upsertSession inserts or updates a session, its state sealed with the
// participant's data key dk. The participant and flow of an existing
// session never change.
//
// Most steps leave the session's status as it was. Those are saved by an
// UPDATE that does not name the status, so SQLite leaves alone the
// indexes that depend only on it and the participant (sessions_open,
// sessions_participant): a page less to write at each commit. A new
// session, or a change of status, takes the upsert.
func upsertSession(ctx context.Context, tx *sql.Tx, dk cipher.AEAD, s Session) error {
	sealed := seal(dk, stateAD(s.ID), s.State)
	// +?: see unplanned (opensession.go).
	res, err := tx.ExecContext(ctx, `UPDATE sessions SET flow_version = ?, state = ?, key_version = ?, updated_at = ?
		WHERE id = +? AND participant_id = +? AND flow_id = +? AND status = +?`,
		s.FlowVersion, sealed, keyVersion, formatTime(s.UpdatedAt), s.ID, s.ParticipantID, s.FlowID, s.Status)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return nil
	}
	res, err = tx.ExecContext(ctx, `INSERT INTO sessions
		(id, participant_id, flow_id, flow_version, status, state, key_version, started_at, updated_at, wave)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
			(SELECT COALESCE(MAX(wave), 0) + 1 FROM sessions WHERE participant_id = ? AND flow_id = ?))
		ON CONFLICT (id) DO UPDATE SET
			flow_version = excluded.flow_version, status = excluded.status, state = excluded.state,
			key_version = excluded.key_version, updated_at = excluded.updated_at
		WHERE participant_id = excluded.participant_id AND flow_id = excluded.flow_id
			AND sessions.status <> 'expired'`,
		s.ID, s.ParticipantID, s.FlowID, s.FlowVersion, s.Status, sealed, keyVersion,
		formatTime(s.StartedAt), formatTime(s.UpdatedAt), s.ParticipantID, s.FlowID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM sessions WHERE id = ?`, s.ID).Scan(&status); err == nil && status == StatusExpired {
			// Closed as a partial response meanwhile: its answers are
			// final, and the participant starts afresh.
			return fmt.Errorf("session %q: %w", s.ID, ErrExpired)
		}
		return fmt.Errorf("session %q is stored for another participant or flow; a session's participant and flow never change", s.ID)
	}
	return nil
}

// explainReference turns a foreign key failure into an error that names the
// missing participant or flow version.
func explainReference(ctx context.Context, tx *sql.Tx, err error, participantID int64, flowID, hash string) error {
	if _, ext, ok := sqliteCodes(err); !ok || ext != codeConstraintForeignKey {
		return err
	}
	if perr := participantExists(ctx, tx, participantID); perr != nil {
		return fmt.Errorf("%w; store the participant with EnsureParticipant first", perr)
	}
	var ok bool
	if qerr := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM flow_versions WHERE hash = ? AND flow_id = ?)`,
		hash, flowID).Scan(&ok); qerr == nil && !ok {
		return fmt.Errorf("flow version %s of flow %q: %w; store it with SaveFlowVersion first", hash, flowID, ErrNotFound)
	}
	return err
}

// deleteSession deletes a session and its answers.
func deleteSession(ctx context.Context, tx *sql.Tx, id string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE session_id = ?`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM answers WHERE session_id = ?`, id); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}
