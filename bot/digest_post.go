package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/peervoice/peervoice/digest"
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
	PostFailed(ctx context.Context, scheduleID string, occurrence time.Time, reason string, at time.Time) error
}

var _ DigestStore = (*store.DB)(nil)

// DigestPosting configures how digests are posted in the research
// channel. Without Config.Store, /digest post posts whatever it is asked
// to and nothing is scheduled.
type DigestPosting struct {
	// Schedule is when the last complete week's digest is posted, as
	// schedule.ParseWeekly reads it ("weekly mon 09:00"), in
	// Config.Location; "" for never. Pending digests are retried either
	// way.
	Schedule string
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

// digestPoster posts digests in the research channel, each period once
// through its claim in the store: the one poster of the scheduler,
// /digest post and `peervoice digest --post` (PostDigest). It reaches
// Discord through a sender and knows nothing of the bot.
type digestPoster struct {
	out     sender
	st      DigestStore // nil: nothing is claimed, every post is unclaimed
	channel string      // the research channel; "": none configured
	log     *slog.Logger
	charts  int          // the most charts a digest carries; 0: none
	source  DigestSource // nil: only a digest handed in is posted
	loc     *time.Location
	now     func() time.Time

	mu   sync.Mutex            // one digest posted at a time
	keep map[string]keptDigest // period → its digest, built and not yet posted (digest_keep.go); under mu
}

// newDigestPoster is the poster of cfg, whose log, clock and time zone
// are set (Config.withDefaults).
func newDigestPoster(cfg Config, out sender) *digestPoster {
	return &digestPoster{out: out, st: cfg.Store, channel: cfg.ResearchChannelID, log: cfg.Log,
		charts: cfg.DigestPosting.charts(), source: cfg.Digests, loc: cfg.Location, now: cfg.Now}
}

// messages is d as the poster posts it: its text, then its charts.
func (dp *digestPoster) messages(d *digest.Digest) ([]digestMessage, error) {
	return digestMessages(d, dp.charts)
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
// building it from the store (or taking the one built for a retry within
// the same back-off step, digest_keep.go), and records it: each message as it
// is posted, then the whole. A digest that failed halfway resumes at
// the first message not recorded; a message posted but not recorded
// (a crash) comes back from Discord by its nonce. On failure the claim
// stays pending, to be retried, and the reason is recorded and logged
// with the fix. d is the digest if the caller has just built it, else
// nil. It returns the first message's id and how many messages the
// digest took.
func (dp *digestPoster) publishClaimed(ctx context.Context, p store.Post, now time.Time, d *digest.Digest) (string, int, error) {
	st := dp.st
	dp.mu.Lock()
	defer dp.mu.Unlock()
	name, _ := store.DigestPeriod(p.ScheduleID)
	log := dp.log.With("period", name)
	// Another caller in this process may have finished it meanwhile.
	if ps, err := st.Posts(ctx, p.ScheduleID); err == nil && len(ps) == 1 && ps[0].Status == store.PostPosted {
		return ps[0].MessageID, 0, nil
	} else if err == nil && len(ps) == 1 {
		p.Attempts, p.LastError, p.LastAttemptAt = ps[0].Attempts, ps[0].LastError, ps[0].LastAttemptAt
	}
	fail := func(reason, fix string, err error) {
		postFailed(ctx, st, log, p, now, "digest", dp.out.channelName(dp.channel), reason, fix, err)
	}
	channel := dp.channel
	if channel == "" {
		fail("no research channel", ErrNoResearchChannel.Error(), ErrNoResearchChannel)
		return "", 0, ErrNoResearchChannel
	}
	if d == nil && dp.source == nil {
		err := errors.New("this bot was started without digests")
		fail(err.Error(), "", err)
		return "", 0, err
	}
	if d == nil {
		d = dp.kept(name, p, now)
	}
	if d == nil {
		var err error
		if d, err = dp.source(ctx, name); err != nil {
			err = fmt.Errorf("build digest %s: %w", name, err)
			fail(err.Error(), "", err)
			return "", 0, err
		}
		dp.remember(name, p, d, now)
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
	chName := dp.out.channelName(channel)
	send := func(from int, msgs []digestMessage) error {
		for k, m := range msgs {
			i := from + k
			if _, ok := posted[i]; ok {
				continue
			}
			sent, err := dp.out.send(ctx, channel, message{Content: m.content, Embeds: m.embeds, Files: m.discordFiles()}, messageNonce(p, i))
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
	if n := dp.charts; n > 0 {
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
	dp.forget(name)
	log.Info("posted digest", "channel", chName, "messages", len(msgs), "resumed", len(done) > 0)
	return first, len(msgs), nil
}

// periodPost is what postOnce did with a digest.
type periodPost struct {
	first string      // the first message posted now
	n     int         // how many messages were posted now
	prior *store.Post // the period was posted before; nothing was posted now
	// unclaimed: postOnce posted nothing and the caller posts d without
	// a claim: no store, or a repeat asked for with again.
	unclaimed bool
}

// postOnce posts d through its period's claim, for /digest post and
// `peervoice digest --post`: a period already posted (by the schedule,
// by hand or by another process meanwhile) is not posted again, one
// whose post failed earlier is resumed. With again, a period posted
// before is left for the caller to post anew. A period still under way
// is not posted at all (ErrPeriodUnderWay).
func (dp *digestPoster) postOnce(ctx context.Context, d *digest.Digest, again bool) (periodPost, error) {
	if d.Period.ToDate != "" {
		return periodPost{}, ErrPeriodUnderWay
	}
	st := dp.st
	if st == nil {
		return periodPost{unclaimed: true}, nil
	}
	p, err := digest.ParsePeriod(d.Period.Name, dp.loc)
	if err != nil {
		return periodPost{}, fmt.Errorf("digest period %q: %w", d.Period.Name, err)
	}
	now := dp.now()
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
	first, n, err := dp.publishClaimed(ctx, claim, now, d)
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

// postUnclaimed posts msgs in the research channel without a claim,
// message by message, each with the nonce nonce(i) and enforce_nonce, so
// a retry within Discord's nonce window gets the message back instead of
// posting it twice. It returns how many messages were posted and, on
// failure, a *DigestPostError. The posted messages' ids are appended to
// ids, if not nil.
func (dp *digestPoster) postUnclaimed(ctx context.Context, msgs []digestMessage, nonce func(i int) string, ids *[]string) (int, error) {
	if dp.channel == "" {
		return 0, ErrNoResearchChannel
	}
	dp.mu.Lock()
	defer dp.mu.Unlock()
	name := dp.out.channelName(dp.channel)
	for i, m := range msgs {
		sent, err := dp.out.send(ctx, dp.channel, message{Content: m.content, Embeds: m.embeds, Files: m.discordFiles()}, nonce(i))
		if err != nil {
			return i, refusedDigest(err, dp.channel, name)
		}
		if ids != nil {
			*ids = append(*ids, sent.ID)
		}
	}
	return len(msgs), nil
}
