package safety

import (
	"cmp"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// rule is one compiled trigger or ignore rule, with what the index needs to
// know about it. Rules are shared between Detectors and never changed.
type rule struct {
	expr   string
	ignore bool

	// re is \A(?:expr), tried at a candidate start; leftmost-longest for
	// ignore rules, so each removes as much as it can.
	re *regexp.Regexp
	// after is re with one character in front, (?s:.), for trying a
	// trigger rule at p on the text from the character before p, so that
	// \b at p sees that character.
	after *regexp.Regexp
	// whole is expr unanchored, for trigger rules that are not indexed.
	whole *regexp.Regexp

	anchors []anchorAt // nil if the rule is not indexed
	maxLen  int        // longest match, or -1 if unbounded

	// If words is set, every match starts with a space and a word whose
	// first two letters have their bit set in first: a quick test that
	// saves running re at most candidate starts.
	words bool
	first [(26*26 + 63) / 64]uint64

	// also is a second set of literals one of which every match contains,
	// starting between alsoMin and alsoMax bytes in; nil if there is none.
	also             []anchorAt
	alsoMin, alsoMax int
}

// compileRule compiles and analyses expr.
func compileRule(expr string, ignore bool) (*rule, error) {
	parsed, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, err
	}
	r := &rule{expr: expr, ignore: ignore}
	if r.re, err = regexp.Compile(`\A(?:` + expr + `)`); err != nil {
		return nil, err
	}
	if ignore {
		r.re.Longest()
	} else if r.after, err = regexp.Compile(`\A(?s:.)(?:` + expr + `)`); err != nil {
		return nil, err
	}

	a := analyse(parsed)
	r.maxLen = a.maxLen
	if !a.indexable() {
		if !ignore {
			if r.whole, err = regexp.Compile(expr); err != nil {
				return nil, err
			}
		}
		return r, nil
	}
	r.anchors = a.anchors
	if a.also != nil {
		r.also, r.alsoMin, r.alsoMax = a.also, a.also[0].minOff, a.also[0].maxOff
		for _, x := range a.also {
			r.alsoMin, r.alsoMax = min(r.alsoMin, x.minOff), max(r.alsoMax, x.maxOff)
		}
	}
	if starts, ok := leading(parsed, 3); ok {
		r.words = true
		for _, st := range starts {
			if st[0] != ' ' || st[1] < 'a' || st[1] > 'z' || st[2] < 'a' || st[2] > 'z' {
				r.words = false
				break
			}
			i := int(st[1]-'a')*26 + int(st[2]-'a')
			r.first[i/64] |= 1 << (i % 64)
		}
	}
	if r.maxLen > 1<<20 {
		return nil, fmt.Errorf("matches up to %d bytes; keep patterns to a few words", r.maxLen)
	}
	return r, nil
}

// mayStart reports whether a match of r could start at s[p:].
func (r *rule) mayStart(s string, p int) bool {
	if !r.words {
		return true
	}
	if p+2 >= len(s) || s[p] != ' ' {
		return false
	}
	a, b := s[p+1]-'a', s[p+2]-'a'
	switch {
	case a < 26 && b < 26:
		i := int(a)*26 + int(b)
		return r.first[i/64]&(1<<(i%64)) != 0
	case s[p+1] == '.' || s[p+2] == ' ' || s[p+2] == '.':
		// A clause break, or a one-letter word.
		return false
	}
	// A digit or a letter outside a-z: let the regexp decide.
	return true
}

// alsoNear reports whether a match of r starting at p has one of its
// second literals, whose ids are in set, among hits, which are in order of
// where they end.
func (r *rule) alsoNear(set []uint64, hits []hit, p int) bool {
	if set == nil {
		return true
	}
	lo, hi := p+r.alsoMin, p+r.alsoMax
	i, _ := slices.BinarySearchFunc(hits, lo+1, func(h hit, end int) int { return cmp.Compare(h.end, end) })
	for ; i < len(hits) && hits[i].end <= hi+maxAnchor; i++ {
		h := hits[i]
		if lo <= h.start && h.start <= hi && set[h.id/64]&(1<<(h.id%64)) != 0 {
			return true
		}
	}
	return false
}

// end returns where to cut s when trying r at p: far enough that no match
// is cut short.
func (r *rule) end(s string, p int) int {
	if r.maxLen < 0 {
		return len(s)
	}
	return limit(s, p+r.maxLen+1)
}

// matchAt reports whether trigger rule r matches s at p.
func (r *rule) matchAt(s string, p int) bool {
	end := r.end(s, p)
	if p == 0 {
		return r.re.MatchString(s[:end])
	}
	_, n := utf8.DecodeLastRuneInString(s[:p])
	return r.after.MatchString(s[p-n : end])
}

// limit returns where to cut s so that a match starting before n is not cut
// short: just after the first space at or beyond n. Ending on a space keeps
// \b at the cut the same as in the whole text.
func limit(s string, n int) int {
	if n >= len(s) {
		return len(s)
	}
	if i := strings.IndexByte(s[n:], ' '); i >= 0 {
		return n + i + 1
	}
	return len(s)
}
