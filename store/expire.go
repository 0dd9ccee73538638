package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrExpired means a step was saved to a session closed as a partial
// response (ExpireSessions) since it was read: nothing was written.
var ErrExpired = errors.New("store: session expired")

// ExpireSessions closes as partial responses the unfinished sessions
// (active or paused) whose last activity (updated_at) is before
// idleSince, marking them expired at at (zero: now). Their answers stay
// and count in the digest and the export. It returns how many it closed.
// One UPDATE, so a session is either closed with its status and time or
// not at all.
func (db *DB) ExpireSessions(ctx context.Context, idleSince, at time.Time) (int, error) {
	at = db.orNow(at)
	res, err := db.wr.ExecContext(ctx, `UPDATE sessions SET status = 'expired', expired_at = ?
		WHERE status IN ('active', 'paused') AND updated_at < ?`, formatTime(at), formatTime(idleSince))
	if err != nil {
		return 0, fmt.Errorf("expire sessions idle since %s: %w", formatTime(idleSince), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("expire sessions: %w", err)
	}
	return int(n), nil
}

// ExpireSession closes one session as ExpireSessions would, if it is
// still unfinished and idle since before idleSince: what the participant
// service does when it finds such a session before the periodic job has,
// so that every front end agrees. It reports whether it closed it
// (false: it was not unfinished and idle, or no longer exists).
func (db *DB) ExpireSession(ctx context.Context, id string, idleSince, at time.Time) (bool, error) {
	at = db.orNow(at)
	res, err := db.wr.ExecContext(ctx, `UPDATE sessions SET status = 'expired', expired_at = ?
		WHERE id = ? AND status IN ('active', 'paused') AND updated_at < ?`, formatTime(at), id, formatTime(idleSince))
	if err != nil {
		return false, fmt.Errorf("expire session %q: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("expire session %q: %w", id, err)
	}
	return n == 1, nil
}
