package bot_test

import (
	"context"
	"crypto/rand"
	"io"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestUploadLimitRaised: on a boosted server, whose Discord takes 25 MiB
// in one message, a bot configured with that limit (discord.upload_limit)
// posts an 11 MiB workbook, over the default limit, as it is; at the
// default limit the same workbook is refused as too large.
func TestUploadLimitRaised(t *testing.T) {
	const boosted = 25 << 20
	const size = 11 << 20
	if size <= bot.DefaultUploadLimit || size >= boosted {
		t.Fatalf("the workbook (%d bytes) must be over the default limit (%d) and under the boosted one (%d)", size, bot.DefaultUploadLimit, boosted)
	}
	for _, tc := range []struct {
		name   string
		limit  int64 // the bot's
		posted bool
	}{
		{"configured", boosted, true},
		{"default", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newStoppedHarness(t, discordtest.WithUploadLimit(boosted))
			g := h.e.AddGuild("Peer support")
			research, general := g.AddChannel("research"), g.AddChannel("general")
			researcher := h.e.User("researcher")
			g.AddMember(researcher, g.AddRole("server managers", discordtest.PermissionManageGuild))
			h.configure = func(c *bot.Config) {
				c.GuildID = g.ID // /export is served in the study's server alone
				c.ResearchChannelID = research.ID
				c.UploadLimit = tc.limit
				// Random bytes, as large as asked whatever the format: no
				// zip makes them smaller.
				c.Exports = func(_ context.Context, w io.Writer, _ string) (bot.ExportSummary, error) {
					_, err := io.CopyN(w, rand.Reader, size)
					return bot.ExportSummary{Participants: 9, Answers: 90}, err
				}
			}
			h.start()
			if _, err := researcher.RunCommandIn(general, "export"); err != nil {
				t.Fatal(err)
			}
			reply, err := researcher.WaitMessage(ctx(t), func(m discordtest.Message) bool { return m.Ephemeral && m.Content != "" })
			if err != nil {
				t.Fatalf("no answer to /export: %v", err)
			}
			got := h.e.ChannelMessages(research.ID)
			if !tc.posted {
				if len(got) != 0 || !strings.Contains(reply.Content, "too large to post in Discord") {
					t.Errorf("at the default limit: %d message(s) posted, the researcher reads %q; want nothing posted, and why", len(got), reply.Content)
				}
				return
			}
			if len(got) != 1 || len(got[0].Attachments) != 1 || len(got[0].Attachments[0].Data) != size || !strings.HasSuffix(got[0].Attachments[0].Filename, ".xlsx") {
				t.Fatalf("posted %d message(s) %+v; want one with the %d-byte workbook (the researcher reads %q)", len(got), got, size, reply.Content)
			}
			if v := h.e.Violations(); len(v) > 0 {
				t.Errorf("violations: %v", v)
			}
		})
	}
}
