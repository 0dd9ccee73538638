package participant_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/uitext"
)

// bilingual is a flow in Welsh and English, Welsh listed first, as the issue
// found it (flows/testdata/bilingual.yaml).
var bilingual = mustReadFile("../flows/testdata/bilingual.yaml")

// mustReadFile returns the text of a test fixture.
func mustReadFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

const english = `id: plain
title: Plain
theme: Testing
questions:
  - id: one
    type: text
    prompt: Anything?
`

// newLangEnv is an env whose catalog holds the bilingual flow, a second
// bilingual flow and an English-only one.
func newLangEnv(t *testing.T) *env {
	t.Helper()
	second := strings.ReplaceAll(bilingual, "id: adferiad", "id: ail")
	cat, probs := flows.Load(fstest.MapFS{
		"adferiad.yaml": {Data: []byte(bilingual)},
		"ail.yaml":      {Data: []byte(second)},
		"plain.yaml":    {Data: []byte(english)},
	}, "")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, path: t.TempDir() + "/peervoice.db", cat: cat}
	e.open(participant.Config{})
	return e
}

func lastAsk(t *testing.T, r participant.Reply) flows.Ask {
	t.Helper()
	for i := len(r.Outputs) - 1; i >= 0; i-- {
		if a, ok := r.Outputs[i].(flows.Ask); ok {
			return a
		}
	}
	t.Fatalf("reply asks nothing: %#v", r.Outputs)
	return flows.Ask{}
}

// TestLocaleChoosesLanguage checks that a participant's locale is
// matched by its base language, consent included: en-GB and en-US read
// English of a [cy, en] flow, cy reads Welsh, es-ES the default (English).
func TestLocaleChoosesLanguage(t *testing.T) {
	for _, tt := range []struct {
		locale, lang, consentTitle, consentPrompt, intro, prompt string
	}{
		{"en-GB", "en", "Taking part", "Would you like to take part?", "About this study", "How are you?"},
		{"en-US", "en", "Taking part", "Would you like to take part?", "About this study", "How are you?"},
		{"es-ES", "en", "Taking part", "Would you like to take part?", "About this study", "How are you?"},
		{"cy", "cy", "Cymryd rhan", "Hoffech chi gymryd rhan?", "Ynglŷn â'r astudiaeth hon", "Sut ydych chi?"},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			e := newLangEnv(t)
			r, err := e.svc.Begin(ctx, alice, "adferiad", tt.locale)
			if err != nil {
				t.Fatal(err)
			}
			a := lastAsk(t, r)
			if got := r.Flow.Title.In(a.Lang); got != tt.consentTitle || a.Question.Prompt.In(a.Lang) != tt.consentPrompt || !strings.Contains(a.Intro, tt.intro) {
				t.Errorf("Begin(%s) consent = %q / %q / intro %.40q; want %q / %q / %q", tt.locale, got, a.Question.Prompt.In(a.Lang), a.Intro, tt.consentTitle, tt.consentPrompt, tt.intro)
			}
			e.say(alice, "1")
			r = e.say(alice, "2")
			a = lastAsk(t, r)
			if r.Session.Lang != tt.lang || a.Question.Prompt.In(a.Lang) != tt.prompt {
				t.Errorf("Begin(%s) flow in %q asks %q; want %q, %q", tt.locale, r.Session.Lang, a.Question.Prompt.In(a.Lang), tt.lang, tt.prompt)
			}
		})
	}
}

// TestSetLanguageKeepsAnswersAndIsRemembered switches a session's
// language mid-flow and checks that the answers stay, and that the
// choice outranks the locale in later flows, across a restart.
func TestSetLanguageKeepsAnswersAndIsRemembered(t *testing.T) {
	e := newLangEnv(t)
	if _, err := e.svc.Begin(ctx, alice, "adferiad", "en-GB"); err != nil {
		t.Fatal(err)
	}
	e.say(alice, "1")
	r := e.say(alice, "2")
	if r.Session.Lang != "en" {
		t.Fatalf("flow started in %q; want en", r.Session.Lang)
	}
	r = e.say(alice, "good")
	sid := r.Session.ID
	r, err := e.svc.SetLanguage(ctx, alice, sid, "cy")
	if err != nil {
		t.Fatal(err)
	}
	a := lastAsk(t, r)
	if r.Session.Lang != "cy" || a.Question.ID != "words" || a.Question.Prompt.In(a.Lang) != "Yn eich geiriau chi?" {
		t.Errorf("SetLanguage(cy) = %q asking %s %q; want cy, words", r.Session.Lang, a.Question.ID, a.Question.Prompt.In(a.Lang))
	}
	if got := r.Session.Answers["ok"].Choices0(); got != "good" {
		t.Errorf("after SetLanguage the answer to ok is %q; want good", got)
	}
	r = e.say(alice, "Cam wrth gam")
	if r.Session.Status != flows.Done {
		t.Fatalf("flow not done: %+v", r.Session)
	}
	d, err := e.svc.MyData(ctx, alice)
	if err != nil || len(d.Answers) != 2 {
		t.Fatalf("MyData = %+v, %v; want both answers", d.Answers, err)
	}

	e.open(participant.Config{}) // a restart
	r, err = e.svc.Begin(ctx, alice, "ail", "en-GB")
	if err != nil {
		t.Fatal(err)
	}
	if r.Session.Lang != "cy" {
		t.Errorf("a later flow with locale en-GB is in %q; want cy, the language chosen", r.Session.Lang)
	}
	if r, _ := e.svc.Begin(ctx, alice, "plain", "en-GB"); r.Session.Lang != "" {
		t.Errorf("an English-only flow is in %q; want its only wording", r.Session.Lang)
	}

	// A finished session, or someone else's, is stale; a bad code is an error.
	if r, err := e.svc.SetLanguage(ctx, alice, sid, "en"); err != nil || !r.Stale {
		t.Errorf("SetLanguage on a finished session = %+v, %v; want stale", r.Stale, err)
	}
	bob := participant.User{Platform: "discord", ID: "2"}
	if _, err := e.svc.Begin(ctx, bob, "adferiad", "cy"); err != nil {
		t.Fatal(err)
	}
	if r, err := e.svc.SetLanguage(ctx, bob, r.Session.ID, "en"); err != nil || !r.Stale {
		t.Errorf("SetLanguage on another's session = %+v, %v; want stale", r.Stale, err)
	}
	if _, err := e.svc.SetLanguage(ctx, alice, sid, "Cymraeg please"); err == nil || !strings.Contains(err.Error(), "not a language code") {
		t.Errorf("SetLanguage with a bad code = %v", err)
	}
}

// TestBeginInSwitchesAndRemembers checks chat --lang's path: a language
// the participant gives outranks their locale and switches the session
// under way.
func TestBeginInSwitchesAndRemembers(t *testing.T) {
	e := newLangEnv(t)
	r, err := e.svc.BeginIn(ctx, alice, "adferiad", "cy")
	if err != nil {
		t.Fatal(err)
	}
	if a := lastAsk(t, r); a.Lang != "cy" || a.Question.ID != "take_part" {
		t.Fatalf("BeginIn(cy) asks %s in %q", a.Question.ID, a.Lang)
	}
	e.say(alice, "1")
	r = e.say(alice, "2")
	if r.Session.Lang != "cy" {
		t.Fatalf("flow after consent in %q; want cy", r.Session.Lang)
	}
	e.say(alice, "da")
	r, err = e.svc.BeginIn(ctx, alice, "adferiad", "en")
	if err != nil {
		t.Fatal(err)
	}
	if a := lastAsk(t, r); a.Lang != "en" || a.Question.ID != "words" || r.Session.Answers["ok"].Choices0() != "good" {
		t.Errorf("BeginIn(en) under way = %s in %q, answers %v", a.Question.ID, a.Lang, r.Session.Answers)
	}
	if r, _ := e.svc.Begin(ctx, alice, "ail", "cy"); r.Session.Lang != "en" {
		t.Errorf("the next flow is in %q; want en, the language last chosen", r.Session.Lang)
	}
	if _, err := e.svc.BeginIn(ctx, alice, "ail", "x"); err == nil {
		t.Error("BeginIn with a bad code succeeded")
	}
}

// TestHelpAndSignpostInLanguage checks that help and the crisis framing
// follow the session's language, and Welsh typed commands work.
func TestHelpAndSignpostInLanguage(t *testing.T) {
	if uitext.T("en", uitext.CrisisFraming) != safety.DefaultMessage || uitext.T("en", uitext.HelpIntro) != participant.HelpMessage {
		t.Fatal("the catalog's English framing differs from safety.DefaultMessage or participant.HelpMessage")
	}
	e := newLangEnv(t)
	if _, err := e.svc.Begin(ctx, alice, "adferiad", "cy"); err != nil {
		t.Fatal(err)
	}
	r := e.say(alice, "cymorth")
	if !strings.HasPrefix(r.Signpost, uitext.T("cy", uitext.HelpIntro)) || !strings.Contains(r.Signpost, "116 123") {
		t.Errorf("help in Welsh = %q", r.Signpost)
	}
	e.say(alice, "1")
	e.say(alice, "hepgor") // quotes: a skip
	r = e.say(alice, "Dw i eisiau marw, I want to end my life")
	if !strings.HasPrefix(r.Signpost, uitext.T("cy", uitext.CrisisFraming)) {
		t.Errorf("crisis signpost in a Welsh session = %q", r.Signpost)
	}
	r = e.say(alice, "nôl")
	if a := lastAsk(t, r); a.Question.ID != "ok" {
		t.Errorf("nôl went to %s; want ok", a.Question.ID)
	}
	// Outside any session, the step's language (the locale) is used.
	r, err := e.svc.Input(ctx, participant.User{Platform: "discord", ID: "9"}, participant.Step{Input: flows.Typed("help"), Lang: "cy"})
	if err != nil || !strings.HasPrefix(r.Signpost, uitext.T("cy", uitext.HelpIntro)) {
		t.Errorf("help for a stranger in cy = %q, %v", r.Signpost, err)
	}
	// A message of the config's own is shown as written.
	e.open(participant.Config{Signpost: "Our own words."})
	r = e.say(alice, "I want to end my life")
	if !strings.HasPrefix(r.Signpost, "Our own words.") {
		t.Errorf("custom signpost = %q", r.Signpost)
	}
}
