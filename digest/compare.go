package digest

import (
	"fmt"

	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// comparisons compares subgroups' answers, overall, to each choice and
// scale question answered in the period (multiple choice questions have
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
	for _, q := range qs {
		if q.FlowID == DemographicsFlow || (q.Type != string(flows.TypeChoice) && q.Type != string(flows.TypeScale)) {
			continue
		}
		var options []Option
		for _, s := range q.Total.Options {
			options = append(options, Option{ID: s.ID, Label: s.Label})
		}
		ts := qt[figures.QuestionRef{FlowID: q.FlowID, QuestionID: q.QuestionID}][figures.WindowTotal]
		for i, d := range b.demos {
			c, ok := b.compare(q, options, ts, i, d)
			if !ok {
				notCompared[i]++
				continue
			}
			out = append(out, c)
		}
	}
	for i, d := range b.demos {
		if notCompared[i] > 0 {
			b.notes = append(b.notes, fmt.Sprintf("%s: %s not compared, because fewer than two groups had %d or more people answering with different answers.",
				d.name, plural(notCompared[i], "question", "questions"), b.pol.MinCount()))
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
		dist := b.protect(options, g.Answers)
		c.Groups = append(c.Groups, GroupRow{Name: g.Name, Respondents: dist.Respondents, Shares: dist.Options})
	}
	return c, true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
