package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// moodFlow is a one-question flow worded as prompt.
func moodFlow(prompt string) string {
	return `id: mood
title: Mood check
theme: Wellbeing
questions:
  - id: feel
    type: choice
    prompt: ` + prompt + `
    options:
      - {id: good, label: "Good"}
      - {id: bad, label: "Not good"}
`
}

// moodFlowsDir writes a flows directory holding about-you (for the default
// subgroups) and the mood flow worded as prompt.
func moodFlowsDir(t *testing.T, prompt string) string {
	t.Helper()
	about, err := os.ReadFile(filepath.Join("..", "..", "flows", "pack", "about-you.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return flowsDir(t, map[string]string{"about-you.yaml": string(about), "mood.yaml": moodFlow(prompt)})
}

// digestPrompts runs the JSON digest of week with extra arguments and
// returns the mood question's prompt and other wordings.
func digestPrompts(t *testing.T, dir, week string, args ...string) (string, []string) {
	t.Helper()
	r := peervoice(t, dir, "", nil, append([]string{"digest", "--period", week, "--format", "json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("digest %v: exit %d\n%s", args, r.code, r.stderr)
	}
	var d struct {
		Questions []struct {
			Flow, Question, Prompt string
			Other                  []string `json:"other_wordings"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	for _, q := range d.Questions {
		if q.Flow == "mood" && q.Question == "feel" {
			return q.Prompt, q.Other
		}
	}
	t.Fatalf("digest %v has no mood/feel question:\n%s", args, r.stdout)
	return "", nil
}

// TestDigestWordingOfAnswers checks that the digest words a question as
// it was asked when the answers were given, whatever --flows holds now:
// answers to wording A are shown under A with the flows changed to B, or
// without --flows at all; once some answers are given to B, B is shown
// with A noted, the same in every run.
func TestDigestWordingOfAnswers(t *testing.T) {
	const a, b = "How do you feel today?", "How are you feeling this week?"
	dir := t.TempDir()
	dirA, dirB := moodFlowsDir(t, a), moodFlowsDir(t, b)
	loc, _ := time.LoadLocation("Europe/London")
	year, wk := time.Now().In(loc).ISOWeek()
	week := fmt.Sprintf("%04d-W%02d", year, wk)
	answer := func(user, flows string) {
		t.Helper()
		if r := peervoice(t, dir, "1\n1\n1\n", nil, "chat", "--user", user, "--flow", "mood", "--flows", flows); r.code != 0 {
			t.Fatalf("chat with %s: exit %d\n%s%s", flows, r.code, r.stdout, r.stderr)
		}
	}
	answer("ann", dirA)

	for _, args := range [][]string{{"--flows", dirB}, {"--flows", dirA}, nil} {
		if got, other := digestPrompts(t, dir, week, args...); got != a || len(other) != 0 {
			t.Errorf("digest %v words the answers given to %q as %q (other wordings %q); want %q alone", args, a, got, other, a)
		}
	}
	// The Markdown says the same.
	r := peervoice(t, dir, "", nil, "digest", "--period", week, "--flows", dirB)
	if !strings.Contains(r.stdout, "### Mood check: "+a) || strings.Contains(r.stdout, b) {
		t.Errorf("the md digest with --flows %s does not word the question as asked (%q):\n%s", dirB, a, r.stdout)
	}

	// Some answers to B: the latest wording, with A noted, in every run.
	answer("bob", dirB)
	for _, args := range [][]string{{"--flows", dirB}, {"--flows", dirA}, nil} {
		if got, other := digestPrompts(t, dir, week, args...); got != b || len(other) != 1 || other[0] != a {
			t.Errorf("digest %v: prompt %q, other wordings %q; want %q with %q", args, got, other, b, a)
		}
	}
	r = peervoice(t, dir, "", nil, "digest", "--period", week)
	if !strings.Contains(r.stdout, "### Mood check: "+b) || !strings.Contains(r.stdout, "Some answers were given to an earlier wording: “"+a+"”.") {
		t.Errorf("the md digest does not show both wordings:\n%s", r.stdout)
	}
	if y, w := time.Now().In(loc).ISOWeek(); y != year || w != wk {
		t.Skip("the week changed during the test; run again")
	}
}
