package bot_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// flowsHarness is a bot serving a server with a moderator role and a
// moderator channel, whose /flows runs on fakeFlows seeded with the
// built-in pack; versions going live are told to the bot (FlowLive), as
// the release service's callback does.
type flowsHarness struct {
	*harness
	guild         *discordtest.Guild
	general, mods *discordtest.Channel
	modRole       *discordtest.Role
	managers      *discordtest.Role // Manage Server: Discord offers them /flows
	moderator     *discordtest.User
	fake          *fakeFlows
	clock         *discordtest.FakeClock
}

func newFlowsHarness(t *testing.T) *flowsHarness {
	t.Helper()
	h := &flowsHarness{harness: newStoppedHarness(t), clock: discordtest.NewFakeClock(time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC))}
	h.guild = h.e.AddGuild("Peer support")
	h.general, h.mods = h.guild.AddChannel("general"), h.guild.AddChannel("moderators")
	h.modRole = h.guild.AddRole("peervoice moderators", 0)
	h.managers = h.guild.AddRole("server managers", discordtest.PermissionManageGuild)
	h.moderator = h.e.User("Robin")
	h.guild.AddMember(h.moderator, h.modRole, h.managers)
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	h.fake = newFakeFlows(t, cat, h.clock.Now)
	h.configure = func(c *bot.Config) {
		c.GuildID, c.ModeratorRoles, c.ModeratorChannelID = h.guild.ID, []string{h.modRole.ID}, h.mods.ID
		c.FlowAdmin, c.Now, c.Location = h.fake, h.clock.Now, time.UTC
	}
	h.start()
	h.fake.setOnLive(h.bot.FlowLive)
	if err := h.e.WaitCommands(ctx(t), h.guild.ID, "flows"); err != nil {
		t.Fatal(err)
	}
	return h
}

// member is a new member whom Discord offers /flows (Manage Server) but
// who lacks the moderator role.
func (h *flowsHarness) member(name string) *discordtest.User {
	u := h.e.User(name)
	h.guild.AddMember(u, h.managers)
	return u
}

// run runs /flows sub as u in #general and returns the bot's answer to
// that interaction.
func (h *flowsHarness) run(u *discordtest.User, sub string, opts ...discordtest.CommandOption) discordtest.Message {
	h.t.Helper()
	in, err := u.RunCommandIn(h.general, "flows", discordtest.Sub(sub, opts...))
	if err != nil {
		h.t.Fatal(err)
	}
	return h.answer(u, in)
}

// click presses the button labelled label on m as u and returns the
// bot's first message for the click.
func (h *flowsHarness) click(u *discordtest.User, m discordtest.Message, label string) discordtest.Message {
	h.t.Helper()
	for _, cid := range m.CustomIDs() {
		if b := m.Button(cid); b != nil && b.Label == label {
			in, err := u.Click(m, cid)
			if err != nil {
				h.t.Fatal(err)
			}
			return h.answer(u, in)
		}
	}
	h.t.Fatalf("message %q has no button %q (buttons %v)", m.Content, label, m.CustomIDs())
	return discordtest.Message{}
}

// answer waits for the bot's first message answering in, with content.
func (h *flowsHarness) answer(u *discordtest.User, in *discordtest.Interaction) discordtest.Message {
	h.t.Helper()
	m, err := u.WaitMessage(ctx(h.t), func(m discordtest.Message) bool {
		return m.InteractionID == in.ID && !m.Followup && (m.Content != "" || len(m.Embeds) > 0)
	})
	if err != nil {
		h.t.Fatalf("no answer to %s: %v", in.ID, err)
	}
	if !m.Ephemeral {
		h.t.Errorf("answer %q is visible to the channel; want it ephemeral", m.Content)
	}
	return m
}

// uploadFile attaches src as name to /flows upload.
func (h *flowsHarness) uploadFile(u *discordtest.User, name string, src []byte) (discordtest.Message, *discordtest.Upload) {
	h.t.Helper()
	up := h.e.NewUpload(name, "application/x-yaml", src)
	return h.run(u, "upload", discordtest.Opt("file", up)), up
}

// riskSource is the built-in risk flow's source.
var riskSource = func() []byte {
	cat, err := flows.Default()
	if err != nil {
		panic(err)
	}
	f, err := cat.Get("risk")
	if err != nil {
		panic(err)
	}
	return f.Source
}()

// refusedDraftButtons uploads two drafts as mod in ch, one needing
// confirmation, then takes the moderator role away (demote) and clicks
// each of their buttons: every click must be refused, and neither draft
// published. It returns the action of each click.
func refusedDraftButtons(t *testing.T, e *discordtest.Emulator, ch *discordtest.Channel, mod *discordtest.User, fake *fakeFlows, demote func()) []bot.Action {
	t.Helper()
	fake.mu.Lock()
	fake.answers["risk/risk_open/not_sure"] = 2
	fake.mu.Unlock()
	upload := func(src []byte) discordtest.Message {
		t.Helper()
		in, err := mod.RunCommandIn(ch, "flows", discordtest.Sub("upload", discordtest.Opt("file", e.NewUpload("risk.yaml", "application/x-yaml", src))))
		if err != nil {
			t.Fatal(err)
		}
		m, err := mod.WaitMessage(ctx(t), func(m discordtest.Message) bool { return m.InteractionID == in.ID && len(m.Components) > 0 })
		if err != nil {
			t.Fatalf("no draft: %v", err)
		}
		return m
	}
	plain := upload(edited(t, riskSource, "mostly\n      focused on?", "mostly\n      been about?"))
	confirm := upload(edited(t, riskSource, "      - {id: not_sure, label: \"Not sure\"}\n\n  - id: risk_say", "\n  - id: risk_say"))
	demote()
	var clicked []bot.Action
	for _, m := range []discordtest.Message{plain, confirm} {
		for _, cid := range m.CustomIDs() {
			id, err := bot.ParseID(cid)
			if err != nil {
				t.Fatal(err)
			}
			in, err := mod.Click(m, cid)
			if err != nil {
				t.Fatal(err)
			}
			got, err := mod.WaitMessage(ctx(t), func(m discordtest.Message) bool { return m.InteractionID == in.ID && m.Content != "" })
			if err != nil || got.Content != "This needs the moderator role." {
				t.Errorf("button %s (%c) without the role: %q, %v; want the refusal", m.Button(cid).Label, id.Action, got.Content, err)
			}
			clicked = append(clicked, id.Action)
		}
	}
	if n := fake.versions("risk"); n != 1 {
		t.Errorf("refused clicks published: risk has %d versions; want 1", n)
	}
	return clicked
}

// packSource is a built-in flow's source.
func packSource(t *testing.T, id string) []byte {
	t.Helper()
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	f, err := cat.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return f.Source
}

// edited is src with each old replaced by new, failing if one is absent.
func edited(t *testing.T, src []byte, pairs ...string) []byte {
	t.Helper()
	s := string(src)
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("edit: %q not in the source", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return []byte(s)
}

// rows counts the rows of the tables research data lives in, read from
// the database file itself (read-only), not through the store.
func rows(t *testing.T, path string) map[string]int {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	out := map[string]int{}
	for _, table := range []string{"participants", "consents", "sessions", "answers", "flow_versions"} {
		var n int
		if err := raw.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// attached is the data of m's one attachment.
func attached(t *testing.T, m discordtest.Message) (string, []byte) {
	t.Helper()
	if len(m.Attachments) != 1 {
		t.Fatalf("message %q has %d attachments; want 1", m.Content, len(m.Attachments))
	}
	return m.Attachments[0].Filename, m.Attachments[0].Data
}

// buttonLabels lists m's buttons, disabled ones marked.
func buttonLabels(m discordtest.Message) []string {
	var out []string
	for _, cid := range m.CustomIDs() {
		if b := m.Button(cid); b != nil {
			out = append(out, b.Label)
		}
	}
	return out
}
