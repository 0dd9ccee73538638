package bot_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/schedule"
	"github.com/peervoice/peervoice/store"
)

// schedHarness runs the real bot with scheduled prompts against the
// emulator, on one database and a fake clock, as many times as a test
// likes: one after another (restarts) or side by side (a deploy).
type schedHarness struct {
	t     *testing.T
	e     *discordtest.Emulator
	path  string
	clock *discordtest.FakeClock
	guild *discordtest.Guild
	ch    *discordtest.Channel // #community, where prompts go
	logs  syncBuffer           // every bot's log
}

// monday1700 is a Monday, an hour before the usual schedule.
var monday1700 = time.Date(2026, 11, 30, 17, 0, 0, 0, london)

// firstCheckWait is how long a start may take to make its first check:
// a digest with charts is slow to draw under the race detector.
var firstCheckWait = map[bool]time.Duration{false: waitTime, true: 2 * waitTime}[raceEnabled]

func newSchedHarness(t *testing.T) *schedHarness {
	t.Helper()
	h := &schedHarness{t: t, e: discordtest.New(t, hangDeadline), path: filepath.Join(t.TempDir(), "peervoice.db"), clock: discordtest.NewFakeClock(monday1700)}
	h.guild = h.e.AddGuild("Peer support")
	h.ch = h.guild.AddChannel("community")
	return h
}

// weekly is a config schedule posting flow in #community every Monday
// at 18:00.
func (h *schedHarness) weekly(id, flow string) bot.ScheduledPrompt {
	return bot.ScheduledPrompt{ID: id, FlowID: flow, ChannelID: h.ch.ID, When: "weekly mon 18:00", Text: "How has your week been?"}
}

// start runs a bot until stop or the test ends, and returns once its
// scheduler has made the check it makes on start. change adjusts its
// prompts configuration.
func (h *schedHarness) start(change func(*bot.PromptsConfig)) *running {
	h.t.Helper()
	return h.startBot(func(c *bot.Config, _ *store.DB) {
		if change != nil {
			change(&c.Prompts)
		}
	})
}

// startBot is start with the whole bot configuration to change, and the
// database the bot opened.
func (h *schedHarness) startBot(change func(*bot.Config, *store.DB)) *running {
	h.t.Helper()
	return startBot(h.t, botOpts{e: h.e, path: h.path, logs: &h.logs,
		config: func(c *bot.Config, db *store.DB) {
			c.GuildID = h.guild.ID
			c.Store, c.Now = db, h.clock.Now
			c.Prompts = bot.PromptsConfig{Location: london, Tick: time.Hour}
			if change != nil {
				change(c, db)
			}
		},
		firstCheck:     func(b *bot.Bot, _ bot.Config) <-chan struct{} { return bot.ScheduleStarted(b) },
		firstCheckWait: firstCheckWait,
	})
}

// posted returns the messages the bot posted in #community.
func (h *schedHarness) posted() []discordtest.Message {
	return h.e.ChannelMessages(h.ch.ID)
}

// wantPosts fails the test unless #community holds exactly n messages.
func (h *schedHarness) wantPosts(n int, when string) {
	h.t.Helper()
	if got := h.posted(); len(got) != n {
		h.t.Fatalf("%s: %d message(s) in #community; want %d", when, len(got), n)
	}
}

// posts returns the store's record of a schedule's posts.
func (h *schedHarness) posts(r *running, id string) []store.Post {
	h.t.Helper()
	ps, err := r.db.Posts(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return ps
}

// london is where the community's schedules are read.
var london = mustLocation(schedule.DefaultTimezone)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a London wall-clock time.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, london)
}
