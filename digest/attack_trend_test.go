package digest_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
)

// The attacker against the trend. A monthly digest's trend republishes
// each of the last digest.TrendMonths months' figures, each worked out
// afresh when the digest is posted: so a month's figures are published
// at its own end (its digest), then again at the end of every month
// after, each time without those who withdrew in between. The attacker
// reads each as it reads a change column: boxes of the people who
// joined (answered) in the month, counted by a digest posted at that
// boundary.

// trendData is the trend a store would count for a digest posted at the
// end of p: each month's answers from those who had not withdrawn.
func (s *study) trendData(p digest.Period, q figures.Query) []figures.TrendTally {
	var out []figures.TrendTally
	for m, span := range q.Trend {
		counts := make([]int, len(attackOptions))
		for _, mb := range s.people {
			if !mb.joined.Before(span.From) && mb.joined.Before(span.To) && mb.present(p.End) {
				counts[mb.answer]++
			}
		}
		for o, n := range counts {
			if n > 0 && slices.Contains(q.TrendQuestions, figures.QuestionRef{FlowID: "alpha", QuestionID: "asked"}) {
				out = append(out, figures.TrendTally{Month: m, FlowID: "alpha", QuestionID: "asked", Choices: []string{attackOptions[o]}, People: n})
			}
		}
	}
	return out
}

// readTrends takes in digest d's trend, posted at boundary posted. A
// month that is not between two of the study's boundaries is before
// anyone joined: its figures say nothing, and the rules publish none.
func (a *attacker) readTrends(t testing.TB, s *study, d *digest.Digest, posted int) {
	name := d.Period.Name
	var tr *digest.Trend
	for i := range d.Trends {
		if d.Trends[i].FlowID == "alpha" && d.Trends[i].QuestionID == "asked" {
			tr = &d.Trends[i]
		}
	}
	if d.Period.Unit != "month" || !s.trend {
		if tr != nil {
			t.Fatalf("%s has a trend, but it is not a monthly digest of a repeating flow", name)
		}
		return
	}
	p, err := digest.ParsePeriod(name, s.periods[0].Start.Location())
	if err != nil {
		t.Fatal(err)
	}
	first := -1
	for _, m := range trendMonths(p) {
		lo, hi := s.piece(m.Start), s.piece(m.End)
		if lo < 0 || hi < 0 {
			if tr != nil {
				if dm := trendMonth(tr, m.Name); dm != nil && dm.Distribution.Respondents.Shown() {
					t.Fatalf("%s trend shows %s, before anyone joined", name, m.Name)
				}
			}
			continue
		}
		if first < 0 {
			first = lo
		}
		all := a.at(allOpts, lo, hi, allGroups, posted)
		if tr == nil {
			a.learn(all, 0, 0, name+": no trend, so nobody answered in "+m.Name)
			continue
		}
		dm := trendMonth(tr, m.Name)
		if dm == nil {
			t.Fatalf("%s trend has no month %s", name, m.Name)
		}
		opt := func(id string) box { return a.at(1<<slices.Index(attackOptions, id), lo, hi, allGroups, posted) }
		a.distribution(dm.Distribution, name+" trend "+m.Name, attackOptions, opt, all)
	}
	if tr != nil && first >= 0 {
		a.learn(a.at(allOpts, first, posted, allGroups, posted), 1, inf, name+": the trend is in the digest")
	}
}

// trendMonths are the months a monthly digest of p shows, oldest first.
func trendMonths(p digest.Period) []digest.Period {
	out := []digest.Period{p}
	for len(out) < digest.TrendMonths {
		out = append(out, out[len(out)-1].Previous())
	}
	slices.Reverse(out)
	return out
}

func trendMonth(t *digest.Trend, name string) *digest.TrendMonth {
	for i := range t.Months {
		if t.Months[i].Name == name {
			return &t.Months[i]
		}
	}
	return nil
}

// randomTrendStudy draws a small study of a monthly check-in over three
// months, November to January, with every week's digest and every
// month's: people answer in bursts (some on the last days of a month),
// and one in five withdraws later, so a month's figures differ from one
// monthly digest's trend to the next.
// randomTrendStudy draws a study of a monthly check-in over three
// months. A light one, for the normal run, posts only the weeks around
// the first month's end beside the three months: the trend's own risk
// is months republished in later months' trends, and the attack over
// every week of three months needs gigabytes (more under -race).
func randomTrendStudy(rng *rand.Rand, light bool) *study {
	pol := disclosure.Policy{}
	if rng.IntN(2) == 0 {
		var err error
		if pol, err = disclosure.New(5+rng.IntN(6), []int{5, 10}[rng.IntN(2)]); err != nil {
			panic(err)
		}
	}
	sizes := []int{1, 3, 8, 9, 12, 14, 17, 20, 26, 33, 45}
	n := sizes[rng.IntN(len(sizes))]
	loc, _ := time.LoadLocation("Europe/London")
	start := time.Date(2026, time.November, 2, 0, 0, 0, 0, loc)
	const days = 91                                                       // to 31 January
	busy := []int{rng.IntN(days), rng.IntN(days), 28, 59, rng.IntN(days)} // 30 November, 31 December
	weights := func() []int {
		w := []int{rng.IntN(3), rng.IntN(3), rng.IntN(3), rng.IntN(3), rng.IntN(3)}
		w[rng.IntN(5)] += 5 + rng.IntN(20)
		return w
	}
	gw, ew, aw := weights(), weights(), weights()[:3]
	pick := func(w []int) int {
		total := 0
		for _, x := range w {
			total += x
		}
		r := rng.IntN(total + 1)
		for i, x := range w {
			if r < x {
				return i
			}
			r -= x
		}
		return len(w) - 1
	}
	var people []member
	for range n {
		day := rng.IntN(days)
		if rng.IntN(3) > 0 {
			day = busy[rng.IntN(len(busy))]
		}
		m := member{joined: start.AddDate(0, 0, day).Add(time.Duration(rng.IntN(86400)) * time.Second), gender: pick(gw), ethnicity: pick(ew), answer: pick(aw)}
		if rng.IntN(5) == 0 {
			m.left = m.joined.Add(time.Duration(rng.IntN(92*86400)) * time.Second)
		}
		people = append(people, m)
	}
	var weeks []string
	for w := 45; w <= 53; w++ {
		weeks = append(weeks, "2026-W"+itoa2(w))
	}
	for w := 1; w <= 4; w++ {
		weeks = append(weeks, "2027-W"+itoa2(w))
	}
	if light {
		weeks = []string{"2026-W48", "2026-W49"} // 23 November to 6 December
	}
	s := newStudy(pol, people, weeks, []string{"2026-11", "2026-12", "2027-01"})
	s.trend = true
	return s
}

func itoa2(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

// TestDifferencingAttackAcrossDigestsWithTrend lets the attacker hold
// every weekly and monthly digest of a monthly check-in, the trends'
// months republished after withdrawals included. go test ./digest/ -run
// AcrossDigests -attack.n 200 runs a longer search.
func TestDifferencingAttackAcrossDigestsWithTrend(t *testing.T) {
	n, light := *attackN, false
	if n == 0 {
		n, light = 10, true // every week of three months takes seconds and gigabytes a study
	}
	rng := rand.New(rand.NewPCG(13, 1))
	trends := 0
	for i := range n {
		s := randomTrendStudy(rng, light)
		ds := s.publish(t)
		for _, d := range ds {
			trends += len(d.Trends)
		}
		if pinned := attack(t, s, ds, nil, false); len(pinned) > 0 {
			t.Errorf("study %d (%d people, k=%d, round to %d): the attacker pins\n%s", i, len(s.people), s.pol.MinCount(), s.pol.RoundTo(), strings.Join(pinned, "\n"))
		}
	}
	if trends == 0 {
		t.Errorf("no digest of %d studies had a trend: the attacker read none", n)
	}
}
