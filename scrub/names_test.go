package scrub_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/scrub"
)

// TestGivenNameCorpus measures the given-name rule on the labelled corpus
// in testdata/names.txt and logs its recall and precision (docs/security.md
// quotes them). It fails if either falls below what the rule reached when
// it was written, so a change that loses names is noticed.
func TestGivenNameCorpus(t *testing.T) {
	src, err := os.ReadFile("testdata/names.txt")
	if err != nil {
		t.Fatal(err)
	}
	label := regexp.MustCompile(`\{([^}]*)\}`)
	s := scrub.New(nil)
	var labelled, found, placeholders int
	for _, line := range strings.Split(string(src), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		in := label.ReplaceAllString(line, "$1")
		out := s.Text(in)
		placeholders += strings.Count(out, scrub.Name)
		for _, m := range label.FindAllStringSubmatch(line, -1) {
			labelled++
			if gone(out, m[1]) {
				found++
			} else {
				t.Logf("missed %q: %q", m[1], out)
			}
		}
		if n := strings.Count(out, scrub.Name); n > len(label.FindAllString(line, -1)) {
			t.Logf("removed too much: %q", out)
		}
	}
	correct := min(found, placeholders)
	recall := float64(found) / float64(labelled)
	precision := float64(correct) / float64(max(placeholders, 1))
	t.Logf("given names: %d labelled, %d removed, %d placeholders: recall %.2f, precision %.2f", labelled, found, placeholders, recall, precision)
	if recall < 0.85 || precision < 0.95 {
		t.Errorf("recall %.2f, precision %.2f; want at least 0.85 and 0.95", recall, precision)
	}
}

// gone reports whether no word of name is left in out as a whole word.
func gone(out, name string) bool {
	for _, w := range strings.Fields(name) {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(w) + `\b`).MatchString(out) {
			return false
		}
	}
	return true
}

// TestNormalisedMatching: phone numbers written with non-breaking, thin
// or zero-width spaces, full-width or Arabic-Indic digits are found, and
// the replacement lands on the original text: everything around it is
// kept as it was typed.
func TestNormalisedMatching(t *testing.T) {
	s := scrub.New([]string{"Sam"})
	tests := []struct{ in, want string }{
		{"call 07700\u00a0900123 please", "call [phone] please"},
		{"call 07700\u202f900123", "call [phone]"},
		{"call 0\u200b7\u200b7\u200b0\u200b0\u200b9\u200b0\u200b0\u200b1\u200b2\u200b3 now", "call [phone] now"},
		{"call ０７７００ ９００１２３ now", "call [phone] now"},
		{"ｃａｌｌ ０７７００９００１２３！", "ｃａｌｌ [phone]！"},
		{"رقمي ٠٧٧٠٠٩٠٠١٢٣ شكرا", "رقمي [phone] شكرا"},
		{"mail ｓａｍ＠ｅｘａｍｐｌｅ．ｃｏｍ\u00a0ok", "mail [email]\u00a0ok"},
		{"id ١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨ here", "id [id] here"},
		{"ask S\u200bam, or my CPN Sa\u00adrah", "ask [name], or my CPN [name]"},
		{"Zoë\u00a0said 10\u00a0years", "Zoë\u00a0said 10\u00a0years"},
		{"café ⑩ times", "café ⑩ times"},
		// Many placeholders still line up with the original text.
		{strings.Repeat("sam@x.com\u00a0my mum Julie\u200b ", 300), strings.Repeat("[email]\u00a0my mum [name]\u200b ", 300)},
	}
	for _, tt := range tests {
		if got := s.Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestGivenNames checks the cues one by one.
func TestGivenNames(t *testing.T) {
	s := scrub.New(nil)
	tests := []struct{ in, want string }{
		{"my CPN Sarah said", "my CPN [name] said"},
		{"my mum Julie", "my mum [name]"},
		{"a nurse called Tom", "a nurse called [name]"},
		{"a therapist named Grace", "a therapist named [name]"},
		{"my cpn sarah said", "my cpn [name] said"},
		{"my friend will come", "my friend will come"},
		{"my friend Will came", "my friend [name] came"},
		{"her name is Amy Jones.", "her name is [name]."},
		{"my dad Paul and Ian", "my dad [name] and [name]"},
		{"my uncle Paul and auntie Karen", "my uncle [name] and auntie [name]"},
		{"my key worker Siobhán is great", "my key worker [name] is great"},
		{"My mum said no", "My mum said no"},
		{"Sarah's fine", "Sarah's fine"},
	}
	for _, tt := range tests {
		if got := s.Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
