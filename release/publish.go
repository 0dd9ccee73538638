package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
)

// Source is one flow file to publish or seed from: its name, for
// problems, and its bytes.
type Source struct {
	Name string
	// Key is what Seed remembers the file's last import by (an absolute
	// path, so the same folder given another way is the same file);
	// default Name.
	Key string
	Src []byte
}

func (s Source) key() string {
	if s.Key != "" {
		return s.Key
	}
	return s.Name
}

// lint parses src exactly as peervoice flows lint does (flows.Parse:
// every rule, the evaluation of when: conditions included).
func lint(name string, src []byte) (*flows.Flow, flows.Problems) {
	f, probs := flows.Parse(name, src)
	if f == nil && len(probs) == 0 {
		probs = flows.Problems{{File: name, Msg: "no flow here"}}
	}
	return f, probs
}

// Upload lints src and, when it is clean, stores it as the draft of its
// flow (replacing an earlier draft), with its changes against the live
// version. On any problem it returns a *LintError and nothing changes.
func (s *Service) Upload(ctx context.Context, src []byte, name string, actor audit.Actor) (Draft, error) {
	f, probs := lint(name, src)
	if len(probs) > 0 {
		s.record(ctx, actor, "flows.upload", name, audit.Failed, fmt.Sprintf("%d problem(s)", len(probs)))
		return Draft{}, &LintError{Problems: probs}
	}
	var d Draft
	err := s.opt.Store.UpdateReleases(ctx, func(tx *store.ReleaseTx) error {
		live, old, err := s.liveFlow(tx, f.ID)
		if err != nil {
			return err
		}
		sd, err := tx.SaveDraft(store.FlowDraft{FlowID: f.ID, Hash: f.Version, Source: src, CreatedAt: s.opt.Now(),
			ActorKind: actor.Kind, ActorID: actor.ID, ActorName: actor.Name})
		if err != nil {
			return err
		}
		d = Draft{FlowID: f.ID, Hash: f.Version, Source: sd.Source, At: sd.CreatedAt, Actor: actor, Against: live.N}
		d.Changes, d.Affected, err = changes(tx, f.ID, old, f)
		return err
	})
	if err != nil {
		return Draft{}, fmt.Errorf("upload %s: %w", name, err)
	}
	return d, s.record(ctx, actor, "flows.upload", f.ID+" draft", audit.OK, againstDetail(d))
}

func againstDetail(d Draft) string {
	if d.Against == 0 {
		return "new flow; " + summary(d.Changes)
	}
	return fmt.Sprintf("against v%d: %s; %d answer(s) affected", d.Against, summary(d.Changes), d.Affected)
}

// Draft returns the flow's draft, with its changes against the live
// version as it is now; ok is false when there is none.
func (s *Service) Draft(ctx context.Context, id string) (Draft, bool, error) {
	var d Draft
	var ok bool
	err := s.opt.Store.ViewReleases(ctx, func(tx *store.ReleaseTx) (err error) {
		d, ok, err = s.draft(tx, id)
		return err
	})
	if err != nil {
		return Draft{}, false, fmt.Errorf("draft of %s: %w", id, err)
	}
	return d, ok, nil
}

func (s *Service) draft(tx *store.ReleaseTx, id string) (Draft, bool, error) {
	sd, ok, err := tx.Draft(id)
	if err != nil || !ok {
		return Draft{}, false, err
	}
	f, err := s.parse(id, sd.Hash, sd.Source)
	if err != nil {
		return Draft{}, false, err
	}
	live, old, err := s.liveFlow(tx, id)
	if err != nil {
		return Draft{}, false, err
	}
	d := Draft{FlowID: id, Hash: sd.Hash, Source: sd.Source, At: sd.CreatedAt,
		Actor: audit.Actor{Kind: sd.ActorKind, ID: sd.ActorID, Name: sd.ActorName}, Against: live.N}
	d.Changes, d.Affected, err = changes(tx, id, old, f)
	return d, true, err
}

// Publish makes the flow's draft live as its next version. It returns
// ErrNoDraft when there is none, and ErrNeedsConfirm, changing nothing,
// when the draft touches answers already given (counted against the live
// version as it is now) and confirm is false. A draft identical to the
// live version is dropped and the live version returned.
func (s *Service) Publish(ctx context.Context, id string, confirm bool, actor audit.Actor) (Version, error) {
	var v Version
	fresh := false
	err := s.opt.Store.UpdateReleases(ctx, func(tx *store.ReleaseTx) error {
		d, ok, err := s.draft(tx, id)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNoDraft
		}
		if d.Affected > 0 && !confirm {
			return ErrNeedsConfirm
		}
		live, _, err := s.liveFlow(tx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteDraft(id); err != nil {
			return err
		}
		if live.N > 0 && live.Hash == d.Hash {
			v = live
			return nil
		}
		v, err = s.add(tx, id, d.Hash, d.Source, summaryOf(live, d.Changes), actor)
		fresh = true
		return err
	})
	if err != nil {
		return Version{}, fmt.Errorf("publish %s: %w", id, err)
	}
	if !fresh {
		return v, nil
	}
	s.live(v)
	return v, s.record(ctx, actor, "flows.publish", target(v), audit.OK, v.Summary)
}

// summaryOf is the summary line of a version whose changes against the
// live version are cs.
func summaryOf(live Version, cs []Change) string {
	if live.N == 0 {
		return "first version"
	}
	return summary(cs)
}

// add stores a new live version.
func (s *Service) add(tx *store.ReleaseTx, id, hash string, src []byte, sum string, actor audit.Actor) (Version, error) {
	r, err := tx.AddRelease(store.FlowRelease{FlowID: id, Hash: hash, Source: src, CreatedAt: s.opt.Now(),
		ActorKind: actor.Kind, ActorID: actor.ID, ActorName: actor.Name, Summary: sum})
	if err != nil {
		return Version{}, err
	}
	return version(r, r.N), nil
}

// PublishSource lints src and publishes it live at once (peervoice flows
// publish). A source identical to the live version publishes nothing new
// and returns the live version.
func (s *Service) PublishSource(ctx context.Context, src []byte, name string, actor audit.Actor) (Version, error) {
	vs, err := s.PublishSources(ctx, []Source{{Name: name, Src: src}}, actor)
	if err != nil {
		return Version{}, err
	}
	return vs[0], nil
}

// PublishSources lints every source and, only when all are clean and
// name different flows, publishes them live in one transaction: all or
// nothing. It returns each source's live version, in the given order.
func (s *Service) PublishSources(ctx context.Context, srcs []Source, actor audit.Actor) ([]Version, error) {
	var fs []*flows.Flow
	var probs flows.Problems
	seen := map[string]string{}
	for _, src := range srcs {
		f, ps := lint(src.Name, src.Src)
		probs = append(probs, ps...)
		if len(ps) > 0 {
			continue
		}
		if prev, dup := seen[f.ID]; dup {
			probs = append(probs, flows.Problem{File: src.Name, Line: 1, Col: 1, Msg: fmt.Sprintf("flow id %q is also in %s; publish one version of a flow at a time", f.ID, prev)})
			continue
		}
		seen[f.ID] = src.Name
		fs = append(fs, f)
	}
	if len(probs) > 0 {
		for _, src := range srcs {
			s.record(ctx, actor, "flows.publish", src.Name, audit.Failed, fmt.Sprintf("%d problem(s) in %d file(s); nothing published", len(probs), len(srcs)))
		}
		return nil, &LintError{Problems: probs}
	}
	out := make([]Version, len(fs))
	fresh := make([]bool, len(fs))
	err := s.opt.Store.UpdateReleases(ctx, func(tx *store.ReleaseTx) error {
		for i, f := range fs {
			live, old, err := s.liveFlow(tx, f.ID)
			if err != nil {
				return err
			}
			if live.N > 0 && live.Hash == f.Version && bytes.Equal(live.Source, f.Source) {
				out[i] = live
				continue
			}
			cs, _, err := changes(tx, f.ID, old, f)
			if err != nil {
				return err
			}
			if out[i], err = s.add(tx, f.ID, f.Version, f.Source, summaryOf(live, cs), actor); err != nil {
				return err
			}
			fresh[i] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	var errs []error
	for i, v := range out {
		if fresh[i] {
			s.live(v)
			errs = append(errs, s.record(ctx, actor, "flows.publish", target(v), audit.OK, v.Summary))
		}
	}
	return out, errors.Join(errs...)
}

// Rollback makes version n's source live again as a new version (the
// history is never rewritten), with the summary "rollback to vN".
func (s *Service) Rollback(ctx context.Context, id string, n int, actor audit.Actor) (Version, error) {
	var v Version
	err := s.opt.Store.UpdateReleases(ctx, func(tx *store.ReleaseTx) error {
		if n < 1 {
			return fmt.Errorf("%w: versions are numbered from v1", ErrNoVersion)
		}
		old, err := release(tx, id, n)
		if err != nil {
			return err
		}
		if old.Live {
			return fmt.Errorf("v%d is the live version already; nothing to roll back", n)
		}
		v, err = s.add(tx, id, old.Hash, old.Source, fmt.Sprintf("rollback to v%d", n), actor)
		return err
	})
	if err != nil {
		return Version{}, fmt.Errorf("rollback %s to v%d: %w", id, n, err)
	}
	s.live(v)
	return v, s.record(ctx, actor, "flows.rollback", target(v), audit.OK, v.Summary)
}

// Close stops new sessions of the flow and takes it off the
// participants' menu; sessions under way may finish.
func (s *Service) Close(ctx context.Context, id string, actor audit.Actor) error {
	return s.setClosed(ctx, id, true, "flows.close", actor)
}

// Reopen puts a closed flow back on the menu.
func (s *Service) Reopen(ctx context.Context, id string, actor audit.Actor) error {
	return s.setClosed(ctx, id, false, "flows.reopen", actor)
}

func (s *Service) setClosed(ctx context.Context, id string, closed bool, action string, actor audit.Actor) error {
	var live int
	err := s.opt.Store.UpdateReleases(ctx, func(tx *store.ReleaseTx) error {
		st, err := flowState(tx, id)
		if err != nil {
			return err
		}
		live = st.Live
		return tx.SetClosed(id, closed)
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, id, err)
	}
	return s.record(ctx, actor, action, fmt.Sprintf("%s v%d", id, live), audit.OK, "")
}

// target names a version in the audit log: "recovery v3".
func target(v Version) string { return fmt.Sprintf("%s v%d", v.FlowID, v.N) }

// record appends an entry to the audit log. Its error is returned to
// the caller (the change itself is already made: the error says so).
func (s *Service) record(ctx context.Context, actor audit.Actor, action, tgt, outcome, details string) error {
	err := s.opt.Audit.Record(ctx, audit.Entry{At: s.opt.Now(), Actor: actor, Action: action, Target: tgt, Outcome: outcome, Details: details})
	if err != nil {
		s.opt.Log.Error("audit log write failed", "action", action, "target", tgt, "err", err)
		return fmt.Errorf("%s %s was done, but the audit log could not record it: %w", action, tgt, err)
	}
	return nil
}

// isNotFound reports a store miss.
func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
