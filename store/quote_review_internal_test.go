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
