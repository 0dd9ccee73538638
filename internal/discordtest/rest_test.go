package discordtest_test

import (
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

func TestGuildEndpoints(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	g := e.AddGuild("Team")
	ch := g.AddChannel("general")
	mods := g.AddRole("Mods", discordtest.PermissionManageGuild)
	alice := e.User("alice")
	g.AddMember(alice, mods)
	s := open(t, e)
	m, err := s.GuildMember(g.ID, alice.ID)
	if err != nil || m.User.ID != alice.ID || len(m.Roles) != 1 || m.Roles[0] != mods.ID {
		t.Errorf("GuildMember = %+v, %v; want alice with the Mods role", m, err)
	}
	if _, err := s.GuildMember(g.ID, e.User("stranger").ID); err == nil {
		t.Error("GuildMember of a non-member succeeded")
	} else if code, _ := restCode(err); code != 10007 {
		t.Errorf("GuildMember of a non-member: code %d; want 10007", code)
	}
	roles, err := s.GuildRoles(g.ID)
	if err != nil || len(roles) != 3 || roles[2].Permissions != discordtest.PermissionManageGuild {
		t.Errorf("GuildRoles = %v, %v; want @everyone, the bot's role and Mods", roles, err)
	}
	channels, err := s.GuildChannels(g.ID)
	if err != nil || len(channels) != 1 || channels[0].ID != ch.ID || channels[0].Name != "general" {
		t.Errorf("GuildChannels = %v, %v; want #general", channels, err)
	}
	c, err := s.Channel(ch.ID)
	if err != nil || c.GuildID != g.ID || c.Type != discordgo.ChannelTypeGuildText {
		t.Errorf("Channel = %+v, %v; want the guild text channel", c, err)
	}
	if got := g.Permissions(alice); got&discordtest.PermissionManageGuild == 0 {
		t.Errorf("Permissions(alice) = %d; want Manage Server", got)
	}
	me, err := s.User("@me")
	if err != nil || me.ID != e.BotID() || !me.Bot {
		t.Errorf("User(@me) = %+v, %v; want the bot", me, err)
	}
	cmds, err := s.ApplicationCommands(e.AppID(), "")
	if err != nil || len(cmds) != 0 {
		t.Errorf("ApplicationCommands = %v, %v; want none yet", cmds, err)
	}
}

func TestOriginalResponseEditAndDelete(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	bot := newErrs()
	next := make(chan string)
	s := open(t, e, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "step 1"},
		}); err != nil {
			bot.report(err)
		}
		for step := range next {
			var err error
			if step == "delete" {
				err = s.InteractionResponseDelete(i.Interaction)
			} else {
				_, err = s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &step})
			}
			if err != nil {
				bot.report(err)
			}
		}
	})
	register(t, s, e, "", pingCommand)
	alice := e.User("alice")
	if _, err := alice.RunCommand("ping"); err != nil {
		t.Fatal(err)
	}
	first, err := alice.WaitMessage(ctx(t), nil)
	if err != nil || first.Content != "step 1" || first.Ephemeral {
		t.Fatalf("first = %+v, %v; want a public \"step 1\"", first, err)
	}
	next <- "step 2"
	if _, err := alice.WaitMessage(ctx(t), discordtest.ContentContains("step 2")); err != nil {
		t.Fatal(err)
	}
	next <- "delete"
	close(next)
	if _, err := e.WaitGateway(ctx(t), func(discordtest.GatewayStats) bool {
		m, _ := e.Message(first.ID)
		return m.Deleted
	}); err != nil {
		t.Errorf("the original response was never deleted: %v", err)
	}
	if got := e.ChannelMessages(alice.DMChannelID()); len(got) != 1 || !got[0].Deleted {
		t.Errorf("ChannelMessages = %+v; want the deleted response", got)
	}
	bot.none(t)
}

func TestDeferredUpdateEditsSource(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	g := e.AddGuild("Team")
	ch := g.AddChannel("general")
	alice := e.User("alice")
	g.AddMember(alice)
	bot := newErrs()
	s := open(t, e, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}); err != nil {
			bot.report(err)
			return
		}
		if _, err := s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: ptr("closed"), Components: &[]discordgo.MessageComponent{}}); err != nil {
			bot.report(err)
		}
	})
	post, err := s.ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{Content: "vote", Components: []discordgo.MessageComponent{
		discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "Go", CustomID: "go"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.WaitChannelMessage(ctx(t), ch.ID, nil)
	if err != nil || m.ID != post.ID {
		t.Fatalf("WaitChannelMessage = %+v, %v; want the post", m, err)
	}
	if _, err := alice.Click(m, "go"); err != nil {
		t.Fatal(err)
	}
	got, err := alice.WaitMessage(ctx(t), discordtest.ContentContains("closed"))
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != post.ID || got.Interactive() || got.GuildID != g.ID {
		t.Errorf("after type 6 and an edit: %+v; want the post, without components", got)
	}
	bot.none(t)
}

func TestCallbackTypeMismatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ  discordgo.InteractionResponseType
		want string
	}{
		{discordgo.InteractionResponsePong, "PONG (type 1) answers only PING"},
		{discordgo.InteractionResponseDeferredMessageUpdate, "callback type 6 is only valid for component interactions"},
		{discordgo.InteractionResponseUpdateMessage, "callback type 7 is only valid for component interactions"},
	}
	for _, tt := range tests {
		t.Run(tt.want[:15], func(t *testing.T) {
			t.Parallel()
			e := discordtest.New(t)
			e.ExpectViolation(tt.want)
			results := make(chan error, 1)
			s := open(t, e, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
				results <- s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: tt.typ, Data: &discordgo.InteractionResponseData{Content: "x"}})
			})
			register(t, s, e, "", pingCommand)
			in, err := e.User("alice").RunCommand("ping")
			if err != nil {
				t.Fatal(err)
			}
			if _, status := restCode(<-results); status != http.StatusBadRequest {
				t.Errorf("type %d for a command: status %d; want 400", tt.typ, status)
			}
			if _, ok := in.Response(); ok {
				t.Error("the interaction counts as answered")
			}
		})
	}
}
