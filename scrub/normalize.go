package scrub

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalized is text as the rules read it, with the way back to the
// original: NFKC (full-width digits and letters become ASCII), format
// characters such as zero-width spaces and joiners removed, every space
// separator (a non-breaking or thin space) a plain space, and decimal
// digits of any script ASCII. Otherwise "07700\u00a0900\u200b123" or
// "０７７００ ９００１２３" would hide a phone number from rules that look
// for ASCII digits and spaces.
type normalized struct {
	orig, text string
	// from and to give, for each byte of text, the start and end of the
	// original rune it came from.
	from, to []int
}

// normalize maps text one rune at a time, so every byte of the result
// knows its origin and a replacement can be made on the original text.
func normalize(orig string) *normalized {
	n := &normalized{orig: orig}
	var b strings.Builder
	b.Grow(len(orig))
	for i, r := range orig {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, size = utf8.DecodeRuneInString(orig[i:])
		}
		rep := normalRune(r, orig[i:i+size])
		b.WriteString(rep)
		for range len(rep) {
			n.from = append(n.from, i)
			n.to = append(n.to, i+size)
		}
	}
	n.text = b.String()
	return n
}

// normalRune is what one rune (raw, its bytes in the original) reads as.
func normalRune(r rune, raw string) string {
	switch {
	case r < utf8.RuneSelf:
		return raw
	case r == utf8.RuneError:
		return raw
	case unicode.Is(unicode.Cf, r):
		return ""
	case unicode.Is(unicode.Zs, r):
		return " "
	}
	s := norm.NFKC.String(raw)
	if out, ok := asciiDigit(s); ok {
		return out
	}
	return s
}

// asciiDigit turns a decimal digit of any script (Arabic-Indic ٣,
// Devanagari ३) into its ASCII digit. Unicode lays decimal digits out in
// runs of ten from zero, so the digit's value is its distance from the
// start of its run.
func asciiDigit(s string) (string, bool) {
	r, size := utf8.DecodeRuneInString(s)
	if size != len(s) || r < utf8.RuneSelf || !unicode.Is(unicode.Nd, r) {
		return "", false
	}
	zero := r
	for zero > r-9 && unicode.Is(unicode.Nd, zero-1) {
		zero--
	}
	return string(rune('0' + r - zero)), true
}

// restore turns out, the scrubbed normalised text, back into the
// original text with the same details replaced: it finds which spans of
// the normalised text became placeholders and replaces the original
// characters they came from. If out cannot be lined up with the text (it
// always can, as every rule only replaces spans with placeholders), out
// itself is returned: still scrubbed, only normalised.
func (n *normalized) restore(out string) string {
	if out == n.text {
		return n.orig
	}
	spans, ok := n.align(out)
	if !ok {
		return out
	}
	var b strings.Builder
	b.Grow(len(n.orig))
	prev := 0
	for _, sp := range spans {
		start, end := n.from[sp.start], n.to[sp.end-1]
		if start < prev {
			start = prev
		}
		b.WriteString(n.orig[prev:start])
		b.WriteString(sp.placeholder)
		prev = end
	}
	b.WriteString(n.orig[prev:])
	return b.String()
}

type span struct {
	start, end  int // in the normalised text
	placeholder string
}

// align finds the spans of n.text that out replaced with placeholders.
// out is n.text with spans replaced, so its text between placeholders is
// copied from n.text; a placeholder in out is either copied too (it was in
// the answer) or stands for a span. Where a span could end in more than
// one place, any choice that lines up the rest is as good: the kept text
// reads the same as out's either way, so nothing out removed comes back,
// and the shortest is tried first because it is usually right. Failed
// states are remembered, and the search gives up after a budget of steps.
func (n *normalized) align(out string) ([]span, bool) {
	var toks []string
	prev := 0
	for _, l := range placeholderRe.FindAllStringIndex(out, -1) {
		toks = append(toks, out[prev:l[0]], out[l[0]:l[1]])
		prev = l[1]
	}
	toks = append(toks, out[prev:])
	// toks alternates literal, placeholder, literal, ...; literals may be "".
	type state struct{ tok, pos int }
	failed := map[state]bool{}
	budget := 64 * (len(n.text) + 16)
	var spans []span
	var walk func(tok, pos int) bool
	walk = func(tok, pos int) bool {
		if budget--; budget < 0 || failed[state{tok, pos}] {
			return false
		}
		ok := n.step(toks, tok, pos, &spans, walk)
		if !ok {
			failed[state{tok, pos}] = true
		}
		return ok
	}
	if !walk(0, 0) || budget < 0 {
		return nil, false
	}
	return spans, true
}

// step matches toks[tok] at pos and the rest after it.
func (n *normalized) step(toks []string, tok, pos int, spans *[]span, walk func(int, int) bool) bool {
	if tok == len(toks) {
		return pos == len(n.text)
	}
	t := toks[tok]
	if tok%2 == 0 {
		return strings.HasPrefix(n.text[pos:], t) && walk(tok+1, pos+len(t))
	}
	if strings.HasPrefix(n.text[pos:], t) && walk(tok+1, pos+len(t)) {
		return true
	}
	mark := len(*spans)
	next := toks[tok+1]
	for end := pos + 1; end <= len(n.text); end++ {
		if !strings.HasPrefix(n.text[end:], next) {
			continue
		}
		*spans = append((*spans)[:mark], span{pos, end, t})
		if walk(tok+1, end) {
			return true
		}
	}
	*spans = (*spans)[:mark]
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
