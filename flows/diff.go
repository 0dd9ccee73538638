package flows

import (
	"fmt"
	"maps"
)

// The kinds of DiffChange. They read as the moderators' messages say
// them ("question added"), so hosts can show them as they are.
const (
	QuestionAdded    = "question added"
	QuestionRemoved  = "question removed"
	QuestionReworded = "question reworded"
	OptionAdded      = "option added"
	OptionRemoved    = "option removed"
	TypeChanged      = "type changed"
	IDReused         = "id reused"
)

// DiffChange is one difference between two versions of a flow that
// matters to the people answering it or to the answers already given.
type DiffChange struct {
	Kind       string // one of QuestionAdded … IDReused
	QuestionID string
	OptionID   string // for OptionAdded and OptionRemoved
	// Old and New are the question's type, or its prompt in the flow's
	// default language, before and after, where the kind has them.
	OldType, NewType     Type
	OldPrompt, NewPrompt string
}

// Detail is the change as one readable line.
func (c DiffChange) Detail() string {
	switch c.Kind {
	case QuestionAdded:
		return fmt.Sprintf("question %q added: %q", c.QuestionID, c.NewPrompt)
	case QuestionRemoved:
		return fmt.Sprintf("question %q removed: %q", c.QuestionID, c.OldPrompt)
	case QuestionReworded:
		return fmt.Sprintf("question %q reworded: %q → %q", c.QuestionID, c.OldPrompt, c.NewPrompt)
	case OptionAdded:
		return fmt.Sprintf("option %q added to question %q", c.OptionID, c.QuestionID)
	case OptionRemoved:
		return fmt.Sprintf("option %q removed from question %q", c.OptionID, c.QuestionID)
	case TypeChanged:
		return fmt.Sprintf("question %q type changed: %s → %s", c.QuestionID, c.OldType, c.NewType)
	case IDReused:
		return fmt.Sprintf("question id %q reused for another question: was %q (%s), now %q (%s)",
			c.QuestionID, c.OldPrompt, c.OldType, c.NewPrompt, c.NewType)
	}
	return c.Kind + " " + c.QuestionID
}

// Diff lists what changed from old to new, by question id (answers are
// stored by question and option id, so ids are what tie versions
// together). A nil old is an empty flow: every question is added.
//
// The rule for an id reused with a different meaning: a question id in
// both versions whose prompt changed (in any language) and whose answers
// can no longer mean the same, because either its type changed too, or
// it offers options in both versions and not one of the old option ids
// is left. Such a question is one IDReused change, and nothing else is
// reported for it. Otherwise a question in both versions can have, in
// this order, TypeChanged, QuestionReworded and one OptionAdded or
// OptionRemoved per option id (option ids are compared only when both
// versions have options). Labels, themes, conditions, jumps, limits and
// the flow's title and texts are not reported: they change no answer.
//
// Changes come in new's question order, then the removed questions in
// old's order.
func Diff(old, new *Flow) []DiffChange {
	var out []DiffChange
	var oldQs []*Question
	if old != nil {
		oldQs = old.Questions
	}
	before := map[string]*Question{}
	for _, q := range oldQs {
		before[q.ID] = q
	}
	if new != nil {
		for _, q := range new.Questions {
			o, ok := before[q.ID]
			if !ok {
				out = append(out, DiffChange{Kind: QuestionAdded, QuestionID: q.ID, NewType: q.Type, NewPrompt: q.Prompt.String()})
				continue
			}
			out = append(out, diffQuestion(o, q)...)
		}
	}
	for _, o := range oldQs {
		if new == nil || new.Question(o.ID) == nil {
			out = append(out, DiffChange{Kind: QuestionRemoved, QuestionID: o.ID, OldType: o.Type, OldPrompt: o.Prompt.String()})
		}
	}
	return out
}

// diffQuestion compares two questions with the same id.
func diffQuestion(o, q *Question) []DiffChange {
	base := DiffChange{QuestionID: q.ID, OldType: o.Type, NewType: q.Type, OldPrompt: o.Prompt.String(), NewPrompt: q.Prompt.String()}
	reworded := !maps.Equal(o.Prompt, q.Prompt)
	bothOptions := o.HasOptions() && q.HasOptions()
	if reworded && (o.Type != q.Type || (bothOptions && !shareOption(o, q))) {
		base.Kind = IDReused
		return []DiffChange{base}
	}
	var out []DiffChange
	if o.Type != q.Type {
		c := base
		c.Kind = TypeChanged
		out = append(out, c)
	}
	if reworded {
		c := base
		c.Kind = QuestionReworded
		out = append(out, c)
	}
	if !bothOptions {
		return out
	}
	for _, opt := range q.Options {
		if o.Option(opt.ID) == nil {
			out = append(out, DiffChange{Kind: OptionAdded, QuestionID: q.ID, OptionID: opt.ID})
		}
	}
	for _, opt := range o.Options {
		if q.Option(opt.ID) == nil {
			out = append(out, DiffChange{Kind: OptionRemoved, QuestionID: q.ID, OptionID: opt.ID})
		}
	}
	return out
}

// shareOption reports whether a and b have an option id in common.
func shareOption(a, b *Question) bool {
	for _, opt := range a.Options {
		if b.Option(opt.ID) != nil {
			return true
		}
	}
	return false
}
