package bot_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/participant"
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

// running is one bot process.
type running struct {
	b    *bot.Bot
	db   *store.DB
	stop func()
}

// monday1700 is a Monday, an hour before the usual schedule.
var monday1700 = time.Date(2026, 11, 30, 17, 0, 0, 0, london)

// firstCheckWait is how long a start may take to make its first check:
// a digest with charts is slow to draw under the race detector.
var firstCheckWait = map[bool]time.Duration{false: 10 * time.Second, true: 60 * time.Second}[raceEnabled]

func newSchedHarness(t *testing.T) *schedHarness {
	t.Helper()
	h := &schedHarness{t: t, e: discordtest.New(t), path: filepath.Join(t.TempDir(), "peervoice.db"), clock: discordtest.NewFakeClock(monday1700)}
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
	t := h.t
	t.Helper()
	db, err := store.Open(context.Background(), h.path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := participant.New(db, participant.Config{Flows: func() *flows.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	var out io.Writer = &h.logs
	if testing.Verbose() {
		out = io.MultiWriter(&h.logs, testWriter{t})
	}
	cfg := bot.Config{Token: h.e.Token(), APIURL: h.e.URL(), Log: slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Prompts: bot.PromptsConfig{Store: db, Location: london, Now: h.clock.Now, Tick: time.Hour}}
	if change != nil {
		change(&cfg, db)
	}
	b, err := bot.New(cfg, svc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	select {
	case <-bot.ScheduleStarted(b):
	case err := <-done:
		cancel()
		t.Fatalf("bot.Run ended before scheduling: %v", err)
	case <-time.After(firstCheckWait):
		cancel()
		t.Fatalf("the bot's scheduler made no check within %v of starting", firstCheckWait)
	}
	r := &running{b: b, db: db}
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("bot.Run: %v", err)
			}
			db.Close()
		})
	}
	t.Cleanup(r.stop)
	return r
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

// syncBuffer is a bytes.Buffer safe for the bot's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
