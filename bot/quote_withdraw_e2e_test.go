package bot_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/store"
)

const editRoute = "PATCH /channels/{channel_id}/messages/{message_id}"

// wantWithdrawn fails the test unless m shows the neutral line alone: none
// of c's words, question, flow, group or period, and no buttons.
func wantWithdrawn(t *testing.T, m discordtest.Message, c bot.QuoteCandidate) {
	t.Helper()
	text := embedText(m)
	if !strings.Contains(text, "This quote is no longer available") || !strings.Contains(text, "will not be published") {
		t.Errorf("the withdrawn request does not say so:\n%s", text)
	}
	for _, gone := range []string{c.Text, "Recovery means", c.Prompt, c.FlowTitle, "Woman", c.Period, "Approve", "Waiting"} {
		if strings.Contains(text, gone) {
			t.Errorf("the withdrawn request still shows %q:\n%s", gone, text)
		}
	}
	if ids := m.CustomIDs(); len(ids) != 0 || len(m.Components) != 0 {
		t.Errorf("the withdrawn request has components %v; want none", ids)
	}
}

// wantForgotten fails the test unless the quote has no review: withdrawn,
// its words gone from Discord, and then deleted, so nothing keeps its id.
func wantForgotten(t *testing.T, r *running, id string) {
	t.Helper()
	if rev, err := r.db.QuoteReviewOf(context.Background(), id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("review of %s = %+v, %v; want none (forgotten)", id, rev, err)
	}
}

func wantStatus(t *testing.T, r *running, id string, status store.QuoteStatus, redacted bool, decisions int) {
	t.Helper()
	rev, err := r.db.QuoteReviewOf(context.Background(), id)
	if err != nil || rev.Status != status || rev.RedactedAt.IsZero() == redacted || rev.Decisions != decisions {
		t.Errorf("review of %s = %+v, %v; want %s, redacted %v, %d decisions", id, rev, err, status, redacted, decisions)
	}
}

// TestQuoteReviewWithdrawn: an approved quote whose author withdraws
// loses its words in the moderator channel on the next check, once; the
// other request is left alone; nothing about it is approved any more, and
// its review is forgotten; when the same quote comes back (its author
// allows quotes again), it is asked about afresh.
func TestQuoteReviewWithdrawn(t *testing.T) {
	h := newQuoteHarness(t, quoteA, quoteB)
	r := h.start(nil)
	msgs := h.wantPosted("on start", quoteB.ID, quoteA.ID)
	a, b := msgs[quoteA.ID], msgs[quoteB.ID]
	h.click(h.moderator, a, bot.ActApproveQuote)

	h.remove(quoteA.ID)
	bot.CheckQuotes(r.b)
	h.mu.Lock()
	if !slices.Equal(h.asked, []string{quoteA.Period}) {
		// B's week came with the candidates to post; A's has none now.
		t.Errorf("InPeriods was asked for %v; want only %s", h.asked, quoteA.Period)
	}
	h.mu.Unlock()
	wantWithdrawn(t, h.now(a), quoteA)
	if text := embedText(h.now(b)); !strings.Contains(text, quoteB.Text) || buttons(h.now(b)) != "Approve, Reject" {
		t.Errorf("the other request changed: %s\n%s", buttons(h.now(b)), text)
	}
	wantForgotten(t, r, quoteA.ID)
	if got := h.approved(r); len(got) != 0 {
		t.Errorf("approved quotes after the withdrawal = %v; want none", got)
	}
	// The buttons are gone: no click can reach it.
	if _, err := h.moderator.Click(h.now(a), bot.ID{Action: bot.ActUndoQuote, Value: quoteA.ID}.String()); err == nil {
		t.Error("a click on the withdrawn request's Undo reached the bot")
	}

	// Later checks, and a restart, edit nothing again, and do not
	// rebuild the withdrawn quote's week.
	h.mu.Lock()
	h.asked = nil
	h.mu.Unlock()
	bot.CheckQuotes(r.b)
	r.stop()
	h.mu.Lock()
	h.cands = append(h.cands, quoteA) // the participant allows quotes again
	h.mu.Unlock()
	r = h.start(nil)
	if n := len(h.e.RequestsTo(editRoute)); n != 1 {
		t.Errorf("%d message edits; want the one", n)
	}
	if got := h.posted(); len(got) != 3 || got[2].ID == a.ID || quoteOf(got[2]) != quoteA.ID || !strings.Contains(embedText(got[2]), quoteA.Text) || buttons(got[2]) != "Approve, Reject" {
		t.Errorf("moderator channel after the quote came back: %d messages, the last %+v; want the 2 and a fresh request for %s, waiting", len(got), got[len(got)-1], quoteA.ID)
	}
	wantStatus(t, r, quoteA.ID, store.QuotePending, false, 0)
	h.mu.Lock()
	if len(h.asked) != 0 {
		// The live request's week (B's) is among the weeks the check
		// builds anyway; the withdrawn quote's week is not built at all.
		t.Errorf("InPeriods was asked for %v; want nothing", h.asked)
	}
	h.mu.Unlock()
	wantWithdrawn(t, h.now(a), quoteA)
	if n := strings.Count(h.logs.String(), "withdrew a quote from review"); n != 1 {
		t.Errorf("logged %d withdrawals; want 1", n)
	}
}

// TestQuoteReviewWithdrawnEditFails: when the bot cannot edit the
// request, the log says what to fix; a click on its old buttons records
// nothing, says so kindly and blanks the request; the next check edits it.
// A request someone deleted is recorded as it is.
func TestQuoteReviewWithdrawnEditFails(t *testing.T) {
	t.Run("missing access, then fixed", func(t *testing.T) {
		h := newQuoteHarness(t, quoteA)
		r := h.start(nil)
		a := h.wantPosted("on start", quoteA.ID)[quoteA.ID]
		h.remove(quoteA.ID)
		h.e.FailNext(editRoute, 1, discordtest.APIError(403, discordgo.ErrCodeMissingAccess, "Missing Access"))
		bot.CheckQuotes(r.b)
		if !strings.Contains(h.logs.String(), "cannot remove a withdrawn quote's words") || !strings.Contains(h.logs.String(), "give the bot View Channel and Send Messages in #moderators") {
			t.Errorf("the log does not say what to fix:\n%s", h.logs.String())
		}
		wantStatus(t, r, quoteA.ID, store.QuoteWithdrawn, false, 0)

		// A moderator clicks the buttons still shown.
		in, err := h.moderator.Click(a, bot.ID{Action: bot.ActApproveQuote, Value: quoteA.ID}.String())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.WaitResponse(ctx(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := h.moderator.WaitMessage(ctx(t), func(m discordtest.Message) bool {
			return m.Ephemeral && strings.Contains(m.Content, "no longer available") && strings.Contains(m.Content, "nothing was recorded")
		}); err != nil {
			t.Errorf("the click got no polite note: %v", err)
		}
		wantStatus(t, r, quoteA.ID, store.QuoteWithdrawn, false, 0)
		if got := h.approved(r); len(got) != 0 {
			t.Errorf("a click on a withdrawn quote approved %v", got)
		}
		wantWithdrawn(t, h.now(a), quoteA)

		bot.CheckQuotes(r.b) // the next tick
		wantForgotten(t, r, quoteA.ID)
		wantWithdrawn(t, h.now(a), quoteA)
		bot.CheckQuotes(r.b)
		if n := len(h.e.RequestsTo(editRoute)); n != 2 {
			t.Errorf("%d edit attempts; want 2 (the refused one and the retry)", n)
		}
	})
	t.Run("message deleted", func(t *testing.T) {
		h := newQuoteHarness(t, quoteA)
		r := h.start(nil)
		h.wantPosted("on start", quoteA.ID)
		h.remove(quoteA.ID)
		h.e.FailNext(editRoute, 1, discordtest.APIError(404, discordgo.ErrCodeUnknownMessage, "Unknown Message"))
		bot.CheckQuotes(r.b)
		wantForgotten(t, r, quoteA.ID)
		if !strings.Contains(h.logs.String(), "its request was already deleted") {
			t.Errorf("the log does not say the request was deleted:\n%s", h.logs.String())
		}
		bot.CheckQuotes(r.b)
		if n := len(h.e.RequestsTo(editRoute)); n != 1 {
			t.Errorf("%d edit attempts; want 1", n)
		}
		if strings.Contains(h.logs.String(), "level=WARN") {
			t.Errorf("a deleted request was logged as a problem:\n%s", h.logs.String())
		}
	})
}

// TestQuoteWithdrawalWaitsForClick: the withdrawal of a quote waits while
// a moderator's click on it holds the quote (from the decision until the
// request shows it), so the click's update, which carries the quote's
// words, cannot land after the edit that removed them.
func TestQuoteWithdrawalWaitsForClick(t *testing.T) {
	h := newQuoteHarness(t, quoteA)
	r := h.start(nil)
	h.wantPosted("on start", quoteA.ID)
	h.remove(quoteA.ID)
	h.mu.Lock()
	h.asked = nil
	h.mu.Unlock()

	unlock := bot.LockQuote(r.b, quoteA.ID) // a click in progress
	done := make(chan struct{})
	go func() { defer close(done); bot.CheckQuotes(r.b) }()
	// Once the reviewer has asked for the week's candidates, it goes on
	// to the withdrawal, and must wait there for the click.
	for {
		h.mu.Lock()
		asked := len(h.asked) > 0
		h.mu.Unlock()
		if asked {
			break
		}
		select {
		case <-done:
			t.Fatal("the check ended without asking for the candidates")
		case <-time.After(5 * time.Millisecond):
		}
	}
	select {
	case <-done:
		t.Fatal("the check finished while a click held the quote")
	case <-time.After(200 * time.Millisecond):
	}
	wantStatus(t, r, quoteA.ID, store.QuotePending, false, 0)
	if n := len(h.e.RequestsTo(editRoute)); n != 0 {
		t.Errorf("%d message edits while a click held the quote; want none", n)
	}

	unlock()
	<-done
	wantForgotten(t, r, quoteA.ID)
	if n := len(h.e.RequestsTo(editRoute)); n != 1 {
		t.Errorf("%d message edits after the click let go; want 1", n)
	}
}
