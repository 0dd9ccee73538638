package discordtest_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// pingBot answers /ping with an ephemeral "pong <text>", and reports what
// the interaction looked like.
func pingBot(bot errs, seen chan<- *discordgo.InteractionCreate) func(*discordgo.Session, *discordgo.InteractionCreate) {
	return func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		if i.Type != discordgo.InteractionApplicationCommand {
			return
		}
		if seen != nil {
			seen <- i
		}
		text := ""
		for _, o := range i.ApplicationCommandData().Options {
			if o.Name == "text" {
				text = o.StringValue()
			}
		}
		err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "pong " + text, Flags: discordgo.MessageFlagsEphemeral},
		})
		if err != nil {
			bot.report(err)
		}
	}
}

var pingCommand = &discordgo.ApplicationCommand{
	Name: "ping", Description: "Check the bot is alive",
	Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "Anything"},
	},
}

func TestSlashCommandEphemeral(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	bot := newErrs()
	seen := make(chan *discordgo.InteractionCreate, 1)
	s := open(t, e, pingBot(bot, seen))
	register(t, s, e, "", pingCommand)
	alice := e.User("alice")
	in, err := alice.RunCommand("ping", discordtest.Opt("text", "hello"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := alice.WaitMessage(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Content != "pong hello" || !m.Ephemeral || m.InteractionID != in.ID {
		t.Errorf("response = %q ephemeral=%v interaction=%s; want ephemeral \"pong hello\" for %s", m.Content, m.Ephemeral, m.InteractionID, in.ID)
	}
	if typ, ok := in.Response(); !ok || typ != discordgo.InteractionResponseChannelMessageWithSource {
		t.Errorf("Response() = %d, %v; want type 4", typ, ok)
	}
	got := <-seen
	if got.User == nil || got.User.ID != alice.ID || got.Member != nil || got.GuildID != "" {
		t.Errorf("DM interaction: user %v member %v guild %q; want alice as User, no member, no guild", got.User, got.Member, got.GuildID)
	}
	if _, err := alice.RunCommand("nope"); err == nil {
		t.Error("running an unregistered command succeeded")
	}
	bot.none(t)
}

func TestGuildCommandPermissions(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	g := e.AddGuild("Team")
	ch := g.AddChannel("general")
	managers := g.AddRole("Managers", discordtest.PermissionManageGuild)
	boss, worker := e.User("boss"), e.User("worker")
	g.AddMember(boss, managers)
	g.AddMember(worker)
	bot := newErrs()
	seen := make(chan *discordgo.InteractionCreate, 1)
	s := open(t, e, pingBot(bot, seen))
	manage := int64(discordgo.PermissionManageServer)
	cmd := *pingCommand
	cmd.DefaultMemberPermissions = &manage
	register(t, s, e, g.ID, &cmd)

	if _, err := worker.RunCommandIn(ch, "ping"); err == nil || !strings.Contains(err.Error(), "lacks the permissions") {
		t.Errorf("worker without Manage Server ran /ping: %v; want it refused", err)
	}
	if _, err := boss.RunCommandIn(ch, "ping"); err != nil {
		t.Fatal(err)
	}
	got := <-seen
	if got.Member == nil || got.Member.User.ID != boss.ID || got.GuildID != g.ID {
		t.Fatalf("guild interaction: member %+v guild %q; want boss in %s", got.Member, got.GuildID, g.ID)
	}
	if got.Member.Permissions&discordgo.PermissionManageServer == 0 {
		t.Errorf("member permissions %d lack Manage Server", got.Member.Permissions)
	}
	if _, err := boss.WaitMessage(ctx(t), discordtest.ContentContains("pong")); err != nil {
		t.Fatal(err)
	}
	bot.none(t)
}

// menuBot sends a DM with two buttons and a select when asked, answers
// "yes" with UPDATE_MESSAGE disabling the buttons, and the select with a
// modal whose submission it echoes.
func menuBot(bot errs) []any {
	onDM := func(s *discordgo.Session, m *discordgo.MessageCreate) {
		if m.Author.Bot || m.Content != "menu" {
			return
		}
		_, err := s.ChannelMessageSendComplex(m.ChannelID, &discordgo.MessageSend{
			Content: "Shall we?",
			Components: []discordgo.MessageComponent{
				discordgo.ActionsRow{Components: []discordgo.MessageComponent{
					discordgo.Button{Label: "Yes", CustomID: "yes", Style: discordgo.SuccessButton},
					discordgo.Button{Label: "No", CustomID: "no", Style: discordgo.DangerButton},
				}},
				discordgo.ActionsRow{Components: []discordgo.MessageComponent{
					discordgo.SelectMenu{CustomID: "mood", Placeholder: "Mood", Options: []discordgo.SelectMenuOption{
						{Label: "Good", Value: "good"}, {Label: "Bad", Value: "bad"},
					}},
				}},
			},
		})
		if err != nil {
			bot.report(err)
		}
	}
	onInteraction := func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		var resp *discordgo.InteractionResponse
		switch i.Type {
		case discordgo.InteractionMessageComponent:
			d := i.MessageComponentData()
			switch d.CustomID {
			case "yes":
				resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: &discordgo.InteractionResponseData{
					Content: "Great, noted.",
					Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						discordgo.Button{Label: "Yes", CustomID: "yes", Style: discordgo.SuccessButton, Disabled: true},
						discordgo.Button{Label: "No", CustomID: "no", Style: discordgo.DangerButton, Disabled: true},
					}}},
				}}
			case "mood":
				resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
					CustomID: "why/" + d.Values[0], Title: "Tell us more",
					Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						discordgo.TextInput{CustomID: "reason", Label: "Why?", Style: discordgo.TextInputParagraph, Required: true, MaxLength: 500},
					}}},
				}}
			}
		case discordgo.InteractionModalSubmit:
			d := i.ModalSubmitData()
			value := d.Components[0].(*discordgo.ActionsRow).Components[0].(*discordgo.TextInput).Value
			resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: &discordgo.InteractionResponseData{
				Content: d.CustomID + ": " + value,
			}}
		}
		if resp != nil {
			if err := s.InteractionRespond(i.Interaction, resp); err != nil {
				bot.report(err)
			}
		}
	}
	return []any{onDM, onInteraction}
}

func TestButtonUpdateMessage(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	bot := newErrs()
	open(t, e, menuBot(bot)...)
	alice := e.User("alice")
	alice.SendDM("menu")
	menu, err := alice.WaitMessage(ctx(t), discordtest.HasComponent("yes"))
	if err != nil {
		t.Fatal(err)
	}
	if !menu.Interactive() {
		t.Fatal("the menu has no usable components")
	}
	in, err := alice.Click(menu, "yes")
	if err != nil {
		t.Fatal(err)
	}
	updated, err := alice.WaitMessage(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if updated.ID != menu.ID || updated.Content != "Great, noted." || updated.Interactive() || updated.Edits != 1 {
		t.Errorf("after the click: id %s content %q interactive %v edits %d; want the menu edited once with its buttons disabled",
			updated.ID, updated.Content, updated.Interactive(), updated.Edits)
	}
	if typ, _ := in.Response(); typ != discordgo.InteractionResponseUpdateMessage {
		t.Errorf("response type = %d; want 7", typ)
	}
	if _, err := alice.Click(updated, "yes"); err == nil || !strings.Contains(err.Error(), "disabled") {
		t.Errorf("clicking a disabled button: %v; want refused", err)
	}
	bot.none(t)
}

func TestSelectOpensModal(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	bot := newErrs()
	open(t, e, menuBot(bot)...)
	alice := e.User("alice")
	alice.SendDM("menu")
	menu, err := alice.WaitMessage(ctx(t), discordtest.HasComponent("mood"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Choose(menu, "mood", "meh"); err == nil {
		t.Error("choosing a value that is not an option succeeded")
	}
	if _, err := alice.Choose(menu, "mood", "good"); err != nil {
		t.Fatal(err)
	}
	modal, err := alice.WaitModal(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if modal.CustomID != "why/good" || len(modal.Inputs) != 1 || modal.Inputs[0].MaxLength != 500 {
		t.Fatalf("modal = %+v; want why/good with one input of max 500", modal)
	}
	if _, err := alice.SubmitModal(modal, map[string]string{}); err == nil {
		t.Error("submitting without the required field succeeded")
	}
	if _, err := alice.SubmitModal(modal, map[string]string{"reason": "sunny"}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.WaitMessage(ctx(t), discordtest.ContentContains("why/good: sunny")); err != nil {
		t.Fatal(err)
	}
	bot.none(t)
}

func TestDeferredResponseAndFollowups(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	bot := newErrs()
	proceed := make(chan struct{})
	s := open(t, e, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
		})
		if err != nil {
			bot.report(err)
			return
		}
		<-proceed
		if _, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "done thinking"}); err != nil {
			bot.report(err)
		}
		m, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "one more", Flags: discordgo.MessageFlagsEphemeral})
		if err != nil {
			bot.report(err)
			return
		}
		if _, err := s.FollowupMessageEdit(i.Interaction, m.ID, &discordgo.WebhookEdit{Content: ptr("one more (edited)")}); err != nil {
			bot.report(err)
		}
	})
	register(t, s, e, "", pingCommand)
	alice := e.User("alice")
	in, err := alice.RunCommand("ping")
	if err != nil {
		t.Fatal(err)
	}
	if typ, err := in.WaitResponse(ctx(t)); err != nil || typ != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("WaitResponse = %d, %v; want type 5", typ, err)
	}
	close(proceed)
	first, err := alice.WaitMessage(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Content != "done thinking" || !first.Ephemeral || first.Followup {
		t.Errorf("first message = %q ephemeral=%v followup=%v; want the deferred original filled in, still ephemeral", first.Content, first.Ephemeral, first.Followup)
	}
	second, err := alice.WaitMessage(ctx(t), discordtest.ContentContains("(edited)"))
	if err != nil {
		t.Fatal(err)
	}
	if !second.Followup || !second.Ephemeral {
		t.Errorf("second message followup=%v ephemeral=%v; want an ephemeral follow-up", second.Followup, second.Ephemeral)
	}
	bot.none(t)
}

func TestBotSendsFilesAndEmbeds(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	s := open(t, e)
	alice := e.User("alice")
	dm, err := s.UserChannelCreate(alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := s.ChannelMessageSendComplex(dm.ID, &discordgo.MessageSend{
		Content: "Your summary",
		Embeds:  []*discordgo.MessageEmbed{{Title: "Week 12", Description: "All good", Fields: []*discordgo.MessageEmbedField{{Name: "Mood", Value: "up"}}}},
		Files:   []*discordgo.File{{Name: "summary.txt", ContentType: "text/plain", Reader: bytes.NewReader([]byte("hello file"))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := alice.WaitMessage(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != sent.ID || len(m.Embeds) != 1 || m.Embeds[0].Title != "Week 12" {
		t.Errorf("message = %+v; want the sent message with its embed", m)
	}
	if len(m.Attachments) != 1 || string(m.Attachments[0].Data) != "hello file" || m.Attachments[0].Filename != "summary.txt" {
		t.Errorf("attachments = %+v; want summary.txt", m.Attachments)
	}
	got, err := s.ChannelMessage(dm.ID, sent.ID)
	if err != nil || got.Attachments[0].Filename != "summary.txt" {
		t.Errorf("ChannelMessage = %+v, %v; want the message back", got, err)
	}
	edited, err := s.ChannelMessageEdit(dm.ID, sent.ID, "Your summary (v2)")
	if err != nil || edited.Content != "Your summary (v2)" || len(edited.Embeds) != 1 {
		t.Errorf("ChannelMessageEdit = %+v, %v; want new content, embed kept", edited, err)
	}
	if reqs := e.RequestsTo("POST /channels/{channel_id}/messages"); len(reqs) != 1 || len(reqs[0].Files) != 1 {
		t.Errorf("logged requests = %+v; want one multipart POST with a file", reqs)
	}
}

func TestManyUsersAtOnce(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	bot := newErrs()
	open(t, e, echoDMs(bot.report))
	const n = 200
	done := make(chan error, n)
	for i := range n {
		go func() {
			u := e.User("user" + string(rune('A'+i%26)) + time.Duration(i).String())
			u.SendDM("hi")
			_, err := u.WaitMessage(ctx(t), discordtest.ContentContains("echo: hi"))
			done <- err
		}()
	}
	for range n {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	bot.none(t)
}

func ptr[T any](v T) *T { return &v }
