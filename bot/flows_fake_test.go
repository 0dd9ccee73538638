package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/release"
)

// fakeFlows is an in-memory FlowAdmin that behaves as the release service
// is specified to (release/release.go): an upload is linted as `peervoice
// flows lint` lints (flows.Parse) and, clean, becomes the flow's draft
// with its changes against the live version; publish makes the draft the
// next version, live; a rollback is a new version; nothing changes on a
// refusal. The changes are found by comparing question and option ids,
// which is enough to drive the bot; answers says how many answers each
// question (or "question/option") has, for Affected.
type fakeFlows struct {
	mu      sync.Mutex
	now     func() time.Time
	flows   map[string]*fakeFlow
	order   []string
	answers map[string]int // "flow/question" or "flow/question/option" → answers given
	onLive  func(release.Version)
}

type fakeFlow struct {
	versions  []release.Version
	draft     *release.Draft
	closed    bool
	responses int
}

var _ bot.FlowAdmin = (*fakeFlows)(nil)

// newFakeFlows seeds the fake with the flows of cat, each as v1 imported
// from the flows folder.
func newFakeFlows(t *testing.T, cat *flows.Catalog, now func() time.Time) *fakeFlows {
	t.Helper()
	ff := &fakeFlows{now: now, flows: map[string]*fakeFlow{}, answers: map[string]int{}}
	for _, f := range cat.Flows() {
		ff.flows[f.ID] = &fakeFlow{}
		ff.order = append(ff.order, f.ID)
		ff.addVersion(f.ID, f.Source, audit.Actor{Kind: audit.KindFile}, "imported from "+f.File)
	}
	return ff
}

// setOnLive sets the callback told of every version gone live.
func (ff *fakeFlows) setOnLive(fn func(release.Version)) {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	ff.onLive = fn
}

// addVersion appends a live version; call with ff.mu held (or before
// the fake is shared).
func (ff *fakeFlows) addVersion(id string, src []byte, actor audit.Actor, summary string) release.Version {
	fl := ff.flows[id]
	for i := range fl.versions {
		fl.versions[i].Live = false
	}
	f, _ := flows.Parse(id+".yaml", src)
	v := release.Version{FlowID: id, N: len(fl.versions) + 1, Hash: f.Version, Source: append([]byte(nil), src...), At: ff.now(), Actor: actor, Summary: summary, Live: true}
	fl.versions = append(fl.versions, v)
	return v
}

func (ff *fakeFlows) live(id string) (release.Version, bool) {
	for _, v := range ff.flows[id].versions {
		if v.Live {
			return v, true
		}
	}
	return release.Version{}, false
}

func (ff *fakeFlows) flow(id string) (*fakeFlow, error) {
	fl, ok := ff.flows[id]
	if !ok {
		return nil, fmt.Errorf("%w %q", release.ErrUnknownFlow, id)
	}
	return fl, nil
}

func (ff *fakeFlows) List(context.Context) ([]release.Summary, error) {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	var out []release.Summary
	for _, id := range ff.order {
		fl := ff.flows[id]
		s := release.Summary{FlowID: id, Closed: fl.closed, Responses: fl.responses, Draft: fl.draft != nil}
		if v, ok := ff.live(id); ok {
			f, _ := flows.Parse(id+".yaml", v.Source)
			s.Live, s.Title, s.Questions = v.N, f.Title.String(), f.Len()
		}
		out = append(out, s)
	}
	return out, nil
}

func (ff *fakeFlows) Upload(_ context.Context, src []byte, name string, actor audit.Actor) (release.Draft, error) {
	f, probs := flows.Parse(name, src)
	if len(probs) > 0 {
		return release.Draft{}, &release.LintError{Problems: probs}
	}
	ff.mu.Lock()
	defer ff.mu.Unlock()
	if _, ok := ff.flows[f.ID]; !ok {
		ff.flows[f.ID] = &fakeFlow{}
		ff.order = append(ff.order, f.ID)
	}
	d := release.Draft{FlowID: f.ID, Hash: f.Version, Source: append([]byte(nil), src...), At: ff.now(), Actor: actor}
	if v, ok := ff.live(f.ID); ok {
		old, _ := flows.Parse(name, v.Source)
		d.Against, d.Changes = v.N, ff.diff(old, f)
		for _, c := range d.Changes {
			d.Affected += c.Affected
		}
	}
	ff.flows[f.ID].draft = &d
	return d, nil
}

// diff compares two versions by question and option ids.
func (ff *fakeFlows) diff(old, cur *flows.Flow) []release.Change {
	var out []release.Change
	n := func(key string) int { return ff.answers[old.ID+"/"+key] }
	for _, q := range old.Questions {
		nq := cur.Question(q.ID)
		switch {
		case nq == nil:
			out = append(out, release.Change{Kind: "question removed", QuestionID: q.ID, Detail: fmt.Sprintf("%q removed", q.ID), Affected: 0})
			continue
		case nq.Type != q.Type:
			out = append(out, release.Change{Kind: "type changed", QuestionID: q.ID, Detail: fmt.Sprintf("%q type changed: %s → %s", q.ID, q.Type, nq.Type), Affected: n(q.ID)})
		case nq.Prompt.String() != q.Prompt.String():
			out = append(out, release.Change{Kind: "question reworded", QuestionID: q.ID, Detail: fmt.Sprintf("%q reworded: %q → %q", q.ID, q.Prompt.String(), nq.Prompt.String())})
		}
		for _, o := range q.Options {
			if !slices.ContainsFunc(nq.Options, func(x flows.Option) bool { return x.ID == o.ID }) {
				out = append(out, release.Change{Kind: "option removed", QuestionID: q.ID, OptionID: o.ID, Detail: fmt.Sprintf("%q option %q removed", q.ID, o.ID), Affected: n(q.ID + "/" + o.ID)})
			}
		}
		for _, o := range nq.Options {
			if !slices.ContainsFunc(q.Options, func(x flows.Option) bool { return x.ID == o.ID }) {
				out = append(out, release.Change{Kind: "option added", QuestionID: q.ID, OptionID: o.ID, Detail: fmt.Sprintf("%q option %q added", q.ID, o.ID)})
			}
		}
	}
	for _, q := range cur.Questions {
		if old.Question(q.ID) == nil {
			out = append(out, release.Change{Kind: "question added", QuestionID: q.ID, Detail: fmt.Sprintf("%q added: %q", q.ID, q.Prompt.String())})
		}
	}
	return out
}

func (ff *fakeFlows) Draft(_ context.Context, id string) (release.Draft, bool, error) {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	fl, err := ff.flow(id)
	if err != nil || fl.draft == nil {
		return release.Draft{}, false, err
	}
	return *fl.draft, true, nil
}

func (ff *fakeFlows) Publish(_ context.Context, id string, confirm bool, actor audit.Actor) (release.Version, error) {
	ff.mu.Lock()
	fl, err := ff.flow(id)
	switch {
	case err != nil:
	case fl.draft == nil:
		err = release.ErrNoDraft
	case fl.draft.Affected > 0 && !confirm:
		err = release.ErrNeedsConfirm
	}
	if err != nil {
		ff.mu.Unlock()
		return release.Version{}, err
	}
	summary := "a new flow"
	if d := fl.draft; d.Against > 0 {
		var kinds []string
		for _, c := range d.Changes {
			kinds = append(kinds, c.Kind)
		}
		summary = fmt.Sprintf("%d changes (%s)", len(d.Changes), strings.Join(kinds, ", "))
	}
	v := ff.addVersion(id, fl.draft.Source, actor, summary)
	fl.draft = nil
	onLive := ff.onLive
	ff.mu.Unlock()
	if onLive != nil {
		onLive(v)
	}
	return v, nil
}

func (ff *fakeFlows) History(_ context.Context, id string) ([]release.Version, error) {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	fl, err := ff.flow(id)
	if err != nil {
		return nil, err
	}
	return slices.Clone(fl.versions), nil
}

func (ff *fakeFlows) Show(_ context.Context, id string, n int) (release.Version, error) {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	fl, err := ff.flow(id)
	if err != nil {
		return release.Version{}, err
	}
	if n == 0 {
		if v, ok := ff.live(id); ok {
			return v, nil
		}
		return release.Version{}, release.ErrNoVersion
	}
	if n < 1 || n > len(fl.versions) {
		return release.Version{}, release.ErrNoVersion
	}
	return fl.versions[n-1], nil
}

func (ff *fakeFlows) Rollback(_ context.Context, id string, n int, actor audit.Actor) (release.Version, error) {
	ff.mu.Lock()
	fl, err := ff.flow(id)
	if err == nil && (n < 1 || n > len(fl.versions)) {
		err = release.ErrNoVersion
	}
	if err != nil {
		ff.mu.Unlock()
		return release.Version{}, err
	}
	v := ff.addVersion(id, fl.versions[n-1].Source, actor, fmt.Sprintf("rollback to v%d", n))
	onLive := ff.onLive
	ff.mu.Unlock()
	if onLive != nil {
		onLive(v)
	}
	return v, nil
}

func (ff *fakeFlows) Close(_ context.Context, id string, _ audit.Actor) error {
	return ff.setClosed(id, true)
}

func (ff *fakeFlows) Reopen(_ context.Context, id string, _ audit.Actor) error {
	return ff.setClosed(id, false)
}

func (ff *fakeFlows) setClosed(id string, closed bool) error {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	fl, err := ff.flow(id)
	if err != nil {
		return err
	}
	fl.closed = closed
	return nil
}

// versions is the number of versions of a flow, for checks that nothing
// changed.
func (ff *fakeFlows) versions(id string) int {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	if fl, ok := ff.flows[id]; ok {
		return len(fl.versions)
	}
	return 0
}
