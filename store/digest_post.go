package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// digestPostPrefix starts the claim key of a digest's post. A key that
// starts with '@' is never a schedule's (003_digest_posts.sql).
const digestPostPrefix = "@digest/"

// DigestPostKey is the key under which the digest of a period (such as
// "2026-W47") is claimed with ClaimPost: one claim a period, whoever
// posts it.
func DigestPostKey(period string) string { return digestPostPrefix + period }

// DigestPeriod returns the period a digest post's key names, and false
// for a key that is not a digest's.
func DigestPeriod(key string) (string, bool) {
	return strings.CutPrefix(key, digestPostPrefix)
}

// PostMessage is one message of a claimed post that takes several
// (a digest): recorded as soon as Discord has it.
type PostMessage struct {
	Index     int // from 0
	ChannelID string
	MessageID string
	PostedAt  time.Time
}

// PendingDigestPosts returns the digests claimed but not yet posted,
// oldest first: they failed (no channel, no permission) or their process
// stopped halfway. They are retried until posted: a digest is never
// given up, as it is built again from the store.
func (db *DB) PendingDigestPosts(ctx context.Context) ([]Post, error) {
	return db.posts(ctx, "pending digest posts", `WHERE status = 'pending' AND schedule_id LIKE ? ORDER BY occurrence, schedule_id`, digestPostPrefix+"%")
}

// AddPostMessage records message index of a claimed post. Recording the
// same index again keeps the first record: a retry whose nonce got the
// same message back changes nothing.
func (db *DB) AddPostMessage(ctx context.Context, scheduleID string, occurrence time.Time, m PostMessage) error {
	if m.ChannelID == "" || m.MessageID == "" || m.Index < 0 {
		return fmt.Errorf("record post message: channel %q, message %q, index %d: channel and message are required", m.ChannelID, m.MessageID, m.Index)
	}
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record post message: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO post_messages (schedule_id, occurrence, idx, channel_id, message_id, posted_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (schedule_id, occurrence, idx) DO NOTHING`,
		scheduleID, formatTime(occurrence), m.Index, m.ChannelID, m.MessageID, formatTime(db.orNow(m.PostedAt))); err != nil {
		return fmt.Errorf("record message %d of post %s at %s: %w", m.Index, scheduleID, formatTime(occurrence), err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record post message: %w", err)
	}
	return nil
}

// PostMessages returns the messages recorded for a claimed post, in
// order.
func (db *DB) PostMessages(ctx context.Context, scheduleID string, occurrence time.Time) ([]PostMessage, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT idx, channel_id, message_id, posted_at FROM post_messages
		WHERE schedule_id = ? AND occurrence = ? ORDER BY idx`, scheduleID, formatTime(occurrence))
	if err != nil {
		return nil, fmt.Errorf("messages of post %s: %w", scheduleID, err)
	}
	defer rows.Close()
	var out []PostMessage
	for rows.Next() {
		var m PostMessage
		var at string
		if err := rows.Scan(&m.Index, &m.ChannelID, &m.MessageID, &at); err != nil {
			return nil, fmt.Errorf("messages of post %s: %w", scheduleID, err)
		}
		if m.PostedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("messages of post %s: %w", scheduleID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("messages of post %s: %w", scheduleID, err)
	}
	return out, nil
}
