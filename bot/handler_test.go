package bot

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestReplyResponse: a reply is shown to the person who asked alone
// unless the handler says public; update replaces the clicked message.
func TestReplyResponse(t *testing.T) {
	m := message{Content: "hello"}
	tests := []struct {
		name      string
		r         reply
		typ       discordgo.InteractionResponseType
		ephemeral bool
	}{
		{"default", shown(m), discordgo.InteractionResponseChannelMessageWithSource, true},
		{"public", reply{message: m, public: true}, discordgo.InteractionResponseChannelMessageWithSource, false},
		{"update", reply{message: m, update: true}, discordgo.InteractionResponseUpdateMessage, false},
	}
	for _, tt := range tests {
		got := tt.r.response().initial
		eph := got.Data.Flags&discordgo.MessageFlagsEphemeral != 0
		if got.Type != tt.typ || eph != tt.ephemeral || got.Data.Content != "hello" {
			t.Errorf("%s: response() = type %v, ephemeral %v, %q; want type %v, ephemeral %v, %q", tt.name, got.Type, eph, got.Data.Content, tt.typ, tt.ephemeral, "hello")
		}
	}
}

// TestNewRequest reads a subcommand and its options, or a command's own.
func TestNewRequest(t *testing.T) {
	cmd := func(opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.InteractionCreate {
		return &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand,
			Data: discordgo.ApplicationCommandInteractionData{Name: "cmd", Options: opts}}}
	}
	str := func(name, v string) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}
	}
	again := &discordgo.ApplicationCommandInteractionDataOption{Name: "again", Type: discordgo.ApplicationCommandOptionBoolean, Value: true}
	sub := &discordgo.ApplicationCommandInteractionDataOption{Name: "post", Type: discordgo.ApplicationCommandOptionSubCommand,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{str("period", "2026-W47"), again}}
	tests := []struct {
		ic                 *discordgo.InteractionCreate
		sub, period, other string
		again              bool
	}{
		{cmd(sub), "post", "2026-W47", "", true},
		{cmd(str("flow", "risk")), "", "", "risk", false},
		{cmd(), "", "", "", false},
	}
	for _, tt := range tests {
		rq := newRequest(tt.ic)
		if rq.name != "cmd" || rq.sub != tt.sub || rq.str("period") != tt.period || rq.str("flow") != tt.other || rq.flag("again") != tt.again {
			t.Errorf("newRequest = %q %q period %q flow %q again %v; want %q %q %q %q %v",
				rq.name, rq.sub, rq.str("period"), rq.str("flow"), rq.flag("again"), "cmd", tt.sub, tt.period, tt.other, tt.again)
		}
	}
	if rq := newRequest(cmd(str("again", "yes"))); rq.flag("again") {
		t.Errorf("flag of a string option = true; want false (and no panic)")
	}
}
