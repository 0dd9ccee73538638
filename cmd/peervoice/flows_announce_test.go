package main_test

import (
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestRunTellsModeratorsOfEveryVersion runs the bot on a flows folder
// and checks the moderator channel is told of each version that goes
// live while it runs, whoever made it: the folder (a file saved) and a
// colleague at the command line (peervoice flows publish beside the
// bot), and of a file that cannot be imported. A new study's first
// versions are told to no one. A flow closed
// at the command line leaves /survey's list.
func TestRunTellsModeratorsOfEveryVersion(t *testing.T) {
	e := newEmulator(t)
	g := e.AddGuild("Peer support")
	mods := g.AddChannel("moderators")
	dir, folder := t.TempDir(), t.TempDir()
	writeFile(t, folder, "mood.yaml", moodFlowV("Why is that?"))
	env := []string{"PEERVOICE_DISCORD_TOKEN=" + e.Token(), "PEERVOICE_DISCORD_API_URL=" + e.URL(),
		"PEERVOICE_DISCORD_GUILD_ID=" + g.ID, "PEERVOICE_DISCORD_MODERATOR_CHANNEL_ID=" + mods.ID, "PEERVOICE_FLOWS_DIR=" + folder, "PEERVOICE_DIGEST_SUBGROUPS= "}
	logs, stop := startBot(t, dir, env)

	told := func(want string) discordtest.Message {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			for _, m := range e.ChannelMessages(mods.ID) {
				if strings.Contains(m.Content, want) {
					return m
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("the moderators were never told %q; the channel has %d messages\n%s", want, len(e.ChannelMessages(mods.ID)), logs.String())
		return discordtest.Message{}
	}
	// A broken file changes nothing, and the moderators are told why,
	// with the place of each problem.
	writeFile(t, folder, "mood.yaml", moodFlowV("Why is that?")+"  - id: feel\n    type: sometimes\n    prompt: Again?\n")
	if m := told("has problems, so nothing in it went live"); !strings.Contains(m.Content, "mood.yaml:") {
		t.Errorf("the problems notice %q does not say where the problems are", m.Content)
	}
	writeFile(t, folder, "mood.yaml", moodFlowV("What makes it so?"))
	if m := told("**mood** v2 is live, from the flows folder"); !strings.Contains(m.Content, "1 question reworded") {
		t.Errorf("the notice of the folder's version: %q; want what changed", m.Content)
	}
	v3 := writeFile(t, t.TempDir(), "mood.yaml", moodFlowV("Tell us more, if you like."))
	must(t, 0, dir, "", "flows", "publish", v3)
	told("**mood** v3 is live, from cli:" + me(t))

	// Closed at the command line, the flow leaves /survey's list.
	offered := func() bool {
		for _, c := range e.Commands("") {
			if c.Name == "survey" && len(c.Options) > 0 {
				for _, ch := range c.Options[0].Choices {
					if ch.Value == "mood" {
						return true
					}
				}
			}
		}
		return false
	}
	if !offered() {
		t.Fatal("/survey does not offer mood while it is open")
	}
	must(t, 0, dir, "", "flows", "close", "mood")
	for deadline := time.Now().Add(20 * time.Second); offered(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("/survey still offers mood after flows close\n%s", logs.String())
		}
	}
	stop()
	if got := len(e.ChannelMessages(mods.ID)); got != 3 {
		t.Errorf("the moderator channel has %d messages; want 3 (none for the new study's first version)", got)
	}
}
