package playground_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Prompts of the built-in recovery flow, as the tests meet them.
const (
	ownWords    = "In your own words, what does recovery mean to you?"
	wordFits    = "Some people find the word"
	betterWords = "What words or ideas fit your experience better?"
	teamAgrees  = "Their idea of recovery is the same as mine."
	teamView    = "How is their idea of recovery different from yours?"
	diffEffect  = "Has that difference been helpful or unhelpful for you?"
	diffStory   = "How has that difference affected you"
	teamAsked   = "Has anyone in your care team asked you what recovery means to you?"
)

var progress = regexp.MustCompile(`\d+ of \d+|about \d+ left`)

// startRecovery picks the recovery flow from the menu and gives consent
// (yes, no quotes), with the mouse.
func (e *env) startRecovery() {
	e.t.Helper()
	e.open("/")
	e.run(chromedp.SetValue(chromedp.CSS("#col-you select"), "recovery"))
	e.click("you", "Choose")
	e.wantQuestion("you", "Would you like to take part?")
	e.click("you", "Yes, I'd like to take part")
	e.wantQuestion("you", "May we quote your written answers")
	e.click("you", "No, please don't quote me")
	e.wantQuestion("you", ownWords)
}

// TestParticipantClicks goes through the recovery flow with the mouse:
// consent, a typed answer in the form, a branch taken, Back, the branch
// not taken, a typed fallback ("disagree", "2"), Skip and Stop for now.
func TestParticipantClicks(t *testing.T) {
	e := newEnv(t, "")
	e.startRecovery()
	// A flow whose questions depend on earlier answers counts what is
	// left ("about 6 left"); the consent, fixed, counts "2 of 2".
	if q := e.question("you"); !progress.MatchString(q) {
		t.Errorf("first question shows no progress (%s): %q", progress, q)
	}

	e.click("you", "Write my answer")
	e.run(chromedp.WaitVisible(chromedp.CSS("#col-you form.modal textarea")))
	e.run(chromedp.SendKeys(chromedp.CSS("#col-you form.modal textarea"), "Feeling like myself again"))
	e.click("you", "Submit")
	e.wantQuestion("you", wordFits)
	if got := e.columnText("you"); !strings.Contains(got, "Feeling like myself again") {
		t.Errorf("the answered question does not show the answer; column:\n%s", got)
	}

	e.click("you", "It fits in some ways") // the branch: better_words asks why
	e.wantQuestion("you", betterWords)
	e.click("you", "Back")
	e.wantQuestion("you", wordFits)
	e.click("you", "It fits well") // no branch this time
	e.wantQuestion("you", teamAgrees)

	e.screenshot("participant", "#col-you .say")
	e.say("you", "disagree") // typed fallback, by label
	e.wantQuestion("you", teamView)
	e.click("you", "Skip")
	e.wantQuestion("you", diffEffect)
	e.say("you", "2") // typed fallback, by number
	e.wantQuestion("you", diffStory)
	e.click("you", "Skip")
	e.wantQuestion("you", teamAsked)

	// The questions answered keep their buttons, disabled, as in Discord.
	disabled := eval[int](e, `document.querySelectorAll("#col-you button[disabled]").length`)
	if disabled < 10 {
		t.Errorf("%d disabled buttons after seven answers; want the answered questions' buttons disabled", disabled)
	}
	e.click("you", "Stop for now")
	if got := e.columnText("you"); !strings.Contains(got, "Paused. Your answers so far are saved.") {
		t.Errorf("Stop for now: column does not say it paused:\n%s", got)
	}
}

// tabTo presses Tab until the focused control is called name (its text,
// or its label's), as someone using the keyboard alone would.
func (e *env) tabTo(name string) {
	e.t.Helper()
	for range 120 {
		got := eval[string](e, `(() => { const a = document.activeElement; if (!a) return "";
			if (a.labels && a.labels.length) return a.labels[0].innerText.trim();
			return (a.innerText || "").replace(/\s+/g, " ").trim() })()`)
		if got == name {
			return
		}
		e.run(chromedp.KeyEvent(kb.Tab))
	}
	e.t.Fatalf("Tab never reached %q; page:\n%s", name, e.pageText())
}

// press presses Enter on the control called name, reached with Tab, and
// waits for the step.
func (e *env) press(name string) {
	e.t.Helper()
	e.tabTo(name)
	e.mark()
	e.run(chromedp.KeyEvent(kb.Enter))
	e.waitStep()
}

// TestParticipantKeyboard goes through the recovery flow with the
// keyboard alone: Tab and Enter, typing in the answer form, a branch,
// Back and Skip.
func TestParticipantKeyboard(t *testing.T) {
	e := newEnv(t, "")
	e.open("/")
	e.press("Choose") // the menu's first flow is recovery
	e.wantQuestion("you", "Would you like to take part?")
	e.press("Yes, I'd like to take part")
	e.press("No, please don't quote me")
	e.wantQuestion("you", ownWords)

	e.press("Write my answer")
	// The form takes focus as it opens, as Discord's modal does.
	if got := eval[string](e, `document.activeElement.tagName`); got != "TEXTAREA" {
		t.Fatalf("focus after opening the form is on a %s; want the TEXTAREA", got)
	}
	e.run(chromedp.KeyEvent("Being in charge of my life"))
	e.press("Submit")
	e.wantQuestion("you", wordFits)
	// A screen reader hears the new question from the live region.
	if got := eval[string](e, `document.getElementById("announce").textContent`); !strings.Contains(got, wordFits) {
		t.Errorf("live region says %q; want the new question", got)
	}

	e.press("It doesn't fit for me")
	e.wantQuestion("you", betterWords)
	e.press("Back")
	e.wantQuestion("you", wordFits)
	e.press("It fits well")
	e.wantQuestion("you", teamAgrees)
	e.press("Skip")
	e.wantQuestion("you", teamAsked)
	e.press("Back")
	e.wantQuestion("you", teamAgrees)
}

// TestCrisisShowsSupport: words that suggest crisis get the support
// message, from the participant service's safety check, before the next
// question; the answer is still kept.
func TestCrisisShowsSupport(t *testing.T) {
	e := newEnv(t, "")
	e.startRecovery()
	e.say("you", "i want to kill myself")
	got := e.columnText("you")
	for _, want := range []string{"Support", "Samaritans", "116 123"} {
		if !strings.Contains(got, want) {
			t.Errorf("after a crisis phrase the column lacks %q:\n%s", want, got)
		}
	}
	supports := eval[int](e, `document.querySelectorAll("#col-you .embed-support").length`)
	if supports != 1 {
		t.Errorf("%d support messages; want 1", supports)
	}
	e.wantQuestion("you", wordFits)
}

// TestParticipantSwitchesLanguage: the language button of a flow in two
// languages switches the question, through the service's SetLanguage.
func TestParticipantSwitchesLanguage(t *testing.T) {
	e := newEnv(t, "")
	e.open("/")
	e.click("you", "Choose")
	e.wantQuestion("you", "Would you like to take part?")
	e.click("you", "🌐 Cymraeg")
	e.wantQuestion("you", "Hoffech chi gymryd rhan?")
	e.click("you", "Hoffwn, hoffwn gymryd rhan")
	e.wantQuestion("you", "Gawn ni ddyfynnu")
}
