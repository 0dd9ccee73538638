package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/schedule"
	"github.com/peervoice/peervoice/store"
)

// digestJob is the scheduler's part for digests: retry the pending ones,
// and claim each week's when it is due, then hand it to the digest
// poster. The scheduler calls check on each tick; the job calls down to
// the poster and the store, never back.
type digestJob struct {
	st     DigestStore
	poster *digestPoster
	when   *schedule.When // nil: no scheduled digest
	loc    *time.Location
	tick   time.Duration // the scheduler's, to tell a catch-up from a tick
	log    *slog.Logger
	audit  auditLog
	since  time.Time // when the database first saw the schedule; zero until read
}

// digestSeenID is the id under which the database remembers when it
// first saw the digest schedule (schedules_seen).
const digestSeenID = "@digest"

// newDigestJob checks the digest posting configuration of cfg, whose
// time zone is set (Config.withDefaults); nil without a store.
func newDigestJob(cfg Config, poster *digestPoster, tick time.Duration) (*digestJob, error) {
	if cfg.Store == nil {
		if cfg.DigestPosting.Schedule != "" {
			return nil, errors.New("digest.schedule: scheduled digests need the database (Config.Store)")
		}
		return nil, nil
	}
	j := &digestJob{st: cfg.Store, poster: poster, loc: cfg.Location, tick: tick, log: cfg.Log, audit: newAuditLog(cfg)}
	if s := cfg.DigestPosting.Schedule; s != "" {
		w, err := schedule.ParseWeekly(s, j.loc)
		if err != nil {
			return nil, fmt.Errorf("digest.schedule: %w", err)
		}
		j.when = &w
	}
	return j, nil
}

// check retries the pending digests that are due (retryDue), oldest
// first, then claims and
// posts the last complete week's digest if the schedule's latest time
// has come. Only the latest is claimed: after downtime the digest of the
// week before the latest scheduled time is caught up on start (so up to
// a week late), never a backlog; but a digest once claimed is retried
// until it is posted. The scheduler calls it one check at a time.
func (j *digestJob) check(ctx context.Context, now time.Time) {
	pending, err := j.st.PendingDigestPosts(ctx)
	if err != nil {
		j.log.Error("digest: load pending posts", "err", err)
		return
	}
	for _, p := range pending {
		if !retryDue(p, now) {
			continue // backing off: a channel that keeps refusing is not asked every tick
		}
		j.publish(ctx, p, now, "retry of a post that failed")
	}
	if j.when == nil {
		return
	}
	if j.since.IsZero() {
		// Recorded on the first check that sees the schedule, due or not.
		if j.since, err = j.st.FirstSeen(ctx, digestSeenID, now); err != nil {
			j.log.Error("digest: first seen", "err", err)
			return
		}
	}
	occ, _ := j.when.Latest(now)
	if occ.Before(j.since) {
		return // from before this database knew the schedule
	}
	period := digest.LastWeek(occ, j.loc)
	p := digestClaim(period, now)
	claimed, err := j.st.ClaimPost(ctx, p)
	if err != nil {
		j.log.Error("digest: claim", "period", period.Name, "err", err)
		return
	}
	if !claimed {
		return
	}
	if now.Sub(occ) > 2*j.tick {
		j.log.Info("digest: catching up a digest missed while the bot was away", "period", period.Name, "scheduled", occ.In(j.loc))
	}
	j.publish(ctx, p, now, "scheduled")
}

// publish posts a claimed digest (logged inside) and records it in the
// audit log, as the system's.
func (j *digestJob) publish(ctx context.Context, p store.Post, now time.Time, why string) {
	_, n, err := j.poster.publishClaimed(ctx, p, now, nil)
	name, _ := store.DigestPeriod(p.ScheduleID)
	e := audit.Entry{Actor: systemActor, Action: "digest.post", Target: name, Outcome: audit.OK,
		Details: joinDetails(why, fmt.Sprintf("channel=%s", j.poster.channel), fmt.Sprintf("posted %d message(s)", n))}
	if err != nil {
		e.Outcome, e.Details = audit.Failed, joinDetails(e.Details, clip(err.Error(), 300))
	}
	j.audit.record(ctx, e)
}

// The back-off of a digest whose post keeps failing: the first retry
// 30 seconds after the failure, each later one twice as long after the
// one before, and from then on hourly. A channel that is missing or
// refuses stays so until someone changes it, so asking every tick only
// fills Discord's rate limits and rebuilds the digest for nothing.
const (
	retryFirst = 30 * time.Second
	retryMax   = time.Hour
)

// retryAfter is how long after its last failed attempt a digest with
// attempts failed attempts is tried again.
func retryAfter(attempts int) time.Duration {
	if attempts <= 0 {
		return 0
	}
	d := retryFirst
	for i := 1; i < attempts && d < retryMax; i++ {
		d *= 2
	}
	return min(d, retryMax)
}

// retryDue reports whether the pending digest p is due for another
// attempt at now. The back-off is counted from the attempts and the last
// failed attempt recorded in its claim, so a restart does not reset it;
// a claim that never failed, or whose failure time was not recorded
// (before migration 007), is due at once.
func retryDue(p store.Post, now time.Time) bool {
	if p.Attempts == 0 || p.LastAttemptAt.IsZero() {
		return true
	}
	return !now.Before(p.LastAttemptAt.Add(retryAfter(p.Attempts)))
}
