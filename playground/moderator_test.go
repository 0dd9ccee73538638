package playground_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// trialFlow is a small flow with a branch: "Mixed" asks why.
const trialFlow = `id: trial
title: A trial flow
theme: Groups
questions:
  - id: mood
    type: choice
    prompt: How are you finding the groups?
    options:
      - {id: good, label: "Good"}
      - {id: mixed, label: "Mixed"}
  - id: why
    type: text
    when: mood == "mixed"
    prompt: What would make them better?
`

// trialBroken has a mistyped question type on line 5.
var trialBroken = strings.Replace(trialFlow, "type: choice", "type: chioce", 1)

// trialNext rewords the first question and adds one.
var trialNext = strings.Replace(trialFlow, "How are you finding the groups?", "How do you find the peer groups?", 1) + `  - id: often
    type: choice
    prompt: How often do you go?
    options:
      - {id: weekly, label: "Weekly"}
      - {id: less, label: "Less often"}
`

// save writes a flow file as an editor does: a new file renamed over
// the old, with a time that differs from the last save's even on a
// file system with coarse times.
func save(t *testing.T, path, src string, at time.Time) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, at, at); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits until the JavaScript condition holds on the page.
func (e *env) waitFor(cond string) {
	e.t.Helper()
	e.run(chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(30*time.Second)))
}

var problemLine = regexp.MustCompile(`^.*trial\.yaml:(\d+):(\d+): .+`)

// TestModeratorSeesLintThenNewVersion: three simulated participants go
// through the watched flow side by side (one takes its branch); a save
// with a mistake shows the problem as `peervoice flows lint` words it,
// linked to its line; a good save then shows the new question, and what
// changed.
func TestModeratorSeesLintThenNewVersion(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "trial.yaml")
	start := time.Now().Add(-time.Hour)
	save(t, file, trialFlow, start)
	e := newEnv(t, dir)
	e.open("/moderator")
	for _, col := range []string{"m1", "m2", "m3"} {
		e.wantQuestion(col, "How are you finding the groups?")
	}
	e.click("m2", "Mixed")
	e.wantQuestion("m2", "What would make them better?")
	e.click("m1", "Good")
	if got := e.columnText("m1"); !strings.Contains(got, "Thank you for your answers") {
		t.Errorf("m1 answered the only question it is asked; want the end of the flow:\n%s", got)
	}
	e.wantQuestion("m3", "How are you finding the groups?")

	// Each save is one new panel, polled in by htmx: a step.
	e.mark()
	save(t, file, trialBroken, start.Add(time.Minute))
	e.waitStep()
	e.waitFor(`document.querySelector("#modpanel .problems") !== null`)
	probs := eval[[]string](e, `[...document.querySelectorAll("#modpanel .problems li")].map(l => l.innerText)`)
	if len(probs) == 0 || !problemLine.MatchString(probs[0]) || !strings.Contains(probs[0], "chioce") {
		t.Fatalf("problems shown: %q; want trial.yaml:LINE:COL: about the type chioce", probs)
	}
	line := problemLine.FindStringSubmatch(probs[0])[1]
	// The problem links to its line in the file's listing, marked.
	target := eval[string](e, `(() => { const a = document.querySelector("#modpanel .problems li a"); if (!a) return "no link";
		const el = document.getElementById(a.getAttribute("href").slice(1)); return el ? el.className + " " + el.innerText : "no target " + a.getAttribute("href") })()`)
	if !strings.HasPrefix(target, "bad "+line) || !strings.Contains(target, "chioce") {
		t.Errorf("the problem's link leads to %q; want the marked line %s, with type: chioce", target, line)
	}
	e.screenshot("moderator-lint", "")

	e.mark()
	save(t, file, trialNext, start.Add(2*time.Minute))
	e.waitStep()
	e.waitFor(`document.querySelector("#modpanel .problems") === null && document.querySelector("#modpanel .changes") !== null`)
	changes := eval[string](e, `document.querySelector("#modpanel .changes").innerText`)
	for _, want := range []string{`question "mood" reworded`, `question "often" added`} {
		if !strings.Contains(changes, want) {
			t.Errorf("changes shown:\n%s\nwant %q", changes, want)
		}
	}
	for _, col := range []string{"m1", "m2", "m3"} {
		e.wantQuestion(col, "How do you find the peer groups?")
	}
	e.click("m3", "Good")
	e.wantQuestion("m3", "How often do you go?")
	e.screenshot("moderator", "")
}
