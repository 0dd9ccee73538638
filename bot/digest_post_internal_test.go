package bot

import (
	"context"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/store"
)

// recordingSender is a sender that takes every message, as Discord
// would, and remembers where it went and with which nonce.
type recordingSender struct {
	mu   sync.Mutex
	sent []sentMessage
}

type sentMessage struct{ channelID, nonce string }

func (r *recordingSender) send(_ context.Context, channelID string, _ message, nonce string) (*discordgo.Message, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, sentMessage{channelID, nonce})
	return &discordgo.Message{ID: strconv.Itoa(len(r.sent)), ChannelID: channelID}, nil
}

func (r *recordingSender) channelName(channelID string) string { return "#research" }

// TestDigestPosterNeedsNoBot: the digest poster posts through whatever
// sender it is given, with no *Bot behind it, each message with the
// nonce of its claim; and records the post at Config.Now, so the period
// is not posted a second time.
func TestDigestPosterNeedsNoBot(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "peervoice.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	period, err := digest.ParsePeriod("2026-W47", london)
	if err != nil {
		t.Fatal(err)
	}
	d, err := digest.Build(period, nil, figures.Data{}, digest.Options{Subgroups: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	pinned := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	cfg, err := Config{Store: db, ResearchChannelID: "42", Log: slog.New(slog.DiscardHandler), Location: london,
		Now: func() time.Time { return pinned }, DigestPosting: DigestPosting{Charts: -1}}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	out := &recordingSender{}
	dp := newDigestPoster(cfg, out)

	pp, err := dp.postOnce(ctx, d, false)
	want := len(d.Embeds())
	if err != nil || pp.n != want || pp.first != "1" || pp.prior != nil || pp.unclaimed {
		t.Fatalf("postOnce() = %+v, %v; want %d messages posted, the first \"1\"", pp, err, want)
	}
	claim := digestClaim(period, pinned)
	for i, m := range out.sent {
		if m.channelID != "42" || m.nonce != messageNonce(claim, i) {
			t.Errorf("message %d went to %s with nonce %s; want 42 with %s", i, m.channelID, m.nonce, messageNonce(claim, i))
		}
	}
	again, err := dp.postOnce(ctx, d, false)
	if err != nil || again.prior == nil || again.n != 0 || len(out.sent) != want {
		t.Fatalf("postOnce() again = %+v, %v with %d messages sent; want the earlier post, nothing sent", again, err, len(out.sent))
	}
	if p := *again.prior; p.MessageID != "1" || p.ChannelID != "42" || !p.PostedAt.Equal(pinned) || !p.ClaimedAt.Equal(pinned) {
		t.Errorf("the recorded post = %+v; want message 1 in 42, claimed and posted at %v (Config.Now)", p, pinned)
	}
}
