package participant

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
)

// The session under way, kept between answers. Reading it back from the
// store cost an answer about a fifth of its CPU time: SQLite drops a
// reading connection's page cache after every commit by another
// connection, so each answer re-read every page it touched. So the
// service keeps, for each participant it has just saved a step for, the
// session as it wrote it, and answers their next typed words or button
// from that, without a read.
//
// It is safe because the write is the check (store.SaveStepIf): the step
// is saved only if, inside the write transaction, the session row is
// still the one this process wrote (its sealed state, compared byte for
// byte, and its status), their latest consent is the same, and it is
// still their session under way. Anything done behind the cache (a
// withdrawal, an expiry or a retention run by another process or by a
// job, a consent, a step saved by another process) fails the check:
// nothing is written, the entry is dropped, and the answer is handled
// afresh from a read, exactly as without the cache. So nothing is
// acknowledged on stale state, and nothing is saved for a withdrawn
// participant.
//
// Only the plain case is taken from the cache: an answer the engine
// takes, to a flow's session under way (not the consent flow's); it is
// kept again only if the session is still under way after it. Anything else (a stale button, a session idle past
// ExpireAfter, a finished one, the engine refusing the input) is handled
// afresh, as are help and every other method: they drop the entry first
// (Service.lock).
//
// An entry holds the session's state as the engine's JSON, which is what
// an answer holds in memory while it is handled, and the stored row's
// sealed state to compare: no more of a participant's words than their
// session already carries. A withdrawal in this process drops the entry
// (Service.Withdraw takes the lock, which drops it; a "no" to consent is
// decided inside Input, which has taken the entry out), and there are at
// most maxSteps entries. An entry is never written anywhere.

// maxSteps bounds the entries kept: a few kilobytes each.
const maxSteps = 4096

// cachedStep is a participant's session under way as this process last
// saved it.
type cachedStep struct {
	p   store.Participant
	rec store.Session // State is the JSON as saved
	rev store.StepRev
}

// stepCache maps pseudonyms to the session each last saved here. An
// entry is only used and changed under its participant's lock.
type stepCache struct {
	mu sync.Mutex
	m  map[string]cachedStep
}

// take removes and returns pseud's entry.
func (c *stepCache) take(pseud string) (cachedStep, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[pseud]
	if ok {
		delete(c.m, pseud)
	}
	return e, ok
}

// forget drops pseud's entry.
func (c *stepCache) forget(pseud string) {
	c.mu.Lock()
	delete(c.m, pseud)
	c.mu.Unlock()
}

// put keeps e for pseud, making room by dropping any one other entry.
func (c *stepCache) put(pseud string, e cachedStep) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]cachedStep{}
	}
	if _, ok := c.m[pseud]; !ok && len(c.m) >= maxSteps {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[pseud] = e
}

// condSaver is what a store that saves a step conditionally offers;
// *store.DB does.
type condSaver interface {
	SaveStepIf(ctx context.Context, s store.Session, answers []store.Answer, cleared []string, rev store.StepRev, open bool) (store.StepRev, error)
}

var _ condSaver = (*store.DB)(nil)

// readAs is how the session a step saves was read: its row as read
// (rec, rev), whether it was found as the session under way (open), and
// for pseud.
type readAs struct {
	pseud  string
	p      store.Participant
	rec    store.Session
	rev    store.StepRev
	open   bool
	cached bool // from the cache: a changed row is ErrChanged, to redo afresh
}

// inputCached is Input's step from the cache entry e. done is false when
// the step must be handled afresh instead: nothing was written then.
func (s *Service) inputCached(ctx context.Context, e cachedStep, pseud string, step Step, crisis bool) (reply Reply, done bool, err error) {
	rec := e.rec
	if s.idle(rec) {
		return Reply{}, false, nil
	}
	r, err := decode(rec)
	if err != nil || r.Session.Status == flows.Done || step.QuestionID != "" && step.QuestionID != r.Session.Current {
		return Reply{}, false, nil
	}
	f, err := s.flow(ctx, rec.FlowID, rec.FlowVersion)
	if err != nil || f == s.consent {
		return Reply{}, false, nil
	}
	ns, outs, err := flows.Resume(f, r.Session, step.Input, s.cfg.Now())
	if err != nil || ns.ID != rec.ID {
		return Reply{}, false, nil
	}
	r.Session = ns
	saved, err := s.saveRead(ctx, f, r, outs, &readAs{pseud: pseud, p: e.p, rec: rec, rev: e.rev, open: step.SessionID == "", cached: true})
	if errors.Is(err, store.ErrChanged) {
		return Reply{}, false, nil
	}
	if crisis {
		saved.Signpost = s.crisis(r.lang(step.Lang))
	}
	return saved, true, err
}

// writeStep saves a step built by saveRead: conditionally when it was
// read with a StepRev, keeping the session in the cache if it is still
// under way. A step read afresh whose row changed since is saved as
// without the cache (SaveStep); one from the cache returns ErrChanged.
func (s *Service) writeStep(ctx context.Context, f *flows.Flow, rec store.Session, answers []store.Answer, cleared []string, how *readAs, outs []flows.Output) error {
	cs, ok := s.st.(condSaver)
	if how == nil || !how.rev.Valid() || !ok || rec.ID != how.rec.ID {
		s.reportWhen(f, outs)
		return s.st.SaveStep(ctx, rec, answers, cleared)
	}
	wrote, err := cs.SaveStepIf(ctx, rec, answers, cleared, how.rev, how.open)
	switch {
	case errors.Is(err, store.ErrChanged) && how.cached:
		return err
	case errors.Is(err, store.ErrChanged):
		s.reportWhen(f, outs)
		return s.st.SaveStep(ctx, rec, answers, cleared)
	}
	s.reportWhen(f, outs)
	if err != nil {
		return err
	}
	if f != s.consent && (rec.Status == store.StatusActive || rec.Status == store.StatusPaused) {
		kept := how.rec
		kept.FlowVersion, kept.Status, kept.State = rec.FlowVersion, rec.Status, rec.State
		kept.UpdatedAt = storedTime(rec.UpdatedAt)
		s.steps.put(how.pseud, cachedStep{p: how.p, rec: kept, rev: wrote})
	}
	return nil
}

// storedTime is t as the store reads it back: UTC, to the nanosecond,
// with no monotonic reading.
func storedTime(t time.Time) time.Time { return t.Round(0).UTC() }
