package digest

import (
	"slices"

	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// optionLabel returns an option's label from the versions the question
// was answered on, then from the newest flow that has it, or its id.
func (b *builder) optionLabel(ref figures.QuestionRef, id string) string {
	for _, hash := range b.answered[ref] {
		if f := b.cat.byHash[hash]; f != nil {
			if q := f.Question(ref.QuestionID); q != nil {
				if o := q.Option(id); o != nil {
					return o.Label.String()
				}
			}
		}
	}
	return b.cat.optionLabel(ref, id)
}

// options lists a question's options in order, then any other option ids
// answered (from versions since changed), sorted.
func (b *builder) options(ref figures.QuestionRef, q *flows.Question, ts *[3][]figures.Tally) []Option {
	var out []Option
	for _, o := range q.Options {
		out = append(out, Option{ID: o.ID, Label: o.Label.String()})
	}
	var extra []string
	add := func(c string) {
		if q.Option(c) == nil && !slices.Contains(extra, c) {
			extra = append(extra, c)
		}
	}
	for _, w := range ts {
		for _, t := range w {
			for _, c := range t.Choices {
				add(c)
			}
		}
	}
	for _, c := range b.answeredOptions[ref] {
		add(c)
	}
	slices.Sort(extra)
	for _, id := range extra {
		out = append(out, Option{ID: id, Label: b.optionLabel(ref, id)})
	}
	return out
}
