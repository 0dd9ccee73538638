package flows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/flows"
)

// TestDiffGolden compares each pair testdata/diff/NAME.old.yaml and
// NAME.new.yaml and checks the changes against NAME.golden, one change a
// line (kind, ids, then the readable detail). An empty old file stands
// for a flow that had no version before.
func TestDiffGolden(t *testing.T) {
	olds, err := filepath.Glob("testdata/diff/*.old.yaml")
	if err != nil || len(olds) == 0 {
		t.Fatalf("no diff fixtures: %v", err)
	}
	for _, oldFile := range olds {
		name := strings.TrimSuffix(oldFile, ".old.yaml")
		t.Run(filepath.Base(name), func(t *testing.T) {
			old := parseFixture(t, oldFile)
			next := parseFixture(t, name+".new.yaml")
			var b strings.Builder
			for _, c := range flows.Diff(old, next) {
				b.WriteString(c.Kind + "\t" + c.QuestionID + "\t" + c.OptionID + "\t" + c.Detail() + "\n")
			}
			golden(t, name+".golden", b.String())
		})
	}
}

// parseFixture parses a flow fixture, or returns nil for an empty file.
func parseFixture(t *testing.T, file string) *flows.Flow {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(src) == 0 {
		return nil
	}
	f, probs := flows.Parse("mood.yaml", src)
	if err := probs.Err(); err != nil {
		t.Fatalf("fixture %s: %v", file, err)
	}
	return f
}

// TestDiffRules checks the rule for a reused id and a plain rewording
// on the smallest flows, apart from the golden files' wording.
func TestDiffRules(t *testing.T) {
	flow := func(q string) *flows.Flow {
		t.Helper()
		f, probs := flows.Parse("x.yaml", []byte("id: x\ntitle: X\ntheme: T\nquestions:\n"+q))
		if err := probs.Err(); err != nil {
			t.Fatal(err)
		}
		return f
	}
	choice := func(prompt, opts string) string {
		return "  - id: q\n    type: choice\n    prompt: " + prompt + "\n    options: [" + opts + "]\n"
	}
	tests := []struct {
		name     string
		old, new string
		want     []string // kinds
	}{
		{"unchanged", choice("A?", "a, b"), choice("A?", "a, b"), nil},
		{"reworded, options kept", choice("A?", "a, b"), choice("B?", "a, b"), []string{flows.QuestionReworded}},
		{"reworded, one option kept", choice("A?", "a, b"), choice("B?", "a, c"), []string{flows.QuestionReworded, flows.OptionAdded, flows.OptionRemoved}},
		{"reworded, no option kept", choice("A?", "a, b"), choice("B?", "c, d"), []string{flows.IDReused}},
		{"options replaced, same prompt", choice("A?", "a, b"), choice("A?", "c, d"), []string{flows.OptionAdded, flows.OptionAdded, flows.OptionRemoved, flows.OptionRemoved}},
		{"type changed, same prompt", choice("A?", "a, b"), "  - id: q\n    type: text\n    prompt: A?\n", []string{flows.TypeChanged}},
		{"type and prompt changed", choice("A?", "a, b"), "  - id: q\n    type: text\n    prompt: B?\n", []string{flows.IDReused}},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range flows.Diff(flow(tt.old), flow(tt.new)) {
			got = append(got, c.Kind)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: Diff kinds = %v; want %v", tt.name, got, tt.want)
		}
	}
	if got := flows.Diff(nil, flow(choice("A?", "a, b"))); len(got) != 1 || got[0].Kind != flows.QuestionAdded {
		t.Errorf("Diff(nil, one question) = %v; want one question added", got)
	}
}
