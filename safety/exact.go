package safety

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"regexp/syntax"
)

// What a regexp can match, worked out from its syntax tree: the strings it
// can match when there are few, and the shortest and longest match.

// exact returns every string re can match, or a superset of them, if there
// are few enough to list. Zero-width assertions count as the empty string.
func exact(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return []string{""}, true
	case syntax.OpLiteral:
		if lit, ok := literal(re); ok {
			return []string{lit}, true
		}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) == 8 {
					return nil, false
				}
				out = append(out, string(unicode.ToLower(r)))
			}
		}
		return dedupe(out), true
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest:
		e, ok := exact(re.Sub[0])
		return dedupe(append(e, "")), ok
	case syntax.OpConcat:
		acc := []string{""}
		for _, sub := range re.Sub {
			e, ok := exact(sub)
			if !ok {
				return nil, false
			}
			if acc = product(acc, e); len(acc) > maxExact {
				return nil, false
			}
		}
		return acc, true
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			e, ok := exact(sub)
			if !ok {
				return nil, false
			}
			if out = dedupe(append(out, e...)); len(out) > maxExact {
				return nil, false
			}
		}
		return out, true
	case syntax.OpRepeat:
		if re.Max < 0 || re.Max > 4 {
			return nil, false
		}
		e, ok := exact(re.Sub[0])
		if !ok {
			return nil, false
		}
		var out []string
		acc := []string{""}
		for n := 0; n <= re.Max; n++ {
			if n >= re.Min {
				out = dedupe(append(out, acc...))
			}
			if acc = product(acc, e); len(acc) > maxExact || len(out) > maxExact {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

func product(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return dedupe(out)
}

func dedupe(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// literal returns the text of a literal node. Normalised text is lower
// case, so a case-insensitive ASCII literal can only match its lower-case
// form. Outside ASCII, case folding can join several lower-case letters
// ("µ" and "μ"), so such a literal is not known exactly.
func literal(re *syntax.Regexp) (string, bool) {
	s := string(re.Rune)
	if re.Flags&syntax.FoldCase == 0 {
		return s, true
	}
	for _, r := range re.Rune {
		if r >= utf8.RuneSelf {
			return "", false
		}
	}
	return strings.ToLower(s), true
}

// maxLen returns the most bytes re can match, or -1 if there is no limit.
func maxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += foldedLen(r, re.Flags, true)
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return utf8.RuneLen(min(re.Rune[len(re.Rune)-1], unicode.MaxRune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return -1
	case syntax.OpRepeat:
		n := maxLen(re.Sub[0])
		if re.Max < 0 || n < 0 {
			return -1
		}
		return re.Max * n
	case syntax.OpConcat:
		total := 0
		for _, sub := range re.Sub {
			n := maxLen(sub)
			if n < 0 {
				return -1
			}
			total += n
		}
		return total
	case syntax.OpAlternate:
		longest := 0
		for _, sub := range re.Sub {
			n := maxLen(sub)
			if n < 0 {
				return -1
			}
			longest = max(longest, n)
		}
		return longest
	}
	return 0
}

// minLen returns the fewest bytes re can match.
func minLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += foldedLen(r, re.Flags, false)
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return utf8.RuneLen(re.Rune[0])
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLen(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minLen(re.Sub[0])
	case syntax.OpConcat:
		total := 0
		for _, sub := range re.Sub {
			total += minLen(sub)
		}
		return total
	case syntax.OpAlternate:
		shortest := -1
		for _, sub := range re.Sub {
			if n := minLen(sub); shortest < 0 || n < shortest {
				shortest = n
			}
		}
		return max(shortest, 0)
	}
	return 0
}

// foldedLen returns the byte length of r or, with case folding, the longest
// (or shortest) length among the runes it matches.
func foldedLen(r rune, flags syntax.Flags, longest bool) int {
	n := utf8.RuneLen(r)
	if n < 0 {
		n = len(string(utf8.RuneError))
	}
	if flags&syntax.FoldCase != 0 {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if longest {
				n = max(n, utf8.RuneLen(f))
			} else {
				n = min(n, utf8.RuneLen(f))
			}
		}
	}
	return n
}
