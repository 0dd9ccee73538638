package discordtest_test

import (
	"fmt"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestGetAndDeleteMessage reads and deletes a message through both kinds of
// endpoint, a channel's and an interaction's webhook: each reads the
// message back, a deleted message is gone, and the bot hears of a deletion
// by MESSAGE_DELETE unless the message was ephemeral, which Discord never
// dispatches.
func TestGetAndDeleteMessage(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	g := e.AddGuild("Team")
	ch := g.AddChannel("general")
	alice := e.User("alice")
	g.AddMember(alice)
	bot := newErrs()
	deleted := make(chan string, 10)
	ephemeral := make(chan string, 1)
	s := open(t, e,
		func(_ *discordgo.Session, d *discordgo.MessageDelete) { deleted <- d.ID },
		func(s *discordgo.Session, i *discordgo.InteractionCreate) {
			if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "only you", Flags: discordgo.MessageFlagsEphemeral},
			}); err != nil {
				bot.report(err)
			}
			m, err := s.InteractionResponse(i.Interaction)
			if err != nil || m.Content != "only you" {
				bot.report(fmt.Errorf("InteractionResponse = %+v, %v; want the ephemeral response", m, err))
			}
			if err := s.InteractionResponseDelete(i.Interaction); err != nil {
				bot.report(err)
			}
			if _, err := s.InteractionResponse(i.Interaction); err == nil {
				bot.report(fmt.Errorf("InteractionResponse after its deletion succeeded"))
			} else if code, _ := restCode(err); code != 10008 {
				bot.report(fmt.Errorf("InteractionResponse after its deletion: code %d; want 10008", code))
			}
			if m != nil {
				ephemeral <- m.ID
			}
		})
	register(t, s, e, "", pingCommand)
	if _, err := alice.RunCommand("ping"); err != nil {
		t.Fatal(err)
	}
	var secret string
	select {
	case secret = <-ephemeral:
	case <-ctx(t).Done():
		bot.none(t)
		t.Fatal("the ephemeral response was never read and deleted")
	}
	if m, _ := e.Message(secret); !m.Deleted {
		t.Errorf("the ephemeral response is %+v; want it deleted", m)
	}

	// The public message is deleted after the ephemeral one, so if the
	// ephemeral deletion had been dispatched it would arrive first.
	post, err := s.ChannelMessageSend(ch.ID, "hello team")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.ChannelMessage(ch.ID, post.ID); err != nil || got.Content != "hello team" {
		t.Errorf("ChannelMessage = %+v, %v; want the post", got, err)
	}
	if err := s.ChannelMessageDelete(ch.ID, post.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-deleted:
		if id != post.ID {
			t.Errorf("MESSAGE_DELETE for %s; want only the post %s (the ephemeral response is %s)", id, post.ID, secret)
		}
	case <-ctx(t).Done():
		t.Fatal("no MESSAGE_DELETE for the deleted post")
	}
	if _, err := s.ChannelMessage(ch.ID, post.ID); err == nil {
		t.Error("ChannelMessage of a deleted post succeeded")
	} else if code, _ := restCode(err); code != 10008 {
		t.Errorf("ChannelMessage of a deleted post: code %d; want 10008", code)
	}
	bot.none(t)
}
