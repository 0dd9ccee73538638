package participant_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// readCounter is *store.DB counting its ReadSteps, to tell whether an
// answer was taken from the service's cache (no read) or afresh.
type readCounter struct {
	*store.DB
	mu    sync.Mutex
	reads int
}

func (c *readCounter) ReadStep(ctx context.Context, pseudonym, sessionID string) (store.StepRead, error) {
	c.mu.Lock()
	c.reads++
	c.mu.Unlock()
	return c.DB.ReadStep(ctx, pseudonym, sessionID)
}

func (c *readCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}

// cacheTwin is a twin whose file another process (other: a second
// *store.DB on it, with a service of its own) changes too.
type cacheTwin struct {
	*twin
	reads    *readCounter // nil for the plain twin
	other    *store.DB
	otherSvc *participant.Service
}

func newCacheTwin(t *testing.T, plain bool) *cacheTwin {
	w := &twin{t: t, now: time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)}
	path := storetest.Path(t)
	clock := func() time.Time { return w.now }
	w.db = storetest.Open(t, path, store.Options{Now: clock})
	c := &cacheTwin{twin: w}
	var st participant.Store = plainStore{w.db}
	if !plain {
		c.reads = &readCounter{DB: w.db}
		st = c.reads
	}
	cfg := participant.Config{Now: clock, NewID: func() string { w.ids++; return fmt.Sprintf("s%02d", w.ids) }, ExpireAfter: 30 * 24 * time.Hour}
	w.svc = storetest.Service(t, st, cfg)
	c.other = storetest.Open(t, path, store.Options{Now: clock})
	c.otherSvc = storetest.Service(t, c.other, cfg)
	return c
}

// left is what is stored of u: their sessions and answers, or "gone".
func (c *cacheTwin) left(u participant.User) string {
	c.t.Helper()
	p, err := c.other.FindParticipant(ctx, c.other.Pseudonym(u.Platform, u.ID))
	if errors.Is(err, store.ErrNotFound) {
		return "gone"
	}
	if err != nil {
		c.t.Fatal(err)
	}
	as, err := c.other.Answers(ctx, p.ID)
	if err != nil {
		c.t.Fatal(err)
	}
	var qs []string
	for _, a := range as {
		qs = append(qs, a.QuestionID+"="+a.Text+fmt.Sprint(a.Choices))
	}
	return fmt.Sprintf("sessions %s answers %v", sessions(c.t, c.twin, u), qs)
}

// TestCacheMatchesTheLongWay: between two answers another process
// withdraws the participant, expires their session, records a consent
// or answers for them itself. The next answer through the service that
// keeps the session (over *store.DB) must be handled exactly as through
// one that reads everything afresh (the store without ReadStep): the
// same reply, and the same left stored (nothing, for a withdrawal). And
// it must have been read afresh: the change was seen.
func TestCacheMatchesTheLongWay(t *testing.T) {
	alice := participant.User{Platform: "discord", ID: "623456789012345678"}
	for _, c := range []struct {
		name   string
		change func(t *testing.T, c *cacheTwin, pid int64)
		// reads is how many ReadSteps the answer after the change takes.
		reads int
	}{
		{"nothing", func(*testing.T, *cacheTwin, int64) {}, 0},
		{"withdrawn by another process", func(t *testing.T, c *cacheTwin, pid int64) {
			if err := c.other.Withdraw(ctx, pid); err != nil {
				t.Fatal(err)
			}
		}, 1},
		{"expired by another process", func(t *testing.T, c *cacheTwin, pid int64) {
			if _, err := c.other.ExpireSessions(ctx, c.now.Add(time.Hour), c.now); err != nil {
				t.Fatal(err)
			}
		}, 1},
		{"consent recorded by another process", func(t *testing.T, c *cacheTwin, pid int64) {
			p, err := c.other.FindParticipant(ctx, c.other.Pseudonym(alice.Platform, alice.ID))
			if err != nil {
				t.Fatal(err)
			}
			cons := *p.Consent
			cons.Quotes = !cons.Quotes
			if err := c.other.SaveConsent(ctx, pid, cons); err != nil {
				t.Fatal(err)
			}
		}, 1},
		{"answered by another process", func(t *testing.T, c *cacheTwin, pid int64) {
			if _, err := c.otherSvc.Input(ctx, alice, participant.Step{Input: flows.Typed("2")}); err != nil {
				t.Fatal(err)
			}
		}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			fast, slow := newCacheTwin(t, false), newCacheTwin(t, true)
			var got, want []string
			for _, w := range []*cacheTwin{fast, slow} {
				var out []string
				do := func(r participant.Reply, err error) {
					w.now = w.now.Add(time.Minute)
					out = append(out, summary(r, err))
				}
				do(w.svc.Begin(ctx, alice, "recovery", ""))
				do(w.svc.Input(ctx, alice, participant.Step{Input: flows.Typed("1")}))
				do(w.svc.Input(ctx, alice, participant.Step{Input: flows.Typed("1")}))
				do(w.svc.Input(ctx, alice, participant.Step{Input: flows.Typed("My life on my own terms")}))
				p, err := w.db.FindParticipant(ctx, w.db.Pseudonym(alice.Platform, alice.ID))
				if err != nil {
					t.Fatal(err)
				}
				c.change(t, w, p.ID)
				before := 0
				if w.reads != nil {
					before = w.reads.count()
				}
				do(w.svc.Input(ctx, alice, participant.Step{Input: flows.Typed("2")}))
				if w.reads != nil {
					if n := w.reads.count() - before; n != c.reads {
						t.Errorf("the answer after the change read the store %d times; want %d", n, c.reads)
					}
				}
				do(w.svc.Input(ctx, alice, participant.Step{Input: flows.Typed("Some more words")}))
				out = append(out, w.left(alice))
				if w == fast {
					got = out
				} else {
					want = out
				}
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("step %d: keeping the session %s\nreading afresh %s", i, got[i], want[i])
				}
			}
		})
	}
}

// TestCacheDroppedOnWithdrawal: a withdrawal in this process drops the
// participant's kept session, and their next words find nothing.
func TestCacheDroppedOnWithdrawal(t *testing.T) {
	w := newCacheTwin(t, false)
	alice := participant.User{Platform: "discord", ID: "723456789012345678"}
	for _, step := range []func() (participant.Reply, error){
		func() (participant.Reply, error) { return w.svc.Begin(ctx, alice, "recovery", "") },
		func() (participant.Reply, error) {
			return w.svc.Input(ctx, alice, participant.Step{Input: flows.Typed("1")})
		},
		func() (participant.Reply, error) {
			return w.svc.Input(ctx, alice, participant.Step{Input: flows.Typed("1")})
		},
		func() (participant.Reply, error) {
			return w.svc.Input(ctx, alice, participant.Step{Input: flows.Typed("My words")})
		},
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := w.svc.Withdraw(ctx, alice); !ok || err != nil {
		t.Fatalf("Withdraw() = %v, %v", ok, err)
	}
	before := w.reads.count()
	if _, err := w.svc.Input(ctx, alice, participant.Step{Input: flows.Typed("2")}); !errors.Is(err, participant.ErrNoSession) {
		t.Errorf("Input after Withdraw = %v; want ErrNoSession", err)
	}
	if w.reads.count() == before {
		t.Errorf("the words after Withdraw were not read afresh")
	}
	if got := w.left(alice); got != "gone" {
		t.Errorf("left after Withdraw: %s; want nothing", got)
	}
}

// TestCacheConcurrent answers from several goroutines at once, two of
// them for the same participant (run it with -race): every answer
// acknowledged is stored, each question once, and none is lost or
// applied twice.
func TestCacheConcurrent(t *testing.T) {
	w := newCacheTwin(t, false)
	users := []participant.User{
		{Platform: "discord", ID: "823456789012345671"},
		{Platform: "discord", ID: "823456789012345672"},
		{Platform: "discord", ID: "823456789012345673"},
	}
	for _, u := range users {
		for _, step := range []func() (participant.Reply, error){
			func() (participant.Reply, error) { return w.svc.Begin(ctx, u, "recovery", "") },
			func() (participant.Reply, error) {
				return w.svc.Input(ctx, u, participant.Step{Input: flows.Typed("1")})
			},
			func() (participant.Reply, error) {
				return w.svc.Input(ctx, u, participant.Step{Input: flows.Typed("1")})
			},
		} {
			if _, err := step(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// users[0] has two goroutines typing at once; the others one each.
	typists := []participant.User{users[0], users[0], users[1], users[2]}
	acked := make([]int, len(typists))
	var wg sync.WaitGroup
	errs := make(chan error, len(typists))
	for i, u := range typists {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				r, err := w.svc.Input(ctx, u, participant.Step{Input: flows.Typed("2")})
				if errors.Is(err, participant.ErrNoSession) {
					return // the flow ended
				}
				if err != nil {
					errs <- err
					return
				}
				for _, o := range r.Outputs {
					if _, ok := o.(flows.Answered); ok {
						acked[i]++
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Input: %v", err)
	}
	want := map[string]int{}
	for i, u := range typists {
		want[u.ID] += acked[i]
	}
	for _, u := range users {
		p, err := w.other.FindParticipant(ctx, w.other.Pseudonym(u.Platform, u.ID))
		if err != nil {
			t.Fatal(err)
		}
		as, err := w.other.Answers(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != want[u.ID] || len(as) == 0 {
			t.Errorf("participant %s: %d answers stored; want the %d acknowledged", u.ID, len(as), want[u.ID])
		}
	}
}
