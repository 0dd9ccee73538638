package bot

import (
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/store"
)

// keepBuilt is the longest a built digest is kept for a retry of its
// claim. It bounds how late a change can be: the retries that use a kept
// digest come within it, so a withdrawal or a moderator's decision made
// meanwhile reaches the digest posted at most this late.
const keepBuilt = 5 * time.Minute

// keptDigest is a digest built for a claimed period that has not been
// posted yet, and what its reuse depends on.
type keptDigest struct {
	d        *digest.Digest
	attempts int       // the claim's failed attempts when it was built
	built    time.Time // by the poster's clock
}

// kept returns the digest built for period whose post has not gone
// through yet, if it may be posted in place of a new one: only within
// the back-off step it was built in (no failed attempt counted since:
// what follows a lost record, or a restart of the same check) and for
// keepBuilt at most. A retry after a failed attempt is after the back-off
// (retryAfter), and builds the digest again, with the moderators'
// decisions and withdrawals made since. Call with dp.mu held.
func (dp *digestPoster) kept(period string, p store.Post, now time.Time) *digest.Digest {
	k, ok := dp.keep[period]
	if !ok {
		return nil
	}
	if k.attempts != p.Attempts || now.Before(k.built) || now.Sub(k.built) >= keepBuilt {
		delete(dp.keep, period)
		return nil
	}
	return k.d
}

// remember keeps d, just built for period's claim p, for its retries
// (kept); forget drops it once the period is posted. Call with dp.mu
// held.
func (dp *digestPoster) remember(period string, p store.Post, d *digest.Digest, now time.Time) {
	if dp.keep == nil {
		dp.keep = map[string]keptDigest{}
	}
	dp.keep[period] = keptDigest{d: d, attempts: p.Attempts, built: now}
}

func (dp *digestPoster) forget(period string) { delete(dp.keep, period) }
