package research_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/research"
)

// TestCandidates: the moderators are asked about the quotes of the last
// and the current week, each with its week, with the ids the digest of
// that week publishes; a posted request's week is built again by name.
func TestCandidates(t *testing.T) {
	db := openStore(t)
	cat := defaultPack(t)
	answer(t, db, cat, at(2026, 11, 11, 12), "From week 46.")
	answer(t, db, cat, at(2026, 11, 18, 12), "From week 47.")
	answer(t, db, cat, at(2026, 11, 25, 12), "From week 48.")
	b := research.New(db, config(t, cat))
	now := at(2026, 11, 26, 9) // in week 48
	c := context.Background()

	if got, want := periodNames(b.RecentWeeks(now)), []string{"2026-W47", "2026-W48"}; !slices.Equal(got, want) {
		t.Errorf("RecentWeeks = %q; want %q", got, want)
	}
	tests := []struct {
		name    string
		get     func() ([]research.Candidate, error)
		want    []string // period: text
		wantErr string
	}{
		{name: "recent", get: func() ([]research.Candidate, error) { return b.Candidates(c, now) }, want: []string{"2026-W47: From week 47.", "2026-W48: From week 48."}},
		{name: "by name", get: func() ([]research.Candidate, error) { return b.CandidatesIn(c, []string{"2026-W46", "2026-11"}, now) }, want: []string{"2026-11: From week 46.", "2026-11: From week 47.", "2026-11: From week 48.", "2026-W46: From week 46."}},
		{name: "none", get: func() ([]research.Candidate, error) { return b.CandidatesIn(c, []string{"2026-W45"}, now) }},
		{name: "mistyped", get: func() ([]research.Candidate, error) { return b.CandidatesIn(c, []string{"2026-W46", "2026-W99"}, now) }, wantErr: "quote review period: "},
	}
	for _, tt := range tests {
		got, err := tt.get()
		if tt.wantErr != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "99") {
				t.Errorf("%s: %v; want an error starting %q that names the week", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var texts []string
		for _, q := range got {
			texts = append(texts, q.Period+": "+q.Text)
		}
		slices.Sort(texts)
		if !slices.Equal(texts, tt.want) {
			t.Errorf("%s: candidates %q; want %q", tt.name, texts, tt.want)
		}
		// The ids are those of the period's digest.
		for _, q := range got {
			d, err := b.Build(c, mustPeriod(t, q.Period), now)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(d.Candidates(), func(dq digest.Quote) bool { return dq == q.Quote }) {
				t.Errorf("%s: candidate %s (%q) is not one of the digest of %s", tt.name, q.ID, q.Text, q.Period)
			}
		}
	}
}

func periodNames(ps []digest.Period) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}
