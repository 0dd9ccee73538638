package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PostStatus is where a claimed occurrence stands.
type PostStatus string

// The statuses of a Post.
const (
	// PostPending: claimed, not yet known to be posted; retried.
	PostPending PostStatus = "pending"
	// PostPosted: the message is in the channel.
	PostPosted PostStatus = "posted"
	// PostMissed: given up, too late to post.
	PostMissed PostStatus = "missed"
)

// Post is the claim on one occurrence of a schedule, and what became of
// it. (ScheduleID, Occurrence) is unique: whoever inserts it first posts.
type Post struct {
	ScheduleID string    // a config id, or a stored Schedule's Key
	Occurrence time.Time // the scheduled time
	// Nonce is sent with every attempt, with enforce_nonce, so that
	// Discord returns the message an earlier attempt created (by a process
	// that crashed before recording it) rather than posting again.
	Nonce     string
	Status    PostStatus
	ClaimedAt time.Time // zero means now
	Attempts  int       // failed attempts so far
	LastError string    // why the last attempt failed
	ChannelID string    // where it was posted
	MessageID string
	PostedAt  time.Time // zero unless posted

	// LastAttemptAt is when the last failed attempt was made; zero if
	// none was, or it was recorded before the database knew (migration 007).
	LastAttemptAt time.Time
}

// ClaimPost inserts p as pending, in one transaction, and reports whether
// this call claimed it: false means someone already had, whatever its
// status. Only the claimer posts, so an occurrence is posted once by
// however many bot processes.
func (db *DB) ClaimPost(ctx context.Context, p Post) (bool, error) {
	if p.ScheduleID == "" || p.Occurrence.IsZero() || p.Nonce == "" {
		return false, fmt.Errorf("claim post: schedule %q, occurrence %v, nonce %q: all three are required", p.ScheduleID, p.Occurrence, p.Nonce)
	}
	p.ClaimedAt = db.orNow(p.ClaimedAt)
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("claim post: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO posts (schedule_id, occurrence, nonce, status, claimed_at)
		VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (schedule_id, occurrence) DO NOTHING`,
		p.ScheduleID, formatTime(p.Occurrence), p.Nonce, formatTime(p.ClaimedAt))
	if err != nil {
		return false, fmt.Errorf("claim post %s at %s: %w", p.ScheduleID, formatTime(p.Occurrence), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim post: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("claim post: %w", err)
	}
	return n == 1, nil
}

// PendingPosts returns the schedules' claims not yet posted nor given up,
// oldest first: posts that failed, or whose process stopped before
// recording them. The bot's own posts (digests) are not among them; see
// PendingDigestPosts.
func (db *DB) PendingPosts(ctx context.Context) ([]Post, error) {
	return db.posts(ctx, "pending posts", `WHERE status = 'pending' AND schedule_id NOT LIKE '@%' ORDER BY occurrence, schedule_id`)
}

// Posts returns every claim of a schedule, oldest first.
func (db *DB) Posts(ctx context.Context, scheduleID string) ([]Post, error) {
	return db.posts(ctx, "posts of "+scheduleID, `WHERE schedule_id = ? ORDER BY occurrence`, scheduleID)
}

// PostDone records that the occurrence's message was posted. A post given
// up as missed by another process is recorded as posted all the same,
// because it is; one already posted keeps its first message.
func (db *DB) PostDone(ctx context.Context, scheduleID string, occurrence time.Time, channelID, messageID string, at time.Time) error {
	return db.updatePost(ctx, "record post", scheduleID, occurrence,
		`UPDATE posts SET status = 'posted', channel_id = ?, message_id = ?, posted_at = ?
		 WHERE schedule_id = ? AND occurrence = ? AND status != 'posted'`,
		channelID, messageID, formatTime(db.orNow(at)))
}

// PostFailed counts a failed attempt at a pending post, made at at (zero:
// now), and why; it stays pending, to be retried.
func (db *DB) PostFailed(ctx context.Context, scheduleID string, occurrence time.Time, reason string, at time.Time) error {
	return db.updatePost(ctx, "record failed post", scheduleID, occurrence,
		`UPDATE posts SET attempts = attempts + 1, last_error = ?, last_attempt_at = ?
		 WHERE schedule_id = ? AND occurrence = ? AND status = 'pending'`, reason, formatTime(db.orNow(at)))
}

// PostMissed gives up a pending post: it is too late, or its schedule is
// gone.
func (db *DB) PostMissed(ctx context.Context, scheduleID string, occurrence time.Time, reason string) error {
	return db.updatePost(ctx, "record missed post", scheduleID, occurrence,
		`UPDATE posts SET status = 'missed', last_error = ?
		 WHERE schedule_id = ? AND occurrence = ? AND status = 'pending'`, reason)
}

// updatePost runs one UPDATE on a post in its own transaction; args come
// before the post's key. A post in another state is left as it is; an
// unknown post is ErrNotFound.
func (db *DB) updatePost(ctx context.Context, what, scheduleID string, occurrence time.Time, query string, args ...any) error {
	occ := formatTime(occurrence)
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, query, append(args, scheduleID, occ)...); err != nil {
		return fmt.Errorf("%s %s at %s: %w", what, scheduleID, occ, err)
	}
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM posts WHERE schedule_id = ? AND occurrence = ?`, scheduleID, occ).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %s at %s: %w", what, scheduleID, occ, ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("%s %s at %s: %w", what, scheduleID, occ, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// posts lists posts matching where.
func (db *DB) posts(ctx context.Context, what, where string, args ...any) ([]Post, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT schedule_id, occurrence, nonce, status, claimed_at, attempts, last_error,
		COALESCE(channel_id, ''), COALESCE(message_id, ''), COALESCE(posted_at, ''), COALESCE(last_attempt_at, '') FROM posts `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		var p Post
		var occ, claimed, posted, attempted string
		if err := rows.Scan(&p.ScheduleID, &occ, &p.Nonce, &p.Status, &claimed, &p.Attempts, &p.LastError,
			&p.ChannelID, &p.MessageID, &posted, &attempted); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if p.Occurrence, err = parseTime(occ); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if p.ClaimedAt, err = parseTime(claimed); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if posted != "" {
			if p.PostedAt, err = parseTime(posted); err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
		}
		if attempted != "" {
			if p.LastAttemptAt, err = parseTime(attempted); err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
