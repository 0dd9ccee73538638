package participant_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
)

// brokenWhen lints clean (lint tries sample numbers, not 7) but its
// condition exceeds expr's memory budget when n is 7.
const brokenWhen = `id: broken
title: Broken
theme: Testing
questions:
  - {id: n, type: number, prompt: How many}
  - id: follow
    type: text
    prompt: Tell us more
    when: n != 7 or len(1..2000000) > 0
`

// TestWhenFailureIsLogged: a condition that fails at run time asks its
// question and is logged for the moderators, naming the flow, question
// and condition but never the participant.
func TestWhenFailureIsLogged(t *testing.T) {
	cat, probs := flows.Load(fstest.MapFS{"broken.yaml": {Data: []byte(brokenWhen)}}, "")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	e := &env{t: t, path: t.TempDir() + "/peervoice.db", cat: cat}
	e.open(participant.Config{Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if _, err := e.svc.Begin(ctx, alice, "broken", ""); err != nil {
		t.Fatal(err)
	}
	e.say(alice, "1")
	e.say(alice, "1")
	if r := e.say(alice, "7"); asked(r) != "follow" {
		t.Errorf("after n=7 asked %q; want follow (a failing condition asks its question)", asked(r))
	}
	got := logs.String()
	for _, want := range []string{"level=WARN", "a when: condition failed at run time", "flow=broken", "question=follow", "memory budget exceeded"} {
		if !strings.Contains(got, want) {
			t.Errorf("log %q; want %q", got, want)
		}
	}
	if strings.Contains(got, alice.ID) || strings.Contains(got, e.db.Pseudonym(alice.Platform, alice.ID)) {
		t.Errorf("log %q names the participant", got)
	}
}
