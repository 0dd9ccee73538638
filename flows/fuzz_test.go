package flows_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/peervoice/peervoice/flows"
)

// The fuzz targets run on their seeds in every `go test`; to search
// further, run one at a time, e.g.
//
//	go test ./flows -run '^$' -fuzz '^FuzzFlow$' -fuzztime 3m
//
// docs/security.md records the runs.

// seedFlows returns every flow file the tests and the default pack hold.
func seedFlows(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	for _, pattern := range []string{"testdata/*.yaml", "testdata/lint/*.yaml", "testdata/transcripts/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, b)
		}
	}
	pack, _ := fs.Glob(flows.Pack(), "*.yaml")
	for _, name := range pack {
		b, err := fs.ReadFile(flows.Pack(), name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		f.Fatal("no seed flows")
	}
	return out
}

// FuzzFlow: any file parses without a panic, and a flow that lints clean
// runs without an error under any inputs: every step gives outputs a host
// can show, and the session survives a JSON round trip.
func FuzzFlow(f *testing.F) {
	for i, src := range seedFlows(f) {
		f.Add(src, []byte{byte(i), 1, 2, 3, 0, 7, 250, 9, 4, 4, 5, 6})
	}
	f.Fuzz(func(t *testing.T, src, script []byte) {
		fl, probs := flows.Parse("fuzz.yaml", src)
		if len(probs) > 0 {
			for _, p := range probs {
				if p.Msg == "" {
					t.Fatalf("a problem without a message: %#v", p)
				}
			}
			return
		}
		run(t, fl, script)
	})
}

// run drives fl with inputs read from script and checks every step.
func run(t *testing.T, fl *flows.Flow, script []byte) {
	t.Helper()
	s, outs := flows.Start(fl, "s", "", t0)
	checkStep(t, fl, s, outs)
	for i := 0; i < len(script) && s.Status != flows.Done; i++ {
		in := scripted(fl, s, script[i:])
		next, outs, err := flows.Resume(fl, roundTrip(t, s), in, t0)
		if err != nil {
			t.Fatalf("Resume(%+v) at %q: %v", in, s.Current, err)
		}
		checkStep(t, fl, next, outs)
		if next.Status == flows.Paused {
			if next, outs, err = flows.Reopen(fl, next, t0); err != nil {
				t.Fatalf("Reopen: %v", err)
			}
			checkStep(t, fl, next, outs)
		}
		s = next
	}
}

// scripted makes an input for the current question from the script's
// next byte (and the bytes after it, for text).
func scripted(fl *flows.Flow, s flows.Session, b []byte) flows.Input {
	q := fl.Question(s.Current)
	switch b[0] % 8 {
	case 0:
		return flows.Input{Kind: flows.Skip}
	case 1:
		return flows.Input{Kind: flows.Back}
	case 2:
		return flows.Input{Kind: flows.Stop}
	case 3, 4:
		var ids []string
		for j, o := range q.Options {
			if len(b) > 1 && b[1]&(1<<(j%8)) != 0 {
				ids = append(ids, o.ID)
			}
		}
		if len(ids) == 0 && len(q.Options) > 0 {
			ids = []string{q.Options[int(b[0])%len(q.Options)].ID}
		}
		return flows.Input{Kind: flows.Choose, Choices: ids}
	default:
		return flows.Typed(string(b[1:min(len(b), 1+int(b[0])%40)]))
	}
}

// checkStep checks what one step gave: the session stores as JSON, an
// active session asks its current question, and every answer is one the
// question allows.
func checkStep(t *testing.T, fl *flows.Flow, s flows.Session, outs []flows.Output) {
	t.Helper()
	if _, err := json.Marshal(s); err != nil {
		t.Fatalf("session does not encode: %v", err)
	}
	if len(outs) == 0 {
		t.Fatalf("a step with no outputs at %q", s.Current)
	}
	switch last := outs[len(outs)-1].(type) {
	case flows.Ask:
		if s.Status == flows.Done || last.Question.ID != s.Current {
			t.Fatalf("asks %q, but the session is %s at %q", last.Question.ID, s.Status, s.Current)
		}
	case flows.Finished:
		if s.Status != flows.Done {
			t.Fatalf("finished, but the session is %s", s.Status)
		}
	case flows.Stopped:
		if s.Status != flows.Paused {
			t.Fatalf("stopped, but the session is %s", s.Status)
		}
	default:
		t.Fatalf("last output %T", last)
	}
	for _, o := range outs {
		if a, ok := o.(flows.Answered); ok {
			checkAnswer(t, a.Question, a.Answer)
		}
	}
}

// checkAnswer fails unless a is an answer q accepts.
func checkAnswer(t *testing.T, q *flows.Question, a flows.Answer) {
	t.Helper()
	if a.Skipped {
		return
	}
	switch q.Type {
	case flows.TypeNumber:
		if a.Number == nil || math.IsNaN(*a.Number) || math.IsInf(*a.Number, 0) ||
			q.Min != nil && *a.Number < *q.Min || q.Max != nil && *a.Number > *q.Max {
			t.Fatalf("%s accepted the number %v", q.ID, a.Number)
		}
	case flows.TypeText:
		if strings.TrimSpace(a.Text) == "" || utf8.RuneCountInString(a.Text) > q.MaxLength {
			t.Fatalf("%s accepted the text %q", q.ID, a.Text)
		}
	default:
		for _, id := range a.Choices {
			if q.Option(id) == nil {
				t.Fatalf("%s accepted the option %q", q.ID, id)
			}
		}
	}
}

// typedFlow has one question of every type.
const typedFlow = `id: typed
title: Typed
theme: Testing
questions:
  - {id: c, type: choice, prompt: C, options: [yes, "no", not_sure]}
  - {id: m, type: multi, prompt: M, options: [a, b, c, d], min: 1, max: 3}
  - {id: s, type: scale, prompt: S, scale: agree5}
  - {id: t, type: text, prompt: T, max_length: 50}
  - {id: n, type: number, prompt: N, min: -10, max: 1000}
  - {id: i, type: info, prompt: The end}
`

// FuzzTypedInput: whatever is typed at any question is an accepted answer
// the question allows, a command, or a reason and the question again;
// never an error or a session that cannot be stored.
func FuzzTypedInput(f *testing.F) {
	for _, s := range []string{"1", "2, 3", "yes", "Not sure", "a and b", "NaN", "-Inf", "infinity", "1e999", "0x1p-2", "1,000",
		"skip", "back", "stop", "hepgor", "", " ", "\x00", "\xff", strings.Repeat("x", 60), "3 4 5 6", "-0", "+7.5e2"} {
		for q := range 6 {
			f.Add(uint8(q), s)
		}
	}
	fl, probs := flows.Parse("typed.yaml", []byte(typedFlow))
	if len(probs) > 0 {
		f.Fatal(probs)
	}
	f.Fuzz(func(t *testing.T, at uint8, typed string) {
		s, _ := flows.Start(fl, "s", "", t0)
		for range int(at) % len(fl.Questions) {
			var err error
			if s, _, err = flows.Resume(fl, s, flows.Input{Kind: flows.Skip}, t0); err != nil {
				t.Fatal(err)
			}
		}
		next, outs, err := flows.Resume(fl, s, flows.Typed(typed), t0)
		if err != nil && !errors.Is(err, flows.ErrFinished) {
			t.Fatalf("Resume(%q) at %s: %v", typed, s.Current, err)
		}
		if err == nil {
			checkStep(t, fl, next, outs)
		}
	})
}

// FuzzCondition: any `when:` parses without a panic, and one that lints
// clean runs under any answers without an error; a condition that fails
// at run time asks its question (TestWhenFailureAsks).
func FuzzCondition(f *testing.F) {
	for _, cond := range []string{`c == "a"`, `n >= 5`, `"x" in m`, `t != nil and len(t) > 3`, `len(1..2000000) > 0`,
		`n % 2 == 0`, `not (c in ["a", "b"])`, `m == nil or len(m) > 1`, `n != 7 or len(1..2000000) > 0`, `int(t) > 1`,
		`c`, `[1,2][n] == 2`, `reduce(1..100, #acc + #, 0) > n`, `t matches "(a+)+$"`, `c == "a" ? true : false`} {
		f.Add(cond, []byte{5, 1, 7, 3, 4, 0, 6})
	}
	f.Fuzz(func(t *testing.T, cond string, script []byte) {
		if strings.ContainsAny(cond, "\n\r") {
			return // one line, as a moderator writes it; YAML quoting is not what is tested
		}
		src := `id: cond
title: Conditions
theme: Testing
questions:
  - {id: n, type: number, prompt: N}
  - {id: t, type: text, prompt: T}
  - {id: c, type: choice, prompt: C, options: [a, b]}
  - {id: m, type: multi, prompt: M, options: [x, "y", z]}
  - id: follow
    type: text
    prompt: More
    when: ` + strings.ReplaceAll(strings.ReplaceAll(yamlQuote(cond), "\t", " "), "\x00", "") + "\n"
		fl, probs := flows.Parse("cond.yaml", []byte(src))
		if len(probs) > 0 {
			return
		}
		run(t, fl, script)
	})
}

// yamlQuote quotes s as a YAML double-quoted scalar.
func yamlQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
