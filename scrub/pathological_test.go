package scrub_test

import (
	"strings"
	"testing"

	"github.com/peervoice/peervoice/scrub"
)

// pathological are inputs built to defeat the rules: long runs of what
// almost matches, or matches over and over. want is what Text makes of
// them.
var pathological = []struct {
	name, in, want string
}{
	{"phones", strings.Repeat("07700 900123 ", 300), strings.Repeat("[phone] ", 300)},
	{"emails", strings.Repeat("a@b.co ", 500), strings.Repeat("[email] ", 500)},
	{"brackets", strings.Repeat("[", 4000), strings.Repeat("[", 4000)},
	{"spaced zeros", strings.Repeat("0 ", 2000), strings.Repeat("[phone] ", 118)},
	{"zeros", strings.Repeat("0", 4000), strings.Repeat("0", 4000)},
	{"plus zeros", strings.Repeat("+0", 2000), strings.Repeat("+0", 2000)},
	{"parenthesised zeros", strings.Repeat("(0", 2000), strings.Repeat("([phone]", 118)},
	{"dots", strings.Repeat("a.", 2000) + "com", "[link]"},
	{"ats", strings.Repeat("@a", 2000), strings.Repeat("[handle]", 2000)},
	{"name prefix", strings.Repeat("Sa", 2000), strings.Repeat("Sa", 2000)},
	{"names", strings.Repeat("link ", 800), strings.Repeat("[name] ", 800)},
	{"one letter", strings.Repeat("x", 4000), strings.Repeat("x", 4000)},
	{"www", strings.Repeat("www.", 1000), "[link]."},
	{"long local part", strings.Repeat("a", 4000) + "@b.com", "[email]"},
	{"dashed local part", strings.Repeat("a-", 2000) + "@b.com", "[email]"},
}

// pathologicalNames are the names configured for those inputs.
var pathologicalNames = []string{"Sam", "link", "NHS", "Mary Ann", "Zoë"}

// TestPathologicalInputs checks that inputs built to defeat the rules are
// still scrubbed right, in at most three passes. How fast is for
// BenchmarkPathological to say: a time limit here fails on a busy machine
// rather than on slow code.
func TestPathologicalInputs(t *testing.T) {
	s := scrub.New(pathologicalNames)
	for _, tt := range pathological {
		if n := scrub.Passes(s, tt.in); n > 3 {
			t.Errorf("%s: Text(%.20q...) took %d passes; want at most 3", tt.name, tt.in, n)
		}
		if got := s.Text(tt.in); got != tt.want {
			t.Errorf("%s: Text(%.20q...) = %.40q... (%d bytes); want %.40q... (%d bytes)", tt.name, tt.in, got, len(got), tt.want, len(tt.want))
		}
	}
}
