package terminal_test

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
	"github.com/peervoice/peervoice/terminal"
)

const checkinYAML = `id: checkin
title: Monthly check-in
theme: Wellbeing
repeat: monthly
questions:
  - id: listened
    type: choice
    prompt: Have you felt listened to this month?
    options: [yes, no]
`

// TestChatRepeatingFlow: a participant who picks a repeating flow they
// finished is told when its next round opens and offered only their
// answers or the way back; once the month has passed, the menu offers
// round 2, which starts a wave of its own.
func TestChatRepeatingFlow(t *testing.T) {
	cat, probs := flows.Load(fstest.MapFS{"checkin.yaml": {Data: []byte(checkinYAML)}}, "")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	at := time.Date(2026, 11, 20, 15, 4, 0, 0, time.Local)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return at }
	path := filepath.Join(t.TempDir(), "peervoice.db")
	svc := storetest.Service(t, storetest.Open(t, path, store.Options{}), participant.Config{
		Now: now, Flows: func() *flows.Catalog { return cat },
	})
	c := terminal.Chat{Flow: "checkin", Echo: true}
	chat(t, svc, c, "1\n1\n1\n") // consent, then yes: round 1 done

	mu.Lock()
	at = at.AddDate(0, 0, 10)
	mu.Unlock()
	out := chat(t, svc, c, "3\n1\n2\n")
	for _, want := range []string{
		`You finished "Monthly check-in" on 20 November 2026.`,
		"These questions are asked every month: the next round opens on 20 December 2026.",
		"  1. See your answers\n  2. Leave for now\n",
		"Sorry, I didn't recognise \"3\". Type 1 or 2.",
		"Your answers to \"Monthly check-in\":",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("before the next round: transcript lacks %q:\n%s", want, out)
		}
	}
	if got := strings.Count(answersOf(t, svc), "listened: "); got != 1 {
		t.Errorf("before the next round: %d answers to listened; want 1", got)
	}

	mu.Lock()
	at = at.AddDate(0, 1, 0)
	mu.Unlock()
	out = chat(t, svc, c, "2\n2\n")
	for _, want := range []string{"  2. Answer round 2 of these questions (your earlier answers are kept)\n", "Have you felt listened to this month?"} {
		if !strings.Contains(out, want) {
			t.Errorf("once the month has passed: transcript lacks %q:\n%s", want, out)
		}
	}
	if got := strings.Count(answersOf(t, svc), "listened: "); got != 2 {
		t.Errorf("%d answers to listened; want 2, one per round:\n%s", got, answersOf(t, svc))
	}
}
