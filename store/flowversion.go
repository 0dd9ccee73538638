package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// FlowVersion is one immutable version of a flow's source, named by its
// hash. Sessions and answers refer to the version they were made with.
type FlowVersion struct {
	// Hash names the version; the flows package computes it from Source.
	Hash string
	// FlowID is the flow this is a version of.
	FlowID string
	// Source is the flow file exactly as loaded.
	Source []byte
	// CreatedAt is when the version was first saved; zero means now.
	CreatedAt time.Time
}

// SaveFlowVersion stores v. Saving the same hash with the same flow and
// source again does nothing; the same hash with a different flow or source
// is an error, because a stored version is never updated.
func (db *DB) SaveFlowVersion(ctx context.Context, v FlowVersion) error {
	if v.Hash == "" || v.FlowID == "" || len(v.Source) == 0 {
		return fmt.Errorf("save flow version: hash %q, flow %q, %d bytes of source: all three are required", v.Hash, v.FlowID, len(v.Source))
	}
	v.CreatedAt = db.orNow(v.CreatedAt)
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save flow version: %w", err)
	}
	defer tx.Rollback()
	if err := insertFlowVersion(ctx, tx, v); err != nil {
		return fmt.Errorf("save flow version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save flow version: %w", err)
	}
	return nil
}

// FlowVersion returns the flow version with this hash, or ErrNotFound.
func (db *DB) FlowVersion(ctx context.Context, hash string) (FlowVersion, error) {
	tx, err := db.rd.BeginTx(ctx, nil)
	if err != nil {
		return FlowVersion{}, fmt.Errorf("flow version: %w", err)
	}
	defer tx.Rollback()
	v, err := findFlowVersion(ctx, tx, hash)
	if err != nil {
		return FlowVersion{}, fmt.Errorf("flow version %s: %w", hash, err)
	}
	return v, nil
}

// insertFlowVersion inserts v, or checks that the stored version with its
// hash is identical.
func insertFlowVersion(ctx context.Context, tx *sql.Tx, v FlowVersion) error {
	old, err := findFlowVersion(ctx, tx, v.Hash)
	switch {
	case errors.Is(err, ErrNotFound):
		_, err := tx.ExecContext(ctx, `INSERT INTO flow_versions (hash, flow_id, source, created_at) VALUES (?, ?, ?, ?)`,
			v.Hash, v.FlowID, v.Source, formatTime(v.CreatedAt))
		return err
	case err != nil:
		return err
	case old.FlowID != v.FlowID || !bytes.Equal(old.Source, v.Source):
		return fmt.Errorf("flow version %s is already stored for flow %q with different source; stored versions never change, so a changed flow needs a new hash",
			v.Hash, old.FlowID)
	}
	return nil
}

// findFlowVersion loads the flow version with this hash.
func findFlowVersion(ctx context.Context, tx *sql.Tx, hash string) (FlowVersion, error) {
	var v FlowVersion
	var created string
	err := tx.QueryRowContext(ctx, `SELECT hash, flow_id, source, created_at FROM flow_versions WHERE hash = ?`,
		hash).Scan(&v.Hash, &v.FlowID, &v.Source, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return FlowVersion{}, ErrNotFound
	} else if err != nil {
		return FlowVersion{}, err
	}
	if v.CreatedAt, err = parseTime(created); err != nil {
		return FlowVersion{}, err
	}
	return v, nil
}
