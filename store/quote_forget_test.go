package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

// TestForgetQuoteReview: a review is deleted only once withdrawn and its
// words are nowhere in Discord (never posted, or redacted); then the same
// quote can be claimed afresh. QuoteReviews lists every review.
func TestForgetQuoteReview(t *testing.T) {
	ctx := context.Background()
	db := open(t, newPath(t), store.Options{})
	day := time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)
	const unposted, posted, live = "aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"
	for _, id := range []string{unposted, posted, live} {
		if _, err := db.ClaimQuoteReview(ctx, store.QuoteReview{QuoteID: id, Period: "2026-W49", Nonce: id, ClaimedAt: day}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.QuoteReviewPosted(ctx, posted, "1", "m1", day); err != nil {
		t.Fatal(err)
	}
	forget := func(id string, want bool) {
		t.Helper()
		if got, err := db.ForgetQuoteReview(ctx, id); err != nil || got != want {
			t.Fatalf("ForgetQuoteReview(%s) = %v, %v; want %v", id, got, err, want)
		}
	}
	forget(live, false) // not withdrawn
	for _, id := range []string{unposted, posted} {
		if _, err := db.WithdrawQuote(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	forget(posted, false) // its words are still in the channel
	forget(unposted, true)
	if err := db.QuoteReviewRedacted(ctx, posted, day); err != nil {
		t.Fatal(err)
	}
	forget(posted, true)
	forget(posted, false) // once
	revs, err := db.QuoteReviews(ctx)
	if err != nil || len(revs) != 1 || revs[0].QuoteID != live {
		t.Fatalf("QuoteReviews() = %+v, %v; want only %s", revs, err, live)
	}
	if _, err := db.QuoteReviewOf(ctx, posted); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("QuoteReviewOf(forgotten) = %v; want ErrNotFound", err)
	}
	if ok, err := db.ClaimQuoteReview(ctx, store.QuoteReview{QuoteID: posted, Period: "2026-W50", Nonce: "fresh", ClaimedAt: day.Add(time.Hour)}); err != nil || !ok {
		t.Errorf("claiming a forgotten quote again = %v, %v; want claimed afresh", ok, err)
	}
}
