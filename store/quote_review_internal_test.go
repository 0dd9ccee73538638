package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuoteReviewsHoldNoParticipant: the quote_reviews table has no
// column that could hold a participant, a Discord user, a moderator or an
// answer's words.
func TestQuoteReviewsHoldNoParticipant(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "peervoice.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.rd.QueryContext(ctx, `SELECT name FROM pragma_table_info('quote_reviews')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		t.Fatal("no quote_reviews table")
	}
	for _, c := range cols {
		for _, bad := range []string{"participant", "user", "pseudonym", "text", "moderator", "author", "session"} {
			if strings.Contains(c, bad) {
				t.Errorf("quote_reviews has column %q, which could hold who someone is or what they said", c)
			}
		}
	}
}

// TestQuoteWithdrawnMigration: a database with 004's quote_reviews keeps
// its reviews through 005, which allows the withdrawn status.
func TestQuoteWithdrawnMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "peervoice.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Back to the schema as 004 left it, with a posted, approved review.
	old, err := migrationFS.ReadFile("migrations/004_quote_reviews.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE quote_reviews`,
		string(old),
		`DELETE FROM migrations WHERE name = '005_quote_withdrawn.sql'`,
		`INSERT INTO quote_reviews (quote_id, period, nonce, status, claimed_at, attempts, last_error, channel_id, message_id, posted_at, decided_at, decisions)
		 VALUES ('aaaaaaaaaaaa', '2026-W49', 'n', 'approved', '2026-12-03T06:00:00.000000000Z', 1, 'Missing Access', 'c', 'm', '2026-12-03T06:01:00.000000000Z', '2026-12-03T06:02:00.000000000Z', 2)`,
	} {
		if _, err := db.wr.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	if _, err := db.wr.ExecContext(ctx, `UPDATE quote_reviews SET status = 'withdrawn'`); err == nil {
		t.Fatal("004's table accepted the withdrawn status")
	}
	db.Close()

	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.QuoteReviewOf(ctx, "aaaaaaaaaaaa")
	if err != nil || r.Status != QuoteApproved || r.Decisions != 2 || r.Attempts != 1 || r.LastError != "Missing Access" ||
		r.MessageID != "m" || r.ChannelID != "c" || r.PostedAt.IsZero() || r.DecidedAt.IsZero() || !r.RedactedAt.IsZero() {
		t.Fatalf("after 005, QuoteReviewOf = %+v, %v; want the review as it was", r, err)
	}
	if changed, err := db.WithdrawQuote(ctx, "aaaaaaaaaaaa"); err != nil || !changed {
		t.Errorf("WithdrawQuote after 005 = %v, %v; want withdrawn", changed, err)
	}
}
