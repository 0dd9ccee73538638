package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/peervoice/peervoice/audit"
)

// The audit log (migration 009): privileged actions, hash-chained by
// package audit. Record appends; nothing here changes or deletes a row,
// and the table's triggers refuse anyone who tries with SQL.

var _ audit.Recorder = (*DB)(nil)

// Record appends e to the audit log, setting its Seq, Prev and Hash (and
// At, from the store's clock, when zero). The last entry is read and the
// new one written in one write transaction, begun IMMEDIATE (conn.go):
// it holds the database's write lock from the start, so concurrent
// Records, of this process (one writer connection) or of another (the
// bot and a CLI command at once), chain one after another; and seq, the
// primary key, could not be taken twice anyway.
func (db *DB) Record(ctx context.Context, e audit.Entry) error {
	if e.Action == "" || e.Actor.Kind == "" || e.Outcome == "" {
		return fmt.Errorf("audit: record: action %q, actor kind %q, outcome %q: all three are required", e.Action, e.Actor.Kind, e.Outcome)
	}
	e.At = db.orNow(e.At)
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	defer tx.Rollback()
	var last audit.Entry
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&last.Seq, &last.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit: record %s: read the last entry: %w", e.Action, err)
	}
	e = audit.Chain(last, e)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit (seq, at, actor_kind, actor_id, actor_name, action, target, outcome, details, prev, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.Format(audit.TimeFormat), e.Actor.Kind, e.Actor.ID, e.Actor.Name, e.Action, e.Target, e.Outcome, e.Details, e.Prev, e.Hash); err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// AuditFilter chooses entries of the audit log. The zero value chooses
// them all.
type AuditFilter struct {
	// Since keeps entries at or after it; zero: from the first.
	Since time.Time
	// Action keeps entries of this action, or of its kind: "digest"
	// keeps "digest.post" and "digest.preview"; "": every action.
	Action string
	// Limit keeps the latest Limit entries chosen; 0: all of them.
	Limit int
}

const auditColumns = `seq, at, actor_kind, actor_id, actor_name, action, target, outcome, details, prev, hash`

// AuditEntries returns the entries f chooses, oldest first.
func (db *DB) AuditEntries(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	var where []string
	var args []any
	if !f.Since.IsZero() {
		where = append(where, `at >= ?`)
		args = append(args, f.Since.UTC().Format(audit.TimeFormat))
	}
	if f.Action != "" {
		where = append(where, `(action = ? OR substr(action, 1, ?) = ?)`)
		args = append(args, f.Action, len(f.Action)+1, f.Action+".")
	}
	q := `SELECT ` + auditColumns + ` FROM audit`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY seq DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []audit.Entry
	err := db.eachAudit(ctx, q, args, func(e audit.Entry) error {
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit entries: %w", err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// EachAuditEntry calls fn with every entry of the audit log in sequence
// order, one at a time, for audit verify: a log of any length is read
// without holding it in memory. It stops at fn's first error and
// returns it.
func (db *DB) EachAuditEntry(ctx context.Context, fn func(audit.Entry) error) error {
	return db.eachAudit(ctx, `SELECT `+auditColumns+` FROM audit ORDER BY seq`, nil, fn)
}

func (db *DB) eachAudit(ctx context.Context, q string, args []any, fn func(audit.Entry) error) error {
	rows, err := db.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e audit.Entry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor.Kind, &e.Actor.ID, &e.Actor.Name, &e.Action, &e.Target, &e.Outcome, &e.Details, &e.Prev, &e.Hash); err != nil {
			return err
		}
		// A time that does not parse is kept as zero: verify then
		// reports the entry as edited rather than stopping the read.
		e.At, _ = time.Parse(audit.TimeFormat, at)
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
