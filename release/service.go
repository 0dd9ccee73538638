package release

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
)

// Store is what the service needs of the database: transactions over
// the flows' releases (*store.DB has them).
type Store interface {
	UpdateReleases(ctx context.Context, fn func(*store.ReleaseTx) error) error
	ViewReleases(ctx context.Context, fn func(*store.ReleaseTx) error) error
}

var _ Store = (*store.DB)(nil)

// Options configures a Service. Store is required; the others have
// defaults.
type Options struct {
	Store Store
	// Audit records every change and every refused one; default
	// audit.Discard.
	Audit audit.Recorder
	// Now is the clock of versions, drafts and audit entries; default
	// time.Now.
	Now func() time.Time
	// Log is where problems that return no error are reported (a stored
	// version that no longer parses); default slog.Default().
	Log *slog.Logger
	// OnLive, when set, is called after every version goes live, whoever
	// published it (a moderator, the command line, the flows folder), so
	// the bot can tell the moderator channel. It must not block.
	OnLive func(Version)
}

// Service is the one implementation of flow releases behind /flows and
// peervoice flows. It is safe for concurrent use; every change is one
// database transaction, so several processes may share a database.
type Service struct {
	opt Options

	mu     sync.Mutex
	parsed map[string]*flows.Flow // by content hash: stored sources never change
	catKey string                 // the live states the cached catalog was built from
	cat    *flows.Catalog
}

// New returns a service over st that records changes in rec.
func New(st Store, rec audit.Recorder, now func() time.Time, log *slog.Logger) *Service {
	return NewWith(Options{Store: st, Audit: rec, Now: now, Log: log})
}

// NewWith returns a service configured by opt.
func NewWith(opt Options) *Service {
	if opt.Audit == nil {
		opt.Audit = audit.Discard
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Service{opt: opt, parsed: map[string]*flows.Flow{}}
}

// OnLive adds fn to the functions called after every version goes live.
func (s *Service) OnLive(fn func(Version)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.opt.OnLive
	s.opt.OnLive = func(v Version) {
		if prev != nil {
			prev(v)
		}
		fn(v)
	}
}

// live calls the OnLive functions for vs.
func (s *Service) live(vs ...Version) {
	s.mu.Lock()
	fn := s.opt.OnLive
	s.mu.Unlock()
	if fn == nil {
		return
	}
	for _, v := range vs {
		fn(v)
	}
}

// parse returns the flow of a stored source, parsing each hash once.
func (s *Service) parse(id, hash string, src []byte) (*flows.Flow, error) {
	s.mu.Lock()
	f, ok := s.parsed[hash]
	s.mu.Unlock()
	if ok {
		return f, nil
	}
	f, probs := flows.Parse(id+".yaml", src)
	if err := probs.Err(); err != nil {
		return nil, fmt.Errorf("stored flow %s version %s no longer lints: %w", id, hash, err)
	}
	s.mu.Lock()
	s.parsed[hash] = f
	s.mu.Unlock()
	return f, nil
}

// List returns every flow that has a live version or a draft, in the
// participants' menu order (closed flows included).
func (s *Service) List(ctx context.Context) ([]Summary, error) {
	var out []Summary
	err := s.opt.Store.ViewReleases(ctx, func(tx *store.ReleaseTx) error {
		states, err := tx.States()
		if err != nil {
			return err
		}
		drafts, err := tx.Drafts()
		if err != nil {
			return err
		}
		counts, err := tx.SessionCounts()
		if err != nil {
			return err
		}
		for _, st := range states {
			r, err := tx.Release(st.FlowID, st.Live)
			if err != nil {
				return err
			}
			sum := Summary{FlowID: st.FlowID, Title: st.FlowID, Live: st.Live, Closed: st.Closed, Responses: counts[st.FlowID], Draft: drafts[st.FlowID]}
			if f, err := s.parse(r.FlowID, r.Hash, r.Source); err == nil {
				sum.Title, sum.Questions = f.Title.String(), f.Len()
			}
			out = append(out, sum)
			delete(drafts, st.FlowID)
		}
		for id := range drafts { // a new flow, never published yet
			sum := Summary{FlowID: id, Title: id, Draft: true}
			if d, ok, err := tx.Draft(id); err == nil && ok {
				if f, err := s.parse(id, d.Hash, d.Source); err == nil {
					sum.Title = f.Title.String()
				}
			}
			out = append(out, sum)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list flows: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FlowID < out[j].FlowID })
	return out, nil
}

// Catalog returns the live versions of the open flows: the participants'
// menu. Closed flows are left out; sessions under way on them carry on,
// because a session finds its version by hash in the store's
// flow_versions, which every published version is in. The catalog is
// rebuilt only when a version goes live or a flow closes or reopens.
func (s *Service) Catalog(ctx context.Context) (*flows.Catalog, error) {
	var states []store.FlowState
	var rels []store.FlowRelease
	err := s.opt.Store.ViewReleases(ctx, func(tx *store.ReleaseTx) error {
		var err error
		if states, err = tx.States(); err != nil {
			return err
		}
		if stateKey(states) == s.cachedKey() {
			return nil
		}
		for _, st := range states {
			if st.Closed {
				continue
			}
			r, err := tx.Release(st.FlowID, st.Live)
			if err != nil {
				return err
			}
			rels = append(rels, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("flows catalog: %w", err)
	}
	key := stateKey(states)
	if key == s.cachedKey() {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.cat, nil
	}
	var fs []*flows.Flow
	for _, r := range rels {
		f, err := s.parse(r.FlowID, r.Hash, r.Source)
		if err != nil {
			// Not one flow's problem should take the others away.
			s.opt.Log.Error("a live flow version cannot be served", "flow", r.FlowID, "version", r.N, "err", err)
			continue
		}
		fs = append(fs, f)
	}
	c, err := flows.NewCatalog(fs)
	if err != nil {
		return nil, fmt.Errorf("flows catalog: %w", err)
	}
	s.mu.Lock()
	s.cat, s.catKey = c, key
	s.mu.Unlock()
	return c, nil
}

func (s *Service) cachedKey() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cat == nil {
		return "\x00none"
	}
	return s.catKey
}

// stateKey is the set of live versions and closed flows: the catalog is
// a function of it.
func stateKey(states []store.FlowState) string {
	var b strings.Builder
	for _, st := range states {
		fmt.Fprintf(&b, "%s:%d:%t;", st.FlowID, st.Live, st.Closed)
	}
	return b.String()
}

// History returns every version of the flow, oldest first.
func (s *Service) History(ctx context.Context, id string) ([]Version, error) {
	var out []Version
	err := s.opt.Store.ViewReleases(ctx, func(tx *store.ReleaseTx) error {
		st, err := flowState(tx, id)
		if err != nil {
			return err
		}
		rs, err := tx.Releases(id)
		if err != nil {
			return err
		}
		for _, r := range rs {
			out = append(out, version(r, st.Live))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", id, err)
	}
	return out, nil
}

// Show returns version n of the flow, its source exactly as published;
// n 0 is the live version.
func (s *Service) Show(ctx context.Context, id string, n int) (Version, error) {
	var v Version
	err := s.opt.Store.ViewReleases(ctx, func(tx *store.ReleaseTx) (err error) {
		v, err = release(tx, id, n)
		return err
	})
	if err != nil {
		return Version{}, fmt.Errorf("show %s: %w", id, err)
	}
	return v, nil
}

// flowState is tx.State with an unpublished flow as ErrUnknownFlow.
func flowState(tx *store.ReleaseTx, id string) (store.FlowState, error) {
	st, err := tx.State(id)
	if errors.Is(err, store.ErrNotFound) {
		return st, fmt.Errorf("%w %q: it has no published version", ErrUnknownFlow, id)
	}
	return st, err
}

// release loads version n of flow id (0: the live one).
func release(tx *store.ReleaseTx, id string, n int) (Version, error) {
	st, err := flowState(tx, id)
	if err != nil {
		return Version{}, err
	}
	if n == 0 {
		n = st.Live
	}
	r, err := tx.Release(id, n)
	if errors.Is(err, store.ErrNotFound) {
		return Version{}, fmt.Errorf("%w: %s has versions v1 to v%d, no v%d", ErrNoVersion, id, lastN(tx, id), n)
	} else if err != nil {
		return Version{}, err
	}
	return version(r, st.Live), nil
}

// lastN is the flow's newest version number, for messages.
func lastN(tx *store.ReleaseTx, id string) int {
	rs, err := tx.Releases(id)
	if err != nil || len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1].N
}

// version turns a stored release into a Version.
func version(r store.FlowRelease, live int) Version {
	return Version{
		FlowID: r.FlowID, N: r.N, Hash: r.Hash, Source: r.Source, At: r.CreatedAt,
		Actor:   audit.Actor{Kind: r.ActorKind, ID: r.ActorID, Name: r.ActorName},
		Summary: r.Summary, Live: r.N == live,
	}
}
