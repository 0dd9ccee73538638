package flows_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/flows"
)

// TestStepsShareNothing takes several steps from the same session, as a
// host does when a participant clicks twice or goes back and answers
// differently, and changes each result the way a caller could: no step
// may change the session it started from or another step's result. The
// engine gives each session room to grow its path, so this is where an
// aliased array would show.
func TestStepsShareNothing(t *testing.T) {
	f := exampleFlow(t)
	s, _ := flows.Start(f, "s", "", t0)
	for _, line := range []string{"words", "2", "1, 2"} {
		var err error
		if s, _, err = flows.Resume(f, s, flows.Typed(line), t0); err != nil {
			t.Fatal(err)
		}
	}
	back, _, err := flows.Resume(f, s, flows.Typed("back"), t0)
	if err != nil {
		t.Fatal(err)
	}
	from := map[string]flows.Session{"answered": s, "back": back}
	for name, base := range from {
		want := marshal(t, base)
		var results []flows.Session
		for _, line := range []string{"1", "4", "skip", "back", "stop", "not an option"} {
			r, _, err := flows.Resume(f, base, flows.Typed(line), t0)
			if err != nil {
				t.Fatalf("%s: Resume(%q): %v", name, line, err)
			}
			results = append(results, r)
		}
		snapshots := make([]string, len(results))
		for i, r := range results {
			snapshots[i] = marshal(t, r)
		}
		for i := range results {
			r := &results[i]
			r.Path = append(r.Path, fmt.Sprintf("changed-%d", i))
			if len(r.Path) > 1 {
				r.Path[0] = "changed"
			}
			r.Answers[fmt.Sprintf("changed-%d", i)] = flows.Answer{Text: "x"}
			for id := range r.Answers {
				a := r.Answers[id]
				a.Text = "changed"
				r.Answers[id] = a
			}
		}
		if got := marshal(t, base); got != want {
			t.Errorf("%s: steps from it changed it:\n%s\nwant\n%s", name, got, want)
		}
		// Each result changed only itself: re-running a step gives what it
		// gave before the others were changed.
		for i, line := range []string{"1", "4", "skip", "back", "stop", "not an option"} {
			r, _, _ := flows.Resume(f, base, flows.Typed(line), t0)
			if got := marshal(t, r); got != snapshots[i] {
				t.Errorf("%s: Resume(%q) = %s after changing other results; want %s", name, line, got, snapshots[i])
			}
		}
	}
}

func marshal(t *testing.T, s flows.Session) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestProgressLongFlow counts progress through a flow longer than the
// notes progress keeps on the stack (64 questions), with a condition near
// the end that depends on the first answer: once that answer is settled
// the count is exact, with or without the question it hides.
func TestProgressLongFlow(t *testing.T) {
	const n = 70
	var b strings.Builder
	b.WriteString("id: long\ntitle: Long\ntheme: Length\nquestions:\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  - id: q%d\n    type: choice\n    prompt: Question %d?\n    options: [a, b]\n", i, i)
		if i == 66 {
			b.WriteString("    when: q1 == \"a\"\n")
		}
	}
	f := mustParse(t, "long.yaml", b.String())
	for _, c := range []struct {
		first string
		total int
	}{{"1", n}, {"2", n - 1}} {
		s, outs := flows.Start(f, "s", "", t0)
		var asked []string
		for step := 0; s.Status != flows.Done; step++ {
			ask := lastAsk(outs)
			asked = append(asked, ask.Question.ID)
			p := ask.Progress
			switch {
			case step == 0:
				if p.Number != 1 || p.Exact {
					t.Errorf("first=%s: at the start, progress = %+v; want number 1, not exact", c.first, p)
				}
			case !p.Exact || p.Number != step+1 || p.Total != c.total:
				t.Errorf("first=%s: at %s, progress = %+v; want %d of %d", c.first, ask.Question.ID, p, step+1, c.total)
			}
			line := "1"
			if step == 0 {
				line = c.first
			}
			var err error
			if s, outs, err = flows.Resume(f, s, flows.Typed(line), t0); err != nil {
				t.Fatal(err)
			}
		}
		if len(asked) != c.total || slices.Contains(asked, "q66") != (c.first == "1") {
			t.Errorf("first=%s: asked %d questions (q66 asked: %v); want %d", c.first, len(asked), slices.Contains(asked, "q66"), c.total)
		}
	}
}

func lastAsk(outs []flows.Output) *flows.Ask {
	var ask *flows.Ask
	for _, o := range outs {
		if a, ok := o.(flows.Ask); ok {
			ask = &a
		}
	}
	return ask
}

// TestEngineAllocations holds the engine to issue 15's target: the walk
// BenchmarkEngine times (the longest default flow, answered in memory)
// makes at most 95 allocations, half of the 191 it made before. Counts
// depend on the Go release; the race detector changes them, so it is
// skipped there.
func TestEngineAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	c, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	var f *flows.Flow
	var inputs []flows.Input
	for _, x := range c.Flows() {
		if in, _ := script(t, x); len(in) > len(inputs) {
			f, inputs = x, in
		}
	}
	got := testing.AllocsPerRun(100, func() {
		s, _ := flows.Start(f, "0123456789abcdef01234567", "", t0)
		for _, in := range inputs {
			s, _, _ = flows.Resume(f, s, in, t0)
		}
	})
	if got > 95 {
		t.Errorf("a session of %s (%d steps) allocates %.0f times; want at most 95", f.ID, len(inputs)+1, got)
	}
}

// TestConcurrentSessions walks one flow from many goroutines at once, as
// the bot does for its participants: each must see exactly what a walk on
// its own sees. Run with -race, it also shows that what the engine shares
// between sessions (the parsed flow, the pool conditions run on) is safe.
func TestConcurrentSessions(t *testing.T) {
	f := exampleFlow(t)
	ways := [][]string{
		{"words", "2", "1, 2", "no", "back", "yes"},
		{"words", "4", "why not", "4", "other things", "no", "it was hard"},
		{"skip", "skip", "skip", "skip", "skip", "skip"},
	}
	want := make([]string, len(ways))
	for i, w := range ways {
		log, _ := drive(t, f, w)
		want[i] = strings.Join(log, "\n")
	}
	errs := make(chan string, 8*len(ways))
	done := make(chan struct{})
	for g := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for round := range 50 {
				i := (g + round) % len(ways)
				s, outs := flows.Start(f, "s", "", t0)
				log := describe(outs)
				for _, line := range ways[i] {
					var err error
					if s, outs, err = flows.Resume(f, s, flows.Typed(line), t0); err != nil {
						errs <- err.Error()
						return
					}
					log = append(log, describe(outs)...)
				}
				if got := strings.Join(log, "\n"); got != want[i] {
					errs <- fmt.Sprintf("way %d:\n%s\nwant\n%s", i, got, want[i])
					return
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
