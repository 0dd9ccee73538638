package safety

import (
	"bytes"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// clauseBreak is the token that stands for the end of a sentence or clause
// in normalised text. Patterns use it to tell "I can't go on." from
// "I can't go on holiday".
const clauseBreak = "."

// normalise rewrites text into the forms the rules are written for. It
// returns one reading, or two when the text stretches a letter ("diiie",
// "killll"): a run of three or more identical letters is never standard
// English, so it is emphasis, but we cannot tell whether the writer meant one
// letter or two ("diiie" is "die", "alll" is "all"). The first reading
// shrinks every such run to one letter, the second to two; Check tries both.
//
// A reading is a sequence of lower-case words separated by single spaces,
// with a space before the first word and " . " at the end of every clause, so
// that " word " always finds a whole word: " i cannot go on . ".
func normalise(text string) []string {
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	sc.tokenise(text)
	switch {
	case len(sc.toks) == 0:
		return nil
	case !sc.stretched:
		return []string{sc.render(0)}
	}
	return []string{sc.render(1), sc.render(2)}
}

// scratch holds normalise's working buffers, reused through scratchPool so
// that Check allocates little more than its result.
type scratch struct {
	runes     []rune
	buf       []byte  // the text of every word, back to back
	toks      []token // words as ranges of buf, and clause breaks
	word      []byte  // one word being rewritten
	stretched bool    // a letter is repeated three or more times
}

// token is a word, buf[from:to], or a clause break.
type token struct {
	from, to int
	brk      bool
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func (sc *scratch) release() {
	// Keep the pool from holding on to the buffers of a huge message.
	if cap(sc.runes) <= 1<<14 && cap(sc.buf) <= 1<<16 {
		scratchPool.Put(sc)
	}
}

// tokenise folds look-alike characters, lower-cases, and splits text into
// words and clause breaks.
func (sc *scratch) tokenise(text string) {
	sc.runes, sc.buf, sc.toks, sc.stretched = sc.runes[:0], sc.buf[:0], sc.toks[:0], false
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			sc.runes = append(sc.runes, rune(asciiFold[c]))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		if r = fold(r); r >= 0 {
			sc.runes = append(sc.runes, r)
		}
	}
	runes := sc.runes
	at := func(i int) rune {
		if i < 0 || i >= len(runes) {
			return ' '
		}
		return runes[i]
	}
	start := 0 // where the current word starts in buf
	// Runs of one-letter words, to know whether joinSpelled has work.
	singles, spelled := 0, 0
	flush := func() {
		// A censored word keeps its asterisks inside ("s*icide") but not
		// around it ("*hugs*").
		from, to := start, len(sc.buf)
		for from < to && sc.buf[from] == '*' {
			from++
		}
		for to > from && sc.buf[to-1] == '*' {
			to--
		}
		if from < to {
			sc.toks = append(sc.toks, token{from: from, to: to})
			if r, n := utf8.DecodeRune(sc.buf[from:to]); n == to-from && isLetter(r) {
				singles++
				spelled = max(spelled, singles)
			} else {
				singles = 0
			}
		}
		sc.buf = sc.buf[:to]
		start = to
	}
	brk := func() {
		flush()
		if n := len(sc.toks); n > 0 && !sc.toks[n-1].brk {
			sc.toks = append(sc.toks, token{brk: true})
		}
		singles = 0
	}
	run, last := 0, rune(0)
	for i, r := range runes {
		// Most of any message is plain lower-case letters and spaces.
		if r < utf8.RuneSelf {
			switch {
			case 'a' <= r && r <= 'z':
				sc.buf = append(sc.buf, byte(r))
				if r == last {
					if run++; run == 3 {
						sc.stretched = true
					}
				} else {
					run, last = 1, r
				}
				continue
			case r == ' ':
				if len(sc.buf) > start {
					flush()
				}
				run, last = 0, 0
				continue
			}
		}
		prev, next := at(i-1), at(i+1)
		if l := leet(r); l != 0 && (isLetter(prev) && isLetter(next) || r == '$' && len(sc.buf) == start && isLetter(next)) {
			// "k1ll", "su!cide", "$uicide": symbols standing in for letters.
			r = l
		}
		switch {
		case isLetter(r) || isDigit(r):
			sc.buf = utf8.AppendRune(sc.buf, r)
			if r == last && isLetter(r) {
				if run++; run == 3 {
					sc.stretched = true
				}
			} else {
				run, last = 1, r
			}
			continue
		case r == '\'' && isWord(prev) && isWord(next):
			sc.buf = append(sc.buf, '\'')
		case r == '*' && (len(sc.buf) > start || isLetter(next)):
			sc.buf = append(sc.buf, '*')
		case r == '.' && (prev == '.' || next == '.'):
			// "..." is a pause, not an ending: "I want to... die".
			flush()
		case r == '.' && len(sc.buf)-start == 1 && isWord(next) && !isWord(at(i+2)):
			// Letters spelled out with dots: "k.m.s", "d.i.e".
			flush()
		case isBreak(r):
			brk()
		default:
			flush()
		}
		run, last = 0, 0
	}
	flush()
	for n := len(sc.toks); n > 0 && sc.toks[n-1].brk; n-- {
		sc.toks = sc.toks[:n-1]
	}
	if spelled >= 3 {
		sc.joinSpelled()
	}
}

// joinSpelled joins words spelled out a letter at a time ("s u i c i d e",
// "k.m.s") back into one word. Three letters is the threshold because two
// single letters in a row are ordinary ("plan b", "r u ok"). The letters sit
// next to each other in buf, so the joined word is one range.
func (sc *scratch) joinSpelled() {
	single := func(t token) bool {
		if t.brk {
			return false
		}
		r, n := utf8.DecodeRune(sc.buf[t.from:t.to])
		return n == t.to-t.from && isLetter(r)
	}
	out := sc.toks[:0]
	for i := 0; i < len(sc.toks); {
		j := i
		for j < len(sc.toks) && single(sc.toks[j]) {
			j++
		}
		if j-i >= 3 {
			out = append(out, token{from: sc.toks[i].from, to: sc.toks[j-1].to})
			i = j
			continue
		}
		out = append(out, sc.toks[i])
		i++
	}
	sc.toks = out
}

// render writes one reading of the tokens. If keep is not zero, it shrinks
// runs of three or more identical letters to keep letters.
func (sc *scratch) render(keep int) string {
	var b strings.Builder
	b.Grow(len(sc.buf) + 2*len(sc.toks) + 16)
	for _, t := range sc.toks {
		b.WriteByte(' ')
		if t.brk {
			b.WriteString(clauseBreak)
			continue
		}
		w := sc.buf[t.from:t.to]
		if keep > 0 {
			sc.word = shrink(sc.word[:0], w, keep)
			w = sc.word
		}
		sc.rewrite(&b, w)
	}
	b.WriteString(" . ")
	return b.String()
}

// shrink appends w to dst, cutting every run of three or more identical
// letters to keep letters; shorter runs are spelling ("kill") and stay.
func shrink(dst, w []byte, keep int) []byte {
	for i := 0; i < len(w); {
		r, n := utf8.DecodeRune(w[i:])
		j := i + n
		for j < len(w) && bytes.HasPrefix(w[j:], w[i:i+n]) {
			j += n
		}
		if count := (j - i) / n; count >= 3 && isLetter(r) {
			for range keep {
				dst = append(dst, w[i:i+n]...)
			}
		} else {
			dst = append(dst, w[i:j]...)
		}
		i = j
	}
	return dst
}

// rewrite writes w, expanding contractions and chat forms and correcting
// the misspellings that matter for detection. The result may be several
// words ("im" is "i am").
func (sc *scratch) rewrite(b *strings.Builder, w []byte) {
	if bytes.IndexByte(w, '\'') >= 0 {
		if r, ok := apostropheWords[string(w)]; ok {
			b.WriteString(r)
			return
		}
		plain := make([]byte, 0, len(w))
		for _, c := range w {
			if c != '\'' {
				plain = append(plain, c)
			}
		}
		w = plain
	}
	if bytes.IndexByte(w, '*') >= 0 {
		b.WriteString(uncensor(string(w)))
		return
	}
	if mayRewrite(w) {
		if r, ok := words[string(w)]; ok {
			b.WriteString(r)
			return
		}
	}
	b.Write(w)
}

// rewritable has a bit set for the length and first two bytes of each word
// in words, so most words skip the map lookup.
var rewritable = func() (set [16 << 10 / 64]uint64) {
	for w := range words {
		i := rewriteKey([]byte(w))
		set[i/64] |= 1 << (i % 64)
	}
	return set
}()

func rewriteKey(w []byte) int {
	k := min(len(w), 15) << 10
	if len(w) > 0 {
		k |= int(w[0]&31) << 5
	}
	if len(w) > 1 {
		k |= int(w[1] & 31)
	}
	return k
}

func mayRewrite(w []byte) bool {
	i := rewriteKey(w)
	return rewritable[i/64]&(1<<(i%64)) != 0
}

// uncensor reads a word with letters starred out ("s*icide", "k*ll") as the
// crisis word of the same length whose other letters match, or drops the
// asterisks when there is none.
func uncensor(w string) string {
	for _, c := range censorable {
		if len(c) != len(w) {
			continue
		}
		ok := true
		for i := 0; i < len(w) && ok; i++ {
			ok = w[i] == '*' || w[i] == c[i]
		}
		if ok {
			return c
		}
	}
	w = strings.ReplaceAll(w, "*", "")
	if r, ok := words[w]; ok {
		return r
	}
	return w
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

func isWord(r rune) bool { return isLetter(r) || isDigit(r) }

// isBreak reports whether r ends a clause.
func isBreak(r rune) bool {
	switch r {
	case '.', '!', '?', ';', ':', ',', '\n', '\u00a1', '\u00bf', '\u3002':
		return true
	}
	return false
}

// leet returns the letter that a symbol or digit stands for in words like
// "k1ll" and "su!cide", or 0. Check only reads it as a letter between two
// letters, so "5 kms" and "2 die" keep their digits.
func leet(r rune) rune {
	switch r {
	case '0':
		return 'o'
	case '1', '!', '|':
		return 'i'
	case '3':
		return 'e'
	case '4', '@':
		return 'a'
	case '5', '$':
		return 's'
	case '7':
		return 't'
	}
	return 0
}

// asciiFold is fold for ASCII, as a table.
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(fold(rune(c)))
	}
	return t
}()

// fold maps r to the plain lower-case character it stands for, or to -1 if
// it should be dropped (zero-width characters, soft hyphens, accents written
// as combining marks).
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		if r == '`' {
			return '\''
		}
		return r
	}
	if f, ok := folds[r]; ok {
		return f
	}
	switch {
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r):
		return -1
	case 0xFF01 <= r && r <= 0xFF5E: // fullwidth forms: "ｋｉｌｌ"
		return fold(r - 0xFEE0)
	case 0x1D400 <= r && r <= 0x1D6A3: // "fancy text" letters: "𝐤𝐢𝐥𝐥"
		return 'a' + (r-0x1D400)%52%26
	case 0x1D7CE <= r && r <= 0x1D7FF: // "fancy text" digits
		return '0' + (r-0x1D7CE)%10
	case 0x24B6 <= r && r <= 0x24CF: // circled capitals: "Ⓚ"
		return 'a' + r - 0x24B6
	case 0x24D0 <= r && r <= 0x24E9: // circled small letters: "ⓚ"
		return 'a' + r - 0x24D0
	}
	return unicode.ToLower(r)
}
