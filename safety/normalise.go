package safety

import (
	"bytes"
	"strings"
	"sync"
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
