package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

// TestQuoteReviewClaimOnce: of many processes claiming one quote at once,
// exactly one wins, across a reopen too; the request is recorded posted
// once, keeping its first message.
func TestQuoteReviewClaimOnce(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	db := open(t, path, store.Options{})
	other := open(t, path, store.Options{}) // a second bot process
	now := time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)
	r := store.QuoteReview{QuoteID: "0123456789ab", Period: "2026-W49", Nonce: "42", ClaimedAt: now}
	var wins sync.WaitGroup
	won := make(chan bool, 8)
	for i := range 8 {
		wins.Add(1)
		go func() {
			defer wins.Done()
			d := db
			if i%2 == 1 {
				d = other
			}
			ok, err := d.ClaimQuoteReview(ctx, r)
			if err != nil {
				t.Error(err)
			}
			won <- ok
		}()
	}
	wins.Wait()
	close(won)
	n := 0
	for ok := range won {
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d claims won; want 1", n)
	}
	if _, err := db.ClaimQuoteReview(ctx, store.QuoteReview{QuoteID: "x"}); err == nil {
		t.Error("ClaimQuoteReview without period and nonce succeeded")
	}

	got, err := db.UnpostedQuoteReviews(ctx)
	if err != nil || len(got) != 1 || got[0].QuoteID != r.QuoteID || got[0].Status != store.QuotePending || got[0].Posted() || !got[0].ClaimedAt.Equal(now) {
		t.Fatalf("UnpostedQuoteReviews() = %+v, %v; want the one claim, pending", got, err)
	}
	if err := db.QuoteReviewFailed(ctx, r.QuoteID, "Unknown Channel"); err != nil {
		t.Fatal(err)
	}
	if err := db.QuoteReviewPosted(ctx, r.QuoteID, "7", "100", now); err != nil {
		t.Fatal(err)
	}
	if err := other.QuoteReviewPosted(ctx, r.QuoteID, "7", "101", now); err != nil {
		t.Fatal(err)
	}
	if err := db.QuoteReviewFailed(ctx, r.QuoteID, "late failure"); err != nil {
		t.Fatal(err)
	}
	rev, err := db.QuoteReviewOf(ctx, r.QuoteID)
	if err != nil || rev.MessageID != "100" || rev.ChannelID != "7" || rev.Attempts != 1 || rev.LastError != "Unknown Channel" || !rev.PostedAt.Equal(now) {
		t.Errorf("QuoteReviewOf() = %+v, %v; want posted once as message 100 after 1 failed attempt", rev, err)
	}
	if got, err := db.UnpostedQuoteReviews(ctx); err != nil || len(got) != 0 {
		t.Errorf("UnpostedQuoteReviews() after posting = %+v, %v; want none", got, err)
	}
	// Closed and opened again, as after a restart: still claimed.
	db.Close()
	db = open(t, path, store.Options{})
	if ok, err := db.ClaimQuoteReview(ctx, r); ok || err != nil {
		t.Errorf("ClaimQuoteReview() after a reopen = %v, %v; want false", ok, err)
	}
	for _, f := range []func() error{
		func() error { return db.QuoteReviewPosted(ctx, "nope", "7", "1", now) },
		func() error { return db.QuoteReviewFailed(ctx, "nope", "x") },
		func() error { _, err := db.QuoteReviewOf(ctx, "nope"); return err },
		func() error {
			_, _, err := db.DecideQuote(ctx, "nope", store.QuotePending, store.QuoteApproved, now)
			return err
		},
	} {
		if err := f(); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("on an unknown quote: %v; want ErrNotFound", err)
		}
	}
}

// TestDecideQuote: a decision is recorded once; a second click, or
// another moderator's, changes nothing; an undo reopens it; ApprovedQuotes
// follows the latest decision.
func TestDecideQuote(t *testing.T) {
	ctx := context.Background()
	db := open(t, newPath(t), store.Options{})
	day := time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)
	for _, id := range []string{"aaaaaaaaaaaa", "bbbbbbbbbbbb"} {
		if _, err := db.ClaimQuoteReview(ctx, store.QuoteReview{QuoteID: id, Period: "2026-W49", Nonce: "1"}); err != nil {
			t.Fatal(err)
		}
	}
	approved := func(want ...string) {
		t.Helper()
		got, err := db.ApprovedQuotes(ctx)
		if err != nil || len(got) != len(want) {
			t.Fatalf("ApprovedQuotes() = %v, %v; want %v", got, err, want)
		}
		for _, id := range want {
			if !got[id] {
				t.Fatalf("ApprovedQuotes() = %v; want %v", got, want)
			}
		}
	}
	approved()
	steps := []struct {
		id       string
		from, to store.QuoteStatus
		changed  bool
		status   store.QuoteStatus
		n        int
	}{
		{"aaaaaaaaaaaa", store.QuotePending, store.QuoteApproved, true, store.QuoteApproved, 1},
		{"aaaaaaaaaaaa", store.QuotePending, store.QuoteApproved, false, store.QuoteApproved, 1}, // double click
		{"aaaaaaaaaaaa", store.QuotePending, store.QuoteRejected, false, store.QuoteApproved, 1}, // another moderator, later
		{"bbbbbbbbbbbb", store.QuotePending, store.QuoteRejected, true, store.QuoteRejected, 1},
		{"bbbbbbbbbbbb", store.QuoteRejected, store.QuotePending, true, store.QuotePending, 2},  // undo
		{"bbbbbbbbbbbb", store.QuoteRejected, store.QuotePending, false, store.QuotePending, 2}, // undo twice
		{"bbbbbbbbbbbb", store.QuotePending, store.QuoteApproved, true, store.QuoteApproved, 3},
	}
	for i, s := range steps {
		at := day.Add(time.Duration(i) * time.Minute)
		r, changed, err := db.DecideQuote(ctx, s.id, s.from, s.to, at)
		if err != nil || changed != s.changed || r.Status != s.status || r.Decisions != s.n {
			t.Fatalf("step %d: DecideQuote(%s, %s → %s) = %+v, %v, %v; want changed %v, status %s, %d decisions",
				i, s.id, s.from, s.to, r, changed, err, s.changed, s.status, s.n)
		}
		if changed && !r.DecidedAt.Equal(at) {
			t.Errorf("step %d: decided at %v; want %v", i, r.DecidedAt, at)
		}
	}
	approved("aaaaaaaaaaaa", "bbbbbbbbbbbb")
	if _, _, err := db.DecideQuote(ctx, "aaaaaaaaaaaa", store.QuoteApproved, store.QuoteRejected, day); err != nil {
		t.Fatal(err)
	}
	approved("bbbbbbbbbbbb")
	if got, err := db.RejectedQuotes(ctx); err != nil || len(got) != 1 || !got["aaaaaaaaaaaa"] {
		t.Errorf("RejectedQuotes() = %v, %v; want aaaaaaaaaaaa", got, err)
	}
	if _, _, err := db.DecideQuote(ctx, "aaaaaaaaaaaa", store.QuoteApproved, "published", day); err == nil {
		t.Error("DecideQuote to an unknown status succeeded")
	}
}

// TestQuoteWithdrawn: a posted review, approved or not, is withdrawn
// once; afterwards no decision changes it, the digest does not count it
// approved, and it is listed as unredacted until its message is edited,
// then never again. An unposted claim is not listed.
func TestQuoteWithdrawn(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	db := open(t, path, store.Options{})
	day := time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)
	for _, id := range []string{"aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"} {
		if _, err := db.ClaimQuoteReview(ctx, store.QuoteReview{QuoteID: id, Period: "2026-W49", Nonce: id, ClaimedAt: day}); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"aaaaaaaaaaaa", "bbbbbbbbbbbb"} {
		if err := db.QuoteReviewPosted(ctx, id, "1", "m-"+id, day); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.DecideQuote(ctx, "aaaaaaaaaaaa", store.QuotePending, store.QuoteApproved, day); err != nil {
		t.Fatal(err)
	}
	unredacted := func(want ...string) {
		t.Helper()
		revs, err := db.UnredactedQuoteReviews(ctx)
		var got []string
		for _, r := range revs {
			got = append(got, r.QuoteID)
		}
		if err != nil || len(got) != len(want) {
			t.Fatalf("UnredactedQuoteReviews() = %v, %v; want %v", got, err, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("UnredactedQuoteReviews() = %v; want %v", got, want)
			}
		}
	}
	unredacted("aaaaaaaaaaaa", "bbbbbbbbbbbb")

	for i, want := range []bool{true, false} {
		if changed, err := db.WithdrawQuote(ctx, "aaaaaaaaaaaa"); err != nil || changed != want {
			t.Fatalf("WithdrawQuote #%d = %v, %v; want %v", i+1, changed, err, want)
		}
	}
	if _, err := db.WithdrawQuote(ctx, "dddddddddddd"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("WithdrawQuote(unknown) = %v; want ErrNotFound", err)
	}
	if got, err := db.ApprovedQuotes(ctx); err != nil || len(got) != 0 {
		t.Errorf("ApprovedQuotes() after the withdrawal = %v, %v; want none", got, err)
	}
	if got, err := db.RejectedQuotes(ctx); err != nil || len(got) != 1 || !got["aaaaaaaaaaaa"] {
		t.Errorf("RejectedQuotes() after the withdrawal = %v, %v; want aaaaaaaaaaaa (never published, not waiting)", got, err)
	}
	for _, s := range []struct{ from, to store.QuoteStatus }{
		{store.QuotePending, store.QuoteApproved}, {store.QuoteApproved, store.QuotePending}, {store.QuoteRejected, store.QuotePending},
	} {
		r, changed, err := db.DecideQuote(ctx, "aaaaaaaaaaaa", s.from, s.to, day)
		if err != nil || changed || r.Status != store.QuoteWithdrawn || r.Decisions != 1 {
			t.Errorf("DecideQuote(%s → %s) on a withdrawn quote = %+v, %v, %v; want withdrawn, unchanged", s.from, s.to, r, changed, err)
		}
	}
	unredacted("aaaaaaaaaaaa", "bbbbbbbbbbbb") // its edit is still due
	if err := db.QuoteReviewRedacted(ctx, "bbbbbbbbbbbb", day); err == nil {
		t.Error("QuoteReviewRedacted on a live quote succeeded")
	}
	later := day.Add(time.Hour)
	if err := db.QuoteReviewRedacted(ctx, "aaaaaaaaaaaa", later); err != nil {
		t.Fatal(err)
	}
	if err := db.QuoteReviewRedacted(ctx, "aaaaaaaaaaaa", later.Add(time.Hour)); err != nil {
		t.Errorf("QuoteReviewRedacted twice: %v", err)
	}
	unredacted("bbbbbbbbbbbb")

	// Across a reopen: withdrawn, redacted once, never claimed again.
	db.Close()
	db = open(t, path, store.Options{})
	r, err := db.QuoteReviewOf(ctx, "aaaaaaaaaaaa")
	if err != nil || r.Status != store.QuoteWithdrawn || !r.RedactedAt.Equal(later) || r.MessageID != "m-aaaaaaaaaaaa" {
		t.Errorf("QuoteReviewOf(aaaaaaaaaaaa) = %+v, %v; want withdrawn, redacted at %v", r, err, later)
	}
	if ok, err := db.ClaimQuoteReview(ctx, store.QuoteReview{QuoteID: "aaaaaaaaaaaa", Period: "2026-W49", Nonce: "x"}); err != nil || ok {
		t.Errorf("ClaimQuoteReview of a withdrawn quote = %v, %v; want false", ok, err)
	}
}

// TestSetQuoteDecision: a decision made without the moderator channel
// (peervoice quotes) claims the quote if it never was, so the bot never
// posts a request for it, and moves it as a moderator's click or Undo
// would: recorded once, changed on a second different decision, reopened
// by an undo (and then waiting to be posted like any claim). An undo of a
// quote never decided stores nothing; a withdrawn quote takes no
// decision.
func TestSetQuoteDecision(t *testing.T) {
	ctx := context.Background()
	db := open(t, newPath(t), store.Options{})
	day := time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)
	r := store.QuoteReview{QuoteID: "aaaaaaaaaaaa", Period: "2026-W49", Nonce: "42"}
	status := func(rev store.QuoteReview) string {
		return fmt.Sprintf("%s/%d/%s/posted=%v", rev.Status, rev.Decisions, rev.DecidedAt.Format(time.DateOnly), rev.Posted())
	}
	steps := []struct {
		to             store.QuoteStatus
		at             time.Time
		before, after  string
		approved, gone bool
	}{
		{store.QuoteApproved, day, "/0/0001-01-01/posted=false", "approved/1/2026-12-03/posted=false", true, false},
		{store.QuoteApproved, day.AddDate(0, 0, 1), "approved/1/2026-12-03/posted=false", "approved/1/2026-12-03/posted=false", true, false},
		{store.QuoteRejected, day.AddDate(0, 0, 2), "approved/1/2026-12-03/posted=false", "rejected/2/2026-12-05/posted=false", false, true},
		{store.QuotePending, day.AddDate(0, 0, 3), "rejected/2/2026-12-05/posted=false", "pending/3/2026-12-06/posted=false", false, false},
	}
	for i, st := range steps {
		before, after, err := db.SetQuoteDecision(ctx, r, st.to, st.at)
		if err != nil {
			t.Fatalf("step %d: SetQuoteDecision(%s): %v", i, st.to, err)
		}
		if got := status(before) + " -> " + status(after); got != st.before+" -> "+st.after {
			t.Errorf("step %d: SetQuoteDecision(%s) = %s; want %s -> %s", i, st.to, got, st.before, st.after)
		}
		approved, _ := db.ApprovedQuotes(ctx)
		rejected, _ := db.RejectedQuotes(ctx)
		if approved[r.QuoteID] != st.approved || rejected[r.QuoteID] != st.gone {
			t.Errorf("step %d: approved %v, rejected %v; want %v, %v", i, approved[r.QuoteID], rejected[r.QuoteID], st.approved, st.gone)
		}
		unposted, _ := db.UnpostedQuoteReviews(ctx)
		if waiting := len(unposted) == 1; waiting != (st.to == store.QuotePending) {
			t.Errorf("step %d: unposted requests %+v; want one only once it waits for a decision again", i, unposted)
		}
		if claimed, err := db.ClaimQuoteReview(ctx, r); claimed || err != nil {
			t.Errorf("step %d: the bot's ClaimQuoteReview = %v, %v; want false: it is claimed", i, claimed, err)
		}
	}

	// Undo of a quote never decided: nothing stored.
	other := store.QuoteReview{QuoteID: "bbbbbbbbbbbb", Period: "2026-W49", Nonce: "43"}
	if before, after, err := db.SetQuoteDecision(ctx, other, store.QuotePending, day); err != nil || before.Status != "" || after.Status != store.QuotePending {
		t.Errorf("undo of a quote never decided = %+v, %+v, %v; want none before, pending after", before, after, err)
	}
	if _, err := db.QuoteReviewOf(ctx, other.QuoteID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after an undo of a quote never decided, QuoteReviewOf = %v; want ErrNotFound", err)
	}

	// A posted request keeps its message; a withdrawn quote takes no decision.
	posted := store.QuoteReview{QuoteID: "cccccccccccc", Period: "2026-W49", Nonce: "44"}
	if _, err := db.ClaimQuoteReview(ctx, posted); err != nil {
		t.Fatal(err)
	}
	if err := db.QuoteReviewPosted(ctx, posted.QuoteID, "7", "100", day); err != nil {
		t.Fatal(err)
	}
	if _, after, err := db.SetQuoteDecision(ctx, posted, store.QuoteApproved, day); err != nil || after.Status != store.QuoteApproved || after.MessageID != "100" {
		t.Errorf("approving a posted quote = %+v, %v; want approved, message 100 kept", after, err)
	}
	if _, err := db.WithdrawQuote(ctx, posted.QuoteID); err != nil {
		t.Fatal(err)
	}
	if _, after, err := db.SetQuoteDecision(ctx, posted, store.QuoteRejected, day); !errors.Is(err, store.ErrQuoteWithdrawn) || after.Status != store.QuoteWithdrawn {
		t.Errorf("rejecting a withdrawn quote = %+v, %v; want ErrQuoteWithdrawn, still withdrawn", after, err)
	}

	for _, bad := range []struct {
		r  store.QuoteReview
		to store.QuoteStatus
	}{
		{store.QuoteReview{QuoteID: "x", Period: "2026-W49"}, store.QuoteApproved},
		{r, store.QuoteWithdrawn},
	} {
		if _, _, err := db.SetQuoteDecision(ctx, bad.r, bad.to, day); err == nil {
			t.Errorf("SetQuoteDecision(%+v, %s) = nil error; want one", bad.r, bad.to)
		}
	}
}
