package playground_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// axe is axe-core, vendored from its npm package (axe-core 4.14.1,
// Mozilla Public License 2.0: testdata/axe.LICENSE), run inside the page.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// axeCheck runs axe-core on the page as it is, against WCAG 2.1 A and
// AA and axe's best practices, and fails on every serious or critical
// violation.
func (e *env) axeCheck(view string) {
	e.t.Helper()
	for _, v := range e.axeRun() {
		if v.Impact == "serious" || v.Impact == "critical" {
			e.t.Errorf("%s: axe %s (%s): %s\n  %s", view, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
		} else {
			e.t.Logf("%s: axe %s (%s, not failing): %s", view, v.ID, v.Impact, v.Help)
		}
	}
}

// axeRun injects axe-core once a page and returns its violations.
func (e *env) axeRun() []axeViolation {
	e.t.Helper()
	if eval[bool](e, `typeof axe === "undefined"`) {
		eval[bool](e, axeSource(e.t)+";true")
	}
	return eval[[]axeViolation](e, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
		.then(r => r.violations.map(v => ({ID: v.id, Impact: v.impact || "", Help: v.help, Nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)})))`)
}

// TestAccessibility runs axe-core on each view in the states people
// see: a question with its buttons and the answer form open, a multi-
// choice menu, the moderator's problems and diff, the digest.
func TestAccessibility(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "trial.yaml")
	start := time.Now().Add(-time.Hour)
	save(t, file, trialFlow, start)
	e := newEnv(t, dir)

	e.open("/")
	// axe itself finds what it must: a button with no name, and grey
	// text on grey.
	eval[bool](e, `(() => { const m = document.querySelector("main"); m.insertAdjacentHTML("beforeend", '<div id="axe-bait"><button></button><p id="axe-grey">low contrast</p></div>');
		// Set through the CSSOM: the page's CSP refuses style attributes.
		const p = document.getElementById("axe-grey"); p.style.color = "#777"; p.style.background = "#666"; return true })()`)
	found := map[string]bool{}
	for _, v := range e.axeRun() {
		found[v.ID] = true
	}
	if !found["button-name"] || !found["color-contrast"] {
		t.Fatalf("axe missed a nameless button or low contrast (found %v): the check cannot fail", found)
	}
	e.open("/")
	e.axeCheck("flow menu")
	e.mark()
	e.run(clickSel(`#col-you form.menu button`))
	e.waitStep()
	e.click("you", "Yes, I'd like to take part")
	e.click("you", "No, please don't quote me")
	e.axeCheck("a choice question")
	e.say("you", "i want to kill myself")
	e.axeCheck("the support message")

	e.open("/moderator")
	e.axeCheck("moderator preview")
	e.mark()
	save(t, file, trialBroken, start.Add(time.Minute))
	e.waitStep()
	e.axeCheck("moderator problems")
	e.mark()
	save(t, file, trialNext, start.Add(2*time.Minute))
	e.waitStep()
	e.axeCheck("moderator diff")

	e.fill()
	e.axeCheck("researcher digest")
}

// TestAccessibilityForms checks the answer form and a multi-choice
// menu, in the built-in flows.
func TestAccessibilityForms(t *testing.T) {
	e := newEnv(t, "")
	e.startRecovery()
	e.click("you", "Write my answer")
	e.axeCheck("the answer form")

	// A multi-choice menu: discrimination's second question, after a yes.
	e.say("you", "stop")
	e.click("you", "Choose another set of questions (/survey)")
	e.mark()
	e.run(setSelect(`#col-you li[data-last] select`, "discrimination"), clickSel(`#col-you li[data-last] form.menu button`))
	e.waitStep()
	e.click("you", "Yes")
	if n := eval[int](e, `document.querySelectorAll("#col-you li[data-last] input[type=checkbox]").length`); n < 3 {
		t.Fatalf("discrimination's unfair_because shows %d checkboxes; want a multi-choice menu:\n%s", n, e.columnText("you"))
	}
	e.axeCheck("a multi-choice menu")
	e.screenshot("participant-multi", "#col-you .survey")

	// Two chosen and sent, as the select menu's values.
	e.run(clickSel(`#col-you li[data-last] input[value=faith]`), clickSel(`#col-you li[data-last] input[value=age]`))
	e.click("you", "Choose")
	if got := e.columnText("you"); !strings.Contains(got, "My religion or faith") || !strings.Contains(got, "Your answer: My religion or faith, My age") {
		t.Errorf("after choosing two, the question does not show both:\n%s", got)
	}
}
