package store

import (
	"context"
	"fmt"
)

// QuoteReviews returns every quote review, oldest first: what the bot
// checks against the candidates, to withdraw and forget the ones whose
// quote is gone.
func (db *DB) QuoteReviews(ctx context.Context) ([]QuoteReview, error) {
	return db.quoteReviews(ctx, "quote reviews", `ORDER BY claimed_at, quote_id`)
}

// ForgetQuoteReview deletes a withdrawn quote's review once its words
// are nowhere in Discord: its request never posted, or redacted (or found
// deleted). Nothing then keeps the quote's id, and the same quote, if it
// becomes a candidate again, is claimed and reviewed afresh. It reports
// whether this call deleted it; a review in another state is left.
func (db *DB) ForgetQuoteReview(ctx context.Context, quoteID string) (bool, error) {
	res, err := db.wr.ExecContext(ctx, `DELETE FROM quote_reviews WHERE quote_id = ? AND status = 'withdrawn'
		AND (message_id IS NULL OR redacted_at IS NOT NULL)`, quoteID)
	if err != nil {
		return false, fmt.Errorf("forget quote review %s: %w", quoteID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("forget quote review %s: %w", quoteID, err)
	}
	return n == 1, nil
}
