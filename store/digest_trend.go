package store

import (
	"slices"
	"strings"

	"github.com/peervoice/peervoice/digest/figures"
)

// The digest's trend: for each month of figures.Query.Trend, people by
// their answer to each of the repeating flows' choice and scale
// questions, counted as a monthly digest counts its period (each
// participant taking part once per question, their latest answer in the
// month), in the same pass over the answers as everything else.

type digestTrendKey struct {
	pid             int64
	question, month int
}

// trendSetup prepares the trend's months and questions.
func (c *digestCounter) trendSetup() {
	c.trendQ, c.trendLatest = map[int]bool{}, map[digestTrendKey]digestLatest{}
	for _, s := range c.q.Trend {
		c.trendLo, c.trendHi = append(c.trendLo, spanStart(s)), append(c.trendHi, formatTime(s.To))
	}
	for _, r := range c.q.TrendQuestions {
		c.trendQ[c.intern(r)] = true
	}
}

// trendAdd counts choice answer a (interned by add) in the
// months of the trend it was given in, keeping each participant's latest
// (a later answer at the same time wins, as in the period's count).
func (c *digestCounter) trendAdd(s digestSession, q int, at string, a int) {
	if !c.trendQ[q] {
		return
	}
	for m := range c.trendLo {
		if at < c.trendLo[m] || at >= c.trendHi[m] {
			continue
		}
		k := digestTrendKey{s.pid, q, m}
		if old, ok := c.trendLatest[k]; !ok || at >= old.at {
			c.trendLatest[k] = digestLatest{at: at, answer: a}
		}
	}
}

// trendResult turns the latest answers into the trend's tallies.
func (c *digestCounter) trendResult() []figures.TrendTally {
	type key struct{ month, question, answer int }
	counts := map[key]int{}
	for k, v := range c.trendLatest {
		counts[key{k.month, k.question, v.answer}]++
	}
	var out []figures.TrendTally
	for k, n := range counts {
		r := c.refs[k.question]
		out = append(out, figures.TrendTally{Month: k.month, FlowID: r.FlowID, QuestionID: r.QuestionID, Choices: c.answers[k.answer], People: n})
	}
	slices.SortFunc(out, func(a, b figures.TrendTally) int {
		if a.Month != b.Month {
			return a.Month - b.Month
		}
		if n := strings.Compare(a.FlowID+"\x00"+a.QuestionID, b.FlowID+"\x00"+b.QuestionID); n != 0 {
			return n
		}
		return slices.Compare(a.Choices, b.Choices)
	})
	return out
}
