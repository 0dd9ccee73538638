package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// flowYAML is a clean flow with one text question.
func flowYAML(id, prompt string) string {
	return "id: " + id + "\ntitle: Flow " + id + "\ntheme: Testing\nquestions:\n  - id: q\n    type: text\n    prompt: " + prompt + "\n"
}

// prompt returns the first prompt of flow id in the source's catalog.
func prompt(t *testing.T, s *flowSource, id string) string {
	t.Helper()
	f, err := s.Catalog().Get(id)
	if err != nil {
		return err.Error()
	}
	return f.Questions[0].Prompt.String()
}

// TestFlowSourceReloadKeepsLastGood: when one file breaks, the others'
// edits apply and the broken file's flow stays as it was, until it is
// fixed; each problem is logged once, with its file and line.
func TestFlowSourceReloadKeepsLastGood(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("good.yaml", flowYAML("good", "First good prompt"))
	write("other.yaml", flowYAML("other", "First other prompt"))
	var logs bytes.Buffer
	s, err := newFlowSource(dir, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	reload := func() { s.checked = time.Time{} } // skip the once-a-second wait

	write("good.yaml", flowYAML("good", "Second good prompt, longer"))
	write("other.yaml", strings.Replace(flowYAML("other", "Broken"), "prompt:", "promt:", 1))
	reload()
	if got := prompt(t, s, "good"); got != "Second good prompt, longer" {
		t.Errorf("good after the reload = %q; want its edit applied", got)
	}
	if got := prompt(t, s, "other"); got != "First other prompt" {
		t.Errorf("other after it broke = %q; want its last good version", got)
	}
	want := filepath.Join(dir, "other.yaml") + `:7:5: unknown question key \"promt\"`
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), want) {
		t.Errorf("log after a file broke:\n%s\nwant a warning with %q", logs.String(), want)
	}
	if !strings.Contains(logs.String(), "unchanged_until_fixed=other") {
		t.Errorf("log after a file broke:\n%s\nwant it to say which flow is unchanged", logs.String())
	}

	// Nothing changed: nothing logged again.
	n := logs.Len()
	reload()
	s.Catalog()
	if logs.Len() != n {
		t.Errorf("a reload with no change logged:\n%s", logs.String()[n:])
	}

	write("other.yaml", flowYAML("other", "Fixed other prompt"))
	reload()
	if got := prompt(t, s, "other"); got != "Fixed other prompt" {
		t.Errorf("other after the fix = %q; want the fixed version", got)
	}
}
