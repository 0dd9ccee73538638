package scrub

import (
	"strings"
	"unicode/utf8"
)

// mayHoldName reports whether t has the first word of a configured name, in
// any case. Text with bytes beyond ASCII goes straight to the regular
// expression, whose case folding is Unicode's.
func (s *Scrubber) mayHoldName(t string) bool {
	if s.unicodeNames {
		return true
	}
	var lower []byte
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= utf8.RuneSelf {
			return true
		}
		if lower == nil && 'A' <= c && c <= 'Z' {
			lower = []byte(t)
		}
		if lower != nil && 'A' <= c && c <= 'Z' {
			lower[i] = c + 'a' - 'A'
		}
	}
	l := t
	if lower != nil {
		l = string(lower)
	}
	for _, w := range s.firstWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// replaceNames replaces configured names that stand as whole words.
func (s *Scrubber) replaceNames(t string) string {
	var locs [][]int
	for from := 0; from < len(t); {
		l := s.names.FindStringIndex(t[from:])
		if l == nil {
			break
		}
		start, end := from+l[0], from+l[1]
		before, _ := utf8.DecodeLastRuneInString(t[:start])
		after, _ := utf8.DecodeRuneInString(t[end:])
		if (start == 0 || !isWordRune(before)) && (end == len(t) || !isWordRune(after)) {
			locs = append(locs, []int{start, end})
			from = end
			continue
		}
		// Not a whole word: look again from the next character, where a
		// shorter or later name may start.
		_, size := utf8.DecodeRuneInString(t[start:])
		from = start + size
	}
	if locs == nil {
		return t
	}
	return splice(t, locs, Name)
}
