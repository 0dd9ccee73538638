package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/schedule"
	"github.com/peervoice/peervoice/store"
)

// DigestStore keeps the claim on each period's digest and the messages
// it was posted as; *store.DB satisfies it. A digest is claimed in the
// same table as scheduled prompts (under store.DigestPostKey), so each
// period is posted once whoever posts it: the schedule, a researcher, or
// several bots at once.
type DigestStore interface {
	FirstSeen(ctx context.Context, id string, now time.Time) (time.Time, error)
	ClaimPost(ctx context.Context, p store.Post) (bool, error)
	Posts(ctx context.Context, scheduleID string) ([]store.Post, error)
	PendingDigestPosts(ctx context.Context) ([]store.Post, error)
	AddPostMessage(ctx context.Context, scheduleID string, occurrence time.Time, m store.PostMessage) error
	PostMessages(ctx context.Context, scheduleID string, occurrence time.Time) ([]store.PostMessage, error)
	PostDone(ctx context.Context, scheduleID string, occurrence time.Time, channelID, messageID string, at time.Time) error
	PostFailed(ctx context.Context, scheduleID string, occurrence time.Time, reason string) error
}

var _ DigestStore = (*store.DB)(nil)

// DigestPosting configures how digests are posted in the research
// channel. Without a Store, /digest post posts whatever it is asked to
// and nothing is scheduled.
type DigestPosting struct {
	Store DigestStore
	// Schedule is when the last complete week's digest is posted, as
	// schedule.ParseWeekly reads it ("weekly mon 09:00"), in Location;
	// "" for never. Pending digests are retried either way.
	Schedule string
	// Location is digest.timezone, where periods and Schedule are read;
	// nil: schedule.DefaultTimezone.
	Location *time.Location
	// Charts is how many charts a digest carries at most; 0:
	// DefaultDigestCharts; negative: none.
	Charts int
}

func (p DigestPosting) charts() int {
	if p.Charts == 0 {
		return DefaultDigestCharts
	}
	return max(p.Charts, 0)
}

// digestClaim is the claim on the digest of a period: its key, and the
// period's start as the occurrence.
func digestClaim(period digest.Period, now time.Time) store.Post {
	key := store.DigestPostKey(period.Name)
	return store.Post{ScheduleID: key, Occurrence: period.Start, Nonce: nonceFor(key, period.Start), ClaimedAt: now}
}

// messageNonce is the nonce of message i of a claimed post: the same in
// every process and on every retry.
func messageNonce(p store.Post, i int) string {
	return nonceFor(p.ScheduleID+"#"+strconv.Itoa(i), p.Occurrence)
}

// publishClaimed posts a claimed digest in the research channel,
// building it afresh from the store, and records it: each message as it
// is posted, then the whole. A digest that failed halfway resumes at
// the first message not recorded; a message posted but not recorded
// (a crash) comes back from Discord by its nonce. On failure the claim
// stays pending, to be retried, and the reason is recorded and logged
// with the fix. d is the digest if the caller has just built it, else
// nil. It returns the first message's id and how many messages the
// digest took.
func (b *Bot) publishClaimed(ctx context.Context, p store.Post, now time.Time, d *digest.Digest) (string, int, error) {
	st := b.cfg.DigestPosting.Store
	b.digestMu.Lock()
	defer b.digestMu.Unlock()
	name, _ := store.DigestPeriod(p.ScheduleID)
	log := b.log.With("period", name)
	// Another caller in this process may have finished it meanwhile.
	if ps, err := st.Posts(ctx, p.ScheduleID); err == nil && len(ps) == 1 && ps[0].Status == store.PostPosted {
		return ps[0].MessageID, 0, nil
	} else if err == nil && len(ps) == 1 {
		p.Attempts, p.LastError = ps[0].Attempts, ps[0].LastError
	}
	fail := func(reason, fix string, err error) {
		if rerr := st.PostFailed(ctx, p.ScheduleID, p.Occurrence, reason); rerr != nil {
			log.Error("digest: record failed post", "err", rerr)
		}
		// Loudly the first time and when it changes; a channel that stays
		// missing would otherwise fill the log every tick.
		level := log.Warn
		if p.Attempts > 0 && p.LastError == reason {
			level = log.Debug
		}
		if fix != "" {
			level("cannot post digest; will retry", "channel", b.channelName(b.cfg.ResearchChannelID), "err", reason, "fix", fix)
		} else {
			level("cannot post digest; will retry", "channel", b.channelName(b.cfg.ResearchChannelID), "err", err)
		}
	}
	channel := b.cfg.ResearchChannelID
	if channel == "" {
		fail("no research channel", ErrNoResearchChannel.Error(), ErrNoResearchChannel)
		return "", 0, ErrNoResearchChannel
	}
	if d == nil && b.cfg.Digests == nil {
		err := errors.New("this bot was started without digests")
		fail(err.Error(), "", err)
		return "", 0, err
	}
	if d == nil {
		var err error
		if d, err = b.cfg.Digests(ctx, name); err != nil {
			err = fmt.Errorf("build digest %s: %w", name, err)
			fail(err.Error(), "", err)
			return "", 0, err
		}
	}
	// The text first; the charts are drawn only once it is through, so
	// a channel that keeps refusing costs no drawing on every retry.
	msgs, err := digestMessages(d, 0)
	if err != nil {
		fail(err.Error(), "", err)
		return "", 0, err
	}
	done, err := st.PostMessages(ctx, p.ScheduleID, p.Occurrence)
	if err != nil {
		return "", 0, err
	}
	posted := map[int]string{}
	for _, m := range done {
		posted[m.Index] = m.MessageID
	}
	chName := b.channelName(channel)
	send := func(from int, msgs []digestMessage) error {
		for k, m := range msgs {
			i := from + k
			if _, ok := posted[i]; ok {
				continue
			}
			sent, err := sendWithNonce(ctx, b.s, channel, message{Content: m.content, Embeds: m.embeds, Files: m.discordFiles()}, messageNonce(p, i))
			if err != nil {
				pe := refusedDigest(err, channel, chName)
				fail(pe.Reason, pe.Fix, err)
				return pe
			}
			if err := st.AddPostMessage(ctx, p.ScheduleID, p.Occurrence, store.PostMessage{Index: i, ChannelID: channel, MessageID: sent.ID, PostedAt: now}); err != nil {
				// Posted but not recorded: it stays pending, and the
				// retry's nonce gets this same message back from Discord.
				log.Error("digest: posted a message, but could not record it; will check again", "message", sent.ID, "err", err)
				return err
			}
			posted[i] = sent.ID
		}
		return nil
	}
	if err := send(0, msgs); err != nil {
		return "", len(posted), err
	}
	if n := b.cfg.DigestPosting.charts(); n > 0 {
		files, err := digestCharts(d, n)
		if err != nil {
			fail(err.Error(), "", err)
			return "", len(posted), err
		}
		charts := chartMessages(d, files)
		if err := send(len(msgs), charts); err != nil {
			return "", len(posted), err
		}
		msgs = append(msgs, charts...)
	}
	first := posted[0]
	if err := st.PostDone(ctx, p.ScheduleID, p.Occurrence, channel, first, now); err != nil {
		log.Error("digest: posted, but could not record it; will check again", "message", first, "err", err)
		return "", len(msgs), err
	}
	log.Info("posted digest", "channel", chName, "messages", len(msgs), "resumed", len(done) > 0)
	return first, len(msgs), nil
}

// periodPost is what postOnce did with a digest.
type periodPost struct {
	first string      // the first message posted now
	n     int         // how many messages were posted now
	prior *store.Post // the period was posted before; nothing was posted now
	// unclaimed: postOnce posted nothing and the caller posts d without
	// a claim: no store, a period still under way (its figures will
	// change, and its digest is still to be posted once it ends), or a
	// repeat asked for with again.
	unclaimed bool
}

// postOnce posts d through its period's claim, for /digest post and
// `peervoice digest --post`: a period already posted (by the schedule,
// by hand or by another process meanwhile) is not posted again, one
// whose post failed earlier is resumed. With again, a period posted
// before is left for the caller to post anew.
func (b *Bot) postOnce(ctx context.Context, d *digest.Digest, again bool) (periodPost, error) {
	st := b.cfg.DigestPosting.Store
	if st == nil || d.Period.ToDate != "" {
		return periodPost{unclaimed: true}, nil
	}
	p, err := digest.ParsePeriod(d.Period.Name, b.digestLocation())
	if err != nil {
		return periodPost{}, fmt.Errorf("digest period %q: %w", d.Period.Name, err)
	}
	now := b.now()
	claim := digestClaim(p, now)
	if _, err := st.ClaimPost(ctx, claim); err != nil {
		return periodPost{}, err
	}
	prior := func(again bool) (periodPost, error) {
		ps, err := st.Posts(ctx, claim.ScheduleID)
		if err != nil || len(ps) != 1 {
			return periodPost{}, fmt.Errorf("digest %s: read its post: %v", d.Period.Name, err)
		}
		if ps[0].Status != store.PostPosted {
			return periodPost{}, nil
		}
		if again {
			return periodPost{unclaimed: true}, nil
		}
		return periodPost{prior: &ps[0]}, nil
	}
	if pp, err := prior(again); err != nil || pp.prior != nil || pp.unclaimed {
		return pp, err
	}
	first, n, err := b.publishClaimed(ctx, claim, now, d)
	if err != nil {
		return periodPost{n: n}, err
	}
	if n == 0 { // finished by another post in this process meanwhile
		pp, err := prior(false)
		if err == nil && pp.prior == nil {
			err = fmt.Errorf("digest %s: published, but its post is not recorded as posted", d.Period.Name)
		}
		return pp, err
	}
	return periodPost{first: first, n: n}, nil
}

// digestJob is the scheduler's part for digests: retry the pending ones,
// and claim each week's when it is due.
type digestJob struct {
	st   DigestStore
	when *schedule.When // nil: no scheduled digest
	loc  *time.Location
}

// digestSeenID is the id under which the database remembers when it
// first saw the digest schedule (schedules_seen).
const digestSeenID = "@digest"

// newDigestJob checks the digest posting configuration; nil without a
// store.
func newDigestJob(cfg DigestPosting) (*digestJob, error) {
	if cfg.Store == nil {
		if cfg.Schedule != "" {
			return nil, errors.New("digest.schedule: scheduled digests need the database (DigestPosting.Store)")
		}
		return nil, nil
	}
	j := &digestJob{st: cfg.Store, loc: cfg.Location}
	if j.loc == nil {
		loc, err := schedule.Location("")
		if err != nil {
			return nil, fmt.Errorf("digest.timezone: %w", err)
		}
		j.loc = loc
	}
	if cfg.Schedule != "" {
		w, err := schedule.ParseWeekly(cfg.Schedule, j.loc)
		if err != nil {
			return nil, fmt.Errorf("digest.schedule: %w", err)
		}
		j.when = &w
	}
	return j, nil
}

// checkDigest retries the pending digests, oldest first, then claims and
// posts the last complete week's digest if the schedule's latest time
// has come. Only the latest is claimed: after downtime the digest of the
// week before the latest scheduled time is caught up on start (so up to
// a week late), never a backlog; but a digest once claimed is retried
// until it is posted.
func (s *scheduler) checkDigest(ctx context.Context, now time.Time) {
	j := s.digest
	pending, err := j.st.PendingDigestPosts(ctx)
	if err != nil {
		s.b.log.Error("digest: load pending posts", "err", err)
		return
	}
	for _, p := range pending {
		s.b.publishClaimed(ctx, p, now, nil) // logged inside
	}
	if j.when == nil {
		return
	}
	since, err := s.firstSeen(ctx, digestSeenID, now)
	if err != nil {
		s.b.log.Error("digest: first seen", "err", err)
		return
	}
	occ, _ := j.when.Latest(now)
	if occ.Before(since) {
		return // from before this database knew the schedule
	}
	period := digest.LastWeek(occ, j.loc)
	p := digestClaim(period, now)
	claimed, err := j.st.ClaimPost(ctx, p)
	if err != nil {
		s.b.log.Error("digest: claim", "period", period.Name, "err", err)
		return
	}
	if !claimed {
		return
	}
	if now.Sub(occ) > 2*s.tick {
		s.b.log.Info("digest: catching up a digest missed while the bot was away", "period", period.Name, "scheduled", occ.In(j.loc))
	}
	s.b.publishClaimed(ctx, p, now, nil)
}
