package flows_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/peervoice/peervoice/flows"
)

// flowFile is a clean flow with one text question whose prompt is prompt.
func flowFile(id, prompt string) string {
	return "id: " + id + "\ntitle: Flow " + id + "\ntheme: Testing\nquestions:\n  - id: q\n    type: text\n    prompt: " + prompt + "\n"
}

// broken has a typo in a key.
const broken = "id: b\ntitle: Flow b\ntheme: Testing\nquestions:\n  - id: q\n    type: text\n    promt: oops\n"

// load loads files as the directory "flows".
func load(t *testing.T, files map[string]string) (*flows.Catalog, flows.Problems) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return flows.Load(fsys, "flows")
}

// summary lists each flow's id and first prompt.
func summary(c *flows.Catalog) string {
	var parts []string
	for _, f := range c.Flows() {
		parts = append(parts, f.ID+"="+f.Questions[0].Prompt.String())
	}
	return strings.Join(parts, " ")
}

func TestKeepLastGood(t *testing.T) {
	prevFiles := map[string]string{"a.yaml": flowFile("a", "A1"), "b.yaml": flowFile("b", "B1"), "c.yaml": flowFile("c", "C1")}
	tests := []struct {
		name       string
		next       map[string]string
		want, kept string
	}{
		{
			name: "one file breaks, another changes",
			next: map[string]string{"a.yaml": flowFile("a", "A2"), "b.yaml": broken, "c.yaml": flowFile("c", "C1")},
			want: "a=A2 b=B1 c=C1", kept: "b",
		},
		{
			name: "a file is removed while another breaks",
			next: map[string]string{"a.yaml": flowFile("a", "A1"), "b.yaml": broken},
			want: "a=A1 b=B1", kept: "b",
		},
		{
			name: "a new broken file",
			next: map[string]string{"a.yaml": flowFile("a", "A1"), "b.yaml": flowFile("b", "B1"), "c.yaml": flowFile("c", "C1"), "d.yaml": "id: d\n"},
			want: "a=A1 b=B1 c=C1",
		},
		{
			name: "all clean",
			next: map[string]string{"a.yaml": flowFile("a", "A3")},
			want: "a=A3",
		},
	}
	prev, probs := load(t, prevFiles)
	if len(probs) > 0 {
		t.Fatalf("the previous flows have problems: %v", probs)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, probs := load(t, tt.next)
			got, kept := flows.KeepLastGood(prev, next, probs)
			var keptIDs []string
			for _, f := range kept {
				keptIDs = append(keptIDs, f.ID)
			}
			if summary(got) != tt.want || strings.Join(keptIDs, ",") != tt.kept {
				t.Errorf("KeepLastGood() = %q, kept %v; want %q, kept %q", summary(got), keptIDs, tt.want, tt.kept)
			}
			if _, err := got.Get("a"); err != nil {
				t.Errorf("Get(a) = %v", err)
			}
		})
	}
	if got, kept := flows.KeepLastGood(prev, nil, nil); got != prev || kept != nil {
		t.Errorf("KeepLastGood(prev, nil) = %q, %v; want prev unchanged", summary(got), kept)
	}
}
