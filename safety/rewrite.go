package safety

import (
	"bytes"
	"strings"
)

// Rewriting one word of normalised text: contractions, chat forms, starred
// out letters and the misspellings that matter, from the tables in words.go.

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
