package flows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil"
)

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	testutil.Golden(t, path, got)
}

// TestLintGolden parses every file under testdata/lint and compares the
// problems with its .golden file: each file holds one kind of mistake a
// moderator can make.
func TestLintGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/lint/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no lint fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			_, probs := flows.Parse(file, src)
			var b strings.Builder
			for _, p := range probs {
				b.WriteString(p.Error())
				b.WriteByte('\n')
			}
			golden(t, strings.TrimSuffix(file, ".yaml")+".golden", b.String())
		})
	}
}

// TestLintRules checks that each rule the issue names is caught, at the
// right place, independent of the exact wording in the golden files.
func TestLintRules(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"syntax.yaml", "syntax.yaml:6:4: YAML syntax"},
		{"unknown-key.yaml", `unknown-key.yaml:4:1: unknown flow key "colour"`},
		{"unknown-key.yaml", `unknown-key.yaml:8:5: unknown question key "promt"; did you mean "prompt"?`},
		{"unknown-key.yaml", `unknown-key.yaml:13:17: unknown option key "lable"; did you mean "label"?`},
		{"duplicate-id.yaml", `duplicate-id.yaml:9:9: duplicate question id "one"`},
		{"duplicate-id.yaml", `duplicate option id "yes"`},
		{"next-unknown.yaml", `next "why_not" is not a question in this flow`},
		{"next-unknown.yaml", `next names option "maybe"`},
		{"next-unknown.yaml", `next "somewhere" is not a question`},
		{"unreachable.yaml", `unreachable.yaml:9:5: question "two" can never be reached`},
		{"loop.yaml", `loop.yaml:8:5: questions two, three loop with no way out`},
		{"when.yaml", `when.yaml:11:11: when "team_agrees in [" does not compile`},
		{"when.yaml", `"team_agreed" is not a question in this flow`},
		{"when.yaml", `"disagre" is not an option of "team_agrees"`},
		{"when.yaml", `"last" is not asked before this question`},
		{"too-many-options.yaml", "26 options; the limit is 25"},
		{"long-text.yaml", "label is 112 characters; the limit is 80"},
		{"long-text.yaml", "prompt is 1800 characters; the limit is 1500"},
		{"missing-translation.yaml", "prompt has no cy translation"},
		{"missing-translation.yaml", `prompt has text in "fr"`},
		{"missing-translation.yaml", `built-in scale "agree5" is in English only`},
		{"default-language.yaml", `default-language.yaml:5:19: default_language "fr" is not in languages: [en, cy]`},
		{"default-language-alone.yaml", `default-language-alone.yaml:4:19: default_language "cy" is set, but the flow declares no languages`},
		{"types.yaml", `flow id "wrong-name" does not match the file name types.yaml`},
		{"types.yaml", `question id "Bad-ID" may use only`},
		{"types.yaml", `unknown type "essay"`},
		{"types.yaml", "text questions have no options"},
		{"types.yaml", "max_length must be from 1 to 4000"},
		{"types.yaml", "min is for multi and number questions"},
		{"types.yaml", "needs at least two options"},
		{"types.yaml", "only text answers can be quotable"},
		{"types.yaml", `unknown scale "agree7"`},
		{"types.yaml", "max is 3 but there are only 2 options"},
		{"types.yaml", "next by option works on choice and scale questions"},
		{"types.yaml", "is 46 characters; the limit is 32"},
	}
	for _, tt := range tests {
		src, err := os.ReadFile(filepath.Join("testdata/lint", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		_, probs := flows.Parse(filepath.Join("testdata/lint", tt.file), src)
		if !strings.Contains(probs.Error(), tt.want) {
			t.Errorf("Parse(%s) problems:\n%s\nwant one containing %q", tt.file, probs.Error(), tt.want)
		}
	}
}

func TestLintClean(t *testing.T) {
	src, err := os.ReadFile("testdata/lint/clean.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, probs := flows.Parse("testdata/lint/clean.yaml", src)
	if len(probs) != 0 {
		t.Fatalf("Parse(clean.yaml) = %v; want no problems", probs)
	}
	if f.ID != "clean" || f.Len() != 2 || f.Version == "" {
		t.Errorf("Parse(clean.yaml) = id %q, %d questions, version %q", f.ID, f.Len(), f.Version)
	}
}

// TestDefaultPack lints the embedded pack: it must load with no problems,
// map every answerable question to a theme, and cover the study's areas.
func TestDefaultPack(t *testing.T) {
	c, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"recovery", "what-matters", "diagnosis-medication", "risk", "compulsory-powers", "discrimination", "recovery-tools", "recommendations", "about-you"}
	if got := strings.Join(c.IDs(), ","); got != strings.Join(want, ",") {
		t.Errorf("default flows = %s; want %s", got, strings.Join(want, ","))
	}
	for _, f := range c.Flows() {
		types := map[flows.Type]bool{}
		for _, q := range f.Questions {
			types[q.Type] = true
			if q.Type != flows.TypeInfo && q.Theme == "" {
				t.Errorf("%s/%s has no theme", f.ID, q.ID)
			}
		}
		if f.ID != "about-you" && !types[flows.TypeText] {
			t.Errorf("%s has no free-text question", f.ID)
		}
	}
}

func TestCatalogUnknownFlow(t *testing.T) {
	c, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get("recovry")
	if err == nil || !strings.Contains(err.Error(), "available flows: recovery, what-matters") {
		t.Errorf("Get(recovry) = %v; want an error listing the flows", err)
	}
}

func TestLoadDirDuplicateIDs(t *testing.T) {
	dir := t.TempDir()
	src := "id: same\ntitle: T\ntheme: X\nquestions:\n  - {id: a, type: text, prompt: P}\n"
	for _, name := range []string{"same.yaml", "same.yml"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, probs := flows.LoadDir(dir)
	if !strings.Contains(probs.Error(), `flow id "same" is also used by`) {
		t.Errorf("LoadDir problems = %v; want a duplicate flow id", probs)
	}
}
