package research_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/research"
	"github.com/peervoice/peervoice/store"
)

// w47 is a week with answers in the tests: 16 to 22 November 2026.
var w47 = at(2026, 11, 18, 12)

// quoteTexts lists the texts of quotes.
func quoteTexts(qs []digest.Quote) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Text)
	}
	slices.Sort(out)
	return out
}

// TestBuildQuotes: the digest applies the configured rules to the
// quotes: approval on or off, the moderators' decisions as they are when
// it is built, digest.scrub_names, the crisis check and
// digest.max_quotes.
func TestBuildQuotes(t *testing.T) {
	const (
		kept     = "Being listened to, not managed."
		named    = "Sam at the drop-in helped me."
		crisis   = "I want to end my life."
		scrubbed = "[name] at the drop-in helped me."
	)
	tests := []struct {
		name     string
		change   func(*research.Config)
		decide   map[string]store.QuoteStatus // by quote text
		want     []string                     // the published quotes' texts
		count    int                          // else how many are published, when which is the ids' order
		wantCand []string                     // the candidates' texts
		pending  string                       // the count of quotes waiting, if set
	}{
		{name: "approval on, undecided: nothing published", want: nil, pending: "*"},
		{name: "approval on, both rejected: none waiting", decide: map[string]store.QuoteStatus{kept: store.QuoteRejected, named: store.QuoteRejected}, want: nil, pending: "0"},
		{name: "approval on, one approved", decide: map[string]store.QuoteStatus{kept: store.QuoteApproved}, want: []string{kept}},
		{name: "approval on, one approved then undone", decide: map[string]store.QuoteStatus{kept: store.QuotePending}, want: nil},
		{name: "approval on, one rejected, one approved", decide: map[string]store.QuoteStatus{kept: store.QuoteRejected, named: store.QuoteApproved}, want: []string{named}, pending: "0"},
		{name: "approval off: every candidate", change: func(c *research.Config) { c.QuoteApproval = false }, want: []string{kept, named}},
		{name: "approval off, rejected still published", change: func(c *research.Config) { c.QuoteApproval = false }, decide: map[string]store.QuoteStatus{kept: store.QuoteRejected}, want: []string{kept, named}},
		{name: "approval off, max quotes 1", change: func(c *research.Config) { c.QuoteApproval, c.MaxQuotes = false, 1 }, count: 1},
		{name: "scrub names", change: func(c *research.Config) { c.QuoteApproval, c.ScrubNames = false, []string{"Sam"} }, want: []string{kept, scrubbed}, wantCand: []string{kept, scrubbed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openStore(t)
			cat := defaultPack(t)
			answer(t, db, cat, w47, kept, named, crisis)
			cfg := config(t, cat)
			if tt.change != nil {
				tt.change(&cfg)
			}
			b := research.New(db, cfg)
			p := digest.Week(w47, london)
			d, err := b.Build(context.Background(), p, w47)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range d.Candidates() {
				if to, ok := tt.decide[c.Text]; ok {
					// An undo is a decision taken back: approve first.
					steps := []store.QuoteStatus{to}
					if to == store.QuotePending {
						steps = []store.QuoteStatus{store.QuoteApproved, to}
					}
					for _, s := range steps {
						if _, _, err := db.SetQuoteDecision(context.Background(), store.QuoteReview{QuoteID: c.ID, Period: p.Name, Nonce: "nonce-" + c.ID}, s, w47); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			if d, err = b.Build(context.Background(), p, w47); err != nil {
				t.Fatal(err)
			}
			wantCand := tt.wantCand
			if wantCand == nil {
				wantCand = []string{kept, named}
			}
			if got := quoteTexts(d.Candidates()); !slices.Equal(got, wantCand) {
				t.Errorf("candidates = %q; want %q (never the crisis text)", got, wantCand)
			}
			if got := quoteTexts(d.Quotes); tt.count > 0 && len(got) != tt.count || tt.count == 0 && !slices.Equal(got, tt.want) {
				t.Errorf("published quotes = %q; want %q (or %d of the candidates)", got, tt.want, tt.count)
			}
			if got := d.QuotesPending.String(); tt.pending != "" && got != tt.pending {
				t.Errorf("quotes waiting = %s; want %s", got, tt.pending)
			}
		})
	}
}

// TestOldFlowVersionsLabelOldAnswers: a quote keeps the wording of the
// question as the participant was asked it, from the stored version of
// the flow, after the flow was reworded; one answered since has the new
// wording.
func TestOldFlowVersionsLabelOldAnswers(t *testing.T) {
	db := openStore(t)
	answer(t, db, defaultPack(t), w47, "My own life back.")
	now := rewordedPack(t)
	answer(t, db, now, w47.Add(time.Hour), "Hope again.")
	d, err := research.New(db, config(t, now)).Build(context.Background(), digest.Week(w47, london), w47)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range d.Candidates() {
		got[c.Text] = c.Prompt
	}
	want := map[string]string{"My own life back.": ownWords, "Hope again.": newWords}
	for text, prompt := range want {
		if got[text] != prompt {
			t.Errorf("quote %q is labelled %q; want %q (the wording it was answered to)", text, got[text], prompt)
		}
	}
}

// TestConsentFlowIsNotResearch: the consent flow's stored version is
// not among the digest's flows, so its questions are not reported.
func TestConsentFlowIsNotResearch(t *testing.T) {
	db := openStore(t)
	cat := defaultPack(t)
	// Enough people for the consent flow's figures to be shown, were it
	// reported.
	answer(t, db, cat, w47, slices.Repeat([]string{"My own life back."}, 10)...)
	versions, err := db.FlowVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(versions, func(v store.FlowVersion) bool { return v.FlowID == participant.ConsentFlowID }) {
		t.Fatalf("the store keeps no version of the consent flow; the test needs one")
	}
	cfg := config(t, cat)
	cfg.QuoteApproval = false
	d, err := research.New(db, cfg).Digest(context.Background(), "2026-W47")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Themes) == 0 {
		t.Fatalf("the digest has no themes; want recovery's")
	}
	for _, q := range d.Questions {
		if q.FlowID == participant.ConsentFlowID {
			t.Errorf("the digest reports the consent flow's question %q", q.Prompt)
		}
	}
	for _, th := range d.Themes {
		if strings.Contains(strings.ToLower(th.Name), "consent") {
			t.Errorf("the digest has a consent theme %q", th.Name)
		}
	}
}

// TestDigestEmptyDefaultWeek: the last complete week, when it has no
// answers, says which week has and how to ask for it; a period asked
// for by name does not.
func TestDigestEmptyDefaultWeek(t *testing.T) {
	ask := func(p string) string { return "ask for " + p }
	tests := []struct {
		name    string
		answers bool
		now     time.Time
		period  string
		ask     func(string) string
		want    string // in the notice; "" for none
	}{
		{name: "nothing answered yet", now: at(2026, 12, 2, 9), ask: ask, want: "No answers in 2026-W48 (23 to 29 November 2026): nothing has been answered yet."},
		{name: "answers two weeks ago", answers: true, now: at(2026, 12, 2, 9), ask: ask, want: "No answers in 2026-W48 (23 to 29 November 2026); the latest week with answers is 2026-W47 (16 to 22 November 2026): ask for 2026-W47"},
		{name: "answers in the week under way", answers: true, now: at(2026, 11, 18, 13), ask: ask, want: "the latest answers are in 2026-W47 (16 to 22 November 2026): ask for 2026-W47"},
		{name: "default week with answers", answers: true, now: at(2026, 11, 25, 9), ask: ask},
		{name: "an empty week asked for by name", answers: true, now: at(2026, 12, 2, 9), period: "2026-W48", ask: ask},
		{name: "no Ask", answers: true, now: at(2026, 12, 2, 9)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openStore(t)
			cat := defaultPack(t)
			if tt.answers {
				answer(t, db, cat, w47, "My own life back.")
			}
			cfg := config(t, cat)
			cfg.Ask, cfg.Now = tt.ask, func() time.Time { return tt.now }
			d, err := research.New(db, cfg).Digest(context.Background(), tt.period)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" && d.Notice != "" || !strings.Contains(d.Notice, tt.want) {
				t.Errorf("Digest(%q) at %s: notice %q; want %q", tt.period, tt.now.Format(time.DateTime), d.Notice, tt.want)
			}
		})
	}
}

// TestDigestPeriods: Digest reads weeks and months, the last complete
// week by default, and names a mistyped period.
func TestDigestPeriods(t *testing.T) {
	db := openStore(t)
	cat := defaultPack(t)
	cfg := config(t, cat)
	cfg.Now = func() time.Time { return at(2026, 12, 2, 9) }
	b := research.New(db, cfg)
	for _, tt := range []struct {
		period, want, wantErr string
	}{
		{period: "", want: "2026-W48"},
		{period: "2026-W47", want: "2026-W47"},
		{period: "2026-11", want: "2026-11"},
		{period: "2026-W99", wantErr: "no week 99"},
		{period: "November", wantErr: "November"},
	} {
		d, err := b.Digest(context.Background(), tt.period)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Digest(%q) = %v; want an error naming %q", tt.period, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("Digest(%q): %v", tt.period, err)
		case d.Period.Name != tt.want || d.Period.First != mustPeriod(t, tt.want).Start.Format(time.DateOnly):
			t.Errorf("Digest(%q) is of %s from %s; want %s", tt.period, d.Period.Name, d.Period.First, tt.want)
		}
	}
}

func mustPeriod(t *testing.T, name string) digest.Period {
	t.Helper()
	p, err := digest.ParsePeriod(name, london)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNoFlowsServed: with no flows served, the stored versions still
// label the answers given to them.
func TestNoFlowsServed(t *testing.T) {
	db := openStore(t)
	answer(t, db, defaultPack(t), w47, "My own life back.")
	cfg := config(t, nil)
	cfg.Flows, cfg.Subgroups = nil, []string{} // about-you was not answered: no stored version to compare by
	d, err := research.New(db, cfg).Build(context.Background(), digest.Week(w47, london), w47)
	if err != nil {
		t.Fatal(err)
	}
	if c := d.Candidates(); len(c) != 1 || c[0].Prompt != ownWords || c[0].FlowTitle != "What recovery means to you" {
		t.Errorf("candidates = %+v; want the one quote, labelled from the stored recovery flow", c)
	}
}
