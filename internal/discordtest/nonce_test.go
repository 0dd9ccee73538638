package discordtest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestEnforceNonce: with enforce_nonce, a second create with the same
// nonce returns the first message instead of posting again, for
// NonceWindow; without it, or after the window, a new message is posted.
func TestEnforceNonce(t *testing.T) {
	t.Parallel()
	clock := discordtest.NewFakeClock(time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC))
	e := discordtest.New(t, discordtest.WithClock(clock))
	g := e.AddGuild("Team")
	ch := g.AddChannel("general")
	other := g.AddChannel("other")
	s := open(t, e)
	send := func(channelID string, nonce any, enforce bool) string {
		t.Helper()
		body := map[string]any{"content": "hello", "nonce": nonce, "enforce_nonce": enforce}
		endpoint := discordgo.EndpointChannelMessages(channelID)
		resp, err := s.RequestWithBucketID("POST", endpoint, body, endpoint)
		if err != nil {
			t.Fatalf("create message with nonce %v: %v", nonce, err)
		}
		var m discordgo.Message
		if err := json.Unmarshal(resp, &m); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	first := send(ch.ID, "4242", true)
	if again := send(ch.ID, "4242", true); again != first {
		t.Errorf("enforce_nonce: second create returned message %s; want the first, %s", again, first)
	}
	if again := send(other.ID, 4242, true); again != first {
		t.Errorf("enforce_nonce in another channel, integer nonce: returned %s; want %s (the nonce is per author)", again, first)
	}
	if got := len(e.ChannelMessages(ch.ID)) + len(e.ChannelMessages(other.ID)); got != 1 {
		t.Errorf("%d messages posted; want 1", got)
	}
	if again := send(ch.ID, "4242", false); again == first {
		t.Errorf("without enforce_nonce the message was not posted again")
	}
	clock.Advance(discordtest.NonceWindow + time.Second)
	if later := send(ch.ID, "4242", true); later == first {
		t.Errorf("after NonceWindow the nonce still returned the first message")
	}
	if got := len(e.ChannelMessages(ch.ID)); got != 3 {
		t.Errorf("%d messages in #general; want 3", got)
	}
}
