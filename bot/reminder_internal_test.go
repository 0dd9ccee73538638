package bot

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
)

// TestReminderMessage: the wording is the configured text (the flow's
// title in place of %s) or the kind default, and the buttons are in the
// participant's language where PeerVoice has it.
func TestReminderMessage(t *testing.T) {
	f, probs := flows.Parse("pair.yaml", []byte(`id: pair
title: {en: "A pair", cy: "Pâr"}
languages: [en, cy]
theme: Wellbeing
questions:
  - id: one
    type: choice
    prompt: {en: "One?", cy: "Un?"}
    options:
      - {id: yes, label: {en: "Yes", cy: "Ie"}}
      - {id: no, label: {en: "No", cy: "Na"}}
`))
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, text        string
		want, carry, stop string
	}{
		{"en", "", "You paused **A pair**", "Carry on", "No more reminders"},
		{"cy", "", "Fe wnaethoch chi oedi **Pâr**", "Parhau", "Dim rhagor o nodiadau atgoffa"},
		{"en-GB", "Still up for %s? 100%% optional.", "Still up for A pair? 100% optional.", "Carry on", "No more reminders"},
		{"en", "No title, 50%% done.", "No title, 50% done.", "Carry on", "No more reminders"},
	} {
		m := reminderMessage(f, tc.lang, tc.text, "s1")
		if got := m.Embeds[0].Description; !strings.Contains(got, tc.want) {
			t.Errorf("reminderMessage(%s, %q) says %q; want %q", tc.lang, tc.text, got, tc.want)
		}
		row := m.Components[0].(discordgo.ActionsRow)
		carry, stop := row.Components[0].(discordgo.Button), row.Components[1].(discordgo.Button)
		if carry.Label != tc.carry || stop.Label != tc.stop {
			t.Errorf("reminderMessage(%s) buttons %q, %q; want %q, %q", tc.lang, carry.Label, stop.Label, tc.carry, tc.stop)
		}
		if id, err := ParseID(carry.CustomID); err != nil || id.Action != ActCarryOn || id.Session != "s1" || id.Value != "pair" {
			t.Errorf("Carry on's custom id %q = %+v, %v", carry.CustomID, id, err)
		}
		if id, err := ParseID(stop.CustomID); err != nil || id.Action != ActNoReminders {
			t.Errorf("No more reminders' custom id %q = %+v, %v", stop.CustomID, id, err)
		}
	}
}
