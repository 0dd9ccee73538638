package scrub_test

import (
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/scrub"
)

// TestPathologicalInputs checks that inputs built to defeat the rules are
// still scrubbed in a few passes and quickly.
func TestPathologicalInputs(t *testing.T) {
	s := scrub.New([]string{"Sam", "link", "NHS", "Mary Ann", "Zoë"})
	for _, in := range []string{
		strings.Repeat("07700 900123 ", 300),
		strings.Repeat("a@b.co ", 500),
		strings.Repeat("[", 4000),
		strings.Repeat("0 ", 2000),
		strings.Repeat("0", 4000),
		strings.Repeat("+0", 2000),
		strings.Repeat("(0", 2000),
		strings.Repeat("a.", 2000) + "com",
		strings.Repeat("@a", 2000),
		strings.Repeat("Sa", 2000),
		strings.Repeat("link ", 800),
		strings.Repeat("x", 4000),
		strings.Repeat("www.", 1000),
		strings.Repeat("a", 4000) + "@b.com",
		strings.Repeat("a-", 2000) + "@b.com",
	} {
		start := time.Now()
		n := scrub.Passes(s, in)
		if d := time.Since(start); n > 3 || d > 250*time.Millisecond {
			t.Errorf("Text(%.20q...) took %d passes and %v; want at most 3 passes", in, n, d)
		}
	}
}
