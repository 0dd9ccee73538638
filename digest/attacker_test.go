package digest_test

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/flows"
)

func attackFlows(t testing.TB) []*flows.Flow {
	t.Helper()
	var out []*flows.Flow
	for _, src := range []string{alphaYAML, betaYAML, aboutYouYAML} {
		src = strings.ReplaceAll(src, "scale: satisfied\n", "scale: satisfied5\n")
		id := strings.TrimPrefix(strings.SplitN(src, "\n", 2)[0], "id: ")
		f, probs := flows.Parse(id+".yaml", []byte(src))
		if err := probs.Err(); err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// attacker holds what the published figures say of every box, and the
// sums that tie the boxes: each sum says total = parts[0] + parts[1] + ….
type attacker struct {
	pol    disclosure.Policy
	pieces int
	known  map[box][2]int
	sums   [][]box // total first
	why    map[box][]string
	// ids number the boxes of the sums, for solve: boxes[ids[b]] == b,
	// and each of isums is a sum by number.
	// study and reading are the study attacked and the boundary the
	// digest being read ends at, for the design A model (chained).
	study   *study
	reading int
	ids     map[box]int
	boxes   []box
	isums   [][]int32
}

func newAttacker(pol disclosure.Policy, pieces int) *attacker {
	return &attacker{pol: pol, pieces: pieces, known: map[box][2]int{}, why: map[box][]string{}}
}

// learn narrows what b's count can be to [lo, hi].
func (a *attacker) learn(b box, lo, hi int, why string) {
	if b.groups == 0 || b.opts == 0 {
		return // nobody can be in it: an option no one in the studies has
	}
	r, ok := a.known[b]
	if !ok {
		r = [2]int{0, inf}
	}
	a.known[b] = [2]int{max(r[0], lo), min(r[1], hi)}
	a.why[b] = append(a.why[b], why)
}

// count reads a published count of b: the range disclosure's rules give
// it (checked against the truth by the test, so a misreading shows).
func (a *attacker) count(b box, c disclosure.Count, why string) {
	if strings.HasPrefix(*attackDesign, "A") && b.lo == 0 && b.hi == a.reading {
		a.chained(b, why)
		return
	}
	r := a.pol.Range(c)
	if d := *attackDesign; len(d) == 2 && d[0] == 'C' {
		// Design C's model: each figure off by up to D either way (cell-key noise; zeros stay zero, so 0 to 0 stays exact).
		if noise := int(d[1] - '0'); r.Hi > 0 {
			r.Lo, r.Hi = max(0, r.Lo-noise), r.Hi+noise
		}
	}
	a.learn(b, r.Lo, r.Hi, why+" = "+c.String())
}

// read takes in everything digest d, of the period from boundary from to
// boundary to, publishes about the boxes.
func (a *attacker) read(d *digest.Digest, from, to int) {
	name := d.Period.Name
	a.reading = to
	period, total := func(opts uint8, g uint32) box { return box{opts, from, to, g} }, func(opts uint8, g uint32) box { return box{opts, 0, to, g} }
	everyone := func(w func(uint8, uint32) box) box { return w(allOpts, allGroups) }
	pa := d.Participation
	overall := !(strings.HasPrefix(*attackDesign, "B") && d.Period.Unit == "week") && *attackDesign != "none" && *attackDesign != "monthcmp"
	for _, c := range []disclosure.Count{pa.Period.NewParticipants, pa.Period.FlowsStarted, pa.Period.FlowsCompleted} {
		a.count(everyone(period), c, name+" taking part")
	}
	for _, c := range []disclosure.Count{pa.Total.NewParticipants, pa.Total.FlowsStarted, pa.Total.FlowsCompleted} {
		if overall {
			a.count(everyone(total), c, name+" taking part overall")
		}
	}
	for _, th := range d.Themes {
		if th.Name == "Practitioner qualities" {
			a.count(everyone(period), th.Answers, name+" theme")
		}
	}
	found := false
	for _, q := range d.Questions {
		switch {
		case q.FlowID == "alpha" && q.QuestionID == "asked":
			found = true
			a.learn(everyone(period), 1, inf, name+": the question is in the digest")
			opt := func(at func(uint8, uint32) box) func(string) box {
				return func(id string) box { return at(1<<slices.Index(attackOptions, id), allGroups) }
			}
			a.distribution(q.Period, name+" period", attackOptions, opt(period), everyone(period))
			if overall {
				a.distribution(q.Total, name+" overall", attackOptions, opt(total), everyone(total))
			}
		case q.FlowID == digest.DemographicsFlow:
			mask, values := genderMask, attackGenders
			if q.QuestionID == "ethnicity" {
				mask, values = ethnicityMask, attackEthnicities
			}
			stated := mask(0, 1, 2, 3)
			for _, w := range []struct {
				dist digest.Distribution
				at   func(uint8, uint32) box
				what string
			}{{q.Period, period, " period "}, {q.Total, total, " overall "}} {
				if !overall && w.what == " overall " {
					continue
				}
				a.distribution(w.dist, name+w.what+q.QuestionID, values[:4], func(id string) box {
					if i := slices.Index(values, id); i >= 0 {
						return w.at(allOpts, mask(i))
					}
					return box{} // an option nobody in the studies has
				}, w.at(allOpts, stated))
			}
		}
	}
	if !found {
		a.learn(everyone(period), 0, 0, name+": the question is not in the digest")
	}
	for _, c := range d.Comparisons {
		if !overall && !(*attackDesign == "monthcmp" && d.Period.Unit == "month") {
			break
		}
		a.comparison(c, name, to)
	}
}

// distribution reads a distribution's figures: option id's box is
// opt(id); all is the respondents'. A distribution not shown says nothing
// of its options; in one shown, an option left out was withheld.
func (a *attacker) distribution(dist digest.Distribution, what string, ids []string, opt func(string) box, all box) {
	a.count(all, dist.Respondents, what+" respondents")
	if !dist.Shown {
		return
	}
	for _, id := range ids {
		if !slices.ContainsFunc(dist.Options, func(s digest.Share) bool { return s.ID == id }) {
			a.count(opt(id), disclosure.Count{}, what+" "+id+" left out")
		}
	}
	for _, s := range dist.Options {
		b := opt(s.ID)
		a.count(b, s.Count, what+" "+s.ID)
		if v, ok := s.Percent.Value(); ok && v == 99 && *attackDesign != "B99" && *attackDesign != "A2n" && !(strings.HasPrefix(*attackDesign, "A") && b.lo == 0) {
			// Not everyone: someone is outside b.
			a.learn(all, 0, inf, "")
			a.sums = append(a.sums, []box{all, b, complement(all, b)})
			a.learn(complement(all, b), 1, inf, what+" "+s.ID+" 99%")
		}
	}
}

// complement returns the box of all not in b (b differs from all in its
// answers or its groups only).
func complement(all, b box) box {
	if b.opts != all.opts {
		return box{all.opts &^ b.opts, all.lo, all.hi, all.groups}
	}
	return box{all.opts, all.lo, all.hi, all.groups &^ b.groups}
}

// groupMask returns the grid cells of a named group of a demographic.
func groupMask(demographic, name string) uint32 {
	if demographic == "Gender" {
		return genderMask(slices.Index([]string{"Woman", "Man", "Non-binary"}, name))
	}
	return ethnicityMask(slices.Index([]string{"White", "Black", "Asian"}, name))
}

// comparison reads a comparison of the overall answers by group.
func (a *attacker) comparison(c digest.Comparison, name string, to int) {
	if c.FlowID != "alpha" {
		return
	}
	what := name + " by " + c.Demographic + " "
	named := uint32(0)
	for _, g := range c.Groups {
		if g.Name != digest.OtherGroup {
			named |= groupMask(c.Demographic, g.Name)
		}
	}
	for _, g := range c.HiddenGroups {
		if g != digest.OtherGroup {
			named |= groupMask(c.Demographic, g)
		}
	}
	maskOf := func(group string) uint32 {
		if group == digest.OtherGroup {
			return allGroups &^ named
		}
		return groupMask(c.Demographic, group)
	}
	covered := uint32(0)
	for _, g := range c.Groups {
		m := maskOf(g.Name)
		covered |= m
		a.count(box{allOpts, 0, to, m}, g.Respondents, what+g.Name)
		for _, s := range g.Shares {
			o := slices.Index(attackOptions, s.ID)
			a.count(box{1 << o, 0, to, m}, s.Count, what+g.Name+" "+s.ID)
		}
	}
	for _, g := range c.HiddenGroups {
		m := maskOf(g)
		covered |= m
		a.learn(box{allOpts, 0, to, m}, a.pol.MinCount(), inf, what+g+" left out")
		for o := range attackOptions {
			a.learn(box{1 << o, 0, to, m}, 0, a.pol.MinCount()-1, what+g+" left out")
		}
	}
	rest := box{allOpts, 0, to, allGroups &^ covered}
	switch {
	case rest.groups == 0:
	case c.Merged:
		a.learn(rest, 1, inf, what+"some merged or left out")
	default:
		a.learn(rest, 0, 0, what+"none merged")
	}
}

// tie adds the sums between the boxes: answers, spans of time and groups
// each split into their parts, down to single cells.
func (a *attacker) tie() {
	seen := map[box]bool{}
	var queue []box
	masks := map[uint32]bool{} // every set of groups a figure is about
	cuts := map[int]bool{}     // every boundary a figure starts or ends at
	for b := range a.known {
		queue = append(queue, b)
		seen[b] = true
		masks[b.groups] = true
		cuts[b.lo], cuts[b.hi] = true, true
	}
	add := func(sum ...box) {
		a.sums = append(a.sums, sum)
		for _, b := range sum {
			if !seen[b] {
				seen[b] = true
				queue = append(queue, b)
			}
		}
	}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		if bits.OnesCount8(b.opts) > 1 {
			sum := []box{b}
			for o := range 3 {
				if b.opts&(1<<o) != 0 {
					sum = append(sum, box{1 << o, b.lo, b.hi, b.groups})
					if b.opts != 1<<o {
						add(b, box{1 << o, b.lo, b.hi, b.groups}, box{b.opts &^ (1 << o), b.lo, b.hi, b.groups})
					}
				}
			}
			add(sum...)
		}
		// Groups a figure is about, against the rest: the overall less
		// the groups shown is the people merged away.
		for m := range masks {
			if !masks[b.groups] {
				break // only the published sets of groups: enough for the overall less the groups
			}
			if part := b.groups & m; part != 0 && part != b.groups {
				add(b, box{b.opts, b.lo, b.hi, part}, box{b.opts, b.lo, b.hi, b.groups &^ part})
			}
		}
		for m := b.lo + 1; m < b.hi; m++ {
			if cuts[m] { // a span nothing is published about would add nothing
				add(b, box{b.opts, b.lo, m, b.groups}, box{b.opts, m, b.hi, b.groups})
			}
		}
		if bits.OnesCount32(b.groups) > 1 {
			for _, split := range []func(int) uint32{func(g int) uint32 { return genderMask(g) }, func(e int) uint32 { return ethnicityMask(e) }} {
				sum := []box{b}
				for v := range 5 {
					if part := b.groups & split(v); part != 0 && part != b.groups {
						sum = append(sum, box{b.opts, b.lo, b.hi, part})
					}
				}
				if len(sum) > 2 {
					add(sum...)
				}
			}
		}
	}
}

// solve runs interval arithmetic over every sum until nothing narrows;
// false means the figures contradict one another. r is by box number.
func (a *attacker) solve(r [][2]int) bool {
	// Each pass narrows or stops; a cap bounds the slow creep of two
	// ranges narrowing each other by one (stopping early is only weaker).
	for pass, changed := 0, true; changed && pass < 60; pass++ {
		changed = false
		for _, sum := range a.isums {
			lo, hi := 0, 0
			for _, p := range sum[1:] {
				lo, hi = lo+r[p][0], hi+r[p][1] // inf is small enough to add up
			}
			narrow := func(b int32, l, h int) bool {
				old := r[b]
				n := [2]int{max(old[0], l), min(old[1], h)}
				if n != old {
					r[b] = n
					changed = true
				}
				return n[0] <= n[1]
			}
			t := r[sum[0]]
			if !narrow(sum[0], lo, hi) {
				return false
			}
			for _, p := range sum[1:] {
				if !narrow(p, t[0]-(hi-r[p][1]), t[1]-(lo-r[p][0])) {
					return false
				}
			}
		}
	}
	return true
}

// ranges numbers the boxes and returns the attacker's starting ranges,
// by number: what was published, or anything for a box nothing was
// published about.
func (a *attacker) ranges() [][2]int {
	a.ids, a.boxes, a.isums = map[box]int{}, nil, nil
	id := func(b box) int32 {
		if _, ok := a.ids[b]; !ok {
			a.ids[b] = len(a.boxes)
			a.boxes = append(a.boxes, b)
		}
		return int32(a.ids[b])
	}
	for b := range a.known {
		id(b)
	}
	for _, sum := range a.sums {
		var is []int32
		for _, b := range sum {
			is = append(is, id(b))
		}
		a.isums = append(a.isums, is)
	}
	r := make([][2]int, len(a.boxes))
	for i, b := range a.boxes {
		r[i] = [2]int{0, inf}
		if k, ok := a.known[b]; ok {
			r[i] = k
		}
	}
	return r
}

// attack reads the digests ds[i] of s.periods[i] for each i in which
// (all of them when which is nil), solves, and returns every box whose
// true count is from 1 to 7 that the published figures pin to it. It
// fails t if any range it reads misses the truth: the reading of the
// rules would be wrong, and the attack with it. probe adds a search,
// value by value, for the boxes left with a few values.
func attack(t testing.TB, s *study, ds []*digest.Digest, which []int, probe bool) []string {
	t.Helper()
	a := newAttacker(s.pol, len(s.boundaries)-1)
	a.study = s
	for i, d := range ds {
		if which == nil || slices.Contains(which, i) {
			a.read(d, s.piece(s.periods[i].Start), s.piece(s.periods[i].End))
		}
	}
	for b, r := range a.known {
		if n := s.truth(b); n < r[0] || n > r[1] {
			t.Fatalf("the attacker reads %v as %d to %d, but it is %d (%s)", b, r[0], r[1], n, strings.Join(a.why[b], "; "))
		}
	}
	a.tie()
	r := a.ranges()
	if !a.solve(r) {
		t.Fatalf("the published figures contradict one another")
	}
	var pinned []string
	small := max(7, s.pol.MinCount()-1)
	probes := 40 // the search is slow: only the boxes left with two or three values
	for i, rb := range r {
		b := a.boxes[i]
		n := s.truth(b)
		if n < rb[0] || n > rb[1] {
			t.Fatalf("interval arithmetic put %v at %d to %d, but it is %d", b, rb[0], rb[1], n)
		}
		if n < 1 || n > small {
			continue
		}
		search := probe && rb[1]-rb[0] <= 2 && probes > 0
		if search {
			probes--
		}
		if rb[0] == rb[1] || (search && a.onlyValue(r, i, n)) {
			pinned = append(pinned, fmt.Sprintf("%v is %d (published: %s)", b, n, strings.Join(a.why[b], "; ")))
		}
	}
	slices.Sort(pinned)
	return pinned
}

// onlyValue searches: is n the only count of box number b consistent
// with every published figure and sum, value by value?
func (a *attacker) onlyValue(r [][2]int, b, n int) bool {
	for v := r[b][0]; v <= r[b][1]; v++ {
		if v == n {
			continue
		}
		try := slices.Clone(r)
		try[b] = [2]int{v, v}
		if a.solve(try) {
			return false
		}
	}
	return true
}

// chained models design A of the across-digests spike for an overall
// figure of box b: the value published is the one as of the last digest
// end where its change since the last published value was 0 or at
// least k, worked out from the truth (the digest does not do it yet),
// and the reader learns the change since then is from 1 to k-1, or, if
// the value is fresh, that its change since the one before is 0 or at
// least k (told generously: which of the two).
func (a *attacker) chained(b box, why string) {
	k := a.pol.MinCount()
	var ends []int
	for _, p := range a.study.periods {
		if e := a.study.piece(p.End); e <= b.hi && !slices.Contains(ends, e) {
			ends = append(ends, e)
		}
	}
	slices.Sort(ends)
	at := func(hi int) int { return a.study.truth(box{b.opts, 0, hi, b.groups}) }
	pubs := [][2]int{{0, 0}} // boundary, value: published fresh
	for _, e := range ends {
		if v, last := at(e), pubs[len(pubs)-1][1]; (v == last && *attackDesign == "A") || v-last >= k {
			pubs = append(pubs, [2]int{e, v})
		}
	}
	last := pubs[len(pubs)-1]
	held := 0 // A2 holds a value back unchanged too: held back says 0 to k-1
	if *attackDesign == "A" {
		held = 1
	}
	if last[0] > 0 {
		r := a.pol.Range(a.pol.Count(last[1]))
		a.learn(box{b.opts, 0, last[0], b.groups}, r.Lo, r.Hi, why+" (A: as of boundary "+fmt.Sprint(last[0])+")")
	}
	if last[0] < b.hi {
		a.learn(box{b.opts, last[0], b.hi, b.groups}, min(1, held), k-1, why+" (A: held back)")
		return
	}
	if len(pubs) > 2 {
		prev := pubs[len(pubs)-2]
		if last[1] == prev[1] {
			a.learn(box{b.opts, prev[0], last[0], b.groups}, 0, 0, why+" (A: unchanged)")
		} else {
			a.learn(box{b.opts, prev[0], last[0], b.groups}, k, inf, why+" (A: changed by k or more)")
		}
	}
}
