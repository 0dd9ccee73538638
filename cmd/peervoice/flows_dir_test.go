package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// flowsDir writes flow files into a new directory.
func flowsDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const goodFlow = "id: good\ntitle: A good flow\ntheme: Testing\nquestions:\n  - id: q\n    type: text\n    prompt: What is good today?\n"

// badFlow has a typo on line 7.
const badFlow = "id: bad\ntitle: A bad flow\ntheme: Testing\nquestions:\n  - id: q\n    type: text\n    promt: What is bad?\n"

// TestFlowsDirWithABadFile: one bad file does not block the good ones;
// each of its problems is a warning naming the file and line.
func TestFlowsDirWithABadFile(t *testing.T) {
	dir := flowsDir(t, map[string]string{"good.yaml": goodFlow, "bad.yaml": badFlow})
	bad := filepath.Join(dir, "bad.yaml")
	warning := bad + `:7:5: unknown question key \"promt\"; did you mean \"prompt\"?`

	r := peervoice(t, t.TempDir(), "", nil, "flows", "list", "--flows", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "good") || strings.Contains(r.stdout, "bad") {
		t.Errorf("flows list: exit %d\n%s\n%s\nwant the good flow only", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "level=WARN") || !strings.Contains(r.stderr, warning) {
		t.Errorf("flows list: stderr %q; want a warning with %q", r.stderr, warning)
	}

	r = peervoice(t, t.TempDir(), "1\n1\ngood things\n", nil, "chat", "--scratch", "--user", "sam", "--flows", dir, "--flow", "good")
	if r.code != 0 || !strings.Contains(r.stdout, "What is good today?") || !strings.Contains(r.stderr, warning) {
		t.Errorf("chat --flow good: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = peervoice(t, t.TempDir(), "", nil, "chat", "--scratch", "--user", "sam", "--flows", dir, "--flow", "bad")
	if r.code != 1 || !strings.Contains(r.stderr, `unknown flow "bad"; available flows: good`) {
		t.Errorf("chat --flow bad: exit %d\n%s", r.code, r.stderr)
	}

	// Lint still fails on any problem.
	r = peervoice(t, t.TempDir(), "", nil, "flows", "lint", dir)
	if r.code != 1 || !strings.Contains(r.stdout, bad+":7:5:") {
		t.Errorf("flows lint: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestFlowsDirAllBad: when no flow loads, the command fails and lists
// the problems.
func TestFlowsDirAllBad(t *testing.T) {
	dir := flowsDir(t, map[string]string{"bad.yaml": badFlow})
	r := peervoice(t, t.TempDir(), "", nil, "flows", "list", "--flows", dir)
	for _, want := range []string{"no flow in " + dir + " loads", filepath.Join(dir, "bad.yaml") + ":7:5:", "peervoice flows lint " + dir} {
		if r.code != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("flows list of bad flows: exit %d, stderr %q; want 1 and %q", r.code, r.stderr, want)
		}
	}
	work := t.TempDir()
	r = peervoice(t, work, "", nil, "chat", "--user", "sam", "--flows", t.TempDir())
	if r.code != 1 || !strings.Contains(r.stderr, "no flow files") {
		t.Errorf("chat with an empty flows directory: exit %d, stderr %q", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(work); len(entries) > 0 {
		t.Errorf("chat with no flows to serve created %v", entries)
	}
}
