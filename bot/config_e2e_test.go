package bot_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// newYork is a time zone other than schedule.DefaultTimezone.
var newYork = mustLocation("America/New_York")

// TestPromptsTimeZone: prompt schedules are read in PromptsConfig.Location
// (prompts.timezone) when it is set, whatever Config.Location
// (digest.timezone) says, and in Config.Location when it is not.
func TestPromptsTimeZone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		prompts *time.Location // PromptsConfig.Location; Config.Location is New York
		due     time.Time      // when "weekly mon 18:00" is first due
	}{
		{"prompts.timezone", london, at(2026, 11, 30, 18, 0)},
		{"Config.Location", nil, time.Date(2026, 11, 30, 18, 0, 0, 0, newYork)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newSchedHarness(t)
			r := h.startBot(func(c *bot.Config, _ *store.DB) {
				c.Location, c.Prompts.Location = newYork, tt.prompts
				c.Prompts.Schedules = []bot.ScheduledPrompt{h.weekly("checkin", "recovery")}
			})
			h.clock.Set(tt.due.Add(-time.Second))
			bot.CheckSchedules(r.b)
			h.wantPosts(0, "a second before "+tt.due.String())
			h.clock.Set(tt.due)
			bot.CheckSchedules(r.b)
			h.wantPosts(1, "at "+tt.due.String())
		})
	}
}

// TestPostDigestClockAndZone: `peervoice digest --post` reads the clock
// and the time zone from bot.Config as the bot does: the period is
// claimed from its Monday midnight in Config.Location, and the post is
// recorded at Config.Now.
func TestPostDigestClockAndZone(t *testing.T) {
	e := discordtest.New(t)
	ch := e.AddGuild("Peer support").AddChannel("research")
	db, err := store.Open(ctx(t), filepath.Join(t.TempDir(), "peervoice.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pinned := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	cfg := bot.Config{Token: e.Token(), APIURL: e.URL(), ResearchChannelID: ch.ID, Store: db, Location: newYork,
		Now: func() time.Time { return pinned }, DigestPosting: bot.DigestPosting{Charts: -1}}
	if _, err := bot.PostDigest(ctx(t), cfg, mustDigest(t, "2026-W47"), false); err != nil {
		t.Fatal(err)
	}
	ps, err := db.Posts(ctx(t), store.DigestPostKey("2026-W47"))
	monday := time.Date(2026, 11, 16, 0, 0, 0, 0, newYork)
	if err != nil || len(ps) != 1 || !ps[0].Occurrence.Equal(monday) || !ps[0].ClaimedAt.Equal(pinned) || !ps[0].PostedAt.Equal(pinned) {
		t.Fatalf("the digest's post = %+v, %v; want one of %v (Monday in New York), claimed and posted at %v", ps, err, monday, pinned)
	}
	again, err := bot.PostDigest(ctx(t), cfg, mustDigest(t, "2026-W47"), false)
	if err != nil || !again.Already || !again.PostedAt.Equal(pinned) {
		t.Errorf("PostDigest() again = %+v, %v; want already posted at %v", again, err, pinned)
	}
}

// TestNewSchedulesNeedTheStore: without Config.Store nothing can be
// scheduled, and a schedule in the config says so rather than being
// dropped.
func TestNewSchedulesNeedTheStore(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "peervoice.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := participant.New(db, participant.Config{Flows: func() *flows.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*bot.Config)
		want   string
	}{
		{"digest.schedule", func(c *bot.Config) { c.DigestPosting.Schedule = "weekly mon 09:00" }, "digest.schedule"},
		{"prompts.schedule", func(c *bot.Config) {
			c.Prompts.Schedules = []bot.ScheduledPrompt{{ID: "checkin", FlowID: "recovery", ChannelID: "1", When: "weekly mon 18:00"}}
		}, "prompts.schedule"},
	}
	for _, tt := range tests {
		cfg := bot.Config{Token: "token"}
		tt.change(&cfg)
		if _, err := bot.New(cfg, svc); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "Config.Store") {
			t.Errorf("New(%s, no store) = %v; want an error naming %s and Config.Store", tt.name, err, tt.want)
		}
		cfg.Store = db
		if _, err := bot.New(cfg, svc); err != nil {
			t.Errorf("New(%s, with the store) = %v; want no error", tt.name, err)
		}
	}
}
