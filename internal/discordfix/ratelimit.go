package discordfix

import (
	"log/slog"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/bwmarrin/discordgo"
)

// pruneEvery is how often at most the transport frees rate-limit buckets.
const pruneEvery = time.Minute

// bucketPruner frees discordgo v0.28.1's rate-limit buckets once they are
// of no more use. Its RateLimiter keeps a bucket for every route it was
// asked for, and a route has the channel's, message's or interaction's
// id in it (every DM channel, every edited message, every interaction
// response its own), for as long as the process runs: a map that only
// grows. discordgo has no exported way to drop one, so the pruner reaches
// its unexported map and the two reset times of a bucket (ratelimit.go);
// the types are checked when it is made.
//
// A bucket goes when nobody holds it (TryLock) and its reset times have
// passed: it then waits for nothing, exactly as the new bucket
// GetBucket makes on the route's next request. The one gap: a request
// that has got a bucket from GetBucket but not yet locked it keeps the
// bucket dropped under it, and a second request on the route meanwhile
// gets a new one, so the two are not held to one at a time; the worst
// that comes of it is a 429, which the transport waits out.
type bucketPruner struct {
	rl                     *discordgo.RateLimiter
	buckets                *map[string]*discordgo.Bucket // rl.buckets
	resetOff, lastResetOff uintptr                       // of Bucket.reset and Bucket.lastReset
	now                    func() time.Time              // tests set a clock

	mu   sync.Mutex
	next time.Time // when to prune next
}

// pruneBuckets has the transport under s, if it is NewTransport's, free
// s's rate-limit buckets now and then, and returns the pruner, or nil.
// Call it before any request.
func pruneBuckets(s *discordgo.Session, log *slog.Logger) *bucketPruner {
	if s.Client == nil || s.Ratelimiter == nil {
		return nil
	}
	t, ok := s.Client.Transport.(*transport)
	if !ok {
		return nil
	}
	p, ok := newBucketPruner(s.Ratelimiter)
	if !ok {
		log.Warn("discordgo's RateLimiter is not as in v0.28.1: its rate-limit buckets are never freed")
		return nil
	}
	t.prune = p.maybePrune
	return p
}

// newBucketPruner returns a pruner for rl, or ok false if discordgo's
// RateLimiter or Bucket no longer has the fields v0.28.1 has.
func newBucketPruner(rl *discordgo.RateLimiter) (p *bucketPruner, ok bool) {
	m := reflect.ValueOf(rl).Elem().FieldByName("buckets")
	bt := reflect.TypeFor[discordgo.Bucket]()
	reset, ok1 := bt.FieldByName("reset")
	last, ok2 := bt.FieldByName("lastReset")
	tt := reflect.TypeFor[time.Time]()
	if !m.IsValid() || m.Type() != reflect.TypeFor[map[string]*discordgo.Bucket]() || !ok1 || !ok2 || reset.Type != tt || last.Type != tt {
		return nil, false
	}
	return &bucketPruner{
		rl: rl, buckets: (*map[string]*discordgo.Bucket)(unsafe.Pointer(m.UnsafeAddr())),
		resetOff: reset.Offset, lastResetOff: last.Offset, now: time.Now,
	}, true
}

// maybePrune prunes if pruneEvery has passed since it last did.
func (p *bucketPruner) maybePrune() {
	now := p.now()
	p.mu.Lock()
	due := !now.Before(p.next)
	if due {
		p.next = now.Add(pruneEvery)
	}
	p.mu.Unlock()
	if due {
		p.prune(now)
	}
}

// prune drops every bucket nobody holds whose reset times are a second
// or more before now, and returns how many it dropped. (The second is for
// discordgo's own limit on reactions, which counts from the last reset.) It holds the RateLimiter's lock,
// as GetBucket does to read and write the map, and a bucket's lock to
// read its reset times, as Release does to write them; it waits for
// neither a bucket's lock nor anything else while it holds them.
func (p *bucketPruner) prune(now time.Time) (dropped int) {
	idle := now.Add(-time.Second)
	p.rl.Lock()
	defer p.rl.Unlock()
	for key, b := range *p.buckets {
		if !b.TryLock() {
			continue // a request holds it
		}
		reset := *(*time.Time)(unsafe.Add(unsafe.Pointer(b), p.resetOff))
		last := *(*time.Time)(unsafe.Add(unsafe.Pointer(b), p.lastResetOff))
		if reset.Before(idle) && last.Before(idle) {
			delete(*p.buckets, key)
			dropped++
		}
		b.Unlock()
	}
	return dropped
}
