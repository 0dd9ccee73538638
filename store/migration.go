package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// migrationFS holds the schema migrations, applied in name order.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migrate applies the embedded migrations in name order, each in its own
// transaction, recording each in the migrations table, and sets the
// file's application id.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", path.Base(name), err)
		}
	}
	// The keys go to the keyring: its id is recorded first, then those
	// of a database made before the keyring are moved there, then rows
	// made before migration 006 get keys.
	if err := db.bindKeyring(ctx); err != nil {
		return err
	}
	if err := db.moveKeys(ctx); err != nil {
		return fmt.Errorf("move the participants' keys to the keyring %s: %w", db.keyringFile, err)
	}
	if err := db.reencrypt(ctx); err != nil {
		return err
	}
	// Mark the file as PeerVoice's, so that Open can tell it from another
	// program's database by its header alone.
	var id int64
	if err := db.wr.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&id); err != nil {
		return fmt.Errorf("read application_id: %w", err)
	}
	if id != applicationID {
		if _, err := db.wr.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, applicationID)); err != nil {
			return fmt.Errorf("set application_id: %w", err)
		}
	}
	return nil
}

// migrateFile applies one migration unless it is already recorded.
func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The migrations table is made in the same transaction as the first
	// migration: another process opening a new database at this moment
	// (identify) sees either no tables or 001 recorded, never a bare
	// migrations table that looks like another program's.
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		name       TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, path.Base(name)).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	buf, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(buf)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`,
		path.Base(name), formatTime(db.now())); err != nil {
		return err
	}
	return tx.Commit()
}
