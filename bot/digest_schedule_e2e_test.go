package bot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/store"
)

// pngSignature starts every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// digestSched runs bots with the weekly digest scheduled for Mondays at
// 18:00 London time, on one database and the schedule harness's fake
// clock, posting in #research.
type digestSched struct {
	*schedHarness
	research *discordtest.Channel
	mu       sync.Mutex
	built    []string // the periods built, in order
}

func newDigestSched(t *testing.T) *digestSched {
	h := &digestSched{schedHarness: newSchedHarness(t)}
	h.research = h.guild.AddChannel("research")
	return h
}

// source builds a digest of the period with three charted questions.
func (h *digestSched) source(_ context.Context, period string) (*digest.Digest, error) {
	h.mu.Lock()
	h.built = append(h.built, period)
	h.mu.Unlock()
	return chartedDigest(period, 3)
}

// chartedDigest is a real digest of the period with n questions whose
// distributions are published, so each has a chart.
func chartedDigest(period string, n int) (*digest.Digest, error) {
	if period == "" {
		period = "2026-W47"
	}
	p, err := digest.ParsePeriod(period, london)
	if err != nil {
		return nil, err
	}
	d, err := digest.Build(p, nil, figures.Data{}, digest.Options{Subgroups: []string{}})
	if err != nil {
		return nil, err
	}
	pol, _ := disclosure.New(8, 5)
	for i := range n {
		q := digest.Question{FlowID: "recovery", FlowTitle: "Recovery", QuestionID: fmt.Sprintf("q%d", i), Prompt: fmt.Sprintf("Question %d: services support my recovery", i), Type: "choice"}
		q.Period = digest.Distribution{Respondents: pol.Count(60), Shown: true}
		for j, label := range []string{"Yes", "Partly", "No"} {
			q.Period.Options = append(q.Period.Options, digest.Share{ID: fmt.Sprint(j), Label: label, Count: pol.Count(10 + 10*j), Percent: pol.Percent(10+10*j, 60)})
			q.Change.Options = append(q.Change.Options, digest.ShareChange{ID: fmt.Sprint(j)})
		}
		d.Questions = append(d.Questions, q)
	}
	return d, nil
}

// digestConfig configures a bot's digests; change adjusts it further.
func (h *digestSched) start(change func(*bot.Config)) *running {
	h.t.Helper()
	return h.startBot(func(c *bot.Config, db *store.DB) {
		c.ResearchChannelID = h.research.ID
		c.Digests = h.source
		// One chart a digest, as drawing is slow under the race detector;
		// TestDigestScheduledWeekly draws them all.
		c.Store, c.Location = db, london
		c.DigestPosting = bot.DigestPosting{Schedule: "weekly mon 18:00", Charts: 1}
		if change != nil {
			change(c)
		}
	})
}

// digests returns the messages in #research.
func (h *digestSched) digests() []discordtest.Message { return h.e.ChannelMessages(h.research.ID) }

// perDigest is how many messages one charted digest takes: its text and
// one message of three charts.
func perDigest(t *testing.T) int {
	d, err := chartedDigest("2026-W48", 3)
	if err != nil {
		t.Fatal(err)
	}
	return len(d.Embeds()) + 1
}

// wantDigests fails unless #research holds exactly n digests' messages,
// each digest of the period named.
func (h *digestSched) wantDigests(when string, periods ...string) {
	h.t.Helper()
	per := perDigest(h.t)
	got := h.digests()
	if len(got) != per*len(periods) {
		h.t.Fatalf("%s: %d message(s) in #research; want %d (%d digest(s) of %d)", when, len(got), per*len(periods), len(periods), per)
	}
	for i, p := range periods {
		dp, _ := digest.ParsePeriod(p, london)
		if text := embedText(got[i*per]); !strings.Contains(text, dp.Label()) {
			h.t.Errorf("%s: digest %d is not of %s (%s):\n%s", when, i+1, p, dp.Label(), text)
		}
	}
}

// TestDigestScheduledWeekly: at Monday 18:00 the bot posts the digest of
// the week just ended, with its charts attached as PNG files shown in
// embeds; not before, not again that week; the next Monday, the next
// week's.
func TestDigestScheduledWeekly(t *testing.T) {
	t.Parallel()
	h := newDigestSched(t)
	r := h.start(func(c *bot.Config) { c.DigestPosting.Charts = 0 }) // the default: all three
	h.wantDigests("at 17:00")
	h.clock.Set(at(2026, 11, 30, 17, 59).Add(59 * time.Second))
	bot.CheckSchedules(r.b)
	h.wantDigests("at 17:59:59")
	h.clock.Set(at(2026, 11, 30, 18, 0))
	bot.CheckSchedules(r.b)
	h.wantDigests("at 18:00", "2026-W48")
	for _, d := range []time.Duration{time.Second, time.Hour, 6 * 24 * time.Hour} {
		h.clock.Set(at(2026, 11, 30, 18, 0).Add(d))
		bot.CheckSchedules(r.b)
	}
	h.wantDigests("checked again during the week", "2026-W48")

	msgs := h.digests()
	charts := msgs[len(msgs)-1]
	if len(charts.Attachments) != 3 || len(charts.Embeds) != 3 {
		t.Fatalf("the chart message has %d attachments and %d embeds; want 3 of each", len(charts.Attachments), len(charts.Embeds))
	}
	for i, a := range charts.Attachments {
		if !bytes.HasPrefix(a.Data, pngSignature) || a.ContentType != "image/png" || !strings.HasSuffix(a.Filename, ".png") {
			t.Errorf("attachment %d: %s, %s, starts %q; want a PNG", i, a.Filename, a.ContentType, a.Data[:min(8, len(a.Data))])
		}
		if img := charts.Embeds[i].Image; img == nil || img.URL != "attachment://"+a.Filename {
			t.Errorf("embed %d shows %+v; want attachment://%s", i, img, a.Filename)
		}
	}
	for _, m := range msgs[:len(msgs)-1] {
		if len(m.Attachments) != 0 {
			t.Errorf("a text message of the digest has %d attachments", len(m.Attachments))
		}
	}
	ps, err := r.db.Posts(context.Background(), store.DigestPostKey("2026-W48"))
	if err != nil || len(ps) != 1 || ps[0].Status != store.PostPosted || ps[0].MessageID != msgs[0].ID || ps[0].ChannelID != h.research.ID {
		t.Errorf("stored post = %+v, %v; want posted, first message %s", ps, err, msgs[0].ID)
	}

	h.clock.Set(at(2026, 12, 7, 18, 0))
	bot.CheckSchedules(r.b)
	h.wantDigests("the next Monday", "2026-W48", "2026-W49")
	// Posted by the system, each once.
	es := find(auditLog(t, r.db), "digest.post", audit.OK)
	if len(es) != 2 || es[0].Actor != (audit.Actor{Kind: audit.KindSystem}) || es[0].Target != "2026-W48" || es[1].Target != "2026-W49" || !strings.Contains(es[0].Details, "scheduled") {
		t.Errorf("audited digest posts = %+v; want the system's of 2026-W48 and 2026-W49", es)
	}
	if v := h.e.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

// TestDigestScheduledRestartsAndDeploys: bots stopped and started around
// the time, and two bots side by side checking at once, post one digest.
func TestDigestScheduledRestartsAndDeploys(t *testing.T) {
	t.Parallel()
	h := newDigestSched(t)
	base := at(2026, 11, 30, 18, 0)
	for _, now := range []time.Time{base.Add(-30 * time.Second), base, base.Add(20 * time.Second), base.Add(5 * time.Minute)} {
		h.clock.Set(now)
		h.start(nil).stop()
	}
	h.wantDigests("after four starts around 18:00", "2026-W48")

	h.clock.Set(at(2026, 12, 7, 17, 59))
	old := h.start(nil)
	h.clock.Set(at(2026, 12, 7, 18, 0).Add(5 * time.Second))
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); bot.CheckSchedules(old.b) }()
	}
	fresh := h.start(nil) // its check on start races the old bot's
	wg.Add(2)
	go func() { defer wg.Done(); bot.CheckSchedules(old.b) }()
	go func() { defer wg.Done(); bot.CheckSchedules(fresh.b) }()
	wg.Wait()
	old.stop()
	fresh.stop()
	h.wantDigests("two bots at 18:00:05", "2026-W48", "2026-W49")
}

// TestDigestScheduledCatchUp: a bot that was down at the time posts the
// digest on start; after weeks down, only the latest week's.
func TestDigestScheduledCatchUp(t *testing.T) {
	t.Parallel()
	h := newDigestSched(t)
	h.start(nil).stop() // Monday 17:00: the schedule is seen
	h.clock.Set(at(2026, 12, 1, 10, 0))
	h.start(nil).stop()
	h.wantDigests("started on Tuesday after missing Monday", "2026-W48")
	if !strings.Contains(h.logs.String(), "catching up a digest missed while the bot was away") {
		t.Errorf("the catch-up was not logged")
	}
	h.clock.Set(at(2026, 12, 23, 9, 0)) // three Mondays missed
	h.start(nil).stop()
	h.wantDigests("started three weeks later", "2026-W48", "2026-W51")
}

// TestDigestScheduledFirstStartPostsNothing: a database that never saw
// the schedule does not post last week's digest on its first start.
func TestDigestScheduledFirstStartPostsNothing(t *testing.T) {
	t.Parallel()
	h := newDigestSched(t)
	h.clock.Set(at(2026, 12, 1, 10, 0))
	h.start(nil).stop()
	h.wantDigests("first start on a Tuesday")
}

// TestDigestScheduledCrashAfterClaim: a bot that claimed the week and
// died before posting: the next start posts it, once.
func TestDigestScheduledCrashAfterClaim(t *testing.T) {
	t.Parallel()
	h := newDigestSched(t)
	h.start(nil).stop()
	h.clock.Set(at(2026, 11, 30, 18, 0))
	db := storetest.Open(t, h.path, store.Options{})
	p, _ := digest.ParsePeriod("2026-W48", london)
	key := store.DigestPostKey(p.Name)
	if ok, err := db.ClaimPost(context.Background(), store.Post{ScheduleID: key, Occurrence: p.Start, Nonce: bot.NonceFor(key, p.Start)}); err != nil || !ok {
		t.Fatalf("ClaimPost() = %v, %v", ok, err)
	}
	db.Close()
	h.clock.Set(at(2026, 11, 30, 18, 1))
	r := h.start(nil)
	bot.CheckSchedules(r.b)
	r.stop()
	h.wantDigests("restarted after a crash between claim and post", "2026-W48")
}

// crashyStore loses the record of the second message posted, as if the
// process died right after Discord took it.
type crashyStore struct {
	bot.Store
	calls atomic.Int32
}

func (s *crashyStore) AddPostMessage(ctx context.Context, id string, occ time.Time, m store.PostMessage) error {
	if s.calls.Add(1) == 2 {
		return errors.New("disk I/O error")
	}
	return s.Store.AddPostMessage(ctx, id, occ, m)
}

// TestDigestScheduledResumesHalfway: a digest that stopped halfway, once
// because Discord refused a message and once because the record of a
// posted message was lost, is finished without posting any message
// twice: the recorded ones are skipped, the lost one comes back by its
// nonce.
func TestDigestScheduledResumesHalfway(t *testing.T) {
	t.Parallel()
	h := newDigestSched(t)
	per := perDigest(t)
	if per < 2 {
		t.Fatalf("a digest takes %d message; want several", per)
	}
	r := h.start(func(c *bot.Config) {
		c.Store = &crashyStore{Store: c.Store}
	})
	h.clock.Set(at(2026, 11, 30, 18, 0))
	bot.CheckSchedules(r.b) // message 2 posted, not recorded
	if got := len(h.digests()); got != 2 {
		t.Fatalf("%d messages after the lost record; want 2", got)
	}
	h.e.FailNext("POST /channels/{channel_id}/messages", 1, discordtest.APIError(403, 50013, "Missing Permissions"))
	h.clock.Set(at(2026, 11, 30, 18, 1))
	bot.CheckSchedules(r.b) // message 2 again (same message back), then refused
	h.clock.Set(at(2026, 11, 30, 18, 2))
	bot.CheckSchedules(r.b)
	r.stop()
	h.wantDigests("after the retries", "2026-W48")
	posts := 0
	for _, req := range h.e.RequestsTo("POST /channels/{channel_id}/messages") {
		if req.Path == "/channels/"+h.research.ID+"/messages" {
			posts++
		}
	}
	// per messages; one repeated by nonce after the lost record; one
	// refused; none of the recorded ones sent again.
	if posts != per+2 {
		t.Errorf("%d create-message requests; want %d", posts, per+2)
	}
	if !strings.Contains(h.logs.String(), "Attach Files") {
		t.Errorf("Missing Permissions was not logged with the fix:\n%s", h.logs.String())
	}
}

// TestDigestScheduledChannelMissing: with no research channel, or one
// Discord does not know, the scheduled digest is logged with the fix,
// kept and retried, and posted once the channel is fixed.
func TestDigestScheduledChannelMissing(t *testing.T) {
	t.Parallel()
	h := newDigestSched(t)
	h.start(nil).stop()
	h.clock.Set(at(2026, 11, 30, 18, 0))
	r := h.start(func(c *bot.Config) { c.ResearchChannelID = "" })
	h.clock.Set(at(2026, 11, 30, 18, 1))
	bot.CheckSchedules(r.b)
	r.stop()
	h.wantDigests("no research channel")
	logs := h.logs.String()
	if !strings.Contains(logs, "cannot post digest; will retry") || !strings.Contains(logs, "discord.research_channel_id") {
		t.Fatalf("the missing channel was not logged with the fix:\n%s", logs)
	}
	if n := strings.Count(logs, "level=WARN msg=\"cannot post digest"); n != 1 {
		t.Errorf("warned %d times of the same problem; want once", n)
	}

	h.e.FailNext("POST /channels/{channel_id}/messages", 1, discordtest.APIError(404, 10003, "Unknown Channel"))
	h.clock.Set(at(2026, 11, 30, 19, 0))
	r = h.start(nil) // configured; Discord does not know the channel at first
	h.wantDigests("Unknown Channel")
	if !strings.Contains(h.logs.String(), "Unknown Channel") || !strings.Contains(h.logs.String(), "check discord.research_channel_id") {
		t.Errorf("Unknown Channel was not logged with the fix")
	}
	// Three failed attempts: the next is two minutes after the last.
	h.clock.Set(at(2026, 11, 30, 19, 2))
	bot.CheckSchedules(r.b)
	h.wantDigests("fixed", "2026-W48")
	bot.CheckSchedules(r.b)
	h.wantDigests("checked again", "2026-W48")
}
