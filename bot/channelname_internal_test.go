package bot

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordfix"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestChannelNameBeforeGuildCreate checks that a channel the gateway has
// not told the bot about yet (its guild's GUILD_CREATE can arrive after
// the first checks on start, as on a busy machine) is still named as
// people see it, from the REST API, and that a channel Discord does not
// know stays an id.
func TestChannelNameBeforeGuildCreate(t *testing.T) {
	e := discordtest.New(t)
	ch := e.AddGuild("Peer support").AddChannel("moderators")
	s, err := discordgo.New("Bot " + e.Token())
	if err != nil {
		t.Fatal(err)
	}
	tr, err := discordfix.NewTransport(discordfix.Options{APIURL: e.URL(), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	s.Client = &http.Client{Transport: tr, Timeout: time.Minute}
	b := &Bot{s: s}
	// The bot never connected: its state knows no channel.
	if got, want := b.channelName(ch.ID), "#moderators"; got != want {
		t.Errorf("channelName(%s) = %q; want %q", ch.ID, got, want)
	}
	for _, id := range []string{"1234", ""} { // unknown to Discord; none configured
		if got, want := b.channelName(id), "channel "+id; got != want {
			t.Errorf("channelName(%q) = %q; want %q", id, got, want)
		}
	}
}
