package flows_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/flows"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func mustParse(t testing.TB, name, src string) *flows.Flow {
	t.Helper()
	f, probs := flows.Parse(name, []byte(src))
	if len(probs) > 0 {
		t.Fatalf("Parse(%s): %v", name, probs)
	}
	return f
}

func exampleFlow(t testing.TB) *flows.Flow {
	t.Helper()
	src, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return mustParse(t, "example.yaml", string(src))
}

// describe renders outputs compactly, one per line, for comparison.
func describe(outs []flows.Output) []string {
	var lines []string
	for _, o := range outs {
		switch o := o.(type) {
		case flows.Ask:
			s := fmt.Sprintf("ask %s (%s)", o.Question.ID, o.Progress)
			if o.Default != nil {
				s += " default=" + o.Question.Format(*o.Default, "")
			}
			lines = append(lines, s)
		case flows.Invalid:
			lines = append(lines, "invalid: "+o.Reason)
		case flows.Answered:
			lines = append(lines, fmt.Sprintf("answered %s=%s", o.Question.ID, o.Question.Format(o.Answer, "")))
		case flows.Cleared:
			lines = append(lines, "cleared "+strings.Join(o.QuestionIDs, ","))
		case flows.Stopped:
			lines = append(lines, "stopped")
		case flows.Finished:
			lines = append(lines, "finished")
		}
	}
	return lines
}

// roundTrip marshals s to JSON and back, as a host that stores the
// session between steps does.
func roundTrip(t testing.TB, s flows.Session) flows.Session {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var out flows.Session
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// drive starts f and applies inputs (typed lines, or "choose:a,b"),
// returning every output line and the final session.
func drive(t *testing.T, f *flows.Flow, inputs []string) ([]string, flows.Session) {
	t.Helper()
	s, outs := flows.Start(f, "s1", "", t0)
	log := describe(outs)
	for i, line := range inputs {
		in := flows.Typed(line)
		if ids, ok := strings.CutPrefix(line, "choose:"); ok {
			in = flows.Input{Kind: flows.Choose, Choices: strings.Split(ids, ",")}
		}
		var err error
		s, outs, err = flows.Resume(f, roundTrip(t, s), in, t0.Add(time.Duration(i+1)*time.Minute))
		if err != nil {
			log = append(log, "error: "+err.Error())
			continue
		}
		log = append(log, describe(outs)...)
	}
	return log, s
}

func TestEngine(t *testing.T) {
	tests := []struct {
		name   string
		inputs []string
		want   []string // the tail of the log to check
		status flows.Status
	}{
		{
			name:   "text answer",
			inputs: []string{"It means living my life"},
			want:   []string{"answered own_words=It means living my life", "ask team_agrees (about 5 left)"},
			status: flows.Active,
		},
		{
			name:   "text too long is rejected with the limit",
			inputs: []string{strings.Repeat("x", 41)},
			want:   []string{"invalid: That answer is 41 characters, and the limit here is 40. Could you shorten it, or send the rest as your answer to a later question?", "ask own_words (about 6 left)"},
			status: flows.Active,
		},
		{
			name:   "empty text",
			inputs: []string{"   "},
			want:   []string{"invalid: That looked empty. Please type your answer, or skip this question.", "ask own_words (about 6 left)"},
			status: flows.Active,
		},
		{
			name:   "scale by number",
			inputs: []string{"skip", "2"},
			want:   []string{"answered team_agrees=Agree", "ask matters (about 4 left)"},
			status: flows.Active,
		},
		{
			name:   "scale by label, any case",
			inputs: []string{"skip", "NEITHER AGREE NOR DISAGREE"},
			want:   []string{"answered team_agrees=Neither agree nor disagree", "ask matters (about 4 left)"},
			status: flows.Active,
		},
		{
			name:   "scale by id shows the when question",
			inputs: []string{"skip", "strongly_disagree"},
			want:   []string{"answered team_agrees=Strongly disagree", "ask team_view (about 5 left)"},
			status: flows.Active,
		},
		{
			name:   "scale by button",
			inputs: []string{"skip", "choose:disagree"},
			want:   []string{"answered team_agrees=Disagree", "ask team_view (about 5 left)"},
			status: flows.Active,
		},
		{
			name:   "unknown option typed",
			inputs: []string{"skip", "maybe"},
			want:   []string{`invalid: Sorry, I didn't recognise "maybe". Please choose a number from 1 to 5, or type skip.`, "ask team_agrees (about 5 left)"},
			status: flows.Active,
		},
		{
			name:   "unknown option clicked",
			inputs: []string{"skip", "choose:nope"},
			want:   []string{"invalid: That isn't one of the answers to this question. Please choose from the list.", "ask team_agrees (about 5 left)"},
			status: flows.Active,
		},
		{
			name:   "two answers to a choice",
			inputs: []string{"skip", "choose:agree,disagree"},
			want:   []string{"invalid: Please choose just one answer.", "ask team_agrees (about 5 left)"},
			status: flows.Active,
		},
		{
			name:   "multi by numbers with the when on other",
			inputs: []string{"skip", "skip", "1, 4"},
			want:   []string{"answered matters=A safe place to live, Something else", "ask matters_other (about 3 left)"},
			status: flows.Active,
		},
		{
			name:   "multi by space-separated numbers",
			inputs: []string{"skip", "skip", "1 2"},
			want:   []string{"answered matters=A safe place to live, Peer support", "ask happened (about 2 left)"},
			status: flows.Active,
		},
		{
			name:   "multi by labels",
			inputs: []string{"skip", "skip", "peer support; work or study"},
			want:   []string{"answered matters=Peer support, Work or study", "ask happened (about 2 left)"},
			status: flows.Active,
		},
		{
			name:   "multi over max",
			inputs: []string{"skip", "skip", "1,2,3,4"},
			want:   []string{"invalid: Please choose no more than 3 answers.", "ask matters (about 4 left)"},
			status: flows.Active,
		},
		{
			name:   "choice next jumps by option",
			inputs: []string{"skip", "skip", "skip", "no"},
			want:   []string{"answered happened=No", "ask why_not (5 of 5)"},
			status: flows.Active,
		},
		{
			name:   "choice next to end finishes",
			inputs: []string{"skip", "skip", "skip", "yes"},
			want:   []string{"answered happened=Yes", "finished"},
			status: flows.Done,
		},
		{
			name:   "choice without a jump goes on",
			inputs: []string{"skip", "skip", "skip", "partly"},
			want:   []string{"answered happened=Partly", "ask years (5 of 6)"},
			status: flows.Active,
		},
		{
			name:   "number in range",
			inputs: []string{"skip", "skip", "skip", "partly", "12"},
			want:   []string{"answered years=12", "ask why_not (6 of 6)"},
			status: flows.Active,
		},
		{
			name:   "number out of range",
			inputs: []string{"skip", "skip", "skip", "partly", "120"},
			want:   []string{"invalid: Please type a number from 0 to 80.", "ask years (5 of 6)"},
			status: flows.Active,
		},
		{
			name:   "not a number",
			inputs: []string{"skip", "skip", "skip", "partly", "lots"},
			want:   []string{"invalid: Please type a number, such as 3.", "ask years (5 of 6)"},
			status: flows.Active,
		},
		{
			name:   "skip everything",
			inputs: []string{"skip", "skip", "skip", "skip", "skip", "skip"},
			want:   []string{"answered years=(skipped)", "ask why_not (6 of 6)", "answered why_not=(skipped)", "finished"},
			status: flows.Done,
		},
		{
			name:   "back keeps the answer as default",
			inputs: []string{"My words", "back"},
			want:   []string{"answered own_words=My words", "ask team_agrees (about 5 left)", "ask own_words (about 6 left) default=My words"},
			status: flows.Active,
		},
		{
			name:   "back on the first question",
			inputs: []string{"back"},
			want:   []string{"invalid: This is the first question, so there is nothing to go back to.", "ask own_words (about 6 left)"},
			status: flows.Active,
		},
		{
			name:   "stop pauses, then input resumes",
			inputs: []string{"stop", "My words"},
			want:   []string{"stopped", "answered own_words=My words", "ask team_agrees (about 5 left)"},
			status: flows.Active,
		},
		{
			name:   "stop",
			inputs: []string{"skip", "stop"},
			want:   []string{"stopped"},
			status: flows.Paused,
		},
		{
			name:   "going back and taking another branch clears the old one",
			inputs: []string{"skip", "disagree", "They focus on symptoms", "back", "back", "agree"},
			want:   []string{"answered team_agrees=Agree", "cleared team_view", "ask matters (about 4 left)"},
			status: flows.Active,
		},
		{
			name:   "answers off the final path are cleared at the end",
			inputs: []string{"skip", "skip", "skip", "partly", "12", "back", "back", "yes"},
			want:   []string{"answered happened=Yes", "cleared years", "finished"},
			status: flows.Done,
		},
		{
			name:   "input after the end",
			inputs: []string{"skip", "skip", "skip", "yes", "more"},
			want:   []string{"finished", "error: flows: session is finished"},
			status: flows.Done,
		},
	}
	f := exampleFlow(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, s := drive(t, f, tt.inputs)
			if len(log) < len(tt.want) {
				t.Fatalf("log = %q; want it to end with %q", log, tt.want)
			}
			got := log[len(log)-len(tt.want):]
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("log ends\n%s\nwant\n%s\n(whole log: %q)", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), log)
			}
			if s.Status != tt.status {
				t.Errorf("status = %s; want %s", s.Status, tt.status)
			}
		})
	}
}

// TestQuestionTypes keeps the engine tests honest: every question type
// must be answered, skipped and rejected somewhere in a table.
func TestQuestionTypes(t *testing.T) {
	src := `id: types
title: Every type
theme: Testing
questions:
  - {id: i, type: info, prompt: Some information}
  - {id: c, type: choice, prompt: C, options: [a, b]}
  - {id: m, type: multi, prompt: M, options: [a, b, c], min: 2}
  - {id: s, type: scale, prompt: S, scale: frequency5}
  - {id: t, type: text, prompt: T}
  - {id: n, type: number, prompt: N, min: 1}
`
	f := mustParse(t, "types.yaml", src)
	tests := map[flows.Type]struct{ good, bad, want string }{
		flows.TypeInfo:   {good: "", bad: "", want: ""},
		flows.TypeChoice: {good: "b", bad: "3", want: "B"},
		flows.TypeMulti:  {good: "a, c", bad: "a", want: "A, C"},
		flows.TypeScale:  {good: "rarely", bad: "seldom", want: "Rarely"},
		flows.TypeText:   {good: "words", bad: " ", want: "words"},
		flows.TypeNumber: {good: "7", bad: "0", want: "7"},
	}
	for _, typ := range flows.Types {
		tt, ok := tests[typ]
		if !ok {
			t.Errorf("question type %s has no test case", typ)
			continue
		}
		var q *flows.Question
		for _, x := range f.Questions {
			if x.Type == typ {
				q = x
			}
		}
		if q == nil {
			t.Fatalf("the fixture has no %s question", typ)
		}
		// Start a session positioned at q by skipping the ones before it.
		s, _ := flows.Start(f, "s", "", t0)
		for s.Current != q.ID {
			var err error
			if s, _, err = flows.Resume(f, s, flows.Input{Kind: flows.Skip}, t0); err != nil {
				t.Fatal(err)
			}
		}
		if typ == flows.TypeInfo {
			s2, outs, err := flows.Resume(f, s, flows.Typed(""), t0)
			if err != nil || s2.Current != "c" || len(describe(outs)) != 1 {
				t.Errorf("info: continue gave %v, %q, %v", s2.Current, describe(outs), err)
			}
			continue
		}
		_, outs, err := flows.Resume(f, s, flows.Typed(tt.bad), t0)
		if err != nil || !strings.HasPrefix(describe(outs)[0], "invalid:") {
			t.Errorf("%s: Resume(%q) = %q, %v; want invalid", typ, tt.bad, describe(outs), err)
		}
		_, outs, err = flows.Resume(f, s, flows.Typed(tt.good), t0)
		if err != nil || describe(outs)[0] != fmt.Sprintf("answered %s=%s", q.ID, tt.want) {
			t.Errorf("%s: Resume(%q) = %q, %v; want answered %s", typ, tt.good, describe(outs), err, tt.want)
		}
		_, outs, err = flows.Resume(f, s, flows.Input{Kind: flows.Skip}, t0)
		if err != nil || describe(outs)[0] != fmt.Sprintf("answered %s=(skipped)", q.ID) {
			t.Errorf("%s: skip = %q, %v", typ, describe(outs), err)
		}
	}
}

func TestResumeDoesNotModifyItsInput(t *testing.T) {
	f := exampleFlow(t)
	s, _ := flows.Start(f, "s", "", t0)
	before, _ := json.Marshal(s)
	if _, _, err := flows.Resume(f, s, flows.Typed("words"), t0); err != nil {
		t.Fatal(err)
	}
	after, _ := json.Marshal(s)
	if string(before) != string(after) {
		t.Errorf("Resume changed the session passed in:\n%s\n%s", before, after)
	}
}

func TestVersionMismatch(t *testing.T) {
	f := exampleFlow(t)
	s, _ := flows.Start(f, "s", "", t0)
	changed := mustParse(t, "example.yaml", string(f.Source)+"\n# edited\n")
	if _, _, err := flows.Resume(changed, s, flows.Typed("x"), t0); !errors.Is(err, flows.ErrVersion) {
		t.Errorf("Resume on another version = %v; want ErrVersion", err)
	}
	if _, _, err := flows.Resume(f, s, flows.Typed("x"), t0); err != nil {
		t.Errorf("Resume on its own version = %v", err)
	}
}

func TestReopen(t *testing.T) {
	f := exampleFlow(t)
	s, _ := flows.Start(f, "s", "", t0)
	s, _, _ = flows.Resume(f, s, flows.Typed("words"), t0)
	s, _, _ = flows.Resume(f, s, flows.Input{Kind: flows.Stop}, t0)
	s, outs, err := flows.Reopen(f, roundTrip(t, s), t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(outs); len(got) != 1 || got[0] != "ask team_agrees (about 5 left)" || s.Status != flows.Active {
		t.Errorf("Reopen = %q, %s", got, s.Status)
	}
}

func TestStartShowsIntro(t *testing.T) {
	f := exampleFlow(t)
	_, outs := flows.Start(f, "s", "", t0)
	ask, ok := outs[0].(flows.Ask)
	if !ok || ask.Intro != f.Intro.String() || ask.Question.ID != "own_words" {
		t.Errorf("Start = %#v; want the first question with the intro", outs)
	}
}

func TestTyped(t *testing.T) {
	tests := []struct {
		in   string
		want flows.InputKind
	}{
		{"skip", flows.Skip}, {"  SKIP. ", flows.Skip}, {"back", flows.Back}, {"Stop", flows.Stop},
		{"stop for now", flows.Stop}, {"skipping is fine", flows.Enter}, {"", flows.Enter},
	}
	for _, tt := range tests {
		if got := flows.Typed(tt.in).Kind; got != tt.want {
			t.Errorf("Typed(%q).Kind = %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestLanguages(t *testing.T) {
	src := `id: cy
title: {en: Recovery, cy: Adferiad}
theme: Testing
languages: [en, cy]
questions:
  - id: ok
    type: choice
    prompt: {en: "All right?", cy: "Iawn?"}
    options:
      - {id: yes, label: {en: "Yes", cy: "Ydw"}}
      - {id: no, label: {en: "No", cy: "Nac ydw"}}
`
	f := mustParse(t, "cy.yaml", src)
	s, outs := flows.Start(f, "s", "cy", t0)
	ask := outs[0].(flows.Ask)
	if got := ask.Question.Prompt.In(ask.Lang); got != "Iawn?" {
		t.Errorf("prompt in cy = %q", got)
	}
	_, outs, err := flows.Resume(f, s, flows.Typed("nac ydw"), t0)
	if err != nil || describe(outs)[0] != "answered ok=No" {
		t.Errorf("Welsh label typed = %q, %v", describe(outs), err)
	}
	if s2, _ := flows.Start(f, "s", "fr", t0); s2.Lang != "en" {
		t.Errorf("Start in an undeclared language chose %q; want the first declared", s2.Lang)
	}
}
