package bot_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/store"
)

// researchPosts counts the create-message requests to #research.
func (h *digestSched) researchPosts() int {
	n := 0
	for _, req := range h.e.RequestsTo("POST /channels/{channel_id}/messages") {
		if req.Path == "/channels/"+h.research.ID+"/messages" {
			n++
		}
	}
	return n
}

// builds is how many digests the source has built.
func (h *digestSched) builds() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.built)
}

// TestDigestRetryBacksOff: a scheduled digest that Discord keeps refusing
// is tried again 30 seconds after the first failure, then after twice as
// long each time, not on every tick; the back-off survives a restart; the
// digest is built once an attempt, not once a tick; and once the channel
// lets the bot in, the digest is posted, once.
func TestDigestRetryBacksOff(t *testing.T) {
	t.Parallel()
	h := newDigestSched(t)
	h.start(nil).stop() // Monday 17:00: the schedule is seen
	const refusals = 5
	h.e.FailNext("POST /channels/{channel_id}/messages", refusals, discordtest.APIError(403, 50013, "Missing Permissions"))
	base := at(2026, 11, 30, 18, 0)
	h.clock.Set(base)
	r := h.start(nil) // the first attempt, refused
	// The attempts: at 18:00, then 30 s, 1 min, 2 min and 4 min after
	// the one before; the sixth, 8 min after the fifth, gets through.
	want := []time.Duration{0, 30 * time.Second, 90 * time.Second, 210 * time.Second, 450 * time.Second, 930 * time.Second}
	var got []time.Duration
	last := h.researchPosts()
	if last == 1 {
		got = append(got, 0)
	}
	ticks := 0
	for now := base.Add(10 * time.Second); now.Before(base.Add(20 * time.Minute)); now = now.Add(10 * time.Second) {
		h.clock.Set(now)
		if now.Equal(base.Add(100 * time.Second)) {
			// A restart between the third and fourth attempts: the
			// back-off is read from the claim, not started over.
			r.stop()
			r = h.start(nil)
		} else {
			bot.CheckSchedules(r.b)
		}
		ticks++
		if n := h.researchPosts(); n > last {
			got, last = append(got, now.Sub(base)), n
		}
	}
	ps := h.posts(r, store.DigestPostKey("2026-W48"))
	r.stop()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("attempts at %v after 18:00; want %v", got, want)
	}
	h.wantDigests("after the channel let the bot in", "2026-W48")
	if b := h.builds(); b != len(want) {
		t.Errorf("the digest was built %d times in %d checks; want %d, once an attempt", b, ticks+2, len(want))
	}
	if len(ps) != 1 || ps[0].Status != store.PostPosted || ps[0].Attempts != refusals {
		t.Errorf("stored post = %+v; want posted after %d failed attempts", ps, refusals)
	}
}

// TestDigestRetryBackoffCapped: however long a digest keeps failing, it
// is tried at least hourly, and then hourly, not less often.
func TestDigestRetryBackoffCapped(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		wait     time.Duration
	}{{1, 30 * time.Second}, {2, time.Minute}, {7, 32 * time.Minute}, {8, time.Hour}, {50, time.Hour}} {
		if got := bot.RetryAfter(tc.attempts); got != tc.wait {
			t.Errorf("after %d failed attempts: wait %v; want %v", tc.attempts, got, tc.wait)
		}
	}
}

// lossyStore loses the record of the first message posted, as if the
// disk failed right after Discord took it.
type lossyStore struct {
	bot.Store
	calls atomic.Int32
}

func (s *lossyStore) AddPostMessage(ctx context.Context, id string, occ time.Time, m store.PostMessage) error {
	if s.calls.Add(1) == 1 {
		return errors.New("disk I/O error")
	}
	return s.Store.AddPostMessage(ctx, id, occ, m)
}

// TestDigestKeptForRetry: the digest built for a claimed period is kept
// for the retry that follows a lost record, within the same back-off
// step, and not built again; a retry after a failed attempt, past the
// back-off, builds it afresh.
func TestDigestKeptForRetry(t *testing.T) {
	t.Parallel()
	t.Run("after a lost record", func(t *testing.T) {
		h := newDigestSched(t)
		h.start(nil).stop()
		h.clock.Set(at(2026, 11, 30, 18, 0))
		r := h.start(func(c *bot.Config) { c.Store = &lossyStore{Store: c.Store} }) // posted, not recorded
		h.clock.Set(at(2026, 11, 30, 18, 0).Add(10 * time.Second))
		bot.CheckSchedules(r.b)
		r.stop()
		h.wantDigests("after the retry", "2026-W48")
		if b := h.builds(); b != 1 {
			t.Errorf("the digest was built %d times; want once, kept for the retry", b)
		}
	})
	t.Run("after a failed attempt", func(t *testing.T) {
		h := newDigestSched(t)
		h.start(nil).stop()
		h.e.FailNext("POST /channels/{channel_id}/messages", 1, discordtest.APIError(403, 50013, "Missing Permissions"))
		h.clock.Set(at(2026, 11, 30, 18, 0))
		r := h.start(nil) // refused
		h.clock.Set(at(2026, 11, 30, 18, 0).Add(30 * time.Second))
		bot.CheckSchedules(r.b)
		r.stop()
		h.wantDigests("after the retry", "2026-W48")
		if b := h.builds(); b != 2 {
			t.Errorf("the digest was built %d times; want twice: the retry past the back-off builds it again", b)
		}
	})
}
