// Package disclosure applies statistical disclosure control to every
// figure a digest publishes, following NHS Digital's method for published
// health statistics (the one used for Hospital Episode Statistics since
// 2018), automated:
//
//   - a count from 0 to k−1 is shown as "*" (k is the minimum count,
//     default 8, never below 5). Zero is withheld too: an exact 0 beside
//     a "*" would complete a sum, telling whose the "*" is (see below);
//   - every other count, total and subtotal is rounded to the nearest
//     multiple of the rounding base (default 5), totals being computed
//     from unrounded data and then rounded;
//   - a percentage is computed from the rounded numerator and denominator,
//     and shown only where the denominator is at least k and the
//     numerator is not suppressed; it is never 100% unless the numerator
//     really is the whole denominator, nor 0% (0 being withheld);
//   - a change between periods is computed from the rounded figures only.
//
// Why zero is withheld. NHS Digital publishes 0 exactly, which is safe
// for one table read alone but not for a reader who holds every digest
// ever posted: the figures are sums of one another (the overall column is
// the groups' sum, this week's overall is last week's plus this week's,
// a month is its weeks'), and an exact figure in a sum whose other part
// is withheld hands that part over. With 0 among the withheld figures,
// no published figure is exact: each stands for a range of at least two
// raw counts (a "*" for 0 to k−1, a rounded count for the counts that
// round to it), so subtracting one published figure from another never
// gives more than a range. The one sum a single table can still pin, when
// its total is at the bottom of its rounding range and its shown parts
// at the top, is caught by Pinned, and the table is withheld (package
// digest does so).
//
// The rules are stateless: every figure depends only on the raw count
// behind it (and, through Pinned, on the other figures of its own table),
// never on what earlier digests published, so any digest, rebuilt at any
// time, publishes the same figures for the same data.
//
// The values this package returns (Count, Percent, Change) cannot be made
// outside it except as suppressed: their zero values print as "*". A
// digest that holds only these types cannot publish a raw count by
// mistake, whichever renderer prints it.
//
// It imports no other PeerVoice package.
package disclosure

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Limits and defaults of the rules.
const (
	// MinMinCount is the smallest k a Policy accepts: NHS Digital never
	// publishes counts below 5 for small areas, nor do we.
	MinMinCount = 5
	// DefaultMinCount is k by default: counts 1 to 7 are suppressed, as
	// in NHS Digital's method.
	DefaultMinCount = 8
	// MinRoundTo is the smallest rounding base a Policy accepts: rounding
	// to less than 5 would let two digests be subtracted to find one
	// person.
	MinRoundTo = 5
	// DefaultRoundTo is the rounding base by default.
	DefaultRoundTo = 5
)

// Suppressed is how a withheld figure is shown.
const Suppressed = "*"

// Policy holds the rules' two parameters. The zero Policy applies the
// defaults.
type Policy struct {
	k, round int
}

// New returns a Policy that suppresses counts below minCount and rounds
// the others to the nearest roundTo. It refuses a minCount below 5, a
// roundTo below 5, and a roundTo so large that a count of minCount would
// round to 0 (more than twice minCount).
func New(minCount, roundTo int) (Policy, error) {
	if err := Check(minCount, roundTo); err != nil {
		return Policy{}, err
	}
	return Policy{k: minCount, round: roundTo}, nil
}

// Check reports whether minCount and roundTo make a valid Policy, with an
// error that names the setting and what it must be.
func Check(minCount, roundTo int) error {
	if minCount < MinMinCount {
		return fmt.Errorf("disclosure.min_count is %d: it must be at least %d, because smaller counts could identify someone (NHS Digital's method suppresses 1 to 7; the default is %d)",
			minCount, MinMinCount, DefaultMinCount)
	}
	if roundTo < MinRoundTo {
		return fmt.Errorf("disclosure.round_to is %d: it must be at least %d, because finer rounding would let two digests be compared to find one person (the default is %d)",
			roundTo, MinRoundTo, DefaultRoundTo)
	}
	if roundTo > 2*minCount {
		return fmt.Errorf("disclosure.round_to is %d: it must be at most twice disclosure.min_count (%d), or a count of %d would be rounded to 0",
			roundTo, 2*minCount, minCount)
	}
	return nil
}

// MinCount returns k: the smallest count shown.
func (p Policy) MinCount() int {
	if p.k == 0 {
		return DefaultMinCount
	}
	return p.k
}

// RoundTo returns the rounding base.
func (p Policy) RoundTo() int {
	if p.round == 0 {
		return DefaultRoundTo
	}
	return p.round
}

// roundInt rounds n ≥ 0 to the nearest multiple of the base, halves up.
func (p Policy) roundInt(n int) int {
	r := p.RoundTo()
	return (2*n + r) / (2 * r) * r
}

// Count protects a raw count of people (or of answers, when each comes
// from a different person). A count below k, 0 included, is withheld.
func (p Policy) Count(raw int) Count {
	if raw < p.MinCount() {
		return Count{} // 0 too: an exact 0 completes sums (see the package doc)
	}
	return Count{n: p.shown(raw), shown: true}
}

// shown is the published value of a raw count of at least k: rounded,
// except where the counts from k that round to the lowest value would be
// too few to hide which it is (with k = 7 and rounding to 5, only 7
// rounds to 5 and is at least k, so 5 would mean exactly 7): those
// counts show as the next multiple up.
func (p Policy) shown(raw int) int {
	m := p.roundInt(raw)
	if m == p.roundInt(p.MinCount()) && p.narrowLowest() {
		m += p.RoundTo()
	}
	return m
}

// narrowLowest reports whether the counts from k that round to the same
// value as k are fewer than half the rounding base.
func (p Policy) narrowLowest() bool {
	r := p.RoundTo()
	top := (2*p.roundInt(p.MinCount()) + r - 1) / 2
	return top-p.MinCount() < r/2
}

// Alone protects a count that is part of no published sum, so that no
// other figure can be subtracted from it or added to it: 0 shows as 0,
// and every other count as Count shows it. The number of quotes waiting
// for a moderator is one: it depends on the moderators' decisions, not
// on any sum of answers.
func (p Policy) Alone(raw int) Count {
	if raw == 0 {
		return Count{shown: true}
	}
	return p.Count(raw)
}

// CountOf protects a count of things (such as answers) that came from
// people: it is shown, rounded, only where people is 0 or at least k,
// so that many answers from a few people are not shown either.
func (p Policy) CountOf(raw, people int) Count {
	if people > 0 && people < p.MinCount() {
		return Count{}
	}
	if people == 0 {
		return Count{} // nothing, withheld like any small count; or inconsistent
	}
	return p.Count(raw)
}

// Percent protects num out of den as a whole-number percentage. It is
// computed from the rounded numerator and denominator, and shown only
// where the raw denominator is at least k and the numerator is shown.
//
// Rounding never makes a group look unanimous: 8 of 9 are 10 of 10
// rounded, but show as 99%, not 100%, which only num == den shows. Nor
// does it make a shown count look like nobody: a tiny share shows as 1%.
func (p Policy) Percent(num, den int) Percent {
	if den < p.MinCount() || num < 0 || num > den {
		return Percent{}
	}
	n, d := p.Count(num), p.Count(den)
	if !n.shown || !d.shown || d.n == 0 {
		return Percent{}
	}
	v := (200*n.n + d.n) / (2 * d.n)
	switch {
	case v == 100 && num < den:
		v = 99
	case v == 0:
		v = 1 // num ≥ k > 0: someone, not nobody
	}
	return Percent{v: v, shown: true}
}

// Publishable reports whether a distribution of answers may be shown:
// at least k people answered, and not all of them gave the same answer
// (otherwise each of them would be known to have given it). answers maps
// each different answer to the number of people who gave it.
func (p Policy) Publishable(answers map[string]int) bool {
	people, distinct := 0, 0
	for _, n := range answers {
		if n > 0 {
			people += n
			distinct++
		}
	}
	return people >= p.MinCount() && distinct >= 2
}

// Count is a count as published: rounded or suppressed. The zero Count
// is suppressed. There is no count of nobody: 0 is withheld like any
// small count.
type Count struct {
	n     int
	shown bool
}

// Value returns the published number, and false when it is suppressed.
func (c Count) Value() (int, bool) { return c.n, c.shown }

// Shown reports whether the count is published as a number.
func (c Count) Shown() bool { return c.shown }

// String returns the number or "*".
func (c Count) String() string { return text(strconv.Itoa(c.n), c.shown) }

// MarshalJSON writes the number or the string "*".
func (c Count) MarshalJSON() ([]byte, error) { return marshal(c.n, c.shown) }

// Minus returns the change from prev to c, computed from the published
// figures; it is suppressed when either is suppressed.
func (c Count) Minus(prev Count) Change {
	if !c.shown || !prev.shown {
		return Change{}
	}
	return Change{v: c.n - prev.n, shown: true}
}

// Percent is a percentage as published: a whole number or suppressed
// (a percentage of fewer than k people among them). The zero Percent is
// suppressed.
type Percent struct {
	v     int
	shown bool
}

// Value returns the published percentage, and false when suppressed.
func (p Percent) Value() (int, bool) { return p.v, p.shown }

// Shown reports whether the percentage is published.
func (p Percent) Shown() bool { return p.shown }

// String returns "37%" or "*".
func (p Percent) String() string { return text(strconv.Itoa(p.v)+"%", p.shown) }

// MarshalJSON writes the number or the string "*".
func (p Percent) MarshalJSON() ([]byte, error) { return marshal(p.v, p.shown) }

// Minus returns the change from prev to p in percentage points,
// computed from the published percentages; suppressed when either is
// suppressed.
func (p Percent) Minus(prev Percent) Change {
	if !p.shown || !prev.shown {
		return Change{}
	}
	return Change{v: p.v - prev.v, shown: true}
}

// Change is a difference between two published figures. The zero Change
// is suppressed.
type Change struct {
	v     int
	shown bool
}

// Value returns the change, and false when it is suppressed.
func (c Change) Value() (int, bool) { return c.v, c.shown }

// Shown reports whether the change is published.
func (c Change) Shown() bool { return c.shown }

// String returns "+5", "-5", "0" or "*".
func (c Change) String() string {
	switch {
	case !c.shown:
		return Suppressed
	case c.v > 0:
		return "+" + strconv.Itoa(c.v)
	}
	return strconv.Itoa(c.v)
}

// MarshalJSON writes the number or the string "*".
func (c Change) MarshalJSON() ([]byte, error) { return marshal(c.v, c.shown) }

// text shows a figure: its number, or Suppressed.
func text(number string, shown bool) string {
	if !shown {
		return Suppressed
	}
	return number
}

func marshal(v int, shown bool) ([]byte, error) {
	if !shown {
		return json.Marshal(Suppressed)
	}
	return json.Marshal(v)
}
