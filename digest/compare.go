package digest

import (
	"fmt"
	"slices"

	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// comparisons compares subgroups' answers in the period to each choice
// and scale question answered in it (multiple choice questions have
// too many combinations of answers to compare group by group). Groups go
// through disclosure.Partition: each group shown has at least k people
// who answered and at least two different answers among them.
func (b *builder) comparisons(qs []Question) []Comparison {
	out := []Comparison{}
	if len(b.demos) == 0 {
		return out
	}
	qt := b.tallies()
	notCompared := make([]int, len(b.demos))
	withheld := make([]int, len(b.demos))
	for _, q := range qs {
		if q.FlowID == DemographicsFlow || (q.Type != string(flows.TypeChoice) && q.Type != string(flows.TypeScale)) {
			continue
		}
		var options []Option
		for _, s := range q.Period.Options {
			options = append(options, Option{ID: s.ID, Label: s.Label})
		}
		ts := qt[figures.QuestionRef{FlowID: q.FlowID, QuestionID: q.QuestionID}][figures.WindowPeriod]
		for i, d := range b.demos {
			c, ok := b.compare(q, options, ts, i, d)
			switch {
			case !ok:
				notCompared[i]++
			case b.comparisonPinned(q, c):
				withheld[i]++
			default:
				out = append(out, c)
			}
		}
	}
	for i, d := range b.demos {
		if notCompared[i] > 0 {
			b.notes = append(b.notes, fmt.Sprintf("%s: %s not compared, because fewer than two groups had %d or more people answering with different answers.",
				d.name, plural(notCompared[i], "question", "questions"), b.pol.MinCount()))
		}
		if withheld[i] > 0 {
			b.notes = append(b.notes, fmt.Sprintf("%s: %s not compared, because the groups' figures and everyone's, taken together, would give away a figure withheld as too small.",
				d.name, plural(withheld[i], "question", "questions")))
		}
	}
	return out
}

// compare builds one comparison of question q by demographic d (the
// i-th), or reports false when it has fewer than two groups to show.
func (b *builder) compare(q Question, options []Option, ts []figures.Tally, i int, d demographic) (Comparison, bool) {
	byGroup := map[string]map[string]int{}
	other := map[string]int{}
	for _, t := range ts {
		answer := ""
		if i < len(t.Groups) {
			answer = t.Groups[i]
		}
		into := other
		if g, stated := d.group(answer); stated {
			if byGroup[g] == nil {
				byGroup[g] = map[string]int{}
			}
			into = byGroup[g]
		}
		into[answerKey(t.Choices)] += t.People
	}
	var groups []disclosure.Group
	for _, name := range d.groups {
		if byGroup[name] != nil {
			groups = append(groups, disclosure.Group{Name: name, Answers: byGroup[name]})
		}
	}
	shown, hidden := b.pol.Partition(groups, disclosure.Group{Name: OtherGroup, Answers: other})
	if shown == nil {
		return Comparison{}, false
	}
	c := Comparison{
		Demographic: d.name, FlowID: q.FlowID, FlowTitle: q.FlowTitle, QuestionID: q.QuestionID, Prompt: q.Prompt,
		Options: options, Merged: hidden,
	}
	for _, g := range shown {
		dist := b.protect(options, g.Answers, true)
		if !dist.Shown {
			// Publishable, but its figures would give a count away: the
			// whole comparison goes, or the group's row, left out as if
			// every share were small, would say what is not so.
			return Comparison{}, false
		}
		c.Groups = append(c.Groups, GroupRow{Name: g.Name, Respondents: dist.Respondents, Shares: dist.Options})
	}
	return c, true
}

// pinned reports whether the options' published counts and the
// respondents', added up, give a withheld count away.
func (b *builder) pinned(d Distribution) bool {
	var parts []disclosure.Range
	for _, s := range d.Options {
		parts = append(parts, b.pol.Range(s.Count))
	}
	return disclosure.Pinned(b.pol.Range(d.Respondents), parts)
}

// comparisonPinned reports whether c's groups, added up against the
// question's figures for everyone, give away a withheld count: the number of
// people left out of it, or a group's (or the left-out people's) count
// for an option. It reads only published figures, as a reader would:
// each figure for everyone is the sum of the groups' figures and the left-out
// people's. Those are nobody where no group was merged or the "Other or
// not stated" group is shown (everyone merged is in it), and at least
// one otherwise. A group left out of the table (every share withheld)
// has k people or more, and fewer than k giving each answer.
func (b *builder) comparisonPinned(q Question, c Comparison) bool {
	k := b.pol.MinCount()
	respondents := b.pol.Range(q.Period.Respondents)
	overall := func(x disclosure.Count) disclosure.Range {
		if !q.Period.Shown {
			return disclosure.Range{Lo: 0, Hi: disclosure.Unbounded} // withheld, however many
		}
		return b.pol.Range(x)
	}
	rows := c.Groups
	merged := disclosure.Range{}
	if c.Merged && !slices.ContainsFunc(rows, func(g GroupRow) bool { return g.Name == OtherGroup }) {
		merged = disclosure.Range{Lo: 1, Hi: disclosure.Unbounded}
	}
	people := []disclosure.Range{merged}
	for _, g := range rows {
		r := b.pol.Range(g.Respondents)
		if !groupShown(g) {
			r = disclosure.Range{Lo: k, Hi: disclosure.Unbounded}
		}
		people = append(people, r)
	}
	if disclosure.Pinned(respondents, people) {
		return true
	}
	merged = disclosure.Narrow(respondents, people)[0]
	for i := range c.Options {
		parts := []disclosure.Range{{Lo: 0, Hi: merged.Hi}}
		for _, g := range rows {
			r := b.pol.Range(g.Shares[i].Count)
			if !groupShown(g) {
				r = disclosure.Range{Lo: 0, Hi: k - 1}
			}
			parts = append(parts, r)
		}
		if disclosure.Pinned(overall(q.Period.Options[i].Count), parts) {
			return true
		}
	}
	return false
}

// groupShown reports whether any of g's shares is published, so the
// group's row is kept (see hideGroups).
func groupShown(g GroupRow) bool {
	return slices.ContainsFunc(g.Shares, func(s Share) bool { return s.Count.Shown() || s.Percent.Shown() })
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
