package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/schedule"
	"github.com/peervoice/peervoice/store"
)

// ScheduleStore keeps the schedules made with /prompt schedule and the
// claim on each occurrence; *store.DB satisfies it. Like the participant
// service's store, it speaks in the store's record types.
type ScheduleStore interface {
	AddSchedule(ctx context.Context, s store.Schedule) (store.Schedule, error)
	Schedules(ctx context.Context) ([]store.Schedule, error)
	DeleteSchedule(ctx context.Context, id int64) error
	FirstSeen(ctx context.Context, scheduleID string, now time.Time) (time.Time, error)
	ClaimPost(ctx context.Context, p store.Post) (bool, error)
	PendingPosts(ctx context.Context) ([]store.Post, error)
	PostDone(ctx context.Context, scheduleID string, occurrence time.Time, channelID, messageID string, at time.Time) error
	PostFailed(ctx context.Context, scheduleID string, occurrence time.Time, reason string, at time.Time) error
	PostMissed(ctx context.Context, scheduleID string, occurrence time.Time, reason string) error
}

var _ ScheduleStore = (*store.DB)(nil)

// ScheduledPrompt is a schedule from the config file (prompts.schedule).
type ScheduledPrompt struct {
	ID        string // starts with a letter; stored schedules have numbers
	FlowID    string
	ChannelID string
	When      string // as schedule.Parse reads it: "weekly mon 18:00" or "2026-12-01 18:00"
	Text      string // "" for the flow's introduction
}

// PromptsConfig configures scheduled community prompts. Without
// Config.Store nothing is scheduled, and /prompt schedule says so. The
// clock is Config.Now.
type PromptsConfig struct {
	Schedules []ScheduledPrompt
	// Location is prompts.timezone, where the schedules' times are read;
	// nil: Config.Location. It is the one time zone kept apart from
	// Config.Location (digest.timezone) because the config file has the
	// two as separate keys, which may differ.
	Location *time.Location
	Grace    time.Duration // how late a missed occurrence is still posted; 0: 24h
	Tick     time.Duration // how often to check; 0: 30s
}

// promptSender is what the scheduler needs of the bot: a sender, and
// the invitation to a flow it posts, the same as /prompt post's
// (prompt.go). *Bot is one.
type promptSender interface {
	sender
	invitation(flowID, text string) (message, error)
}

var _ promptSender = (*Bot)(nil)

// prompt is a config or stored schedule of a prompt, parsed.
type prompt struct {
	id, flowID, channelID, text string
	when                        schedule.When
	stored                      bool
	created                     time.Time // stored schedules: nothing before this is posted
}

// scheduler posts each occurrence of each schedule once. The claim in the
// store makes it once across processes and restarts; the nonce makes a
// retry after a crash between posting and recording return the message
// already posted instead of posting again.
type scheduler struct {
	out    promptSender
	log    *slog.Logger
	st     ScheduleStore
	config []prompt
	loc    *time.Location
	grace  time.Duration
	now    func() time.Time
	tick   time.Duration
	audit  auditLog

	digest *digestJob // nil: no digests posted by the scheduler

	mu    sync.Mutex           // one check at a time
	seen  map[string]time.Time // config id → first seen, cached
	first chan struct{}        // closed after the first check
}

// newScheduler checks the prompts and digest configuration of cfg,
// whose log, clock and time zone are set (Config.withDefaults); nil
// without a store. cat is the flows the config's schedules must name.
func newScheduler(cfg Config, out promptSender, cat *flows.Catalog, poster *digestPoster) (*scheduler, error) {
	pc := cfg.Prompts
	if cfg.Store == nil && len(pc.Schedules) > 0 {
		return nil, errors.New("prompts.schedule: scheduled prompts need the database (Config.Store)")
	}
	tick := pc.Tick
	if tick <= 0 {
		tick = 30 * time.Second
	}
	dj, err := newDigestJob(cfg, poster, tick)
	if err != nil {
		return nil, err
	}
	if cfg.Store == nil {
		return nil, nil
	}
	s := &scheduler{out: out, log: cfg.Log, st: cfg.Store, loc: pc.Location, grace: pc.Grace, now: cfg.Now, tick: tick, audit: newAuditLog(cfg),
		digest: dj, seen: map[string]time.Time{}, first: make(chan struct{})}
	if s.loc == nil {
		s.loc = cfg.Location
	}
	if s.grace == 0 {
		s.grace = 24 * time.Hour
	}
	if s.grace < 0 {
		return nil, fmt.Errorf("prompts.grace = %v: expected a positive duration such as 24h", pc.Grace)
	}
	ids := map[string]bool{}
	for _, p := range pc.Schedules {
		key := fmt.Sprintf("prompts.schedule %q", p.ID)
		if p.ID == "" || p.ID[0] < 'a' || p.ID[0] > 'z' || ids[p.ID] {
			return nil, fmt.Errorf("%s: expected a unique id starting with a letter", key)
		}
		ids[p.ID] = true
		if _, err := cat.Get(p.FlowID); err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if _, err := strconv.ParseUint(p.ChannelID, 10, 64); err != nil {
			return nil, fmt.Errorf("%s: channel %q: expected a Discord channel id", key, p.ChannelID)
		}
		w, err := schedule.Parse(p.When, s.loc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if !w.Weekly && s.now().Sub(w.Once()) > s.grace {
			s.log.Warn("scheduled prompt's time has long passed; it will not be posted", "schedule", p.ID, "when", w.String())
		}
		s.config = append(s.config, prompt{id: p.ID, flowID: p.FlowID, channelID: p.ChannelID, text: p.Text, when: w})
	}
	return s, nil
}

// startScheduler runs the scheduler until ctx ends, as an in-flight task
// that Run waits for.
func (b *Bot) startScheduler(ctx context.Context) {
	if b.sched == nil {
		return
	}
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		b.sched.run(ctx)
	}()
}

// run checks at once, then every tick, until ctx ends. A check under way
// finishes: a claimed occurrence is posted and recorded.
func (s *scheduler) run(ctx context.Context) { every(ctx, s.tick, s.first, s.check) }

// every calls check at once, closes first, then calls check every tick
// until ctx ends. check gets a context that ctx's end does not cancel,
// so a check under way finishes what it claimed: a post that was
// claimed is posted and recorded, not left half done.
func every(ctx context.Context, tick time.Duration, first chan struct{}, check func(context.Context)) {
	work := context.WithoutCancel(ctx)
	check(work)
	close(first)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			check(work)
		}
	}
}

// check retries pending posts, then claims and posts each schedule's
// latest occurrence if it is due: at most one per schedule, so after
// downtime only the most recent missed occurrence is caught up, and only
// within the grace period.
func (s *scheduler) check(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.digest != nil {
		defer s.digest.check(ctx, now)
	}
	all, err := s.schedules(ctx)
	if err != nil {
		s.log.Error("scheduled prompts: load schedules", "err", err)
		return
	}
	byID := map[string]prompt{}
	for _, sc := range all {
		byID[sc.id] = sc
	}
	pending, err := s.st.PendingPosts(ctx)
	if err != nil {
		s.log.Error("scheduled prompts: load pending posts", "err", err)
		return
	}
	for _, p := range pending {
		s.retry(ctx, p, byID, now)
	}
	for _, sc := range all {
		if err := s.due(ctx, sc, now); err != nil {
			s.log.Error("scheduled prompts: claim", "schedule", sc.id, "err", err)
		}
	}
}

// schedules returns the config schedules and the stored ones.
func (s *scheduler) schedules(ctx context.Context) ([]prompt, error) {
	stored, err := s.st.Schedules(ctx)
	if err != nil {
		return nil, err
	}
	all := append([]prompt(nil), s.config...)
	for _, st := range stored {
		w, err := schedule.Parse(st.When, s.loc)
		if err != nil {
			s.log.Error("scheduled prompts: stored schedule unreadable; remove it with /prompt unschedule", "schedule", st.Key(), "err", err)
			continue
		}
		all = append(all, prompt{id: st.Key(), flowID: st.FlowID, channelID: st.ChannelID, text: st.Text, when: w, stored: true, created: st.CreatedAt})
	}
	return all, nil
}

// retry posts a pending claim again, with its nonce, or gives it up when
// its schedule is gone or it is too late.
func (s *scheduler) retry(ctx context.Context, p store.Post, byID map[string]prompt, now time.Time) {
	sc, ok := byID[p.ScheduleID]
	reason := ""
	switch {
	case !ok:
		reason = "its schedule was removed"
	case now.Sub(p.Occurrence) > s.grace:
		reason = fmt.Sprintf("not posted within %v of its time (last error: %s)", s.grace, p.LastError)
	}
	if reason != "" {
		if err := s.st.PostMissed(ctx, p.ScheduleID, p.Occurrence, reason); err != nil {
			s.log.Error("scheduled prompts: give up post", "schedule", p.ScheduleID, "err", err)
			return
		}
		s.log.Warn("scheduled prompt not posted: "+reason, "schedule", p.ScheduleID, "occurrence", p.Occurrence.In(s.loc))
		return
	}
	s.post(ctx, sc, p, now)
}

// due claims the schedule's latest occurrence, if it is due and not too
// late, and posts it if this process won the claim.
func (s *scheduler) due(ctx context.Context, sc prompt, now time.Time) error {
	since := sc.created
	if !sc.stored {
		// Recorded on the first check that sees the schedule, due or not.
		var err error
		if since, err = s.firstSeen(ctx, sc.id, now); err != nil {
			return err
		}
	}
	occ, ok := sc.when.Latest(now)
	if !ok || now.Sub(occ) > s.grace || occ.Before(since) {
		return nil // not yet, too late, or from before the schedule existed
	}
	p := store.Post{ScheduleID: sc.id, Occurrence: occ, Nonce: nonceFor(sc.id, occ), ClaimedAt: now}
	claimed, err := s.st.ClaimPost(ctx, p)
	if err != nil || !claimed {
		return err
	}
	if now.Sub(occ) > 2*s.tick {
		s.log.Info("scheduled prompts: catching up a post missed while the bot was away", "schedule", sc.id, "occurrence", occ.In(s.loc))
	}
	s.post(ctx, sc, p, now)
	return nil
}

// firstSeen is when this database first saw a config schedule.
func (s *scheduler) firstSeen(ctx context.Context, id string, now time.Time) (time.Time, error) {
	if t, ok := s.seen[id]; ok {
		return t, nil
	}
	t, err := s.st.FirstSeen(ctx, id, now)
	if err != nil {
		return time.Time{}, err
	}
	s.seen[id] = t
	return t, nil
}
