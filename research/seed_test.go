package research_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/research"
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/store"
)

// london is digest.timezone's default.
var london = mustLocation("Europe/London")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a time in London.
func at(year int, month time.Month, day, hour int) time.Time {
	return time.Date(year, month, day, hour, 0, 0, 0, london)
}

// ownWords is the prompt of the default pack's quotable recovery
// question, own_words.
const ownWords = "In your own words, what does recovery mean to you?"

// newWords is own_words reworded, as a moderator might in a later
// version of the recovery flow.
const newWords = "What does recovery mean to you, in your own words?"

// openStore opens a new PeerVoice database, a real SQLite file.
func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "peervoice.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// defaultPack is the built-in flow pack.
func defaultPack(t *testing.T) *flows.Catalog {
	t.Helper()
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// rewordedPack is the built-in pack with own_words reworded: a new
// version of the recovery flow.
func rewordedPack(t *testing.T) *flows.Catalog {
	t.Helper()
	pack := flows.Pack()
	entries, err := fs.ReadDir(pack, ".")
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{}
	for _, e := range entries {
		src, err := fs.ReadFile(pack, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "recovery.yaml" {
			if !strings.Contains(string(src), ownWords) {
				t.Fatalf("recovery.yaml no longer asks %q", ownWords)
			}
			src = []byte(strings.Replace(string(src), ownWords, newWords, 1))
		}
		files[e.Name()] = &fstest.MapFile{Data: src}
	}
	cat, probs := flows.Load(files, "pack")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	return cat
}

// detector is the default crisis check.
func detector(t *testing.T) *safety.Detector {
	t.Helper()
	det, err := safety.New(safety.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return det
}

// config is the Config cmd/peervoice makes from the default settings,
// serving cat.
func config(t *testing.T, cat *flows.Catalog) research.Config {
	return research.Config{
		Location: london, Subgroups: []string{"gender", "ethnicity"}, QuoteApproval: true, MaxQuotes: 10,
		Flows: func() *flows.Catalog { return cat }, Crisis: detector(t),
	}
}

// answer has participants, one for each of words, consent to take part
// and to be quoted, then answer recovery's own_words with their words,
// all at when, through the participant service serving cat. The first
// participant is "person-0", and so on.
func answer(t *testing.T, db *store.DB, cat *flows.Catalog, when time.Time, words ...string) {
	t.Helper()
	c := context.Background()
	svc, err := participant.New(db, participant.Config{Flows: func() *flows.Catalog { return cat }, Now: func() time.Time { return when }})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range words {
		u := participant.User{Platform: "terminal", ID: "person-" + when.Format("20060102T15") + "-" + string(rune('a'+i))}
		if _, err := svc.Begin(c, u, "recovery", ""); err != nil {
			t.Fatal(err)
		}
		for _, in := range []flows.Input{{Kind: flows.Choose, Choices: []string{"yes"}}, {Kind: flows.Choose, Choices: []string{"yes"}}, flows.Typed(w)} {
			r, err := svc.Input(c, u, participant.Step{Input: in})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range r.Outputs {
				if inv, ok := o.(flows.Invalid); ok {
					t.Fatalf("answering: %s: %s", inv.Question.ID, inv.Reason)
				}
			}
		}
	}
}
