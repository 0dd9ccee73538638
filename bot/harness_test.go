package bot_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// harness is the real bot, on a real SQLite file, talking through the
// real discordgo client to the emulator.
type harness struct {
	t    *testing.T
	e    *discordtest.Emulator
	path string
	db   *store.DB
	svc  *participant.Service
	stop func()
	bot  *bot.Bot   // the running bot
	logs syncBuffer // everything the bot logged, at debug level
	// catalog is the flows the bot serves; a test may swap it, as a
	// moderator editing the flows directory does.
	catalog atomic.Pointer[flows.Catalog]
	// configure, if set, adjusts the bot's config before each start.
	configure func(*bot.Config)
}

func newHarness(t *testing.T, opts ...discordtest.Option) *harness {
	t.Helper()
	h := newStoppedHarness(t, opts...)
	h.start()
	return h
}

// newStoppedHarness is a harness whose bot is not started yet, so a test
// can set up guilds and roles and h.configure first.
func newStoppedHarness(t *testing.T, opts ...discordtest.Option) *harness {
	opts = append([]discordtest.Option{hangDeadline}, opts...)
	return &harness{t: t, e: discordtest.New(t, opts...), path: filepath.Join(t.TempDir(), "peervoice.db")}
}

// hangDeadline is the emulator's deadline for the first response to an
// interaction in these tests. Discord allows 3 seconds, and the bot
// defers once its work has taken ackAfter (respond.go), well inside them;
// TestSlowWorkIsDeferred checks that by the order of events. Timed by the
// wall clock, the 3 seconds fail tests on a busy machine or under -race
// (two hundred participants at once were answered 15 s late) for the
// machine's slowness, not the bot's; here the deadline only bounds a hang.
var hangDeadline = discordtest.WithInteractionDeadline(2 * time.Minute)

// waitTime bounds each wait for the bot in these tests. It only bounds a
// hang: nothing is expected to take long, but a busy machine running the
// race detector is slow.
const waitTime = time.Minute

// start opens the database and runs a bot until stop or the test ends,
// and returns once the bot has registered its commands.
func (h *harness) start() {
	t := h.t
	t.Helper()
	if h.catalog.Load() == nil {
		cat, err := flows.Default()
		if err != nil {
			t.Fatal(err)
		}
		h.catalog.Store(cat)
	}
	var guild string
	r := startBot(t, botOpts{e: h.e, path: h.path, logs: &h.logs, flows: h.catalog.Load, config: func(c *bot.Config, db *store.DB) {
		h.db = db // for configure
		if h.configure != nil {
			h.configure(c)
		}
		guild = c.GuildID
	}})
	h.db, h.svc, h.bot, h.stop = r.db, r.svc, r.b, r.stop
	wait, cancel := context.WithTimeout(context.Background(), waitTime)
	defer cancel()
	if err := h.e.WaitCommands(wait, "", "survey", "help", "mydata", "withdraw"); err != nil {
		t.Fatalf("bot did not register its commands: %v", err)
	}
	if guild == "" {
		return
	}
	if err := h.e.WaitCommands(wait, guild, "prompt", "digest", "export"); err != nil {
		t.Fatalf("bot did not register its privileged commands in its server: %v", err)
	}
}

// newServerHarness is a started harness whose bot serves the server it
// returns (discord.guild_id), where its moderator and researcher
// commands are registered; more adjusts the config further.
func newServerHarness(t *testing.T, more func(*bot.Config, *discordtest.Guild), opts ...discordtest.Option) (*harness, *discordtest.Guild) {
	t.Helper()
	h := newStoppedHarness(t, opts...)
	g := h.e.AddGuild("Peer support")
	h.configure = func(c *bot.Config) {
		c.GuildID = g.ID
		if more != nil {
			more(c, g)
		}
	}
	h.start()
	return h, g
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), waitTime)
	t.Cleanup(cancel)
	return c
}

// question matches a message asking the question with the given id.
func question(id string) func(discordtest.Message) bool {
	return func(m discordtest.Message) bool {
		for _, cid := range m.CustomIDs() {
			if parsed, err := bot.ParseID(cid); err == nil && parsed.Question == id && m.Interactive() {
				return true
			}
		}
		return false
	}
}

// waitQ waits for the question with the given id and returns it, or
// fails the test.
func waitQ(t *testing.T, u *discordtest.User, c context.Context, id string) discordtest.Message {
	t.Helper()
	m, err := u.WaitMessage(c, question(id))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// control returns the custom id on m for action (and option value).
func control(t *testing.T, m discordtest.Message, act bot.Action, value string) string {
	t.Helper()
	for _, cid := range m.CustomIDs() {
		if id, err := bot.ParseID(cid); err == nil && id.Action == act && id.Value == value {
			return cid
		}
	}
	t.Fatalf("message %s has no %c/%s control (custom ids %v)", m.ID, act, value, m.CustomIDs())
	return ""
}

// answer clicks the option button on a question message.
func answer(t *testing.T, u *discordtest.User, m discordtest.Message, option string) {
	t.Helper()
	if _, err := u.Click(m, control(t, m, bot.ActAnswer, option)); err != nil {
		t.Fatal(err)
	}
}

// embedText is everything the message's embeds say.
func embedText(m discordtest.Message) string {
	var b strings.Builder
	b.WriteString(m.Content)
	for _, e := range m.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + ": " + f.Value)
		}
		if e.Footer != nil {
			b.WriteString("\n" + e.Footer.Text)
		}
	}
	return b.String()
}

func says(s string) func(discordtest.Message) bool {
	return func(m discordtest.Message) bool { return strings.Contains(embedText(m), s) }
}

// consent runs /survey flow in the user's DM and agrees to take part.
func (h *harness) consent(u *discordtest.User, flow string) {
	t := h.t
	t.Helper()
	c := ctx(t)
	if _, err := u.RunCommand("survey", discordtest.Opt("flow", flow)); err != nil {
		t.Fatal(err)
	}
	answer(t, u, waitQ(t, u, c, "take_part"), "yes")
	answer(t, u, waitQ(t, u, c, "quotes"), "yes")
}

func (h *harness) data(u *discordtest.User) participant.Data {
	h.t.Helper()
	d, err := h.svc.MyData(context.Background(), participant.User{Platform: "discord", ID: u.ID})
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

var _ = discordgo.ActionsRow{}
