package bot_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// botOpts is what differs between the harnesses' bots; everything else
// about starting one is the same, and lives in startBot.
type botOpts struct {
	e    *discordtest.Emulator
	path string      // the SQLite file; bots started one after another share it
	logs *syncBuffer // gets the bot's log, at debug level
	// flows is the catalog the participant service serves; nil means
	// flows.Default.
	flows func() *flows.Catalog
	// config, if set, adjusts the bot's config, given the database the
	// bot opened (which Config.Store usually is).
	config func(*bot.Config, *store.DB)
	// firstCheck, if set, returns the channel closed once the subsystem
	// the harness tests has made the check it makes on start, or nil when
	// the config leaves that subsystem off. startBot waits for it (within
	// firstCheckWait), so a test sees that check's effects.
	firstCheck     func(*bot.Bot, bot.Config) <-chan struct{}
	firstCheckWait time.Duration // 0 means 10 seconds
	// participant, if set, adjusts the participant service's config
	// (its clock, reminders).
	participant func(*participant.Config)
}

// running is one bot process.
type running struct {
	b    *bot.Bot
	db   *store.DB
	svc  *participant.Service
	stop func() // stops the bot and closes its database; safe to call twice
}

// startBot opens the database, runs a bot on it until stop or the test
// ends, and returns once the bot is ready (and, with o.firstCheck, once
// that check is made).
func startBot(t *testing.T, o botOpts) *running {
	t.Helper()
	db := storetest.Open(t, o.path, store.Options{})
	if o.flows == nil {
		cat, err := flows.Default()
		if err != nil {
			t.Fatal(err)
		}
		o.flows = func() *flows.Catalog { return cat }
	}
	pc := participant.Config{Flows: o.flows}
	if o.participant != nil {
		o.participant(&pc)
	}
	svc, err := participant.New(db, pc)
	if err != nil {
		t.Fatal(err)
	}
	var out io.Writer = o.logs
	if testing.Verbose() {
		out = io.MultiWriter(o.logs, testWriter{t})
	}
	// Every bot under test keeps its audit log in its database, so every
	// test runs the recording too.
	cfg := bot.Config{Token: o.e.Token(), APIURL: o.e.URL(), Log: slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})), Audit: db}
	if o.config != nil {
		o.config(&cfg, db)
	}
	b, err := bot.New(cfg, svc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	// wait fails the test unless ch closes in time. On failure the bot is
	// cancelled but not waited for: Run may be stuck, or already ended.
	wait := func(ch <-chan struct{}, within time.Duration, what string) {
		t.Helper()
		select {
		case <-ch:
		case err := <-done:
			cancel()
			t.Fatalf("bot.Run ended before %s: %v", what, err)
		case <-time.After(within):
			cancel()
			t.Fatalf("timed out after %v waiting until %s", within, what)
		}
	}
	wait(b.Ready(), waitTime, "the bot was ready")
	if o.firstCheck != nil {
		if ch := o.firstCheck(b, cfg); ch != nil {
			within := o.firstCheckWait
			if within == 0 {
				within = waitTime
			}
			wait(ch, within, "the bot made its first check")
		}
	}
	r := &running{b: b, db: db, svc: svc}
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

// testWriter sends the bot's log to the test's, for -v.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// syncBuffer is a buffer safe for the bot's goroutines.
type syncBuffer = testutil.SyncBuffer
