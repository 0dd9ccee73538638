package scrub

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// TestFirstLookMissesNoName checks that thirdParties's cheap first look
// (mayNameSomeone) never skips a text that cuedNames would change: on the
// labelled corpus, braces removed, and on random splices of its words with
// cues, names, case changes and punctuation. A first look that says no
// wrongly would leave a named worker or relative in a published quote.
func TestFirstLookMissesNoName(t *testing.T) {
	src, err := os.ReadFile("testdata/names.txt")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, line := range strings.Split(string(src), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		texts = append(texts, strings.NewReplacer("{", "", "}", "").Replace(line))
	}
	words := strings.Fields(strings.Join(texts, " "))
	words = append(words, "my CPN", "called", "named", "known as", "Sarah", "sarah", "Will", "will", "Zoë", "Siobhán", "and", ",", "&", "mum", "nurse", "her", "a")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := 1 + rng.IntN(12)
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString([]string{" ", " ", " ", ", ", "  ", "\t"}[rng.IntN(6)])
			}
			w := words[rng.IntN(len(words))]
			switch rng.IntN(6) {
			case 0:
				w = strings.ToUpper(w)
			case 1:
				w = strings.ToLower(w)
			}
			b.WriteString(w)
		}
		texts = append(texts, b.String())
	}
	changed := 0
	for _, text := range texts {
		want := cuedNames(text)
		if want != text {
			changed++
		}
		if got := thirdParties(text); got != want {
			t.Fatalf("thirdParties(%q) = %q; without the first look %q", text, got, want)
		}
	}
	if changed < 100 {
		t.Fatalf("only %d of %d texts name someone after a cue: the test no longer exercises the first look", changed, len(texts))
	}
	t.Logf("%d of %d texts name someone; the first look skipped none of them", changed, len(texts))
}
