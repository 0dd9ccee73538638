package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// Migration 006's data step: the rows of databases made before
// participants had data keys (key version 1, encrypted with the database
// key) are re-encrypted under each participant's own key. It goes
// through the participants in id order, a batch per transaction, and
// each batch records the last participant id it finished in meta, in the
// same transaction: a run stopped at any point (kill -9, a power cut)
// resumes after the last batch committed, and re-running a batch is
// harmless, since only version 1 rows are touched. Open returns only once
// every participant is done.

const (
	// metaReencrypt names the progress in meta: the last participant id
	// whose rows are re-encrypted, or reencryptDone.
	metaReencrypt = "reencrypt_v2_after"
	reencryptDone = "done"
	// reencryptBatch is how many participants one transaction takes:
	// small enough to keep the writer's lock short, large enough that
	// a big database does not take a transaction per participant.
	reencryptBatch = 100
)

// afterReencryptBatch, when set (by tests), runs after each batch
// commits.
var afterReencryptBatch func(batch int)

// reencrypt runs the data step of migration 006 to its end.
func (db *DB) reencrypt(ctx context.Context) error {
	for batch := 1; ; batch++ {
		done, err := db.reencryptBatch(ctx)
		if err != nil {
			return fmt.Errorf("re-encrypt answers under participants' keys (migration 006, batch %d): %w", batch, err)
		}
		if done {
			db.checkpointer.request() // the old ciphertexts out of the log
			return nil
		}
		if afterReencryptBatch != nil {
			afterReencryptBatch(batch)
		}
	}
}

// reencryptBatch re-encrypts the next batch of participants and reports
// whether there were none left.
func (db *DB) reencryptBatch(ctx context.Context) (done bool, err error) {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var progress string
	err = tx.QueryRowContext(ctx, `SELECT CAST(value AS TEXT) FROM meta WHERE key = ?`, metaReencrypt).Scan(&progress)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		progress = "0"
	case err != nil:
		return false, err
	case progress == reencryptDone:
		return true, nil
	}
	after, err := strconv.ParseInt(progress, 10, 64)
	if err != nil {
		return false, fmt.Errorf("progress %q in meta: %w", progress, err)
	}
	pids, err := nextParticipants(ctx, tx, after)
	if err != nil {
		return false, err
	}
	keys, made, err := db.batchKeys(ctx, pids)
	if err != nil {
		return false, err
	}
	for i, pid := range pids {
		if err := db.reencryptParticipant(ctx, tx, pid, keys[i]); err != nil {
			return false, fmt.Errorf("participant %d: %w", pid, err)
		}
	}
	progress = reencryptDone
	if len(pids) > 0 {
		progress = strconv.FormatInt(pids[len(pids)-1], 10)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, metaReencrypt, []byte(progress)); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	db.doneKeys(ctx, made...)
	return len(pids) == 0, nil
}

// batchKeys returns the data keys of the participants pids, making and
// committing to the keyring, in one transaction, those they do not have
// yet, before any row is encrypted with them. made lists the
// participants whose keys it made. The caller holds the database's write
// lock.
func (db *DB) batchKeys(ctx context.Context, pids []int64) (keys []cipher.AEAD, made []int64, err error) {
	var fresh []newKey
	for _, pid := range pids {
		wrapped, err := db.ring.wrappedKey(ctx, pid)
		if err != nil {
			return nil, nil, fmt.Errorf("data key of participant %d: %w", pid, err)
		}
		var dk cipher.AEAD
		if wrapped == nil {
			if dk, wrapped, err = db.keys.newDataKey(pid); err != nil {
				return nil, nil, err
			}
			fresh = append(fresh, newKey{pid, wrapped})
			made = append(made, pid)
		} else if dk, err = db.keys.unwrap(pid, wrapped); err != nil {
			return nil, nil, err
		}
		keys = append(keys, dk)
	}
	if len(fresh) > 0 {
		if err := db.ring.storeKeys(ctx, fresh, formatTime(db.now())); err != nil {
			return nil, nil, fmt.Errorf("store data keys: %w", err)
		}
	}
	return keys, made, nil
}

// nextParticipants lists the ids of the next batch after after.
func nextParticipants(ctx context.Context, tx *sql.Tx, after int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM participants WHERE id > ? ORDER BY id LIMIT ?`, after, reencryptBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// reencryptParticipant re-encrypts a participant's version 1 rows with
// their data key dk. A row the database key cannot decrypt (damaged
// already) is left as it is, to be reported unreadable as before.
func (db *DB) reencryptParticipant(ctx context.Context, tx *sql.Tx, pid int64, dk cipher.AEAD) error {
	sessions := resealQuery{
		sel:    `SELECT id, '', state FROM sessions WHERE participant_id = ? AND key_version = 1`,
		ad:     func(id, _ string) string { return stateAD(id) },
		update: `UPDATE sessions SET state = ?, key_version = 2 WHERE id = ? AND ? = '' AND key_version = 1`,
	}
	if err := db.reseal(ctx, tx, dk, pid, sessions); err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	answers := resealQuery{
		sel: `SELECT a.session_id, a.question_id, a.text FROM answers a JOIN sessions s ON s.id = a.session_id
			WHERE s.participant_id = ? AND a.key_version = 1 AND a.text IS NOT NULL`,
		ad:     textAD,
		update: `UPDATE answers SET text = ?, key_version = 2 WHERE session_id = ? AND question_id = ? AND key_version = 1`,
	}
	if err := db.reseal(ctx, tx, dk, pid, answers); err != nil {
		return fmt.Errorf("answers: %w", err)
	}
	// Answers without text hold nothing encrypted: only their version.
	_, err := tx.ExecContext(ctx, `UPDATE answers SET key_version = 2 WHERE key_version = 1 AND text IS NULL
		AND session_id IN (SELECT id FROM sessions WHERE participant_id = ?)`, pid)
	return err
}

// resealQuery selects a participant's version 1 rows of one table (two
// key columns, the second empty when there is only one, then the
// ciphertext) and updates one (new ciphertext, then the two keys); ad is
// the row's additional data.
type resealQuery struct {
	sel, update string
	ad          func(key1, key2 string) string
}

// reseal re-encrypts the rows q selects under dk.
func (db *DB) reseal(ctx context.Context, tx *sql.Tx, dk cipher.AEAD, pid int64, q resealQuery) error {
	type row struct {
		key1, key2 string
		sealed     []byte
	}
	rows, err := tx.QueryContext(ctx, q.sel, pid)
	if err != nil {
		return err
	}
	var todo []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.key1, &r.key2, &r.sealed); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, r := range todo {
		ad := q.ad(r.key1, r.key2)
		plain, err := db.keys.open(keyVersionDatabase, nil, ad, r.sealed)
		if err != nil {
			continue // damaged already: left to read as unreadable
		}
		sealed := seal(dk, ad, plain)
		clear(plain)
		if _, err := tx.ExecContext(ctx, q.update, sealed, r.key1, r.key2); err != nil {
			return err
		}
	}
	return nil
}
