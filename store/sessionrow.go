package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Reading sessions rows: their columns, and their state decrypted with
// the participant's data key.

// findSessions loads and decrypts the sessions selected by where. With
// tolerate, a session whose state cannot be decrypted is returned
// Unreadable; without, it is an error. q is a transaction, a connection
// in one (ReadStep), or the read pool for a single statement (itself one
// read transaction).
func (db *DB) findSessions(ctx context.Context, q querier, tolerate bool, where string, args ...any) ([]Session, error) {
	return db.findSessionsWith(ctx, q, db.keyReader(), tolerate, nil, where, args...)
}

// findSessionsWith is findSessions with the key reader of a transaction
// that has read other rows first (ReadStep). With sealed set, it receives
// the first row's state as stored, still sealed (for StepRev).
func (db *DB) findSessionsWith(ctx context.Context, q querier, kr *keyReader, tolerate bool, sealed *[]byte, where string, args ...any) ([]Session, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		var r sealedSession
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, err
		}
		s, err := db.openSession(ctx, kr, &r, tolerate)
		if err != nil {
			return nil, err
		}
		if sealed != nil && len(out) == 0 {
			*sealed = r.sealed
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// querier is a transaction, a connection or a pool: what findSessions
// reads through.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// sessionColumns are the columns of a sessions row, in sealedSession.dest's order.
const sessionColumns = `id, participant_id, flow_id, flow_version, status, state, key_version,
		started_at, updated_at, expired_at, wave`

// sealedSession is a sessions row as read, its state still sealed.
type sealedSession struct {
	s                Session
	sealed           []byte
	version          int
	started, updated string
	expired          sql.NullString
}

// dest is where rows.Scan puts the columns of sessionColumns.
func (r *sealedSession) dest() []any {
	return []any{&r.s.ID, &r.s.ParticipantID, &r.s.FlowID, &r.s.FlowVersion, &r.s.Status, &r.sealed, &r.version,
		&r.started, &r.updated, &r.expired, &r.s.Wave}
}

// openSession decrypts a session read as r with its participant's key
// from kr, and parses its times. With tolerate, a state that cannot be
// decrypted leaves it Unreadable; without, it is an error.
func (db *DB) openSession(ctx context.Context, kr *keyReader, r *sealedSession, tolerate bool) (Session, error) {
	s := r.s
	dk, err := kr.key(ctx, s.ParticipantID)
	if err == nil {
		s.State, err = db.keys.open(r.version, dk, stateAD(s.ID), r.sealed)
	}
	switch {
	case err != nil && tolerate && errors.Is(err, ErrDecrypt):
		s.Unreadable = true
	case err != nil:
		return Session{}, fmt.Errorf("state of session %q: %w", s.ID, err)
	}
	if s.StartedAt, err = parseTime(r.started); err != nil {
		return Session{}, err
	}
	if s.UpdatedAt, err = parseTime(r.updated); err != nil {
		return Session{}, err
	}
	if r.expired.Valid {
		if s.ExpiredAt, err = parseTime(r.expired.String); err != nil {
			return Session{}, err
		}
	}
	return s, nil
}
