package digest_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
)

// The attacker: a reader of the research channel who holds every digest
// ever posted (each week's, each month's, with their changes from the
// period before and their group comparisons) and tries to pin any small
// count, from 1 to 7, to a single value. It knows the rules as the digest
// states them, and nothing else: not the raw data, only the published
// figures.
//
// A study here is people who each join once, say who they are (gender,
// ethnic group) and answer one choice question (alpha/asked) on the day
// they join; some withdraw later, and from then on are in no figure,
// the earlier periods' included (the change column works them out
// afresh). The attacker's unknowns are the counts of people in every
// box: a set of answers × a span of time they joined in, between two
// boundaries (the weeks' and months' starts) × a set of groups × a span
// of time they withdrew in (or never). Each published figure is a box's
// count, known to lie in a range (disclosure.Range's reading of the
// rules, checked against the truth below): a digest posted at a
// boundary counts those who had not withdrawn by then. The boxes are
// tied by every sum there is (answers add up to respondents, days to
// weeks and weeks to months, groups to everyone, the withdrawn by when
// to all), and interval arithmetic runs over all of them until nothing
// narrows. Then
// every box whose true count is from 1 to 7 is checked: it must not be
// left a single value. Small studies are also probed value by value (a
// search: is the box's count being v consistent with everything?).

var (
	attackN = flag.Int("attack.n", 0, "number of random studies the differencing attacker tries (0: a quick run)")
)

// Demographic values of the studies, in the order of the box grid.
var (
	attackGenders     = []string{"woman", "man", "non_binary", "prefer_not", ""}
	attackEthnicities = []string{"white_british", "black_african", "asian_indian", "prefer_not", ""}
	attackOptions     = []string{"yes", "no", "not_sure"}
)

// member is one person of a study.
type member struct {
	joined            time.Time
	left              time.Time // withdrew; zero: never
	gender, ethnicity int       // indexes into attackGenders, attackEthnicities
	answer            int       // index into attackOptions
}

// study is people and the digests posted about them.
type study struct {
	people     []member
	periods    []digest.Period // every week and month posted
	boundaries []time.Time     // sorted: the edges of every window
	pol        disclosure.Policy
	// trend makes alpha a monthly check-in (repeat: monthly), so the
	// monthly digests have a trend (attack_trend_test.go).
	trend bool
	// where is each person's piece joined in, piece withdrawn in, grid
	// cell and answer, worked out once for truth.
	where [][4]int
}

func newStudy(pol disclosure.Policy, people []member, weeks []string, months []string) *study {
	loc, _ := time.LoadLocation("Europe/London")
	s := &study{people: people, pol: pol}
	for _, name := range append(weeks, months...) {
		p, err := digest.ParsePeriod(name, loc)
		if err != nil {
			panic(err)
		}
		s.periods = append(s.periods, p)
		s.boundaries = append(s.boundaries, p.Start, p.End, p.Previous().Start)
	}
	slices.SortFunc(s.boundaries, func(a, b time.Time) int { return a.Compare(b) })
	s.boundaries = slices.CompactFunc(s.boundaries, func(a, b time.Time) bool { return a.Equal(b) })
	return s
}

// piece returns the index of the boundary t falls on (each is one).
func (s *study) piece(t time.Time) int {
	return slices.IndexFunc(s.boundaries, func(b time.Time) bool { return b.Equal(t) })
}

// present reports whether m is in the figures of a digest posted at t:
// a withdrawal takes everything of theirs away.
func (m member) present(t time.Time) bool { return m.left.IsZero() || !m.left.Before(t) }

// data aggregates the study for period p as the store would when the
// digest is posted, at the period's end.
func (s *study) data(p digest.Period, q figures.Query) figures.Data {
	windows := [3][2]time.Time{{p.Start, p.End}, {p.Previous().Start, p.Start}, {{}, p.End}}
	var d figures.Data
	acts := []*figures.Activity{&d.Period, &d.Previous, &d.Total}
	tallies := map[string]*figures.Tally{}
	for w, span := range windows {
		n := 0
		for _, m := range s.people {
			if m.joined.Before(span[0]) || !m.joined.Before(span[1]) || !m.present(p.End) {
				continue
			}
			n++
			groups := []string{attackGenders[m.gender], attackEthnicities[m.ethnicity]}
			add := func(flow, question, choice string) {
				key := fmt.Sprint(w, flow, question, choice, groups)
				if tallies[key] == nil {
					tallies[key] = &figures.Tally{Window: figures.Window(w), FlowID: flow, QuestionID: question, Choices: []string{choice}, Groups: groups}
				}
				tallies[key].People++
			}
			add("alpha", "asked", attackOptions[m.answer])
			for i, g := range groups {
				if g != "" {
					add(digest.DemographicsFlow, []string{"gender", "ethnicity"}[i], g)
				}
			}
		}
		acts[w].NewParticipants = n
		acts[w].Flows = []figures.FlowActivity{{FlowID: "alpha", Started: n, Completed: n, StartedAndCompleted: n}}
		if w < 2 {
			for _, set := range q.Sets {
				c := figures.SetCount{Window: figures.Window(w), Set: set.Name}
				if slices.Contains(set.Questions, figures.QuestionRef{FlowID: "alpha", QuestionID: "asked"}) {
					c.Answers, c.People = n, n
				}
				d.SetCounts = append(d.SetCounts, c)
			}
		}
	}
	for _, t := range tallies {
		d.Tallies = append(d.Tallies, *t)
	}
	slices.SortFunc(d.Tallies, func(a, b figures.Tally) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	d.Trend = s.trendData(p, q)
	return d
}

// publish builds every digest of the study with the real rules.
func (s *study) publish(t testing.TB) []*digest.Digest {
	t.Helper()
	fs := attackFlows(t)
	if s.trend {
		fs = repeatingFlows(t)
	}
	var out []*digest.Digest
	for _, p := range s.periods {
		q, err := digest.NewQuery(p, fs, nil)
		if err != nil {
			t.Fatal(err)
		}
		d, err := digest.Build(p, fs, s.data(p, q), digest.Options{Policy: s.pol, Scrubber: fakeScrubber{}, Crisis: fakeCrisis{}})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// box is a set of answers (a bit mask over attackOptions) × the span of
// time from boundary lo to boundary hi they joined in × a set of groups
// (a bit mask over the grid of gender × ethnic group, gender*5 +
// ethnicity) × the pieces of time from wlo to whi they withdrew in,
// piece pieces (one past the last) standing for never.
type box struct {
	opts     uint8
	lo, hi   int
	groups   uint32
	wlo, whi int
}

const (
	allOpts   = uint8(1<<3 - 1)
	allGroups = uint32(1<<25 - 1)
	inf       = 1 << 40
)

func (b box) String() string {
	var opts, groups []string
	for i, o := range attackOptions {
		if b.opts&(1<<i) != 0 {
			opts = append(opts, o)
		}
	}
	for c := range 25 {
		if b.groups&(1<<c) != 0 {
			groups = append(groups, attackGenders[c/5]+"/"+attackEthnicities[c%5])
		}
	}
	if b.groups == allGroups {
		groups = []string{"everyone"}
	}
	return fmt.Sprintf("%v joined from boundary %d to %d, groups %v, withdrew in pieces %d to %d", opts, b.lo, b.hi, groups, b.wlo, b.whi)
}

// genderMask and ethnicityMask select the grid cells of values.
func genderMask(values ...int) uint32 {
	var m uint32
	for _, g := range values {
		m |= 0b11111 << (5 * g)
	}
	return m
}

func ethnicityMask(values ...int) uint32 {
	var m uint32
	for _, e := range values {
		for g := range 5 {
			m |= 1 << (5*g + e)
		}
	}
	return m
}

// truth counts the people in b.
func (s *study) truth(b box) int {
	if s.where == nil {
		for _, m := range s.people {
			s.where = append(s.where, [4]int{s.pieceOf(m.joined), s.gone(m), 5*m.gender + m.ethnicity, m.answer})
		}
	}
	n := 0
	for _, m := range s.where {
		p, w, cell, answer := m[0], m[1], m[2], m[3]
		if b.opts&(1<<answer) != 0 && p >= b.lo && p < b.hi && b.groups&(1<<cell) != 0 && w >= b.wlo && w < b.whi {
			n++
		}
	}
	return n
}

// gone returns the piece m withdrew in: len(s.boundaries)-1 (one past
// the last piece, where time after the last boundary also falls) for
// never. A digest posted at boundary e counts those with gone >= e.
func (s *study) gone(m member) int {
	if m.left.IsZero() {
		return len(s.boundaries) - 1
	}
	return s.pieceOf(m.left)
}

// pieceOf returns the index of the span between boundaries t is in.
func (s *study) pieceOf(t time.Time) int {
	i, _ := slices.BinarySearchFunc(s.boundaries, t, func(b, t time.Time) int {
		if b.After(t) {
			return 1
		}
		return -1
	})
	return i - 1
}

// randomStudy draws a small study over five weeks and two months:
// lopsided groups, people joining in bursts (so some weeks and some odd
// days between a week's end and a month's have one or two), and answers
// often all alike.
func randomStudy(rng *rand.Rand) *study {
	pol := disclosure.Policy{}
	if rng.IntN(2) == 0 {
		k := 5 + rng.IntN(6)
		var err error
		if pol, err = disclosure.New(k, []int{5, 10}[rng.IntN(2)]); err != nil {
			panic(err)
		}
	}
	sizes := []int{1, 3, 8, 9, 12, 14, 17, 20, 26, 33, 45}
	n := sizes[rng.IntN(len(sizes))]
	loc, _ := time.LoadLocation("Europe/London")
	start := time.Date(2026, time.November, 2, 0, 0, 0, 0, loc)
	busy := []int{rng.IntN(35), rng.IntN(35), 28, rng.IntN(35)} // 28: 30 November, between a week and a month
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
		day := rng.IntN(35)
		if rng.IntN(3) > 0 {
			day = busy[rng.IntN(len(busy))]
		}
		m := member{joined: start.AddDate(0, 0, day).Add(time.Duration(rng.IntN(86400)) * time.Second), gender: pick(gw), ethnicity: pick(ew), answer: pick(aw)}
		if rng.IntN(6) == 0 { // withdraws, between joining and the last digest or after it
			m.left = m.joined.Add(time.Duration(rng.IntN(62*86400)) * time.Second)
		}
		people = append(people, m)
	}
	return newStudy(pol, people, []string{"2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"}, []string{"2026-11", "2026-12"})
}

// TestDifferencingAttack publishes every weekly and monthly digest of
// random small studies and lets the attacker loose on each digest: from
// one digest's figures (its overall against its groups, its period
// against its overall, its themes and participation), no count from 1 to
// 7 may be pinned. go test ./digest/ -run DifferencingAttack -attack.n
// 2000 runs a longer search.
func TestDifferencingAttack(t *testing.T) {
	n := *attackN
	if n == 0 {
		n = 40
	}
	rng := rand.New(rand.NewPCG(11, 1))
	for i := range n {
		s := randomStudy(rng)
		ds := s.publish(t)
		for j := range ds {
			if pinned := attack(t, s, ds, []int{j}, len(s.people) <= 9); len(pinned) > 0 {
				t.Fatalf("study %d (%d people, k=%d, round to %d), digest %s alone: the attacker pins\n%s",
					i, len(s.people), s.pol.MinCount(), s.pol.RoundTo(), s.periods[j].Name, strings.Join(pinned, "\n"))
			}
		}
	}
}

// TestDifferencingAttackAcrossDigests lets the attacker hold every
// digest at once: consecutive weeks, weeks against months, each change
// column (the period before, worked out afresh after withdrawals)
// against the digest that period had. go test ./digest/ -run
// AcrossDigests -attack.n 1000 runs a longer search.
func TestDifferencingAttackAcrossDigests(t *testing.T) {
	n := *attackN
	if n == 0 {
		n = 20
	}
	rng := rand.New(rand.NewPCG(11, 1))
	for i := range n {
		s := randomStudy(rng)
		if pinned := attack(t, s, s.publish(t), nil, false); len(pinned) > 0 {
			t.Errorf("study %d (%d people, k=%d, round to %d): the attacker pins\n%s", i, len(s.people), s.pol.MinCount(), s.pol.RoundTo(), strings.Join(pinned, "\n"))
		}
	}
}
