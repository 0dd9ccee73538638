package safety

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"regexp/syntax"
)

// Go's regexp package has no DFA, so one regexp made of every rule costs
// hundreds of microseconds on a long message. Instead, New works out for each
// rule a set of literal strings, one of which every match must contain, and
// how far from the start of the match it can sit. Check finds all those
// literals in one pass (an Aho-Corasick automaton, automaton.go) and tries
// each rule, anchored, only where a literal says a match could start, and
// only if the first word there could begin the rule and a second required
// literal, if the rule has one, is nearby. An ordinary message holds few
// anchors, so most rules are never run at all. Tests compare the result with
// running every rule on the whole text.

// maxExact caps the sets of strings that exact computes, so that products of
// alternations stay small.
const maxExact = 256

// anchorAt is a literal that every match of a rule contains, starting between
// minOff and maxOff bytes after the start of the match.
type anchorAt struct {
	lit            string
	minOff, maxOff int
}

// analysis is what New needs to know to index a rule.
type analysis struct {
	anchors []anchorAt // nil if no usable literal was found
	// also is a second set of literals, from another part of the rule,
	// one of which every match also contains: Check skips the regexp when
	// none is nearby. nil if there is none.
	also   []anchorAt
	maxLen int // the longest match in bytes, or -1 if unbounded
}

// indexable reports whether the rule can be tried only near its anchors.
func (a analysis) indexable() bool { return a.anchors != nil && a.maxLen >= 0 }

// analyse finds a rule's anchors and longest match. Rules that depend on
// where the text starts or ends, or on \B, are left unindexed: trying them on
// a slice of the text would not give the same answer as on the whole.
func analyse(re *syntax.Regexp) analysis {
	a := analysis{maxLen: maxLen(re)}
	if positional(re) {
		return a
	}
	if re.Op == syntax.OpConcat {
		cands := concatCandidates(re.Sub)
		best := bestCandidate(cands, -1, -1)
		if best >= 0 {
			a.anchors = cands[best].anchors
			if also := bestCandidate(cands, cands[best].from, cands[best].to); also >= 0 && rare(cands[also].anchors) {
				a.also = cands[also].anchors
			}
		}
		return a
	}
	if anchors, ok := required(re); ok && usable(tidy(anchors)) {
		a.anchors = tidy(anchors)
	}
	return a
}

// positional reports whether re uses ^, $, \A, \z or \B.
func positional(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText, syntax.OpNoWordBoundary:
		return true
	}
	return slices.ContainsFunc(re.Sub, positional)
}

// usable reports whether anchors are worth indexing on: every literal must
// hold at least two non-space bytes, or the rule would be tried at almost
// every word.
func usable(anchors []anchorAt) bool {
	for _, a := range anchors {
		if solid(a.lit) < 2 || a.maxOff < 0 {
			return false
		}
	}
	return true
}

// solid counts the bytes of s that are not spaces.
func solid(s string) int { return len(s) - strings.Count(s, " ") }

// required returns literals one of which every match of re contains.
func required(re *syntax.Regexp) ([]anchorAt, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if lit, ok := literal(re); ok {
			return []anchorAt{{lit: lit}}, true
		}
	case syntax.OpCapture, syntax.OpPlus:
		// Later repetitions also contain the anchor, but the first one is
		// enough.
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpAlternate:
		var all []anchorAt
		for _, sub := range re.Sub {
			a, ok := required(sub)
			if !ok {
				// A small alternation of short pieces ("kms|kys") is still
				// known exactly.
				return exactAnchors(re)
			}
			all = append(all, a...)
		}
		return tidy(all), true
	case syntax.OpConcat:
		return requiredInConcat(re.Sub)
	}
	return nil, false
}

// leading returns every string of n bytes that a match of re can start
// with, or false if it cannot tell or a match can be shorter than n.
func leading(re *syntax.Regexp, n int) ([]string, bool) {
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	acc := []string{""}
	for _, sub := range subs {
		done := true
		for _, x := range acc {
			done = done && len(x) >= n
		}
		if done {
			return acc, true
		}
		e, ok := exact(sub)
		if !ok {
			return nil, false
		}
		var next []string
		for _, x := range acc {
			if len(x) >= n {
				next = append(next, x)
				continue
			}
			for _, y := range e {
				next = append(next, (x + y)[:min(n, len(x+y))])
			}
		}
		if acc = dedupe(next); len(acc) > maxExact {
			return nil, false
		}
	}
	for _, x := range acc {
		if len(x) < n {
			return nil, false
		}
	}
	return acc, true
}

// exactAnchors makes anchors of every string re can match.
func exactAnchors(re *syntax.Regexp) ([]anchorAt, bool) {
	e, ok := exact(re)
	if !ok {
		return nil, false
	}
	c := make([]anchorAt, len(e))
	for i, s := range e {
		c[i] = anchorAt{lit: s}
	}
	return tidy(c), true
}

// requiredInConcat picks the best anchors for a sequence.
func requiredInConcat(subs []*syntax.Regexp) ([]anchorAt, bool) {
	cands := concatCandidates(subs)
	if i := bestCandidate(cands, -1, -1); i >= 0 {
		return cands[i].anchors, true
	}
	return nil, false
}

// candidate is a usable set of anchors for a sequence, taken from its
// elements from to to, inclusive.
type candidate struct {
	anchors  []anchorAt
	from, to int
}

// concatCandidates lists the anchors a sequence could be indexed on: those
// of one element, or every string a run of exactly-known elements can spell
// (" want to" rather than " to").
func concatCandidates(subs []*syntax.Regexp) []candidate {
	var cands []candidate
	consider := func(c []anchorAt, from, to int) {
		if c = tidy(c); usable(c) {
			cands = append(cands, candidate{c, from, to})
		}
	}
	shift := func(c []anchorAt, k int) []anchorAt {
		lo, hi := 0, 0
		for _, s := range subs[:k] {
			lo += minLen(s)
			if n := maxLen(s); n < 0 || hi < 0 {
				hi = -1
			} else {
				hi += n
			}
		}
		out := make([]anchorAt, len(c))
		for i, a := range c {
			out[i] = anchorAt{lit: a.lit, minOff: a.minOff + lo, maxOff: a.maxOff + hi}
			if hi < 0 {
				out[i].maxOff = -1
			}
		}
		return out
	}
	for k, sub := range subs {
		if c, ok := required(sub); ok {
			consider(shift(c, k), k, k)
		}
	}
	for i := range subs {
		acc := []string{""}
		for j := i; j < len(subs); j++ {
			e, ok := exact(subs[j])
			if !ok {
				break
			}
			if acc = product(acc, e); len(acc) > maxExact {
				break
			}
			c := make([]anchorAt, len(acc))
			for n, s := range acc {
				c[n] = anchorAt{lit: s}
			}
			consider(shift(tidy(c), i), i, j)
		}
	}
	return cands
}

// rare reports whether none of anchors is frequent in everyday text. A
// second literal like " to" would cost more to find than it saves.
func rare(anchors []anchorAt) bool {
	for _, a := range anchors {
		if frequency(a.lit) >= 10 {
			return false
		}
	}
	return true
}

// bestCandidate returns the index of the best candidate that does not use
// elements skipFrom to skipTo, or -1.
func bestCandidate(cands []candidate, skipFrom, skipTo int) int {
	best := -1
	for i, c := range cands {
		if c.to >= skipFrom && c.from <= skipTo {
			continue
		}
		if best < 0 || better(c.anchors, cands[best].anchors) {
			best = i
		}
	}
	return best
}

// better reports whether anchors a make a better index than b. Each time an
// anchor turns up, Check may run a regexp at each place a match could start,
// so the first measure is the expected number of those runs on ordinary
// text, estimated from the sample. Ties, which are mostly between literals the
// sample never contains, go to longer literals (capped, as length stops
// mattering once a literal is a whole short word), then to fewer of them,
// then to a tighter position.
func better(a, b []anchorAt) bool {
	quality := func(c []anchorAt) [4]int {
		cost, short, spread := 0, 3, 0
		for _, x := range c {
			// A literal the sample lacks still turns up now and then, so
			// it counts a little. A wide position means several starts to
			// try, though rule.mayStart rules most of them out cheaply.
			cost += (5*frequency(x.lit) + 1) * (1 + (x.maxOff-x.minOff)/30)
			short = min(short, solid(x.lit))
			spread = max(spread, x.maxOff-x.minOff)
		}
		return [4]int{-cost, short, -len(c), -spread}
	}
	qa, qb := quality(a), quality(b)
	return slices.Compare(qa[:], qb[:]) > 0
}

// maxAnchor is the longest literal worth searching for. Beyond this a
// literal is rare enough already, and longer ones only grow the automaton:
// a prefix of a required literal is just as required.
const maxAnchor = 8

// tidy shortens literals to maxAnchor bytes, merges duplicates and drops any
// literal that contains another one, widening the shorter literal's position
// to cover it.
func tidy(c []anchorAt) []anchorAt {
	c = slices.Clone(c)
	for i, a := range c {
		if len(a.lit) > maxAnchor {
			n := maxAnchor
			for n > 0 && !utf8.RuneStart(a.lit[n]) {
				n--
			}
			c[i].lit = a.lit[:n]
		}
	}
	slices.SortStableFunc(c, func(a, b anchorAt) int { return cmp.Compare(len(a.lit), len(b.lit)) })
	var out []anchorAt
next:
	for _, a := range c {
		for i, o := range out {
			if k := strings.Index(a.lit, o.lit); k >= 0 {
				out[i].minOff = min(o.minOff, a.minOff+k)
				if o.maxOff < 0 || a.maxOff < 0 {
					out[i].maxOff = -1
				} else {
					out[i].maxOff = max(o.maxOff, a.maxOff+k)
				}
				continue next
			}
		}
		out = append(out, a)
	}
	return out
}
