package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"time"
)

// QuoteStatus is where a quote candidate's review stands.
type QuoteStatus string

// The statuses of a QuoteReview.
const (
	// QuotePending: waiting for a moderator's decision.
	QuotePending QuoteStatus = "pending"
	// QuoteApproved: the digest may publish it.
	QuoteApproved QuoteStatus = "approved"
	// QuoteRejected: the digest never publishes it.
	QuoteRejected QuoteStatus = "rejected"
	// QuoteWithdrawn: the quote is no longer a candidate of its period
	// (its author withdrew it, or the answer changed). No decision is
	// recorded on it any more, and it is never posted again.
	QuoteWithdrawn QuoteStatus = "withdrawn"
)

// QuoteReview is a moderator's review of one quote candidate, and the
// request for it posted in the moderator channel. QuoteID is unique:
// whoever claims it first posts the request. It holds nothing about the
// participant who gave the answer, nor who decided.
type QuoteReview struct {
	QuoteID string // the digest's stable quote id
	Period  string // the digest period it was first seen in, e.g. 2026-W49
	// Nonce is sent with every attempt to post the request, with
	// enforce_nonce, so that Discord returns the message an earlier
	// attempt created instead of posting again.
	Nonce     string
	Status    QuoteStatus
	ClaimedAt time.Time // zero means now
	Attempts  int       // failed attempts to post so far
	LastError string    // why the last attempt failed
	ChannelID string    // where the request was posted; "" until it is
	MessageID string
	PostedAt  time.Time // zero until posted
	DecidedAt time.Time // the latest decision; zero while never decided
	Decisions int       // how many decisions (and undos) were made
	// RedactedAt is when the request's words were replaced in the
	// moderator channel, once withdrawn; zero while that is still due.
	RedactedAt time.Time
}

// Posted reports whether the review request is in the moderator channel.
func (r QuoteReview) Posted() bool { return r.MessageID != "" }

// ClaimQuoteReview inserts r as pending and unposted, in one transaction,
// and reports whether this call claimed it: false means the quote was
// claimed before, whatever became of it. Only the claimer posts, so a
// review request is posted once by however many bot processes.
func (db *DB) ClaimQuoteReview(ctx context.Context, r QuoteReview) (bool, error) {
	if r.QuoteID == "" || r.Period == "" || r.Nonce == "" {
		return false, fmt.Errorf("claim quote review: quote %q, period %q, nonce %q: all three are required", r.QuoteID, r.Period, r.Nonce)
	}
	r.ClaimedAt = db.orNow(r.ClaimedAt)
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("claim quote review: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO quote_reviews (quote_id, period, nonce, status, claimed_at)
		VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (quote_id) DO NOTHING`,
		r.QuoteID, r.Period, r.Nonce, formatTime(r.ClaimedAt))
	if err != nil {
		return false, fmt.Errorf("claim quote review %s: %w", r.QuoteID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim quote review: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("claim quote review: %w", err)
	}
	return n == 1, nil
}

// UnpostedQuoteReviews returns the claims waiting for a decision whose
// request is not known to be in the moderator channel, oldest first:
// posts that failed, or whose process stopped before recording them. A
// quote decided without the moderator channel (SetQuoteDecision) needs
// no request, so it is not among them.
func (db *DB) UnpostedQuoteReviews(ctx context.Context) ([]QuoteReview, error) {
	return db.quoteReviews(ctx, "unposted quote reviews", `WHERE message_id IS NULL AND status = 'pending' ORDER BY claimed_at, quote_id`)
}

// UnredactedQuoteReviews returns the requests posted in the moderator
// channel whose words are still there, oldest first: the live ones, and
// the withdrawn ones whose edit is still due.
func (db *DB) UnredactedQuoteReviews(ctx context.Context) ([]QuoteReview, error) {
	return db.quoteReviews(ctx, "unredacted quote reviews", `WHERE message_id IS NOT NULL AND redacted_at IS NULL ORDER BY claimed_at, quote_id`)
}

// WithdrawQuote marks a quote's review withdrawn, whatever its decision:
// no click records anything on it afterwards, and it is never posted
// again. It reports whether this call withdrew it.
func (db *DB) WithdrawQuote(ctx context.Context, quoteID string) (bool, error) {
	return db.updateQuoteReview(ctx, "withdraw quote", quoteID,
		`UPDATE quote_reviews SET status = 'withdrawn' WHERE status != 'withdrawn' AND quote_id = ?`)
}

// QuoteReviewRedacted records that a withdrawn quote's request no longer
// shows its words: edited, or deleted by someone. It is not edited again.
func (db *DB) QuoteReviewRedacted(ctx context.Context, quoteID string, at time.Time) error {
	changed, err := db.updateQuoteReview(ctx, "record quote redaction", quoteID,
		`UPDATE quote_reviews SET redacted_at = ? WHERE status = 'withdrawn' AND redacted_at IS NULL AND quote_id = ?`,
		formatTime(db.orNow(at)))
	if err == nil && !changed {
		var r QuoteReview
		if r, err = db.QuoteReviewOf(ctx, quoteID); err == nil && r.Status != QuoteWithdrawn {
			err = fmt.Errorf("record quote redaction %s: it is %s, not withdrawn", quoteID, r.Status)
		}
	}
	return err
}

// QuoteReviewOf returns the review of one quote, or ErrNotFound.
func (db *DB) QuoteReviewOf(ctx context.Context, quoteID string) (QuoteReview, error) {
	rs, err := db.quoteReviews(ctx, "quote review "+quoteID, `WHERE quote_id = ?`, quoteID)
	if err != nil {
		return QuoteReview{}, err
	}
	if len(rs) == 0 {
		return QuoteReview{}, fmt.Errorf("quote review %s: %w", quoteID, ErrNotFound)
	}
	return rs[0], nil
}

// ApprovedQuotes returns the ids of the quotes moderators approved, as a
// set: what the digest publishes. Read it afresh for every digest.
func (db *DB) ApprovedQuotes(ctx context.Context) (map[string]bool, error) {
	return db.quoteIDs(ctx, QuoteApproved)
}

// RejectedQuotes returns the ids of the quotes that will never be
// published, as a set: those moderators rejected, and those withdrawn
// and not yet forgotten (ForgetQuoteReview), which are not waiting for a
// decision.
func (db *DB) RejectedQuotes(ctx context.Context) (map[string]bool, error) {
	rejected, err := db.quoteIDs(ctx, QuoteRejected)
	if err != nil {
		return nil, err
	}
	withdrawn, err := db.quoteIDs(ctx, QuoteWithdrawn)
	if err != nil {
		return nil, err
	}
	maps.Copy(rejected, withdrawn)
	return rejected, nil
}

// quoteIDs returns the ids of the quotes in status s.
func (db *DB) quoteIDs(ctx context.Context, s QuoteStatus) (map[string]bool, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT quote_id FROM quote_reviews WHERE status = ?`, string(s))
	if err != nil {
		return nil, fmt.Errorf("%s quotes: %w", s, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("%s quotes: %w", s, err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s quotes: %w", s, err)
	}
	return out, nil
}

// QuoteReviewPosted records that the review request is in the channel.
// One already recorded keeps its first message.
func (db *DB) QuoteReviewPosted(ctx context.Context, quoteID, channelID, messageID string, at time.Time) error {
	_, err := db.updateQuoteReview(ctx, "record quote review post", quoteID,
		`UPDATE quote_reviews SET channel_id = ?, message_id = ?, posted_at = ?
		 WHERE quote_id = ? AND message_id IS NULL`,
		channelID, messageID, formatTime(db.orNow(at)))
	return err
}

// QuoteReviewFailed counts a failed attempt to post the review request
// and why; it stays unposted, to be retried.
func (db *DB) QuoteReviewFailed(ctx context.Context, quoteID, reason string) error {
	_, err := db.updateQuoteReview(ctx, "record failed quote review post", quoteID,
		`UPDATE quote_reviews SET attempts = attempts + 1, last_error = ?
		 WHERE quote_id = ? AND message_id IS NULL`, reason)
	return err
}

// DecideQuote moves a quote's review from status from to status to (an
// approval or rejection from pending, or an undo back to pending), and
// reports whether it did. false, with the review as it stands, means the
// review was not in status from: someone decided first, or the click was
// a second one. Nothing is recorded twice.
func (db *DB) DecideQuote(ctx context.Context, quoteID string, from, to QuoteStatus, at time.Time) (QuoteReview, bool, error) {
	if !validQuoteStatus(from) || !validQuoteStatus(to) || from == to {
		return QuoteReview{}, false, fmt.Errorf("decide quote %s: from %q to %q: want two different statuses of pending, approved, rejected", quoteID, from, to)
	}
	changed, err := db.updateQuoteReview(ctx, "decide quote", quoteID,
		`UPDATE quote_reviews SET status = ?, decided_at = ?, decisions = decisions + 1
		 WHERE status = ? AND quote_id = ?`,
		string(to), formatTime(db.orNow(at)), string(from))
	if err != nil {
		return QuoteReview{}, false, err
	}
	r, err := db.QuoteReviewOf(ctx, quoteID)
	return r, changed, err
}

// ErrQuoteWithdrawn is returned, wrapped, by SetQuoteDecision for a quote
// withdrawn from review: no decision is recorded on it any more.
var ErrQuoteWithdrawn = errors.New("store: quote withdrawn from review")

// SetQuoteDecision records a decision on a quote made without the
// moderator channel (peervoice quotes approve, reject and undo), in one
// transaction: r's quote is claimed first, as the bot claims it (r's
// QuoteID, Period and Nonce), if it never was, so the bot never posts a
// request for it; then its review moves to to from whatever it was, as a
// moderator's decision, or an Undo, would. It returns the review before
// (a zero Status when there was none) and after. A quote already in to
// is left as it is, and one never claimed is not claimed to be undone.
// Like every review, it records no participant, nor who decided.
func (db *DB) SetQuoteDecision(ctx context.Context, r QuoteReview, to QuoteStatus, at time.Time) (before, after QuoteReview, err error) {
	if r.QuoteID == "" || r.Period == "" || r.Nonce == "" || !validQuoteStatus(to) {
		return QuoteReview{}, QuoteReview{}, fmt.Errorf("set quote decision: quote %q, period %q, nonce %q, decision %q: want all three, and pending, approved or rejected", r.QuoteID, r.Period, r.Nonce, to)
	}
	at = db.orNow(at)
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return QuoteReview{}, QuoteReview{}, fmt.Errorf("set quote decision: %w", err)
	}
	defer tx.Rollback()
	what := "set quote decision " + r.QuoteID
	before, err = db.quoteReviewIn(ctx, tx, what, r.QuoteID)
	switch {
	case errors.Is(err, ErrNotFound) && to == QuotePending:
		return QuoteReview{}, QuoteReview{QuoteID: r.QuoteID, Period: r.Period, Status: QuotePending}, nil
	case errors.Is(err, ErrNotFound):
		before = QuoteReview{}
		if _, err := tx.ExecContext(ctx, `INSERT INTO quote_reviews (quote_id, period, nonce, status, claimed_at)
			VALUES (?, ?, ?, 'pending', ?)`, r.QuoteID, r.Period, r.Nonce, formatTime(at)); err != nil {
			return QuoteReview{}, QuoteReview{}, fmt.Errorf("%s: %w", what, err)
		}
	case err != nil:
		return QuoteReview{}, QuoteReview{}, err
	case before.Status == QuoteWithdrawn:
		return before, before, fmt.Errorf("%s: %w", what, ErrQuoteWithdrawn)
	case before.Status == to:
		return before, before, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE quote_reviews SET status = ?, decided_at = ?, decisions = decisions + 1 WHERE quote_id = ?`,
		string(to), formatTime(at), r.QuoteID); err != nil {
		return QuoteReview{}, QuoteReview{}, fmt.Errorf("%s: %w", what, err)
	}
	if after, err = db.quoteReviewIn(ctx, tx, what, r.QuoteID); err != nil {
		return QuoteReview{}, QuoteReview{}, err
	}
	if err := tx.Commit(); err != nil {
		return QuoteReview{}, QuoteReview{}, fmt.Errorf("set quote decision: %w", err)
	}
	return before, after, nil
}

// quoteReviewIn returns the review of one quote as tx sees it, or
// ErrNotFound.
func (db *DB) quoteReviewIn(ctx context.Context, tx *sql.Tx, what, quoteID string) (QuoteReview, error) {
	rs, err := scanQuoteReviews(ctx, tx, what, `WHERE quote_id = ?`, quoteID)
	if err != nil {
		return QuoteReview{}, err
	}
	if len(rs) == 0 {
		return QuoteReview{}, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return rs[0], nil
}

func validQuoteStatus(s QuoteStatus) bool {
	return s == QuotePending || s == QuoteApproved || s == QuoteRejected
}

// updateQuoteReview runs one UPDATE on a quote review in its own
// transaction; the quote id is the query's last argument, after args. It
// reports whether a row changed; an
// unknown quote is ErrNotFound.
func (db *DB) updateQuoteReview(ctx context.Context, what, quoteID, query string, args ...any) (bool, error) {
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM quote_reviews WHERE quote_id = ?`, quoteID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("%s %s: %w", what, quoteID, ErrNotFound)
	} else if err != nil {
		return false, fmt.Errorf("%s %s: %w", what, quoteID, err)
	}
	res, err := tx.ExecContext(ctx, query, append(args, quoteID)...)
	if err != nil {
		return false, fmt.Errorf("%s %s: %w", what, quoteID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("%s %s: %w", what, quoteID, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	return n == 1, nil
}

// quoteReviews lists the quote reviews matching where.
func (db *DB) quoteReviews(ctx context.Context, what, where string, args ...any) ([]QuoteReview, error) {
	return scanQuoteReviews(ctx, db.rd, what, where, args...)
}

// scanQuoteReviews lists the quote reviews matching where, read through q:
// the reading pool, or a transaction.
func scanQuoteReviews(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, what, where string, args ...any) ([]QuoteReview, error) {
	rows, err := q.QueryContext(ctx, `SELECT quote_id, period, nonce, status, claimed_at, attempts, last_error,
		COALESCE(channel_id, ''), COALESCE(message_id, ''), COALESCE(posted_at, ''), COALESCE(decided_at, ''), decisions, COALESCE(redacted_at, '')
		FROM quote_reviews `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []QuoteReview
	for rows.Next() {
		var r QuoteReview
		var claimed, posted, decided, redacted string
		if err := rows.Scan(&r.QuoteID, &r.Period, &r.Nonce, &r.Status, &claimed, &r.Attempts, &r.LastError,
			&r.ChannelID, &r.MessageID, &posted, &decided, &r.Decisions, &redacted); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if r.ClaimedAt, err = parseTime(claimed); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		for _, t := range []struct {
			s   string
			dst *time.Time
		}{{posted, &r.PostedAt}, {decided, &r.DecidedAt}, {redacted, &r.RedactedAt}} {
			if t.s == "" {
				continue
			}
			if *t.dst, err = parseTime(t.s); err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
