package digest_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// repeatingFlows are the property tests' flows with alpha a monthly
// check-in, so that a monthly digest has a trend of its choice and
// scale questions.
func repeatingFlows(t testing.TB) []*flows.Flow {
	t.Helper()
	var out []*flows.Flow
	for _, src := range []string{alphaYAML, betaYAML, aboutYouYAML} {
		src = strings.ReplaceAll(src, "scale: satisfied\n", "scale: satisfied5\n")
		src = strings.Replace(src, "title: Alpha\n", "title: Alpha\nrepeat: monthly\n", 1)
		id := strings.TrimPrefix(strings.SplitN(src, "\n", 2)[0], "id: ")
		f, probs := flows.Parse(id+".yaml", []byte(src))
		if err := probs.Err(); err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// trendData counts the trend's months as the store does: each person
// once per question, with their latest answer in the month.
func (c *community) trendData(q figures.Query) []figures.TrendTally {
	counts := map[string]*figures.TrendTally{}
	for m, span := range q.Trend {
		for _, p := range c.people {
			latest := map[figures.QuestionRef]answer{}
			for _, a := range p.answers {
				if a.choices != nil && slices.Contains(q.TrendQuestions, a.ref) && !a.at.Before(span.From) && a.at.Before(span.To) {
					if old, ok := latest[a.ref]; !ok || !a.at.Before(old.at) {
						latest[a.ref] = a
					}
				}
			}
			for ref, a := range latest {
				choices := slices.Sorted(slices.Values(a.choices))
				k := fmt.Sprint(m, ref, choices)
				if counts[k] == nil {
					counts[k] = &figures.TrendTally{Month: m, FlowID: ref.FlowID, QuestionID: ref.QuestionID, Choices: choices}
				}
				counts[k].People++
			}
		}
	}
	var out []figures.TrendTally
	for _, t := range counts {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b figures.TrendTally) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return out
}

// answersIn returns everyone's latest answer to ref given in [from, to).
func (o *oracle) answersIn(ref figures.QuestionRef, span figures.Span) map[*person][]string {
	out := map[*person][]string{}
	for _, p := range o.c.people {
		for _, a := range p.answers {
			if a.ref == ref && a.choices != nil && !a.at.Before(span.From) && a.at.Before(span.To) {
				out[p] = slices.Sorted(slices.Values(a.choices))
			}
		}
	}
	return out
}

// checkTrends checks each trend month against the people: its figures
// are exactly those the month's own digest would publish, by the rules.
func (o *oracle) checkTrends(d *digest.Digest) {
	want := 0
	for _, ref := range o.q.TrendQuestions {
		for _, span := range o.q.Trend {
			if len(o.answersIn(ref, span)) > 0 {
				want++
				break
			}
		}
	}
	if len(d.Trends) != want {
		o.errorf("%d trends; want %d (the repeating flow's questions answered in a month of the trend)", len(d.Trends), want)
	}
	for _, tr := range d.Trends {
		ref := figures.QuestionRef{FlowID: tr.FlowID, QuestionID: tr.QuestionID}
		if tr.Type == "multi" || tr.FlowID != "alpha" {
			o.errorf("trend of %v (%s); want only the repeating flow's choice and scale questions", ref, tr.Type)
		}
		if len(tr.Months) != len(o.q.Trend) {
			o.errorf("trend of %v has %d months; want %d", ref, len(tr.Months), len(o.q.Trend))
			continue
		}
		ids := o.optionIDs(ref)
		for i, m := range tr.Months {
			answers := o.answersIn(ref, o.q.Trend[i])
			if m.Distribution.Shown != o.shows(answers, ids, true) {
				o.errorf("trend of %v, %s: shown %v; want %v", ref, m.Name, m.Distribution.Shown, o.shows(answers, ids, true))
			}
			o.checkShares(fmt.Sprint(ref, " trend ", m.Name), m.Distribution.Respondents, m.Distribution.Options, answers, ids, true)
		}
	}
}

// TestDisclosurePropertyTrend builds monthly digests of random
// communities answering a monthly check-in over up to three months and
// checks every figure of the trend against the people, as
// TestDisclosureProperty checks the rest (which it checks too), and
// that no rendering shows a number the rules did not publish.
func TestDisclosurePropertyTrend(t *testing.T) {
	fs := repeatingFlows(t)
	loc, _ := time.LoadLocation("Europe/London")
	p, _ := digest.ParsePeriod("2026-11", loc)
	rng := rand.New(rand.NewPCG(2026, 11))
	cases := 150
	if testing.Short() {
		cases = 30
	}
	trends := 0
	for i := range cases {
		k := 5 + rng.IntN(6)
		r := []int{5, 10}[rng.IntN(2)]
		pol, err := disclosure.New(k, r)
		if err != nil {
			t.Fatal(err)
		}
		spec := randomSpec(rng)
		spec.weeks = 4 + rng.IntN(10)
		c := generate(rng, fs, p, spec)
		q, err := digest.NewQuery(p, fs, nil)
		if err != nil {
			t.Fatal(err)
		}
		data := c.data(q)
		data.Trend = c.trendData(q)
		opt := digest.Options{Policy: pol, Scrubber: fakeScrubber{}, Crisis: fakeCrisis{}}
		d, err := digest.Build(p, fs, data, opt)
		if err != nil {
			t.Fatal(err)
		}
		trends += len(d.Trends)
		o := &oracle{t: t, c: c, k: k, r: r, q: q, name: fmt.Sprintf("case %d (%d people, k=%d, round to %d)", i, spec.people, k, r)}
		o.checkDigest(d, opt)
		o.checkTrends(d)
		for _, format := range digest.Formats {
			var buf bytes.Buffer
			if err := d.Render(&buf, format); err != nil {
				t.Fatal(err)
			}
			o.checkRendering(d, format, buf.String())
		}
		o.checkRendering(d, "discord", embedText(d))
		if t.Failed() {
			t.Fatalf("%s failed; stopping", o.name)
		}
	}
	if trends < cases/2 {
		t.Errorf("only %d trends in %d cases; the communities are too thin to test the trend", trends, cases)
	}
}
