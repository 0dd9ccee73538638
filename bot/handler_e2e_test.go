package bot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestInvitationToARemovedFlow: a member clicks "Answer privately" on an
// invitation whose flow the moderators have since removed, and reads
// which flows there are instead of an apology.
func TestInvitationToARemovedFlow(t *testing.T) {
	h, g := newServerHarness(t, nil)
	ch := g.AddChannel("general")
	mod, member := h.e.User("mod"), h.e.User("member")
	g.AddMember(mod, g.AddRole("moderators", discordtest.PermissionManageGuild))
	g.AddMember(member)
	c := ctx(t)
	if _, err := mod.RunCommandIn(ch, "prompt", discordtest.Sub("post", discordtest.Opt("flow", "what-matters"), discordtest.Opt("channel", ch))); err != nil {
		t.Fatal(err)
	}
	post, err := h.e.WaitChannelMessage(c, ch.ID, func(m discordtest.Message) bool { return len(m.CustomIDs()) == 1 })
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range h.catalog.Load().Flows() {
		if f.ID != "what-matters" {
			os.WriteFile(filepath.Join(dir, f.ID+".yaml"), f.Source, 0o644)
		}
	}
	cat, probs := flows.LoadDir(dir)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	h.catalog.Store(cat)
	if _, err := member.Click(post, post.CustomIDs()[0]); err != nil {
		t.Fatal(err)
	}
	want := `Sorry, there is no set of questions called "what-matters" any more. The sets there are: ` + strings.Join(cat.IDs(), ", ") + "."
	if _, err := member.WaitMessage(c, func(m discordtest.Message) bool { return m.Ephemeral && m.Content == want }); err != nil {
		t.Fatalf("no word of the removed flow: %v", err)
	}
	if strings.Contains(h.logs.String(), "interaction failed") {
		t.Errorf("a removed flow was logged as our failure")
	}
}
