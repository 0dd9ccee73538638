package digest

import (
	"slices"

	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// TrendMonths is how many calendar months a monthly digest's trend
// covers, ending with the digest's own month: each is republished in
// the monthly digests that follow, recomputed after withdrawals, so the
// number is kept within what the attacker test measures (digest/
// attack_trend_test.go; docs/security.md, "Across digests").
const TrendMonths = 12

// Trend is one choice or scale question of a repeating flow (repeat: in
// its file), month by month: each complete calendar month's distribution
// worked out exactly as that month's own digest works out its period
// (the answers given in the month, each participant once, with their
// latest), afresh at each digest, so without anyone who has withdrawn
// since. It is never a running total: a month's figures do not grow
// with the months after it. A month still under way is left out.
type Trend struct {
	FlowID     string `json:"flow"`
	FlowTitle  string `json:"flow_title"`
	QuestionID string `json:"question"`
	Prompt     string `json:"prompt"`
	Type       string `json:"type"`
	Theme      string `json:"theme"`
	// Repeat is how often the flow is asked: weekly, monthly, every Nd.
	Repeat string `json:"repeat"`
	// Months are the months, oldest first.
	Months []TrendMonth `json:"months"`
}

// TrendMonth is one month of a trend.
type TrendMonth struct {
	Name         string       `json:"name"`  // 2026-11
	Label        string       `json:"label"` // November 2026
	Distribution Distribution `json:"distribution"`
}

// trendMonths are the months of a monthly digest's trend, oldest first,
// ending with p; none for a week.
func trendMonths(p Period) []Period {
	if !p.month {
		return nil
	}
	out := []Period{p}
	for len(out) < TrendMonths {
		out = append(out, out[len(out)-1].Previous())
	}
	slices.Reverse(out)
	return out
}

// trendQuery adds to q the months of the trend and the questions it
// counts: the choice and scale questions, in every version, of the flows
// whose current version repeats.
func trendQuery(q *figures.Query, p Period, c *catalog) {
	for _, m := range trendMonths(p) {
		q.Trend = append(q.Trend, figures.Span{From: m.Start, To: m.End})
	}
	if len(q.Trend) == 0 {
		return
	}
	for _, f := range c.order {
		if cur := c.byID[f.ID]; len(cur) == 0 || cur[0].Repeat.IsZero() {
			continue
		}
		for _, qn := range f.Questions {
			ref := figures.QuestionRef{FlowID: f.ID, QuestionID: qn.ID}
			if (qn.Type == flows.TypeChoice || qn.Type == flows.TypeScale) && !slices.Contains(q.TrendQuestions, ref) {
				q.TrendQuestions = append(q.TrendQuestions, ref)
			}
		}
	}
}

// trends builds the trend of every question the query counts that was
// answered in one of the trend's complete months, in the flows' order.
func (b *builder) trends(p Period) []Trend {
	months := trendMonths(p)
	complete := 0
	for _, m := range months {
		if !b.opt.Today.IsZero() && b.opt.Today.Before(m.End) {
			break // under way: its figures would change, and give the later answers away
		}
		complete++
	}
	months = months[:complete]
	byRef := map[figures.QuestionRef][]map[string]int{}
	for _, t := range b.data.Trend {
		if t.Month < 0 || t.Month >= len(months) {
			continue
		}
		ref := figures.QuestionRef{FlowID: t.FlowID, QuestionID: t.QuestionID}
		if byRef[ref] == nil {
			byRef[ref] = make([]map[string]int, len(months))
			for i := range byRef[ref] {
				byRef[ref][i] = map[string]int{}
			}
		}
		byRef[ref][t.Month][answerKey(t.Choices)] += t.People
	}
	var out []Trend
	for _, ref := range b.query.TrendQuestions {
		counts := byRef[ref]
		if counts == nil {
			continue // not answered in a month of the trend
		}
		newest, question, _ := b.wording(ref)
		if newest == nil || question == nil {
			continue
		}
		cur := b.cat.byID[ref.FlowID][0]
		tr := Trend{
			FlowID: ref.FlowID, FlowTitle: newest.Title.String(), QuestionID: ref.QuestionID,
			Prompt: question.Prompt.String(), Type: string(question.Type), Theme: question.Theme, Repeat: cur.Repeat.String(),
		}
		for i, m := range months {
			tr.Months = append(tr.Months, TrendMonth{
				Name: m.Name, Label: m.Label(),
				Distribution: b.protect(b.trendOptions(ref, question, counts[i]), counts[i], true),
			})
		}
		out = append(out, tr)
	}
	return out
}

// trendOptions lists a question's options in order, then any other
// option ids answered in the month (from versions since changed),
// sorted: as the month's own digest lists them, or fewer (a withheld
// option fewer leaves the shown figures less room, never more).
func (b *builder) trendOptions(ref figures.QuestionRef, q *flows.Question, answers map[string]int) []Option {
	var out []Option
	for _, o := range q.Options {
		out = append(out, Option{ID: o.ID, Label: o.Label.String()})
	}
	var extra []string
	for key := range answers {
		if q.Option(key) == nil && !slices.Contains(extra, key) {
			extra = append(extra, key)
		}
	}
	slices.Sort(extra)
	for _, id := range extra {
		out = append(out, Option{ID: id, Label: b.optionLabel(ref, id)})
	}
	return out
}
