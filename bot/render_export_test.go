package bot_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// TestComponentInput: each answering action reads as the interaction
// handler reads it; the others are the caller's to handle.
func TestComponentInput(t *testing.T) {
	id := func(a bot.Action, v string) bot.ID { return bot.ID{Action: a, Session: "s", Question: "q", Value: v} }
	tests := []struct {
		id     bot.ID
		values []string
		want   flows.Input
		ok     bool
	}{
		{id(bot.ActAnswer, "agree"), nil, flows.Input{Kind: flows.Choose, Choices: []string{"agree"}}, true},
		{id(bot.ActSelect, ""), []string{"a", "b"}, flows.Input{Kind: flows.Choose, Choices: []string{"a", "b"}}, true},
		{id(bot.ActSkip, ""), nil, flows.Input{Kind: flows.Skip}, true},
		{id(bot.ActBack, ""), nil, flows.Input{Kind: flows.Back}, true},
		{id(bot.ActStop, ""), nil, flows.Input{Kind: flows.Stop}, true},
		{id(bot.ActContinue, ""), nil, flows.Input{Kind: flows.Enter}, true},
		{id(bot.ActWrite, ""), nil, flows.Input{}, false},
		{id(bot.ActModal, ""), nil, flows.Input{}, false},
		{id(bot.ActLang, "cy"), nil, flows.Input{}, false},
		{bot.ID{Action: bot.ActMenu}, []string{"recovery"}, flows.Input{}, false},
	}
	for _, tt := range tests {
		got, ok := bot.ComponentInput(tt.id, tt.values)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ComponentInput(%s, %q) = %+v, %t; want %+v, %t", tt.id, tt.values, got, ok, tt.want, tt.ok)
		}
	}
}

// TestRenderReplyExported: the exported renderer gives the DM's
// messages: the consent question with buttons whose custom ids decode,
// and, once answered, the same message with every button disabled.
func TestRenderReplyExported(t *testing.T) {
	db := storetest.Open(t, storetest.Path(t), store.Options{})
	svc := storetest.Service(t, db, participant.Config{})
	u := participant.User{Platform: "test", ID: "sam"}
	r, err := svc.Begin(context.Background(), u, "recovery", "en")
	if err != nil {
		t.Fatal(err)
	}
	msgs := bot.RenderReply(r, "en")
	if len(msgs) != 1 || len(msgs[0].Components) == 0 {
		t.Fatalf("RenderReply(consent) = %d messages; want one question with components", len(msgs))
	}
	var ids []bot.ID
	for _, row := range msgs[0].Components {
		for _, c := range row.(discordgo.ActionsRow).Components {
			b, ok := c.(discordgo.Button)
			if !ok {
				continue
			}
			id, err := bot.ParseID(b.CustomID)
			if err != nil {
				t.Errorf("button %q: %v", b.Label, err)
			}
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 || ids[0].Action != bot.ActAnswer || ids[0].Session != r.Session.ID {
		t.Fatalf("consent buttons decode to %+v; want answers of session %s first", ids, r.Session.ID)
	}
	in, _ := bot.ComponentInput(ids[0], nil)
	next, err := svc.Input(context.Background(), u, participant.Step{SessionID: ids[0].Session, QuestionID: ids[0].Question, Input: in})
	if err != nil {
		t.Fatal(err)
	}
	done := bot.RenderAnswered(msgs[0], bot.AnswerNote(next, ids[0].Action))
	for _, row := range done.Components {
		for _, c := range row.(discordgo.ActionsRow).Components {
			if b, ok := c.(discordgo.Button); ok && !b.Disabled {
				t.Errorf("button %q still enabled after the answer", b.Label)
			}
		}
	}
	if f := done.Embeds[len(done.Embeds)-1].Fields; len(f) != 1 || f[0].Value == "" {
		t.Errorf("answered message fields %+v; want the note of the answer", f)
	}
}
