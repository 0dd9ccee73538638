package scrub

import (
	"strings"
	"testing"
)

// TestLookUpName checks that lookUpName finds what a look-up by nameKey
// finds: every listed name in lower case, capitalised and in capitals,
// names with accents, words that are no name, and words longer than its
// buffer.
func TestLookUpName(t *testing.T) {
	words := []string{"", "a", "the", "Listened", "ZOË", "Siobhán", "zoe", "ÉMILE", "x" + strings.Repeat("y", 40), strings.Repeat("Ab", 16)}
	for name := range givenNames {
		words = append(words, name, strings.ToUpper(name[:1])+name[1:], strings.ToUpper(name), name+"s")
	}
	for _, w := range words {
		wantAmb, wantOK := givenNames[nameKey(w)]
		if amb, ok := lookUpName(w); amb != wantAmb || ok != wantOK {
			t.Errorf("lookUpName(%q) = %v, %v; want %v, %v (givenNames[nameKey])", w, amb, ok, wantAmb, wantOK)
		}
	}
}
