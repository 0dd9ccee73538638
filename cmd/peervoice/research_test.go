package main_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/research"
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/store"
)

// TestDigestMatchesResearch: `peervoice digest` prints the digest research
// builds from the same store with the same settings, byte for byte, so
// the CLI passes every setting on and adds nothing of its own; the bot,
// handed the same builder, posts that digest too.
func TestDigestMatchesResearch(t *testing.T) {
	dir := t.TempDir()
	week := digestCommunity(t, dir)
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	det, err := safety.New(safety.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defaults := research.Config{
		Location: london, Policy: policy(t, 8, 5), Subgroups: []string{"gender", "ethnicity"}, QuoteApproval: true, MaxQuotes: 10,
		Flows: func() *flows.Catalog { return cat }, Crisis: det,
		Ask: func(p string) string { return "peervoice digest --period " + p },
	}
	changed := defaults
	changed.Policy, changed.Subgroups, changed.QuoteApproval, changed.MaxQuotes, changed.ScrubNames = policy(t, 5, 10), []string{"gender"}, false, 3, []string{"person"}
	tests := []struct {
		name   string
		env    []string
		args   []string
		cfg    research.Config
		period string
		format string
	}{
		{"defaults", nil, []string{"--period", week}, defaults, week, "md"},
		{"settings changed", []string{"PEERVOICE_DISCLOSURE_MIN_COUNT=5", "PEERVOICE_DISCLOSURE_ROUND_TO=10", "PEERVOICE_DIGEST_SUBGROUPS=gender",
			"PEERVOICE_DIGEST_QUOTE_APPROVAL=false", "PEERVOICE_DIGEST_MAX_QUOTES=3", "PEERVOICE_DIGEST_SCRUB_NAMES=person"}, []string{"--period", week, "--format", "json"}, changed, week, "json"},
		{"the default week, empty", nil, nil, defaults, "", "md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := peervoice(t, dir, "", tt.env, append([]string{"digest"}, tt.args...)...)
			if r.code != 0 {
				t.Fatalf("digest: exit %d\n%s", r.code, r.stderr)
			}
			db, err := store.Open(context.Background(), filepath.Join(dir, "peervoice.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			d, err := research.New(db, tt.cfg).Digest(context.Background(), tt.period)
			if err != nil {
				t.Fatal(err)
			}
			var want strings.Builder
			if err := d.Render(&want, tt.format); err != nil {
				t.Fatal(err)
			}
			if r.stdout != want.String() {
				t.Errorf("peervoice digest %s printed\n%s\nresearch built\n%s", strings.Join(tt.args, " "), r.stdout, want.String())
			}
			if tt.period == "" && !strings.Contains(r.stdout, "peervoice digest --period "+week) {
				t.Errorf("the empty default week does not say how to ask for %s:\n%s", week, r.stdout)
			}
		})
	}
}

func policy(t *testing.T, minCount, roundTo int) disclosure.Policy {
	t.Helper()
	p, err := disclosure.New(minCount, roundTo)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
