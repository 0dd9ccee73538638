package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The keys in the keyring file (keyringfile.go): reading, writing with
// their pending marks, settling what a crash left half done, and moving
// the keys of databases made before the keyring out of the database.

// Test hooks, set by tests to stop (kill) a process between the halves
// of a change.
var (
	// afterKeyStored runs once a new key is committed to the keyring,
	// before its participant's row is.
	afterKeyStored func(pid int64)
	// afterKeyShredded runs once a withdrawn participant's key is
	// deleted from the keyring, before their rows are.
	afterKeyShredded func(pid int64)
	// afterKeysCopied runs once the keys of a database's own
	// participant_keys table are committed to the keyring, before the
	// table is dropped.
	afterKeysCopied func()
)

// wrappedKey returns participant pid's wrapped key, or nil when there is
// none.
func (r *keyringDB) wrappedKey(ctx context.Context, pid int64) ([]byte, error) {
	var wrapped []byte
	err := r.rd.QueryRowContext(ctx, `SELECT wrapped FROM participant_keys WHERE participant_id = ?`, pid).Scan(&wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return wrapped, err
}

// newKey is a wrapped key to store.
type newKey struct {
	pid     int64
	wrapped []byte
}

// storeKeys commits new wrapped keys, in one transaction, each marked
// pending until its participant's row is committed too (done). The
// caller holds the database's write lock. A key there already is kept.
func (r *keyringDB) storeKeys(ctx context.Context, keys []newKey, created string) error {
	tx, err := r.wr.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, k := range keys {
		res, err := tx.ExecContext(ctx, `INSERT INTO participant_keys (participant_id, wrapped, created_at) VALUES (?, ?, ?)
			ON CONFLICT (participant_id) DO NOTHING`, k.pid, k.wrapped, created)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO pending (participant_id, action) VALUES (?, ?)
				ON CONFLICT (participant_id) DO NOTHING`, k.pid, pendingCreate); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// shredKey deletes participant pid's key, durably, and marks their
// withdrawal pending until their rows are deleted too. The caller holds
// the database's write lock.
func (r *keyringDB) shredKey(ctx context.Context, pid int64) error {
	tx, err := r.wr.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO pending (participant_id, action) VALUES (?, ?)
		ON CONFLICT (participant_id) DO UPDATE SET action = excluded.action`, pid, pendingWithdraw); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM participant_keys WHERE participant_id = ?`, pid); err != nil {
		return err
	}
	return tx.Commit()
}

// done unmarks the pending change of the participants pids, once its
// second half, in the database, is committed. Failing to is harmless:
// settle unmarks it at the next Open.
func (r *keyringDB) done(ctx context.Context, pids ...int64) error {
	tx, err := r.wr.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, pid := range pids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending WHERE participant_id = ?`, pid); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// settle finishes, at Open, what a crash left half done between the
// keyring and the database: a key made for a participant whose row was
// never committed is deleted (it encrypted nothing kept); a withdrawal
// whose rows were not deleted yet is finished (they were unreadable
// already). It holds the database's write lock throughout, so another
// process's change in progress is not mistaken for one left by a crash.
func (db *DB) settle(ctx context.Context) error {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	type mark struct {
		pid    int64
		action string
	}
	var marks []mark
	rows, err := db.ring.rd.QueryContext(ctx, `SELECT participant_id, action FROM pending ORDER BY participant_id`)
	if err != nil {
		return fmt.Errorf("read the keyring's pending changes: %w", err)
	}
	for rows.Next() {
		var m mark
		if err := rows.Scan(&m.pid, &m.action); err != nil {
			rows.Close()
			return err
		}
		marks = append(marks, m)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if len(marks) == 0 {
		return nil
	}
	var pids []int64
	for _, m := range marks {
		exists := participantExists(ctx, tx, m.pid)
		switch {
		case exists != nil && !errors.Is(exists, ErrNotFound):
			return exists
		case m.action == pendingCreate && exists != nil:
			if _, err := db.ring.wr.ExecContext(ctx, `DELETE FROM participant_keys WHERE participant_id = ?`, m.pid); err != nil {
				return fmt.Errorf("delete the key of participant %d, never stored: %w", m.pid, err)
			}
		case m.action == pendingWithdraw && exists == nil:
			if err := deleteParticipant(ctx, tx, m.pid); err != nil {
				return fmt.Errorf("finish the withdrawal of participant %d: %w", m.pid, err)
			}
		}
		pids = append(pids, m.pid)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	db.checkpointer.request()
	return db.ring.done(ctx, pids...)
}

// moveKeys moves the wrapped keys of a database made before the keyring
// (migration 006's participant_keys table) into the keyring, and drops
// the table. It holds the database's write lock; the keys are committed
// to the keyring before the table is dropped, so a run stopped anywhere
// resumes by copying them again (a key there already is kept, and it is
// the same key) and dropping the table. secure_delete zeroes the freed
// pages of the table, and the checkpoint requested after takes the old
// pages out of the log, so the database's files then hold no key.
func (db *DB) moveKeys(ctx context.Context) error {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var has bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'participant_keys')`).Scan(&has); err != nil {
		return err
	}
	if !has {
		return nil
	}
	ktx, err := db.ring.wr.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer ktx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT participant_id, wrapped, created_at FROM participant_keys`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var pid int64
		var wrapped []byte
		var created string
		if err := rows.Scan(&pid, &wrapped, &created); err != nil {
			rows.Close()
			return err
		}
		if _, err := ktx.ExecContext(ctx, `INSERT INTO participant_keys (participant_id, wrapped, created_at) VALUES (?, ?, ?)
			ON CONFLICT (participant_id) DO NOTHING`, pid, wrapped, created); err != nil {
			rows.Close()
			return fmt.Errorf("copy the key of participant %d: %w", pid, err)
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := ktx.Commit(); err != nil {
		return fmt.Errorf("commit the keys to the keyring: %w", err)
	}
	if afterKeysCopied != nil {
		afterKeysCopied()
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE participant_keys`); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	db.checkpointer.request() // the table's old pages out of the log
	return nil
}
