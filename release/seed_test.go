package release_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/release"
)

// TestSeedRule walks the folder seeding rule through restarts: a file
// imports once; a version published from elsewhere survives a restart
// with the file unchanged; a broken file changes nothing and is
// reported; the fixed file goes live; an edit goes live.
func TestSeedRule(t *testing.T) {
	e := newEnv(t)
	const file = "/srv/flows/mood.yaml"
	v1 := mood("How do you feel?", "good, low")
	fromCLI := mood("How do you feel this week?", "good, low")
	broken := bytes.Replace(v1, []byte("type: text"), []byte("type: txt"), 1)
	fixed := mood("How do you feel today?", "good, low")
	steps := []struct {
		name     string
		before   func() // another actor's change, before the seed
		src      []byte // the file's content at this start
		imported int    // the version imported, 0 for none
		problem  string // a problem reported, "" for none
		live     int    // the live version after
		liveSrc  []byte // its source
	}{
		{name: "first start", src: v1, imported: 1, live: 1, liveSrc: v1},
		{name: "restart, file unchanged", src: v1, live: 1, liveSrc: v1},
		{name: "published from the command line, then a restart", src: v1, live: 2, liveSrc: fromCLI, before: func() {
			if _, err := e.svc.PublishSource(ctxb, fromCLI, "mood.yaml", cli); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "file broken", src: broken, problem: file + ":10:11: ", live: 2, liveSrc: fromCLI},
		{name: "file still broken, restart", src: broken, problem: file + ":10:11: ", live: 2, liveSrc: fromCLI},
		{name: "file fixed", src: fixed, imported: 3, live: 3, liveSrc: fixed},
		{name: "restart after the fix", src: fixed, live: 3, liveSrc: fixed},
	}
	for _, s := range steps {
		if s.before != nil {
			s.before()
		}
		rep, err := e.svc.Seed(ctxb, []release.Source{{Name: file, Src: s.src}})
		if err != nil {
			t.Fatalf("%s: Seed = %v", s.name, err)
		}
		got := 0
		if len(rep.Imported) == 1 {
			got = rep.Imported[0].N
			if rep.Imported[0].Actor.Kind != "file" {
				t.Errorf("%s: imported by %v; want the file actor", s.name, rep.Imported[0].Actor)
			}
		}
		if got != s.imported || len(rep.Imported) > 1 {
			t.Errorf("%s: imported %+v; want v%d", s.name, rep.Imported, s.imported)
		}
		probs := rep.Problems.Error()
		if (s.problem == "") != (len(rep.Problems) == 0) || !strings.Contains(probs, s.problem) {
			t.Errorf("%s: problems %q; want %q", s.name, probs, s.problem)
		}
		live, err := e.svc.Show(ctxb, "mood", 0)
		if err != nil || live.N != s.live || !bytes.Equal(live.Source, s.liveSrc) {
			t.Errorf("%s: live v%d %q, %v; want v%d %q", s.name, live.N, live.Source, err, s.live, s.liveSrc)
		}
	}
	if got := history(t, e, "mood"); strings.Count(got, "\n") != 3 || !strings.Contains(got, "file: 1 question reworded") {
		t.Errorf("history:\n%s\nwant three versions, the last from the file", got)
	}
}

// TestSeedSameIDTwice: two files with one flow id are a problem for the
// second, and the first is imported.
func TestSeedSameIDTwice(t *testing.T) {
	e := newEnv(t)
	rep, err := e.svc.Seed(ctxb, []release.Source{{Name: "b/mood.yaml", Src: mood("B?", "a, b")}, {Name: "a/mood.yaml", Src: mood("A?", "a, b")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Imported) != 1 || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Error(), `b/mood.yaml:1:1: flow id "mood" is also used by a/mood.yaml`) {
		t.Errorf("Seed of two files with one id: imported %+v, problems %q", rep.Imported, rep.Problems.Error())
	}
}
