package flows_test

import (
	"strings"
	"testing"

	"github.com/peervoice/peervoice/flows"
)

// TestNumbersAreFinite: strconv reads NaN and infinity in any case and
// with signs; neither is a number anyone means, and neither can be
// stored, so a number question refuses them as it refuses words, and so
// does a flow's min or max.
func TestNumbersAreFinite(t *testing.T) {
	f := mustParse(t, "n.yaml", "id: n\ntitle: N\ntheme: Testing\nquestions:\n  - {id: n, type: number, prompt: How many}\n")
	refuse := []string{"NaN", "nan", "-NaN", "+nan", "Inf", "inf", "+Inf", "-Inf", "-inf", "INF", "Infinity", "-infinity", "+INFINITY",
		"1e999", "-1e999", "0x1p99999", "0x1P+1024", "", "one"}
	for _, typed := range refuse {
		log, s := drive(t, f, []string{typed})
		if len(log) < 2 || log[1] != "invalid: Please type a number, such as 3." || len(s.Answers) != 0 {
			t.Errorf("Resume(%q) = %q, answers %v; want refused as not a number", typed, log, s.Answers)
		}
	}
	for typed, want := range map[string]string{"3": "3", "-2.5": "-2.5", "1,000": "1000", "0x1p4": "16", "1_000": "1000", "1e3": "1000", " 7 ": "7"} {
		log, _ := drive(t, f, []string{typed})
		if len(log) < 2 || log[1] != "answered n="+want {
			t.Errorf("Resume(%q) = %q; want answered n=%s", typed, log, want)
		}
	}
	for _, limit := range []string{"nan", "inf", "-Infinity", "1e999"} {
		src := "id: n\ntitle: N\ntheme: Testing\nquestions:\n  - {id: n, type: number, prompt: How many, min: " + limit + "}\n"
		_, probs := flows.Parse("n.yaml", []byte(src))
		if want := "min must be a number, not \"" + limit + "\""; probs == nil || !strings.Contains(probs.Error(), want) {
			t.Errorf("Parse(min: %s) = %v; want %q", limit, probs, want)
		}
	}
}
