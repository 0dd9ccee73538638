package bot_test

import (
	"strings"
	"testing"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestRecoveryFlowInDMs: consent, then the whole recovery flow with
// buttons and typed text, every answer stored, the old questions'
// buttons disabled after each answer.
func TestRecoveryFlowInDMs(t *testing.T) {
	h := newHarness(t)
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	c := ctx(t)
	m := waitQ(t, alice, c, "own_words")
	if !strings.Contains(embedText(m), "In your own words") {
		t.Errorf("first question = %q", embedText(m))
	}
	alice.SendDM("Living well on my own terms")
	edited, err := alice.WaitMessage(c, func(x discordtest.Message) bool { return x.ID == m.ID && !x.Interactive() })
	if err != nil {
		t.Fatalf("the answered question was not disabled: %v", err)
	}
	if !strings.Contains(embedText(edited), "Your answer: Living well on my own terms") {
		t.Errorf("answered question shows %q", embedText(edited))
	}
	m = waitQ(t, alice, c, "word_fits")
	answer(t, alice, m, "fits_well")
	m = waitQ(t, alice, c, "team_agrees")
	answer(t, alice, m, "disagree")
	m = waitQ(t, alice, c, "team_view")
	// The form (modal) works in DMs too.
	if _, err := alice.Click(m, control(t, m, bot.ActWrite, "")); err != nil {
		t.Fatal(err)
	}
	md, err := alice.WaitModal(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.SubmitModal(md, map[string]string{"answer": "They talk about symptoms, I talk about my life"}); err != nil {
		t.Fatal(err)
	}
	// Skip the rest with the Skip button until the end.
	for i := 0; i < 10; i++ {
		m, err = alice.WaitMessage(c, func(x discordtest.Message) bool {
			return x.Interactive() || strings.Contains(embedText(x), "/survey") && x.Edits == 0
		})
		if err != nil {
			t.Fatal(err)
		}
		if !m.Interactive() {
			break
		}
		if _, err := alice.Click(m, control(t, m, bot.ActSkip, "")); err != nil {
			t.Fatal(err)
		}
	}
	d := h.data(alice)
	got := map[string]string{}
	for _, a := range d.Answers {
		got[a.QuestionID] = a.Answer
	}
	want := map[string]string{
		"own_words":   "Living well on my own terms",
		"word_fits":   "It fits well",
		"team_agrees": "Disagree",
		"team_view":   "They talk about symptoms, I talk about my life",
	}
	for q, w := range want {
		if got[q] != w {
			t.Errorf("stored %s = %q; want %q", q, got[q], w)
		}
	}
	if !strings.Contains(embedText(m), "Use `/survey` to answer another set") {
		t.Errorf("the flow did not end with its closing message; last message: %q", embedText(m))
	}

	// A select menu: the multi-choice question that opens what-matters.
	if _, err := alice.RunCommand("survey", discordtest.Opt("flow", "what-matters")); err != nil {
		t.Fatal(err)
	}
	m = waitQ(t, alice, c, "matters")
	if _, err := alice.Choose(m, control(t, m, bot.ActSelect, ""), "housing", "peer_support"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.WaitMessage(c, func(x discordtest.Message) bool { return x.ID == m.ID && !x.Interactive() }); err != nil {
		t.Fatal(err)
	}
	got = map[string]string{}
	for _, a := range h.data(alice).Answers {
		got[a.QuestionID] = a.Answer
	}
	if want := "A safe place to live, Peer support from people who have been there"; got["matters"] != want {
		t.Errorf("stored matters = %q; want %q", got["matters"], want)
	}
	if len(h.e.Violations()) > 0 {
		t.Errorf("violations: %v", h.e.Violations())
	}
}
