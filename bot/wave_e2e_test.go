package bot_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
)

const checkinYAML = `id: checkin
title: Weekly check-in
theme: Wellbeing
repeat: weekly
questions:
  - id: listened
    type: choice
    prompt: Have you felt listened to this week?
    options: [yes, no]
`

// TestWaveNotOpenInDiscord: a participant who runs /survey for a weekly
// check-in they have just finished is told, privately and kindly, when
// the next round opens; nothing starts and nothing is asked.
func TestWaveNotOpenInDiscord(t *testing.T) {
	h := newStoppedHarness(t)
	cat, probs := flows.Load(fstest.MapFS{"checkin.yaml": {Data: []byte(checkinYAML)}}, "")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	h.catalog.Store(cat)
	h.start()
	alice := h.e.User("alice")
	h.consent(alice, "checkin")
	c := ctx(t)
	answer(t, alice, waitQ(t, alice, c, "listened"), "yes")
	if _, err := alice.WaitMessage(c, says("Use `/survey`")); err != nil {
		t.Fatalf("no end of the flow: %v", err)
	}
	if _, err := alice.RunCommand("survey", discordtest.Opt("flow", "checkin")); err != nil {
		t.Fatal(err)
	}
	m, err := alice.WaitMessage(c, func(m discordtest.Message) bool { return strings.Contains(m.Content, "next round opens") })
	if err != nil {
		t.Fatalf("no word of when the next round opens: %v", err)
	}
	for _, want := range []string{"Weekly check-in", "every week", "/mydata"} {
		if !m.Ephemeral || !strings.Contains(m.Content, want) {
			t.Errorf("reply (ephemeral %v) = %q; want an ephemeral note saying %q", m.Ephemeral, m.Content, want)
		}
	}
	if d := h.data(alice); len(d.Answers) != 1 || d.Flows[0].Wave != 1 || !d.Flows[0].Waiting {
		t.Errorf("after the refused start: %d answers, flows %+v; want 1 answer, wave 1 waiting", len(d.Answers), d.Flows)
	}
}
