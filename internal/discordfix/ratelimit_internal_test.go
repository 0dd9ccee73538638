package discordfix

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// bucketKeys returns the keys of the buckets rl keeps, sorted.
func bucketKeys(t *testing.T, p *bucketPruner) []string {
	t.Helper()
	p.rl.Lock()
	defer p.rl.Unlock()
	var keys []string
	for k := range *p.buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestPruneBuckets: a prune drops the buckets nobody holds whose reset
// has passed, and keeps one a request holds and one still waiting for
// its reset.
func TestPruneBuckets(t *testing.T) {
	rl := discordgo.NewRatelimiter()
	p, ok := newBucketPruner(rl)
	if !ok {
		t.Fatal("discordgo's RateLimiter or Bucket lacks the fields v0.28.1 has")
	}
	now := time.Now()
	release := func(key string, h http.Header) {
		if err := rl.LockBucket(key).Release(h); err != nil {
			t.Fatal(err)
		}
	}
	rl.GetBucket("never used")
	release("no headers", nil)
	release("reset passed", http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset-After": {"0.001"}})
	release("waiting", http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset-After": {"3600"}})
	release("/channels/1/messages/1//reactions//", nil) // discordgo's own 200 ms limit
	held := rl.LockBucket("held")
	defer held.Release(nil)

	if n := p.prune(now.Add(10 * time.Second)); n != 4 {
		t.Errorf("prune dropped %d buckets; want 4", n)
	}
	if got, want := bucketKeys(t, p), []string{"held", "waiting"}; !slices.Equal(got, want) {
		t.Errorf("buckets after a prune: %q; want %q", got, want)
	}
	// A dropped route's next request gets a new bucket and goes at once.
	if b := rl.LockBucket("reset passed"); b.Remaining != 0 {
		t.Errorf("the new bucket has %d requests left after one; want 0", b.Remaining)
	} else {
		b.Release(nil)
	}
}

// TestBucketsStayBounded: a session set up as the bot's, making requests
// on many distinct routes (one channel each, as DMs to many participants
// are), keeps a bounded number of rate-limit buckets; discordgo alone
// keeps one per route for ever. The pruner's clock moves a pruning
// interval on each request, so that every request may prune.
func TestBucketsStayBounded(t *testing.T) {
	e := discordtest.New(t)
	s, err := discordgo.New("Bot " + e.Token())
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTransport(Options{APIURL: e.URL(), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	s.Client = &http.Client{Transport: tr}
	s.LogLevel = -1
	g := Install(s, Options{Log: slog.New(slog.DiscardHandler)})
	if g.buckets == nil {
		t.Fatal("Install set no pruner up on a session with NewTransport's transport")
	}
	var mu sync.Mutex
	clock := time.Now()
	g.buckets.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(pruneEvery)
		return clock
	}
	const routes = 300
	for i := range routes {
		_, err := s.Channel(strconv.Itoa(1000 + i))
		var re *discordgo.RESTError
		if !errors.As(err, &re) || re.Response.StatusCode != http.StatusNotFound {
			t.Fatalf("GET an unknown channel: %v; want a 404 from the emulator", err)
		}
	}
	if n := len(bucketKeys(t, g.buckets)); n > 10 {
		t.Errorf("%d rate-limit buckets after %d routes; want at most 10", n, routes)
	}
}
