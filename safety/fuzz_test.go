package safety_test

import (
	"testing"

	"github.com/peervoice/peervoice/safety"
)

// FuzzCheck checks that Check never panics and always agrees with
// CheckSlow, which tries every rule on the whole text without the index.
func FuzzCheck(f *testing.F) {
	for _, texts := range [][]string{crisis, borderline, everyday} {
		for _, text := range texts {
			f.Add(text)
		}
	}
	f.Add("kill time kill time kill time")
	f.Add("k\u0131ll myself")
	f.Add("\xff\xfe want to die")
	f.Add("s*u*i*c*i*d*e")
	d := newDefault(f)
	custom, err := safety.New(safety.Options{
		Phrases:  []string{"catch the bus", "ctb"},
		Patterns: []string{`\bsh\b`, `^ x`, `end(?:ed)? it \.`},
		Ignore:   []string{"kill two birds", "suicide prevention"},
	})
	if err != nil {
		f.Fatalf("New error: %v", err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, d := range []*safety.Detector{d, custom} {
			if got, want := d.Check(text), safety.CheckSlow(d, text); got != want {
				t.Errorf("Check(%q) = %v; CheckSlow = %v (normalised %q)", text, got, want, safety.Normalise(text))
			}
		}
	})
}
