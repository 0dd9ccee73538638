package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
)

// The reads of one step. A participant's answer needs their row, their
// latest consent and the session it goes to. ReadStep reads the three in
// one read transaction and finds the session under way in SQL (the
// partial index sessions_open, migration 013), decrypting only that one:
// an answer then costs the same whatever the participant's history.
//
// The transaction is begun by hand on one pooled connection rather than
// with database/sql's Tx, which adds a goroutine and a context per
// transaction and per query: on the answer path that cost a third of the
// read. Its statements are simple ones, prepared once per connection
// (see unplanned).

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
	// Rev is the session row and the latest consent as read, for
	// SaveStepIf; zero when no session was found.
	Rev StepRev
}

// openSessionWhere selects a participant's latest unfinished session
// through sessions_open: its WHERE matches the index's, so only their
// unfinished sessions are read. The parameter is written +? (see
// unplanned).
const openSessionWhere = `INDEXED BY sessions_open
	WHERE participant_id = +? AND status IN ('active', 'paused') ORDER BY updated_at DESC, id LIMIT 1`

// unplanned: the statements of the answer path write a bound value as
// +?, not ?, wherever SQLite's planner might otherwise look at the value
// (an equality it weighs for a plan it does not pick): that marks the
// statement to be re-prepared when its parameters are cleared, which
// go-sqlite3 does each time it puts the statement back in its cache, so
// the statement was parsed and planned anew at every answer. A unary +
// changes neither the comparison (STRICT columns, and a parameter has no
// affinity either way) nor the index used: it only hides the value from
// the planner (sqlite3ExprIsInteger stops at TK_UPLUS).

// rowQuerier is a transaction or a connection: what one-row reads go
// through.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ReadStep returns, in one read transaction, the participant with this
// pseudonym (ErrNotFound if there is none) and the session a step of
// theirs goes to: the one with sessionID if it is theirs (its state
// decrypted; an error wrapping ErrDecrypt if it cannot be, as Session),
// or with sessionID empty, their latest unfinished session (Unreadable
// if its state cannot be decrypted, as Sessions). A session of someone
// else is not found, and not decrypted.
func (db *DB) ReadStep(ctx context.Context, pseudonym, sessionID string) (out StepRead, err error) {
	conn, err := db.rd.Conn(ctx)
	if err != nil {
		return StepRead{}, fmt.Errorf("read step: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		return StepRead{}, fmt.Errorf("read step: %w", err)
	}
	defer endRead(ctx, conn)
	kr := db.keyReader() // before the first read: see keyReader
	var consent int64
	if out.Participant, consent, err = findParticipantConsent(ctx, conn, pseudonym); err != nil {
		return StepRead{}, fmt.Errorf("read step: %w", err)
	}
	pid := out.Participant.ID
	var ss []Session
	var sealed []byte
	if sessionID != "" {
		ss, err = db.findSessionsWith(ctx, conn, kr, false, &sealed, `WHERE id = +? AND participant_id = +?`, sessionID, pid)
	} else {
		ss, err = db.findSessionsWith(ctx, conn, kr, true, &sealed, openSessionWhere, pid)
	}
	if err != nil {
		return StepRead{}, fmt.Errorf("read step of participant %d: %w", pid, err)
	}
	if len(ss) > 0 {
		out.Session, out.Found = ss[0], true
		out.Rev = StepRev{session: ss[0].ID, participant: pid, status: ss[0].Status, sealed: sealed, consent: consent}
	}
	return out, nil
}

// endRead ends the read transaction begun on conn, even when ctx is done:
// a connection left in a transaction would hand later readers an old
// snapshot and hold back checkpoints. If it cannot be ended, the
// connection is closed instead of going back to the pool.
func endRead(ctx context.Context, conn *sql.Conn) {
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

// OpenSession returns the participant's latest unfinished session (as
// ReadStep without a session id), or ErrNotFound.
func (db *DB) OpenSession(ctx context.Context, participantID int64) (Session, error) {
	ss, err := db.findSessions(ctx, db.rd, true, openSessionWhere, participantID)
	if err != nil {
		return Session{}, fmt.Errorf("open session of participant %d: %w", participantID, err)
	}
	if len(ss) == 0 {
		return Session{}, fmt.Errorf("open session of participant %d: %w", participantID, ErrNotFound)
	}
	return ss[0], nil
}
