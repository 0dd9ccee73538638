package bot_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// tryout is a new flow a moderator uploads and previews.
const tryout = `id: tryout
title: Trying things out
intro: A short set of questions to try the preview with.
theme: Trying out
questions:
  - id: mood
    type: choice
    prompt: How has this week been?
    options:
      - {id: good, label: "Good"}
      - {id: mixed, label: "Mixed"}
  - id: words
    type: text
    prompt: In your own words, what made the difference?
  - id: again
    type: choice
    prompt: Would you answer questions like these again?
    options:
      - {id: "yes", label: "Yes"}
      - {id: "no", label: "No"}
`

const previewBanner = "🔍 **Preview of `tryout` (draft)**: nothing you answer here is stored as research data."

// TestFlowsPreviewStoresNothing: a moderator previews a draft from its
// Preview button and walks it with buttons, Skip and a typed answer
// naming a crisis, in ephemeral messages under the preview banner, as a
// participant would see it: the signpost comes, and the flow finishes.
// Counted in the database file before and after, not one row is added
// to participants, consents, sessions, answers or flow versions, and
// /mydata has nothing; a real participant's answer, counted the same
// way, is (so the count can see a write).
func TestFlowsPreviewStoresNothing(t *testing.T) {
	h := newFlowsHarness(t)
	c := ctx(t)
	draft, _ := h.uploadFile(h.moderator, "tryout.yaml", []byte(tryout))
	if !strings.HasPrefix(draft.Content, "`tryout` is now a draft: a new flow, with no live version to compare with.") {
		t.Fatalf("upload = %q", draft.Content)
	}
	before := rows(t, h.path)

	mood := h.click(h.moderator, draft, "Preview")
	if !mood.Ephemeral || !strings.HasPrefix(mood.Content, previewBanner) || !question("mood")(mood) {
		t.Fatalf("preview's first message = %q (ephemeral %v); want the mood question under the banner", embedText(mood), mood.Ephemeral)
	}
	if !strings.Contains(embedText(mood), "A short set of questions to try the preview with.") {
		t.Errorf("the preview does not show the flow's intro: %q", embedText(mood))
	}
	if _, err := h.moderator.Click(mood, control(t, mood, bot.ActSkip, "")); err != nil {
		t.Fatal(err)
	}
	words := waitQ(t, h.moderator, c, "words")
	if !words.Ephemeral || !strings.HasPrefix(words.Content, previewBanner) {
		t.Errorf("after Skip: %q (ephemeral %v); want the next question under the banner", words.Content, words.Ephemeral)
	}
	if _, err := h.moderator.Click(words, control(t, words, bot.ActWrite, "")); err != nil {
		t.Fatal(err)
	}
	md, err := h.moderator.WaitModal(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.moderator.SubmitModal(md, map[string]string{"answer": "honestly some days i just want to kill myself"}); err != nil {
		t.Fatal(err)
	}
	signpost, err := h.moderator.WaitMessage(c, says("116 123"))
	if err != nil {
		t.Fatalf("no crisis signpost in the preview: %v", err)
	}
	if !signpost.Ephemeral || !strings.HasPrefix(signpost.Content, previewBanner) {
		t.Errorf("signpost %q (ephemeral %v); want it ephemeral, under the banner", signpost.Content, signpost.Ephemeral)
	}
	again := waitQ(t, h.moderator, c, "again")
	answer(t, h.moderator, again, "yes")
	if _, err := h.moderator.WaitMessage(c, func(m discordtest.Message) bool {
		return strings.HasPrefix(m.Content, previewBanner) && strings.Contains(embedText(m), "Thank you")
	}); err != nil {
		t.Errorf("the preview did not finish: %v", err)
	}

	// A version, too, through version:.
	v1 := h.run(h.moderator, "preview", discordtest.Opt("id", "risk"), discordtest.Opt("version", 1))
	if !strings.HasPrefix(v1.Content, "🔍 **Preview of `risk` (v1)**") || !question("focus")(v1) {
		t.Errorf("preview id:risk version:1 = %q; want risk's first question under its banner", embedText(v1))
	}

	if after := rows(t, h.path); !maps.Equal(after, before) {
		t.Errorf("rows after the previews = %v; before %v: a preview wrote to the study's database", after, before)
	}
	if d := h.data(h.moderator); d.Consent != nil || len(d.Answers) != 0 {
		t.Errorf("/mydata of the moderator after previews: consent %+v, %d answers; want nothing", d.Consent, len(d.Answers))
	}
	for _, m := range h.moderator.Messages() {
		if !m.Ephemeral && m.ChannelID == h.general.ID {
			t.Errorf("a preview message was visible in #general: %q", embedText(m))
		}
	}

	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	waitQ(t, alice, c, "own_words")
	if after := rows(t, h.path); after["consents"] <= before["consents"] || after["sessions"] <= before["sessions"] {
		t.Errorf("rows after a participant consented and began = %v; before %v: the count does not see writes", after, before)
	}
}

// TestFlowsPreviewNeedsTheModeratorRole: a preview's buttons and form
// need the moderator role on every click, like /flows itself: a
// moderator who loses the role mid-preview is refused, and the preview
// does not move.
func TestFlowsPreviewNeedsTheModeratorRole(t *testing.T) {
	h := newFlowsHarness(t)
	h.uploadFile(h.moderator, "tryout.yaml", []byte(tryout))
	mood := h.run(h.moderator, "preview", discordtest.Opt("id", "tryout"))
	h.guild.AddMember(h.moderator, h.managers) // the moderator role taken away
	for _, act := range []bot.Action{bot.ActAnswer, bot.ActSkip, bot.ActStop} {
		value := ""
		if act == bot.ActAnswer {
			value = "good"
		}
		in, err := h.moderator.Click(mood, control(t, mood, act, value))
		if err != nil {
			t.Fatal(err)
		}
		if got := h.answer(h.moderator, in).Content; got != "This needs the moderator role." {
			t.Errorf("click %c on a preview without the role = %q; want the refusal", act, got)
		}
	}
	if strings.Count(h.logs.String(), "command=\"flows preview\" role=moderator") != 3 {
		t.Errorf("the refusals were not logged as the preview's: %s", h.logs.String())
	}
	h.guild.AddMember(h.moderator, h.modRole, h.managers)
	if _, err := h.moderator.Click(mood, control(t, mood, bot.ActSkip, "")); err != nil {
		t.Fatal(err)
	}
	words := waitQ(t, h.moderator, ctx(t), "words")

	// A preview lives in the bot's memory: after a restart its buttons
	// say it is over.
	h.stop()
	h.start()
	in, err := h.moderator.Click(words, control(t, words, bot.ActSkip, ""))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.answer(h.moderator, in).Content; got != "This preview is over (the bot restarted, or it was started hours ago). Start it again with `/flows preview`; nothing from it was stored." {
		t.Errorf("a click on a preview after a restart = %q", got)
	}
}
