package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DefaultRetentionBatch is how many answers one retention transaction
// changes at most: small enough that the write lock is held for a few
// milliseconds, so participants' answers are not held up while years of
// rows are deleted.
const DefaultRetentionBatch = 500

// RetainedState is the state a session is left with once retention has
// deleted words or answers of it: an empty JSON object, since the state
// held copies of its answers. Such a session is finished or closed, and
// never carried on.
var RetainedState = []byte("{}")

// RetentionPolicy says what ApplyRetention deletes.
type RetentionPolicy struct {
	// FreeTextBefore: the words of free-text answers given before this
	// are deleted (the answer row stays, without its text). Zero: kept.
	FreeTextBefore time.Time
	// AnswersBefore: whole answers given before this are deleted, and
	// the sessions left with no answer. Zero: kept.
	AnswersBefore time.Time
	// Batch is the most answers changed in one transaction; 0 means
	// DefaultRetentionBatch.
	Batch int
	// DryRun counts what would be deleted and changes nothing.
	DryRun bool
}

// RetentionCounts is what a retention run deleted, or would delete.
type RetentionCounts struct {
	// FreeText counts the answers whose words were deleted (answers
	// deleted whole are counted in Answers only).
	FreeText int `json:"free_text"`
	// Answers counts the answers deleted whole.
	Answers int `json:"answers"`
	// Sessions counts the sessions deleted because no answer of theirs
	// was left.
	Sessions int `json:"sessions"`
	// Batches is how many transactions the run took (0 in a dry run).
	Batches int `json:"batches"`
}

// Deleted reports whether anything was (or would be) deleted.
func (c RetentionCounts) Deleted() bool { return c.FreeText+c.Answers+c.Sessions > 0 }

// ApplyRetention deletes, in transactions of at most p.Batch answers
// each, the words of free-text answers given before p.FreeTextBefore and
// then whole answers given before p.AnswersBefore, with the sessions
// they leave empty. A session whose answers are touched has its state
// (which holds copies of them) replaced by RetainedState, and, were it
// still under way, is closed as a partial response: its words are gone.
// The connection has secure_delete on, so the freed bytes are zeroed;
// once done it checkpoints the write-ahead log (as Withdraw does), so no
// copy of the deleted ciphertexts is left in the database's files once
// the readers of older snapshots have moved on. An error stops the run
// where it is: the batches before it are committed, and running it again
// carries on.
func (db *DB) ApplyRetention(ctx context.Context, p RetentionPolicy) (RetentionCounts, error) {
	if p.Batch <= 0 {
		p.Batch = DefaultRetentionBatch
	}
	if p.DryRun {
		return db.countRetention(ctx, p)
	}
	var c RetentionCounts
	defer func() {
		if c.Batches > 0 {
			db.checkpointer.now()
		}
	}()
	if !p.FreeTextBefore.IsZero() {
		where := `text IS NOT NULL AND answered_at < ?`
		args := []any{formatTime(p.FreeTextBefore)}
		if !p.AnswersBefore.IsZero() {
			// Those are deleted whole next: not counted twice.
			where += ` AND answered_at >= ?`
			args = append(args, formatTime(p.AnswersBefore))
		}
		for {
			n, err := db.retentionBatch(ctx, p.Batch, where, args, false, &c)
			if err != nil {
				return c, fmt.Errorf("retention: delete free text given before %s: %w", formatTime(p.FreeTextBefore), err)
			}
			c.FreeText += n
			if n < p.Batch {
				break
			}
		}
	}
	if !p.AnswersBefore.IsZero() {
		for {
			n, err := db.retentionBatch(ctx, p.Batch, `answered_at < ?`, []any{formatTime(p.AnswersBefore)}, true, &c)
			if err != nil {
				return c, fmt.Errorf("retention: delete answers given before %s: %w", formatTime(p.AnswersBefore), err)
			}
			c.Answers += n
			if n < p.Batch {
				break
			}
		}
	}
	return c, nil
}

// retentionBatch deletes the text (or, whole, the rows) of at most batch
// answers matching where, in one transaction, and settles their
// sessions. It returns how many answers it changed.
func (db *DB) retentionBatch(ctx context.Context, batch int, where string, args []any, whole bool, c *RetentionCounts) (int, error) {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT rowid, session_id FROM answers WHERE `+where+` LIMIT ?`, append(args, batch)...)
	if err != nil {
		return 0, err
	}
	var ids []int64
	sessions := map[string]bool{}
	for rows.Next() {
		var id int64
		var sid string
		if err := rows.Scan(&id, &sid); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
		sessions[sid] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	q := `UPDATE answers SET text = NULL WHERE rowid = ?`
	if whole {
		q = `DELETE FROM answers WHERE rowid = ?`
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return 0, err
		}
	}
	kr := db.keyReader()
	for sid := range sessions {
		gone, err := db.settleSession(ctx, tx, kr, sid)
		if err != nil {
			return 0, fmt.Errorf("session %q: %w", sid, err)
		}
		if gone {
			c.Sessions++
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	c.Batches++
	return len(ids), nil
}

// settleSession deletes a session retention left with no answer, or else
// replaces its state by RetainedState, closing it as a partial response
// if it was under way. It reports whether it deleted it.
func (db *DB) settleSession(ctx context.Context, tx *sql.Tx, kr *keyReader, sid string) (bool, error) {
	var left int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM answers WHERE session_id = ?`, sid).Scan(&left); err != nil {
		return false, err
	}
	if left == 0 {
		if err := deleteSession(ctx, tx, sid); err != nil {
			return false, err
		}
		return true, nil
	}
	var pid int64
	if err := tx.QueryRowContext(ctx, `SELECT participant_id FROM sessions WHERE id = ?`, sid).Scan(&pid); err != nil {
		return false, err
	}
	dk, err := kr.key(ctx, pid)
	if err != nil {
		return false, err
	}
	// Without a readable key the old state could not be read either: an
	// empty one reads as unreadable, as it did.
	var state []byte
	if dk != nil {
		state = seal(dk, stateAD(sid), RetainedState)
	} else {
		state = []byte{}
	}
	now := formatTime(db.now())
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET state = ?, key_version = ?,
			status = CASE WHEN status IN ('active', 'paused') THEN 'expired' ELSE status END,
			expired_at = CASE WHEN status IN ('active', 'paused') THEN ? ELSE expired_at END
		WHERE id = ?`, state, keyVersion, now, sid); err != nil {
		return false, err
	}
	return false, nil
}

// countRetention counts what ApplyRetention would delete, in one read
// transaction.
func (db *DB) countRetention(ctx context.Context, p RetentionPolicy) (RetentionCounts, error) {
	var c RetentionCounts
	tx, err := db.rd.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return c, fmt.Errorf("retention: %w", err)
	}
	defer tx.Rollback()
	// An empty bound counts nothing: no stored time sorts below it.
	ft, ans := "", ""
	if !p.FreeTextBefore.IsZero() {
		ft = formatTime(p.FreeTextBefore)
	}
	if !p.AnswersBefore.IsZero() {
		ans = formatTime(p.AnswersBefore)
	}
	err = tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM answers WHERE text IS NOT NULL AND answered_at < ?1 AND answered_at >= ?2),
		(SELECT COUNT(*) FROM answers WHERE answered_at < ?2),
		(SELECT COUNT(*) FROM (SELECT session_id FROM answers GROUP BY session_id HAVING MAX(answered_at) < ?2))`,
		ft, ans).Scan(&c.FreeText, &c.Answers, &c.Sessions)
	if err != nil {
		return c, fmt.Errorf("retention: count: %w", err)
	}
	return c, nil
}
