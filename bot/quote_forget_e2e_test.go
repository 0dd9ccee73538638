package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/store"
)

// TestQuoteReviewsCleanedWithoutModeratorChannel: with the moderator
// channel taken out of the config, the reviews of quotes whose authors
// withdrew are still cleaned on schedule: a request posted earlier loses
// its words in the channel it was posted in, a quote decided with
// `peervoice quotes` (no request) is simply forgotten, and neither
// review is kept; a quote still a candidate keeps its review; nothing is
// posted.
func TestQuoteReviewsCleanedWithoutModeratorChannel(t *testing.T) {
	quoteC := quoteB
	quoteC.ID, quoteC.Text = "cccccccccccc", "Someone who stays with me."
	h := newQuoteHarness(t, quoteA, quoteB, quoteC)
	r := h.start(nil)
	msgs := h.wantPosted("on start", quoteA.ID, quoteB.ID, quoteC.ID)
	r.stop()

	noChannel := func(c *bot.Config, _ *store.DB) { c.ModeratorChannelID = "" }
	h.clock.Set(h.clock.Now().Add(time.Hour))
	r = h.start(noChannel)
	// D is decided on the server, without a request.
	quoteD := quoteB
	quoteD.ID = "dddddddddddd"
	if _, _, err := r.db.SetQuoteDecision(context.Background(), store.QuoteReview{QuoteID: quoteD.ID, Period: quoteD.Period, Nonce: bot.QuoteNonce(quoteD.ID)}, store.QuoteApproved, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.mu.Lock()
	h.cands = append(h.cands, quoteD)
	h.mu.Unlock()
	bot.CheckQuotes(r.b)
	wantStatus(t, r, quoteD.ID, store.QuoteApproved, false, 1) // still a candidate: kept

	h.remove(quoteA.ID) // A's and D's authors withdraw
	h.remove(quoteD.ID)
	h.clock.Set(h.clock.Now().Add(15 * time.Minute))
	bot.CheckQuotes(r.b)
	wantWithdrawn(t, h.now(msgs[quoteA.ID]), quoteA)
	wantForgotten(t, r, quoteA.ID)
	wantForgotten(t, r, quoteD.ID)
	wantStatus(t, r, quoteB.ID, store.QuotePending, false, 0)
	wantStatus(t, r, quoteC.ID, store.QuotePending, false, 0)
	if n := len(h.e.RequestsTo(editRoute)); n != 1 {
		t.Errorf("%d message edits; want 1, A's request", n)
	}
	if got := h.posted(); len(got) != 3 {
		t.Errorf("%d messages in the old moderator channel; want the same 3, nothing posted", len(got))
	}
	if text := embedText(h.now(msgs[quoteB.ID])); !strings.Contains(text, quoteB.Text) {
		t.Errorf("B's request, still a candidate, changed:\n%s", text)
	}

	// The schedule runs it, not only a test's call: a bot started now
	// cleans on its first check.
	h.remove(quoteB.ID)
	r.stop()
	r = h.start(noChannel)
	wantWithdrawn(t, h.now(msgs[quoteB.ID]), quoteB)
	wantForgotten(t, r, quoteB.ID)
}

// TestQuoteReviewUnpostedForgotten: a claimed request that could not be
// posted (the channel refused) whose quote is then withdrawn is
// forgotten, never posted; when its quote comes back it is claimed and
// posted afresh.
func TestQuoteReviewUnpostedForgotten(t *testing.T) {
	h := newQuoteHarness(t, quoteA)
	r := h.start(func(c *bot.Config, _ *store.DB) { c.ModeratorChannelID = "123456789012345678" }) // Discord knows no such channel
	if rev, err := r.db.QuoteReviewOf(context.Background(), quoteA.ID); err != nil || rev.Posted() || rev.Attempts == 0 {
		t.Fatalf("review of A = %+v, %v; want claimed, its post failed", rev, err)
	}
	r.stop()
	h.remove(quoteA.ID)
	r = h.start(nil)
	wantForgotten(t, r, quoteA.ID)
	h.wantPosted("withdrawn before it was posted")
	h.mu.Lock()
	h.cands = append(h.cands, quoteA)
	h.mu.Unlock()
	bot.CheckQuotes(r.b)
	h.wantPosted("back", quoteA.ID)
}
