package release

import (
	"context"
	"fmt"
	"strings"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
)

// changes turns flows.Diff of old and new into Changes, counting the
// answers each touches: those that chose a removed option, and every
// answer to a question whose type changed or whose id now means
// something else. A question added under an id that has answers from an
// earlier version (removed, then added back asking something else) is
// an id reused too.
func changes(tx *store.ReleaseTx, flowID string, old, new *flows.Flow) ([]Change, int, error) {
	var out []Change
	total := 0
	for _, d := range flows.Diff(old, new) {
		c := Change{Kind: d.Kind, QuestionID: d.QuestionID, OptionID: d.OptionID, Detail: d.Detail()}
		var n int
		var err error
		switch d.Kind {
		case flows.OptionRemoved:
			n, err = tx.AnswerCount(flowID, d.QuestionID, d.OptionID)
		case flows.TypeChanged, flows.IDReused:
			n, err = tx.AnswerCount(flowID, d.QuestionID, "")
		case flows.QuestionAdded:
			if n, err = tx.AnswerCount(flowID, d.QuestionID, ""); err == nil && n > 0 {
				c.Kind = flows.IDReused
				c.Detail = fmt.Sprintf("question id %q reused: an earlier version asked something else under it, now %q (%s)", d.QuestionID, d.NewPrompt, d.NewType)
			}
		}
		if err != nil {
			return nil, 0, err
		}
		c.Affected = n
		total += n
		out = append(out, c)
	}
	return out, total, nil
}

// summary is a version's one line: what changed since the version before.
func summary(cs []Change) string {
	count := map[string]int{}
	for _, c := range cs {
		count[c.Kind]++
	}
	groups := []struct {
		noun  string
		kinds [][2]string // kind, verb
	}{
		{"question", [][2]string{{flows.QuestionAdded, "added"}, {flows.QuestionRemoved, "removed"}, {flows.QuestionReworded, "reworded"}}},
		{"option", [][2]string{{flows.OptionAdded, "added"}, {flows.OptionRemoved, "removed"}}},
		{"type", [][2]string{{flows.TypeChanged, "changed"}}},
		{"id", [][2]string{{flows.IDReused, "reused"}}},
	}
	var parts []string
	for _, g := range groups {
		named := false
		for _, k := range g.kinds {
			n := count[k[0]]
			switch {
			case n == 0:
			case named: // "2 questions added, 1 reworded"
				parts = append(parts, fmt.Sprintf("%d %s", n, k[1]))
			default:
				noun := g.noun
				if n != 1 {
					noun += "s"
				}
				parts = append(parts, fmt.Sprintf("%d %s %s", n, noun, k[1]))
				named = true
			}
		}
	}
	if len(parts) == 0 {
		return "no question changes (wording of the title, texts or labels, or conditions)"
	}
	return strings.Join(parts, ", ")
}

// Diff lists the changes from version a of the flow to version b (0:
// the live version), with the answers each touches.
func (s *Service) Diff(ctx context.Context, id string, a, b int) ([]Change, error) {
	var out []Change
	err := s.opt.Store.ViewReleases(ctx, func(tx *store.ReleaseTx) error {
		va, err := release(tx, id, a)
		if err != nil {
			return err
		}
		vb, err := release(tx, id, b)
		if err != nil {
			return err
		}
		fa, err := s.parse(id, va.Hash, va.Source)
		if err != nil {
			return err
		}
		fb, err := s.parse(id, vb.Hash, vb.Source)
		if err != nil {
			return err
		}
		out, _, err = changes(tx, id, fa, fb)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("diff %s v%d v%d: %w", id, a, b, err)
	}
	return out, nil
}

// liveFlow returns the flow's live version and its parsed flow, or a
// zero Version and nil when it has none.
func (s *Service) liveFlow(tx *store.ReleaseTx, id string) (Version, *flows.Flow, error) {
	st, err := tx.State(id)
	if err != nil {
		if isNotFound(err) {
			return Version{}, nil, nil
		}
		return Version{}, nil, err
	}
	r, err := tx.Release(id, st.Live)
	if err != nil {
		return Version{}, nil, err
	}
	f, err := s.parse(id, r.Hash, r.Source)
	if err != nil {
		return Version{}, nil, err
	}
	return version(r, st.Live), f, nil
}
