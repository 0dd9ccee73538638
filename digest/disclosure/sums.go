package disclosure

// Unbounded is the upper end of a Range with no upper bound: a part of a
// sum that is published nowhere, such as the people merged out of a
// comparison.
const Unbounded = 1 << 30

// Range is what a reader can tell of the raw count behind a published
// figure: it lies from Lo to Hi, both included.
type Range struct {
	Lo, Hi int
}

// Exact reports whether the range holds one count only.
func (r Range) Exact() bool { return r.Lo == r.Hi }

// Range returns what c tells a reader of the raw count behind it: a
// withheld count is 0 to k−1; a shown count is any count from k up that
// rounds to it. It is the reader's view of the rules, so it is what
// Pinned reasons with, and what an attacker would.
func (p Policy) Range(c Count) Range {
	if !c.shown {
		return Range{0, p.MinCount() - 1}
	}
	if c.n == 0 {
		return Range{0, 0} // Alone's exact 0
	}
	r, k := p.RoundTo(), p.MinCount()
	// roundInt(n) = m exactly for 2m − r ≤ 2n < 2m + r.
	lo := (2*c.n - r + 1) / 2
	hi := (2*c.n + r - 1) / 2
	if lo <= k || (p.narrowLowest() && c.n == p.roundInt(k)+r) {
		lo = k // the lowest value shown stands for every count from k
	}
	return Range{lo, hi}
}

// Pinned reports whether a published sum gives away one of its parts:
// whether the ranges of total and of every part but one leave that one a
// single possible count, where its own range leaves more. It is interval
// arithmetic on total = parts[0] + parts[1] + …, the first thing a reader
// holding the table would try: with 12, 12 and 12 shown as 10 and a
// withheld 7, a total of 43 shows as 45 (43 to 47), which leaves the
// withheld part 43 − 36 = 7 at least and so exactly 7.
//
// A part whose own range is exact (a figure published exactly) is not
// given away by the sum, but it still takes part in it.
func Pinned(total Range, parts []Range) bool {
	for i, r := range Narrow(total, parts) {
		if r.Exact() && !parts[i].Exact() {
			return true
		}
	}
	return false
}

// Narrow returns what the sum total = parts[0] + parts[1] + … tells a
// reader of each part: its own range, narrowed by the total's less the
// other parts'. A part left with no count at all (inconsistent input) is
// returned as exact.
func Narrow(total Range, parts []Range) []Range {
	sumLo, sumHi := 0, 0
	for _, r := range parts {
		sumLo += r.Lo
		sumHi += r.Hi // Unbounded is small enough to add up
	}
	out := make([]Range, len(parts))
	for i, r := range parts {
		lo := max(r.Lo, total.Lo-(sumHi-r.Hi))
		hi := min(r.Hi, total.Hi-(sumLo-r.Lo))
		out[i] = Range{lo, max(lo, hi)}
	}
	return out
}
