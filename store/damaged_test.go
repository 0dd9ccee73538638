package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

// TestDigestDataDamagedQuote: a quotable answer whose text cannot be
// decrypted is left out of the quotes and counted in Unreadable; the
// other quote and every figure are as without the damage.
func TestDigestDataDamagedQuote(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	w := &digestWorld{t: t}
	w.db = open(t, path, store.Options{Synchronous: "NORMAL", Now: func() time.Time { return w.now }})
	for _, f := range []string{"recovery", "about-you"} {
		if err := w.db.SaveFlowVersion(ctx, store.FlowVersion{Hash: "v-" + f, FlowID: f, Source: []byte("id: " + f)}); err != nil {
			t.Fatal(err)
		}
	}
	dgCommunity(w)
	p6 := w.participant(dgLastWeek, true, true)
	w.step(p6, "s6a", "recovery", store.StatusDone, dgThisWeek, dgThisWeek, dgText("own_words", "P6 is quoted"))
	clean, err := w.db.DigestData(ctx, dgQuery())
	if err != nil || len(clean.Quotes) != 2 || clean.Unreadable != 0 {
		t.Fatalf("DigestData before the damage = %d quotes, %d unreadable, %v; want 2 and 0", len(clean.Quotes), clean.Unreadable, err)
	}

	raw := rawDB(t, path)
	if _, err := raw.ExecContext(ctx, `UPDATE answers SET text = substr(text, 1, 16) WHERE session_id = 's1b' AND question_id = 'own_words'`); err != nil {
		t.Fatal(err)
	}
	d, err := w.db.DigestData(ctx, dgQuery())
	if err != nil {
		t.Fatalf("DigestData with a damaged quote = %v; want the rest", err)
	}
	if d.Unreadable != 1 || len(d.Quotes) != 1 || d.Quotes[0].Text != "P6 is quoted" {
		t.Errorf("DigestData: %d unreadable, quotes %+v; want 1, and P6's quote alone", d.Unreadable, d.Quotes)
	}
	if !slices.Equal(dgTallies(d), dgTallies(clean)) || d.SetCounts == nil || !slices.Equal(d.SetCounts, clean.SetCounts) {
		t.Errorf("the figures changed with the damaged quote:\n%v\nwant\n%v", dgTallies(d), dgTallies(clean))
	}
}
