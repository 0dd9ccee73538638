package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/store"
)

// TestScheduledPromptWeekly: a weekly schedule from the config posts
// once at its time, not before, not again that week; the next week is
// a new post; and the button starts the flow privately.
func TestScheduledPromptWeekly(t *testing.T) {
	t.Parallel()
	h := newSchedHarness(t)
	r := h.start(func(p *bot.PromptsConfig) { p.Schedules = []bot.ScheduledPrompt{h.weekly("checkin", "what-matters")} })
	h.wantPosts(0, "at 17:00")
	h.clock.Set(at(2026, 11, 30, 17, 59).Add(59 * time.Second))
	bot.CheckSchedules(r.b)
	h.wantPosts(0, "at 17:59:59")
	h.clock.Set(at(2026, 11, 30, 18, 0))
	bot.CheckSchedules(r.b)
	h.wantPosts(1, "at 18:00")
	for _, d := range []time.Duration{time.Second, 30 * time.Second, 10 * time.Minute, 23 * time.Hour} {
		h.clock.Set(at(2026, 11, 30, 18, 0).Add(d))
		bot.CheckSchedules(r.b)
	}
	h.wantPosts(1, "checked again up to 23 hours later")
	post := h.posted()[0]
	if text := embedText(post); !strings.Contains(text, "How has your week been?") || !strings.Contains(text, "private") {
		t.Errorf("the prompt says %q", text)
	}
	ps := h.posts(r, "checkin")
	if len(ps) != 1 || ps[0].Status != store.PostPosted || ps[0].MessageID != post.ID || ps[0].ChannelID != h.ch.ID || !ps[0].Occurrence.Equal(at(2026, 11, 30, 18, 0)) {
		t.Errorf("stored posts = %+v; want one posted, message %s", ps, post.ID)
	}

	member := h.e.User("member")
	h.guild.AddMember(member)
	if _, err := member.Click(post, control(t, post, bot.ActPrompt, "what-matters")); err != nil {
		t.Fatal(err)
	}
	if _, err := member.WaitMessage(ctx(t), question("take_part")); err != nil {
		t.Fatalf("the scheduled prompt's button did not start the flow: %v", err)
	}

	h.clock.Set(at(2026, 12, 7, 18, 0))
	bot.CheckSchedules(r.b)
	h.wantPosts(2, "the next Monday")
	if len(h.e.Violations()) > 0 {
		t.Errorf("violations: %v", h.e.Violations())
	}
}

// TestScheduledPromptRestarts: stopping and starting the bot on the same
// database around the scheduled time posts the prompt once.
func TestScheduledPromptRestarts(t *testing.T) {
	t.Parallel()
	h := newSchedHarness(t)
	cfg := func(p *bot.PromptsConfig) { p.Schedules = []bot.ScheduledPrompt{h.weekly("checkin", "recovery")} }
	base := at(2026, 11, 30, 18, 0)
	for _, now := range []time.Time{base.Add(-30 * time.Second), base, base.Add(20 * time.Second), base.Add(5 * time.Minute)} {
		h.clock.Set(now)
		r := h.start(cfg)
		r.stop()
	}
	h.wantPosts(1, "after four starts around 18:00")
}

// TestScheduledPromptDeployOverlap: during a deploy the new bot starts
// while the old one still runs, both checking at the scheduled time: one
// post.
func TestScheduledPromptDeployOverlap(t *testing.T) {
	t.Parallel()
	h := newSchedHarness(t)
	cfg := func(p *bot.PromptsConfig) { p.Schedules = []bot.ScheduledPrompt{h.weekly("checkin", "recovery")} }
	old := h.start(cfg)
	h.clock.Set(at(2026, 11, 30, 18, 0).Add(5 * time.Second))
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bot.CheckSchedules(old.b)
		}()
	}
	fresh := h.start(cfg) // its own check on start races the old bot's
	wg.Add(2)
	go func() { defer wg.Done(); bot.CheckSchedules(old.b) }()
	go func() { defer wg.Done(); bot.CheckSchedules(fresh.b) }()
	wg.Wait()
	old.stop()
	fresh.stop()
	h.wantPosts(1, "two bots at 18:00:05")
}

// forgetfulStore fails to record the first posts, as if the process
// died between posting and recording.
type forgetfulStore struct {
	bot.Store
	failures atomic.Int32
}

func (s *forgetfulStore) PostDone(ctx context.Context, id string, occ time.Time, channelID, messageID string, at time.Time) error {
	if s.failures.Add(-1) >= 0 {
		return errors.New("disk I/O error")
	}
	return s.Store.PostDone(ctx, id, occ, channelID, messageID, at)
}

// TestScheduledPromptRecordLost: the post went out but was not recorded;
// the next start retries it with the same nonce and enforce_nonce, and
// Discord hands back the message already posted instead of a second.
func TestScheduledPromptRecordLost(t *testing.T) {
	t.Parallel()
	h := newSchedHarness(t)
	cfg := func(p *bot.PromptsConfig) { p.Schedules = []bot.ScheduledPrompt{h.weekly("checkin", "recovery")} }
	r := h.startBot(func(c *bot.Config, _ *store.DB) {
		cfg(&c.Prompts)
		fs := &forgetfulStore{Store: c.Store}
		fs.failures.Store(1)
		c.Store = fs
	})
	h.clock.Set(at(2026, 11, 30, 18, 0))
	bot.CheckSchedules(r.b)
	h.wantPosts(1, "posted, not recorded")
	if ps := h.posts(r, "checkin"); len(ps) != 1 || ps[0].Status != store.PostPending {
		t.Fatalf("stored posts = %+v; want one still pending", ps)
	}
	r.stop()
	h.clock.Set(at(2026, 11, 30, 18, 1))
	r = h.start(cfg)
	h.wantPosts(1, "after the retry")
	ps := h.posts(r, "checkin")
	if len(ps) != 1 || ps[0].Status != store.PostPosted || ps[0].MessageID != h.posted()[0].ID {
		t.Errorf("stored posts = %+v; want one posted as message %s", ps, h.posted()[0].ID)
	}
	sends := h.e.RequestsTo("POST /channels/{channel_id}/messages")
	if len(sends) != 2 {
		t.Fatalf("%d create-message requests; want 2 (the post and its retry)", len(sends))
	}
	want := bot.NonceFor("checkin", at(2026, 11, 30, 18, 0))
	for i, req := range sends {
		var body struct {
			Nonce        string `json:"nonce"`
			EnforceNonce bool   `json:"enforce_nonce"`
		}
		if err := json.Unmarshal(req.Body, &body); err != nil || body.Nonce != want || !body.EnforceNonce {
			t.Errorf("request %d: nonce %q, enforce_nonce %v (%v); want %q, true", i+1, body.Nonce, body.EnforceNonce, err, want)
		}
	}
}

// TestScheduledPromptCatchUp: an occurrence missed while the bot was down
// is posted on start if it is less than the grace period old: only the
// latest, never a backlog, and never one from before the schedule
// existed.
func TestScheduledPromptCatchUp(t *testing.T) {
	t.Parallel()
	h := newSchedHarness(t)
	checkin := h.weekly("checkin", "recovery")
	cfg := func(p *bot.PromptsConfig) { p.Schedules = []bot.ScheduledPrompt{checkin} }
	h.start(cfg).stop() // Monday 17:00: the schedule is first seen

	h.clock.Set(at(2026, 11, 30, 20, 0)) // down over 18:00
	h.start(cfg).stop()
	h.wantPosts(1, "back two hours late")

	h.clock.Set(at(2026, 12, 22, 12, 0)) // down for three Mondays
	r := h.start(cfg)
	h.wantPosts(2, "back after three missed Mondays")
	var got []time.Time
	for _, p := range h.posts(r, "checkin") {
		got = append(got, p.Occurrence)
	}
	if len(got) != 2 || !got[1].Equal(at(2026, 12, 21, 18, 0)) {
		t.Errorf("posted occurrences %v; want 30 November and 21 December only", got)
	}
	r.stop()

	h.clock.Set(at(2026, 12, 29, 19, 0)) // 25 hours after Monday 18:00
	h.start(cfg).stop()
	h.wantPosts(2, "back after more than the grace period")

	// With a longer grace it is posted; a schedule added meanwhile does
	// not post for a time before the bot first saw it.
	h.start(func(p *bot.PromptsConfig) {
		p.Schedules = []bot.ScheduledPrompt{checkin, h.weekly("newcomer", "risk")}
		p.Grace = 48 * time.Hour
	}).stop()
	h.wantPosts(3, "with a 48-hour grace")
	if !strings.Contains(h.logs.String(), "catching up a post missed while the bot was away") {
		t.Errorf("the catch-up was not logged:\n%s", h.logs.String())
	}
}

// TestScheduledPromptByModerator: a moderator schedules, lists and
// removes prompts with /prompt; a one-off goes out once at its time,
// through the real ticker.
func TestScheduledPromptByModerator(t *testing.T) {
	t.Parallel()
	h := newSchedHarness(t)
	r := h.start(func(p *bot.PromptsConfig) {
		p.Schedules = []bot.ScheduledPrompt{h.weekly("checkin", "what-matters")}
		p.Tick = 5 * time.Millisecond
	})
	mods := h.guild.AddRole("moderators", discordtest.PermissionManageGuild)
	mod, member := h.e.User("mod"), h.e.User("member")
	h.guild.AddMember(mod, mods)
	h.guild.AddMember(member)
	c := ctx(t)
	run := func(sub string, opts ...discordtest.CommandOption) string {
		t.Helper()
		if _, err := mod.RunCommandIn(h.ch, "prompt", discordtest.Sub(sub, opts...)); err != nil {
			t.Fatal(err)
		}
		m, err := mod.WaitMessage(c, func(m discordtest.Message) bool { return m.Ephemeral })
		if err != nil {
			t.Fatal(err)
		}
		return m.Content
	}
	schedule := func(flow, when string, extra ...discordtest.CommandOption) string {
		t.Helper()
		opts := append([]discordtest.CommandOption{discordtest.Opt("flow", flow), discordtest.Opt("channel", h.ch), discordtest.Opt("when", when)}, extra...)
		return run("schedule", opts...)
	}
	tests := []struct {
		got, want string
	}{
		{schedule("recovery", "2026-12-01 18:00", discordtest.Opt("text", "Launch day: tell us what recovery means to you")), "Scheduled `1`: **"},
		{schedule("recovery", "2026-11-01 18:00"), "2026-11-01 18:00 (Europe/London) has already passed"},
		{schedule("recovery", "someday"), `I couldn't read when "someday"`},
		{schedule("risk", "every friday 9:30"), "every Friday at 09:30 (Europe/London). Next: Friday 4 December 2026, 09:30 GMT"},
		{run("schedules"), "`checkin` (config file)"},
		{run("unschedule", discordtest.Opt("id", "checkin")), "`checkin` is in the config file (prompts.schedule)"},
		{run("unschedule", discordtest.Opt("id", "2")), "Stopped scheduled prompt `2`"},
		{run("unschedule", discordtest.Opt("id", "2")), "There is no scheduled prompt `2`"},
	}
	for _, tt := range tests {
		if !strings.Contains(tt.got, tt.want) {
			t.Errorf("reply %q; want it to contain %q", tt.got, tt.want)
		}
	}
	list := run("schedules")
	if !strings.Contains(list, "`1`: **") || strings.Contains(list, "`2`") || !strings.Contains(list, "once, on Tuesday 1 December 2026 at 18:00") {
		t.Errorf("/prompt schedules = %q; want checkin and 1, not 2", list)
	}
	if _, err := member.RunCommandIn(h.ch, "prompt", discordtest.Sub("schedules")); err == nil {
		t.Error("a member without Manage Server could run /prompt schedules")
	}

	h.clock.Set(at(2026, 12, 1, 18, 0))
	if _, err := h.e.WaitChannelMessage(c, h.ch.ID, says("Launch day")); err != nil {
		t.Fatalf("the one-off was not posted by the ticker: %v", err)
	}
	h.clock.Set(at(2026, 12, 1, 19, 0))
	bot.CheckSchedules(r.b)
	byMod := func(target string) func(audit.Entry) bool {
		return func(e audit.Entry) bool { return e.Actor.ID == mod.ID && (target == "" || e.Target == target) }
	}
	wantAudited(t, r.db, "prompt.schedule", audit.OK, 2, byMod(""))
	wantAudited(t, r.db, "prompt.schedule", audit.Failed, 2, byMod(""))
	wantAudited(t, r.db, "prompt.unschedule", audit.OK, 1, byMod("schedule 2"))
	wantAudited(t, r.db, "prompt.unschedule", audit.Failed, 2, byMod(""))
	if es := find(auditLog(t, r.db), "prompt.post", audit.OK); len(es) == 0 || !slices.ContainsFunc(es, func(e audit.Entry) bool {
		return e.Actor.Kind == audit.KindSystem && e.Target == "recovery" && strings.Contains(e.Details, "schedule=1 ")
	}) {
		t.Errorf("audited prompt posts = %+v; want the system's post of schedule 1", es)
	}
	r.stop()
	launch := 0
	for _, m := range h.posted() {
		if strings.Contains(embedText(m), "Launch day") {
			launch++
		}
	}
	if launch != 1 {
		t.Errorf("the one-off was posted %d times; want once", launch)
	}
}

// TestScheduledPromptChannelProblems: a missing channel or a missing
// permission is logged with its fix and retried, never marked done; a
// post that cannot go out within the grace period is given up.
func TestScheduledPromptChannelProblems(t *testing.T) {
	t.Parallel()
	h := newSchedHarness(t)
	lost := h.weekly("checkin", "recovery")
	lost.ChannelID = "123456789012345678" // deleted, or mistyped
	r := h.start(func(p *bot.PromptsConfig) { p.Schedules = []bot.ScheduledPrompt{lost} })
	h.clock.Set(at(2026, 11, 30, 18, 0))
	bot.CheckSchedules(r.b)
	bot.CheckSchedules(r.b)
	ps := h.posts(r, "checkin")
	if len(ps) != 1 || ps[0].Status != store.PostPending || ps[0].Attempts != 2 || ps[0].LastError != "Unknown Channel" {
		t.Fatalf("stored posts = %+v; want one pending after 2 attempts, Unknown Channel", ps)
	}
	if logs := h.logs.String(); !strings.Contains(logs, "channel 123456789012345678 does not exist, or the bot cannot see it") {
		t.Errorf("the log does not say how to fix the channel:\n%s", logs)
	}
	r.stop()

	// The admin corrects the channel and restarts: the pending post goes out.
	h.clock.Set(at(2026, 11, 30, 18, 10))
	cfg := func(p *bot.PromptsConfig) { p.Schedules = []bot.ScheduledPrompt{h.weekly("checkin", "recovery")} }
	r = h.start(cfg)
	h.wantPosts(1, "after the channel was fixed")
	if ps := h.posts(r, "checkin"); ps[0].Status != store.PostPosted || ps[0].Attempts != 2 {
		t.Errorf("stored post = %+v; want posted after 2 failed attempts", ps[0])
	}

	// The bot loses Send Messages in #community for one attempt.
	h.e.FailNext("POST /channels/{channel_id}/messages", 1, discordtest.APIError(403, 50013, "Missing Permissions"))
	h.clock.Set(at(2026, 12, 7, 18, 0))
	bot.CheckSchedules(r.b)
	h.wantPosts(1, "without permission")
	if logs := h.logs.String(); !strings.Contains(logs, `fix="give the bot Send Messages and Embed Links in #community"`) {
		t.Errorf("the log does not say how to fix the permission:\n%s", logs)
	}
	bot.CheckSchedules(r.b)
	h.wantPosts(2, "with permission again")
	r.stop()

	// A channel that stays missing: given up after the grace period.
	h.clock.Set(at(2026, 12, 14, 18, 0))
	r = h.start(func(p *bot.PromptsConfig) { p.Schedules = []bot.ScheduledPrompt{lost} })
	h.clock.Set(at(2026, 12, 15, 18, 1))
	bot.CheckSchedules(r.b)
	ps = h.posts(r, "checkin")
	if last := ps[len(ps)-1]; len(ps) != 3 || last.Status != store.PostMissed || last.MessageID != "" || !strings.Contains(last.LastError, "Unknown Channel") {
		t.Errorf("stored posts = %+v; want the third given up as missed", ps)
	}
	h.wantPosts(2, "in the end")
}
