package digest_test

import "slices"

// The oracle's statement of the rule that withholds a distribution
// whose figures, added up, pin a withheld count (see property_test.go).

// rangeOf is the raw counts a published count stands for.
func (o *oracle) rangeOf(shown string) [2]int {
	lo, hi := -1, -1
	for n := range 2000 {
		if o.count(n) == shown {
			if lo < 0 {
				lo = n
			}
			hi = n
		}
	}
	return [2]int{lo, hi}
}

// pinned is the rule for withholding a whole distribution whose options
// add up to its respondents: some withheld option's count is the only
// one the other figures leave it.
func (o *oracle) pinned(respondents int, counts []int) bool {
	total := o.rangeOf(o.count(respondents))
	var parts [][2]int
	sumLo, sumHi := 0, 0
	for _, n := range counts {
		r := o.rangeOf(o.count(n))
		parts = append(parts, r)
		sumLo, sumHi = sumLo+r[0], sumHi+r[1]
	}
	for _, r := range parts {
		lo := max(r[0], total[0]-(sumHi-r[1]))
		hi := min(r[1], total[1]-(sumLo-r[0]))
		if r[0] != r[1] && lo >= hi {
			return true
		}
	}
	return false
}

// shows is the rule for showing a distribution's options: publishable
// and, where each answer is one option (single), nothing pinned.
func (o *oracle) shows(answers map[*person][]string, ids []string, single bool) bool {
	if !o.publishable(answers) {
		return false
	}
	if !single {
		return true
	}
	var counts []int
	for _, id := range ids {
		n := 0
		for _, a := range answers {
			if slices.Contains(a, id) {
				n++
			}
		}
		counts = append(counts, n)
	}
	return !o.pinned(len(answers), counts)
}
