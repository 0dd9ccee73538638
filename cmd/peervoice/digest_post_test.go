package main_test

import (
	"strings"
	"testing"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestDigestPostBinary runs `peervoice digest --post` against the
// emulator: the digest lands in the research channel over REST alone,
// and a missing channel fails with the fix.
func TestDigestPostBinary(t *testing.T) {
	dir := t.TempDir()
	week := digestCommunity(t, dir)
	e := discordtest.New(t)
	g := e.AddGuild("Peer support")
	ch := g.AddChannel("research")
	env := []string{"PEERVOICE_DISCORD_TOKEN=" + e.Token(), "PEERVOICE_DISCORD_API_URL=" + e.URL()}

	r := peervoice(t, dir, "", append(env, "PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID="+ch.ID), "digest", "--period", week, "--post")
	if r.code != 0 || !strings.Contains(r.stdout, "Posted the digest for "+week) {
		t.Fatalf("digest --post: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	msgs := e.ChannelMessages(ch.ID)
	if len(msgs) == 0 {
		t.Fatal("nothing was posted in the research channel")
	}
	var all strings.Builder
	for _, m := range msgs {
		all.WriteString(embedText(m) + "\n")
	}
	if !strings.Contains(all.String(), "PeerVoice digest: week "+week) || !strings.Contains(all.String(), "New participants") {
		t.Errorf("the posted digest lacks its title or figures:\n%s", all.String())
	}
	checkDigestAnonymous(t, "the posted digest", all.String())
	if st := e.GatewayStats(); st.Connections != 0 {
		t.Errorf("--post opened %d gateway connections; want REST only", st.Connections)
	}

	r = peervoice(t, dir, "", append(env, "PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID=123456789012345678"), "digest", "--period", week, "--post")
	if r.code == 0 || !strings.Contains(r.stderr, "Unknown Channel") || !strings.Contains(r.stderr, "discord.research_channel_id") {
		t.Errorf("digest --post to an unknown channel: exit %d\n%s", r.code, r.stderr)
	}
	r = peervoice(t, dir, "", env, "digest", "--period", week, "--post")
	if r.code == 0 || !strings.Contains(r.stderr, "discord.research_channel_id") {
		t.Errorf("digest --post with no research channel: exit %d\n%s", r.code, r.stderr)
	}
}

// embedText is everything a message's embeds say.
func embedText(m discordtest.Message) string {
	var b strings.Builder
	b.WriteString(m.Content)
	for _, e := range m.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + ": " + f.Value)
		}
	}
	return b.String()
}
