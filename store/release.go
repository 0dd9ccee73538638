package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// FlowRelease is one published version of a flow: its number, the flow
// version (hash and source) it names, and who published it.
type FlowRelease struct {
	FlowID string
	N      int // 1, 2, …; given by AddRelease
	Hash   string
	Source []byte
	// CreatedAt is when it was published; zero means now.
	CreatedAt time.Time
	// Actor is who published it: a staff member, the operator or the
	// flows folder, never a participant.
	ActorKind, ActorID, ActorName string
	Summary                       string
}

// FlowState is which version of a flow is live, and whether it is closed.
type FlowState struct {
	FlowID string
	Live   int // the live version's number
	Closed bool
}

// FlowDraft is a flow's version awaiting publication.
type FlowDraft struct {
	FlowID                        string
	Hash                          string
	Source                        []byte
	CreatedAt                     time.Time // zero means now
	ActorKind, ActorID, ActorName string
}

// ReleaseTx is one transaction over the flows' releases, drafts and seed
// imports. The release package composes its steps in one, so a version's
// number, its summary (computed against the live version read in the same
// transaction) and the live pointer cannot disagree, whichever process
// (the bot, or peervoice flows at a shell) writes.
type ReleaseTx struct {
	ctx context.Context
	tx  *sql.Tx
	db  *DB
}

// UpdateReleases runs fn in a write transaction, committed when fn
// returns nil and rolled back otherwise.
func (db *DB) UpdateReleases(ctx context.Context, fn func(*ReleaseTx) error) error {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update flow releases: %w", err)
	}
	defer tx.Rollback()
	if err := fn(&ReleaseTx{ctx: ctx, tx: tx, db: db}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update flow releases: %w", err)
	}
	return nil
}

// ViewReleases runs fn in a read-only transaction.
func (db *DB) ViewReleases(ctx context.Context, fn func(*ReleaseTx) error) error {
	tx, err := db.rd.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("read flow releases: %w", err)
	}
	defer tx.Rollback()
	return fn(&ReleaseTx{ctx: ctx, tx: tx, db: db})
}

// States returns every flow that has a live version, by flow id.
func (t *ReleaseTx) States() ([]FlowState, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT flow_id, live, closed FROM flow_states ORDER BY flow_id`)
	if err != nil {
		return nil, fmt.Errorf("flow states: %w", err)
	}
	defer rows.Close()
	var out []FlowState
	for rows.Next() {
		var s FlowState
		if err := rows.Scan(&s.FlowID, &s.Live, &s.Closed); err != nil {
			return nil, fmt.Errorf("flow states: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// State returns the state of flowID, or ErrNotFound when it has never
// been published.
func (t *ReleaseTx) State(flowID string) (FlowState, error) {
	s := FlowState{FlowID: flowID}
	err := t.tx.QueryRowContext(t.ctx, `SELECT live, closed FROM flow_states WHERE flow_id = ?`, flowID).Scan(&s.Live, &s.Closed)
	if errors.Is(err, sql.ErrNoRows) {
		return FlowState{}, fmt.Errorf("flow %q: %w", flowID, ErrNotFound)
	} else if err != nil {
		return FlowState{}, fmt.Errorf("flow %q state: %w", flowID, err)
	}
	return s, nil
}

const releaseCols = `r.flow_id, r.n, r.hash, v.source, r.created_at, r.actor_kind, r.actor_id, r.actor_name, r.summary
	FROM flow_releases r JOIN flow_versions v ON v.hash = r.hash AND v.flow_id = r.flow_id`

// Release returns version n of flowID, or ErrNotFound.
func (t *ReleaseTx) Release(flowID string, n int) (FlowRelease, error) {
	rs, err := t.releases(`WHERE r.flow_id = ? AND r.n = ?`, flowID, n)
	if err != nil {
		return FlowRelease{}, err
	}
	if len(rs) == 0 {
		return FlowRelease{}, fmt.Errorf("flow %q version %d: %w", flowID, n, ErrNotFound)
	}
	return rs[0], nil
}

// Releases returns every version of flowID, oldest first.
func (t *ReleaseTx) Releases(flowID string) ([]FlowRelease, error) {
	return t.releases(`WHERE r.flow_id = ? ORDER BY r.n`, flowID)
}

func (t *ReleaseTx) releases(where string, args ...any) ([]FlowRelease, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+releaseCols+` `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("flow releases: %w", err)
	}
	defer rows.Close()
	var out []FlowRelease
	for rows.Next() {
		var r FlowRelease
		var at string
		if err := rows.Scan(&r.FlowID, &r.N, &r.Hash, &r.Source, &at, &r.ActorKind, &r.ActorID, &r.ActorName, &r.Summary); err != nil {
			return nil, fmt.Errorf("flow releases: %w", err)
		}
		if r.CreatedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("flow releases: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddRelease publishes r as the next version of its flow and makes it
// live (a closed flow stays closed). It stores the flow version too, so
// sessions can start on it. It returns r with its number and time.
func (t *ReleaseTx) AddRelease(r FlowRelease) (FlowRelease, error) {
	if r.FlowID == "" || r.Hash == "" || len(r.Source) == 0 || r.ActorKind == "" {
		return FlowRelease{}, fmt.Errorf("add flow release: flow %q, hash %q, %d bytes, actor %q: all are required", r.FlowID, r.Hash, len(r.Source), r.ActorKind)
	}
	r.CreatedAt = t.db.orNow(r.CreatedAt)
	if err := insertFlowVersion(t.ctx, t.tx, FlowVersion{Hash: r.Hash, FlowID: r.FlowID, Source: r.Source, CreatedAt: r.CreatedAt}); err != nil {
		return FlowRelease{}, fmt.Errorf("add flow release %s: %w", r.FlowID, err)
	}
	if err := t.tx.QueryRowContext(t.ctx, `SELECT COALESCE(MAX(n), 0) + 1 FROM flow_releases WHERE flow_id = ?`, r.FlowID).Scan(&r.N); err != nil {
		return FlowRelease{}, fmt.Errorf("add flow release %s: %w", r.FlowID, err)
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO flow_releases (flow_id, n, hash, created_at, actor_kind, actor_id, actor_name, summary)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.FlowID, r.N, r.Hash, formatTime(r.CreatedAt), r.ActorKind, r.ActorID, r.ActorName, r.Summary); err != nil {
		return FlowRelease{}, fmt.Errorf("add flow release %s v%d: %w", r.FlowID, r.N, err)
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO flow_states (flow_id, live, closed) VALUES (?, ?, 0)
		ON CONFLICT (flow_id) DO UPDATE SET live = excluded.live`, r.FlowID, r.N); err != nil {
		return FlowRelease{}, fmt.Errorf("make flow %s v%d live: %w", r.FlowID, r.N, err)
	}
	return r, nil
}

// SetClosed closes or reopens flowID; ErrNotFound when it has never been
// published.
func (t *ReleaseTx) SetClosed(flowID string, closed bool) error {
	res, err := t.tx.ExecContext(t.ctx, `UPDATE flow_states SET closed = ? WHERE flow_id = ?`, closed, flowID)
	if err != nil {
		return fmt.Errorf("close flow %s: %w", flowID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("close flow %s: %w", flowID, err)
	} else if n == 0 {
		return fmt.Errorf("flow %q: %w", flowID, ErrNotFound)
	}
	return nil
}
