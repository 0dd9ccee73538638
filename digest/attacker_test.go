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
	pieces int // pieces of time; a box's whi is at most pieces+1 (never)
	known  map[box][2]int
	sums   [][]box // total first
	why    map[box][]string
	// ids number the boxes of the sums, for solve: boxes[ids[b.key()]]
	// == b, and each of isums is a sum by number.
	ids   map[uint64]int32
	boxes []box
	isums [][]int32
}

func newAttacker(pol disclosure.Policy, pieces int) *attacker {
	if pieces+1 >= 1<<6 {
		panic("box.key packs a boundary in 6 bits")
	}
	return &attacker{pol: pol, pieces: pieces, known: map[box][2]int{}, why: map[box][]string{}, ids: map[uint64]int32{}}
}

// key packs b into a number, a cheaper map key than the struct: the
// attack numbers hundreds of thousands of boxes.
func (b box) key() uint64 {
	return uint64(b.opts) | uint64(b.groups)<<3 | uint64(b.lo)<<28 | uint64(b.hi)<<34 | uint64(b.wlo)<<40 | uint64(b.whi)<<46
}

// intern returns b's number, numbering it if it is new.
func (a *attacker) intern(b box) (id int32, fresh bool) {
	k := b.key()
	if id, ok := a.ids[k]; ok {
		return id, false
	}
	id = int32(len(a.boxes))
	a.ids[k] = id
	a.boxes = append(a.boxes, b)
	return id, true
}

// at returns the box of answers opts, joined from boundary lo to hi, in
// groups, as counted by a digest posted at boundary posted: those who
// had not withdrawn by then.
func (a *attacker) at(opts uint8, lo, hi int, groups uint32, posted int) box {
	return box{opts, lo, hi, groups, posted, a.pieces + 1}
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
	r := a.pol.Range(c)
	a.learn(b, r.Lo, r.Hi, why+" = "+c.String())
}

// before reads the figure of the period before out of a change: the
// published figure now less the change, as the digest works it out.
func (a *attacker) before(t testing.TB, now disclosure.Count, change disclosure.Change) (disclosure.Count, bool) {
	n, ok := now.Value()
	ch, shown := change.Value()
	if !ok || !shown {
		return disclosure.Count{}, false
	}
	c := a.pol.Count(n - ch)
	if v, ok := c.Value(); !ok || v != n-ch {
		t.Fatalf("a change says the period before showed %d, which the rules never show", n-ch)
	}
	return c, true
}

// read takes in everything digest d, of the period from boundary from to
// boundary to (the period before it from boundary prev), posted at its
// end, publishes about the boxes.
func (a *attacker) read(t testing.TB, d *digest.Digest, prev, from, to int) {
	name := d.Period.Name
	period := func(opts uint8, g uint32) box { return a.at(opts, from, to, g, to) }
	before := func(opts uint8, g uint32) box { return a.at(opts, prev, from, g, to) }
	everyone := func(w func(uint8, uint32) box) box { return w(allOpts, allGroups) }
	pa := d.Participation
	for _, c := range []disclosure.Count{pa.Period.NewParticipants, pa.Period.FlowsStarted, pa.Period.FlowsCompleted} {
		a.count(everyone(period), c, name+" taking part")
	}
	for _, c := range []disclosure.Count{pa.Previous.NewParticipants, pa.Previous.FlowsStarted, pa.Previous.FlowsCompleted} {
		a.count(everyone(before), c, name+" taking part, the period before")
	}
	for _, th := range d.Themes {
		if th.Name == "Practitioner qualities" {
			a.count(everyone(period), th.Answers, name+" theme")
			if c, ok := a.before(t, th.Answers, th.Change); ok {
				a.count(everyone(before), c, name+" theme, the period before")
			}
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
			a.change(t, q, name+" the period before", opt(before), everyone(before))
		case q.FlowID == digest.DemographicsFlow:
			mask, values := genderMask, attackGenders
			if q.QuestionID == "ethnicity" {
				mask, values = ethnicityMask, attackEthnicities
			}
			stated := mask(0, 1, 2, 3)
			group := func(at func(uint8, uint32) box) func(string) box {
				return func(id string) box {
					if i := slices.Index(values, id); i >= 0 {
						return at(allOpts, mask(i))
					}
					return box{} // an option nobody in the studies has
				}
			}
			a.distribution(q.Period, name+" period "+q.QuestionID, values[:4], group(period), period(allOpts, stated))
			a.change(t, q, name+" the period before "+q.QuestionID, group(before), before(allOpts, stated))
		}
	}
	if !found {
		a.learn(everyone(period), 0, 0, name+": the question is not in the digest")
	}
	for _, c := range d.Comparisons {
		a.comparison(c, name, from, to)
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
		if v, ok := s.Percent.Value(); ok && v == 99 {
			a.notEveryone(all, b, what+" "+s.ID+" 99%")
		}
	}
}

// notEveryone learns that someone in all is outside b.
func (a *attacker) notEveryone(all, b box, why string) {
	a.learn(all, 0, inf, "")
	a.sums = append(a.sums, []box{all, b, complement(all, b)})
	a.learn(complement(all, b), 1, inf, why)
}

// change reads the figures of the period before out of q's changes:
// each is a published figure of that period, worked out afresh when the
// digest was posted.
func (a *attacker) change(t testing.TB, q digest.Question, what string, opt func(string) box, all box) {
	if c, ok := a.before(t, q.Period.Respondents, q.Change.Respondents); ok {
		a.count(all, c, what+" respondents")
	}
	for i, s := range q.Period.Options {
		ch := q.Change.Options[i]
		if c, ok := a.before(t, s.Count, ch.Count); ok {
			a.count(opt(s.ID), c, what+" "+s.ID)
		}
		p, ok := s.Percent.Value()
		pts, shown := ch.Points.Value()
		if ok && shown && p-pts == 99 {
			a.notEveryone(all, opt(s.ID), what+" "+s.ID+" 99%")
		}
	}
}

// complement returns the box of all not in b (b differs from all in its
// answers or its groups only).
func complement(all, b box) box {
	if b.opts != all.opts {
		return box{all.opts &^ b.opts, all.lo, all.hi, all.groups, all.wlo, all.whi}
	}
	return box{all.opts, all.lo, all.hi, all.groups &^ b.groups, all.wlo, all.whi}
}

// groupMask returns the grid cells of a named group of a demographic.
func groupMask(demographic, name string) uint32 {
	if demographic == "Gender" {
		return genderMask(slices.Index([]string{"Woman", "Man", "Non-binary"}, name))
	}
	return ethnicityMask(slices.Index([]string{"White", "Black", "Asian"}, name))
}

// comparison reads a comparison of the period's answers by group.
func (a *attacker) comparison(c digest.Comparison, name string, from, to int) {
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
		a.count(a.at(allOpts, from, to, m, to), g.Respondents, what+g.Name)
		for _, s := range g.Shares {
			o := slices.Index(attackOptions, s.ID)
			a.count(a.at(1<<o, from, to, m, to), s.Count, what+g.Name+" "+s.ID)
		}
	}
	for _, g := range c.HiddenGroups {
		m := maskOf(g)
		covered |= m
		a.learn(a.at(allOpts, from, to, m, to), a.pol.MinCount(), inf, what+g+" left out")
		for o := range attackOptions {
			a.learn(a.at(1<<o, from, to, m, to), 0, a.pol.MinCount()-1, what+g+" left out")
		}
	}
	rest := a.at(allOpts, from, to, allGroups&^covered, to)
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
	var queue []box
	masks := map[uint32]bool{} // every set of groups a figure is about
	cuts := map[int]bool{}     // every boundary a figure starts or ends at
	posts := map[int]bool{}    // every boundary a digest was posted at
	for b := range a.known {
		if _, fresh := a.intern(b); fresh {
			queue = append(queue, b)
		}
		masks[b.groups] = true
		cuts[b.lo], cuts[b.hi] = true, true
		posts[b.wlo] = true
	}
	add := func(sum ...box) {
		is := make([]int32, len(sum))
		for i, b := range sum {
			id, fresh := a.intern(b)
			is[i] = id
			if fresh {
				queue = append(queue, b)
				if b.whi <= b.lo {
					a.learn(b, 0, 0, "nobody withdraws before joining")
				}
			}
		}
		a.isums = append(a.isums, is)
	}
	for _, sum := range a.sums {
		add(sum...)
	}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		if bits.OnesCount8(b.opts) > 1 {
			sum := []box{b}
			for o := range 3 {
				if b.opts&(1<<o) != 0 {
					sum = append(sum, box{1 << o, b.lo, b.hi, b.groups, b.wlo, b.whi})
					if b.opts != 1<<o {
						add(b, box{1 << o, b.lo, b.hi, b.groups, b.wlo, b.whi}, box{b.opts &^ (1 << o), b.lo, b.hi, b.groups, b.wlo, b.whi})
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
				add(b, box{b.opts, b.lo, b.hi, part, b.wlo, b.whi}, box{b.opts, b.lo, b.hi, b.groups &^ part, b.wlo, b.whi})
			}
		}
		for m := b.lo + 1; m < b.hi; m++ {
			if cuts[m] { // a span nothing is published about would add nothing
				add(b, box{b.opts, b.lo, m, b.groups, b.wlo, b.whi}, box{b.opts, m, b.hi, b.groups, b.wlo, b.whi})
			}
		}
		// Those counted by a digest posted at one boundary are those
		// counted by one posted later, and those who withdrew between.
		for m := b.wlo + 1; m < b.whi; m++ {
			if posts[m] {
				add(b, box{b.opts, b.lo, b.hi, b.groups, b.wlo, m}, box{b.opts, b.lo, b.hi, b.groups, m, b.whi})
			}
		}
		if bits.OnesCount32(b.groups) > 1 {
			for _, split := range []func(int) uint32{func(g int) uint32 { return genderMask(g) }, func(e int) uint32 { return ethnicityMask(e) }} {
				sum := []box{b}
				for v := range 5 {
					if part := b.groups & split(v); part != 0 && part != b.groups {
						sum = append(sum, box{b.opts, b.lo, b.hi, part, b.wlo, b.whi})
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

// ranges returns the attacker's starting ranges, by box number: what
// was published, or anything for a box nothing was published about.
func (a *attacker) ranges() [][2]int {
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
	for i, d := range ds {
		if which == nil || slices.Contains(which, i) {
			p := s.periods[i]
			a.read(t, d, s.piece(p.Previous().Start), s.piece(p.Start), s.piece(p.End))
			a.readTrends(t, s, d, s.piece(p.End))
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
