package flows_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/flows"
)

// langFlow is a one-question flow in the given languages, with an
// optional default_language.
func langFlow(t *testing.T, langs []string, def string) *flows.Flow {
	t.Helper()
	var prompt, title []string
	for _, l := range langs {
		prompt = append(prompt, fmt.Sprintf("%s: prompt in %s", l, l))
		title = append(title, fmt.Sprintf("%s: title in %s", l, l))
	}
	src := "id: langs\ntheme: Testing\n"
	if len(langs) > 0 {
		src += "languages: [" + strings.Join(langs, ", ") + "]\n"
		src += "title: {" + strings.Join(title, ", ") + "}\n"
	} else {
		src += "title: Plain\n"
	}
	if def != "" {
		src += "default_language: " + def + "\n"
	}
	p := "prompt: Plain"
	if len(langs) > 0 {
		p = "prompt: {" + strings.Join(prompt, ", ") + "}"
	}
	src += "questions:\n  - id: q\n    type: text\n    " + p + "\n"
	return mustParse(t, "langs.yaml", src)
}

// TestLangMatching checks that a participant's language tag (a Discord
// locale such as en-GB) finds the flow's language by its base, and that
// a language the flow lacks gets the declared default, then English, then
// the first listed.
func TestLangMatching(t *testing.T) {
	tests := []struct {
		langs []string
		def   string
		want  map[string]string // participant's tag → language shown
	}{
		{[]string{"cy", "en"}, "", map[string]string{
			"en-GB": "en", "en-US": "en", "en": "en", "EN": "en", "cy": "cy", "CY": "cy", "cy-GB": "cy",
			"es-ES": "en", "": "en", "pt-BR": "en",
		}},
		{[]string{"cy", "en"}, "cy", map[string]string{
			"en-GB": "en", "cy": "cy", "es-ES": "cy", "": "cy",
		}},
		{[]string{"cy", "pt"}, "", map[string]string{
			"pt-BR": "pt", "pt-PT": "pt", "en-GB": "cy", "cy": "cy", "es-ES": "cy",
		}},
		{[]string{"pt-BR", "pt-PT", "en-GB"}, "", map[string]string{
			"pt-BR": "pt-BR", "pt-br": "pt-BR", "pt-PT": "pt-PT", "pt": "pt-BR", "en-US": "en-GB", "en": "en-GB", "fr": "en-GB",
		}},
		{nil, "", map[string]string{"en-GB": "", "cy": "", "": ""}},
	}
	for _, tt := range tests {
		f := langFlow(t, tt.langs, tt.def)
		for tag, want := range tt.want {
			if got := f.Lang(tag); got != want {
				t.Errorf("languages %v, default %q: Lang(%q) = %q; want %q", tt.langs, tt.def, tag, got, want)
			}
			s, outs := flows.Start(f, "s", tag, t0)
			ask := outs[0].(flows.Ask)
			if s.Lang != want || ask.Lang != want {
				t.Errorf("languages %v: Start(%q) chose %q (ask %q); want %q", tt.langs, tag, s.Lang, ask.Lang, want)
			}
			if wantPrompt := "prompt in " + want; want != "" && ask.Question.Prompt.In(ask.Lang) != wantPrompt {
				t.Errorf("languages %v: Start(%q) shows %q; want %q", tt.langs, tag, ask.Question.Prompt.In(ask.Lang), wantPrompt)
			}
		}
	}
}

// TestEngineReasonsInLanguage checks that the engine says why it asks
// again in the session's language, with Welsh typed commands accepted.
func TestEngineReasonsInLanguage(t *testing.T) {
	src := `id: cy
title: {en: Recovery, cy: Adferiad}
theme: Testing
languages: [en, cy]
questions:
  - id: ok
    type: choice
    prompt: {en: "All right?", cy: "Iawn?"}
    options:
      - {id: yes, label: {en: "Yes", cy: "Ydw"}}
      - {id: no, label: {en: "No", cy: "Nac ydw"}}
  - id: age
    type: number
    min: 16
    max: 120
    prompt: {en: "How old are you?", cy: "Faint yw eich oed?"}
`
	f := mustParse(t, "cy.yaml", src)
	for _, tt := range []struct {
		lang, input, want string
	}{
		{"cy", "nôl", "Dyma'r cwestiwn cyntaf, felly does dim byd i fynd yn ôl ato."},
		{"en", "back", "This is the first question, so there is nothing to go back to."},
		{"cy", "efallai", `Mae'n ddrwg gen i, doeddwn i ddim yn adnabod "efallai". Dewiswch rif o 1 i 2, neu teipiwch hepgor.`},
		{"en", "maybe", `Sorry, I didn't recognise "maybe". Please choose a number from 1 to 2, or type skip.`},
	} {
		s, _ := flows.Start(f, "s", tt.lang, t0)
		_, outs, err := flows.Resume(f, s, flows.Typed(tt.input), t0)
		if err != nil {
			t.Fatal(err)
		}
		inv, ok := outs[0].(flows.Invalid)
		if !ok || inv.Reason != tt.want {
			t.Errorf("%s: Resume(%q) = %#v; want Invalid %q", tt.lang, tt.input, outs[0], tt.want)
		}
	}
	s, _ := flows.Start(f, "s", "cy", t0)
	s, outs, err := flows.Resume(f, s, flows.Typed("hepgor"), t0)
	if err != nil || describe(outs)[0] != "answered ok=(skipped)" {
		t.Fatalf("Welsh skip = %q, %v", describe(outs), err)
	}
	ask := outs[len(outs)-1].(flows.Ask)
	if got := ask.Progress.In(ask.Lang); got != "2 o 2" {
		t.Errorf("progress in Welsh = %q; want %q", got, "2 o 2")
	}
	_, outs, _ = flows.Resume(f, s, flows.Typed("200"), t0)
	if inv := outs[0].(flows.Invalid); inv.Reason != "Teipiwch rif o 16 i 120." {
		t.Errorf("number out of range in Welsh = %q", inv.Reason)
	}
	if got := f.Questions[0].Format(flows.Answer{Skipped: true}, "cy"); got != "(wedi hepgor)" {
		t.Errorf("Format(skipped, cy) = %q", got)
	}
}

// TestRelangKeepsAnswers checks that switching language mid-flow keeps
// the answers and the question, and survives a JSON round trip.
func TestRelangKeepsAnswers(t *testing.T) {
	f := mustParse(t, "cy.yaml", `id: cy
title: {en: Recovery, cy: Adferiad}
theme: Testing
languages: [en, cy]
questions:
  - id: ok
    type: choice
    prompt: {en: "All right?", cy: "Iawn?"}
    options:
      - {id: yes, label: {en: "Yes", cy: "Ydw"}}
      - {id: no, label: {en: "No", cy: "Nac ydw"}}
  - id: words
    type: text
    prompt: {en: "In your words?", cy: "Yn eich geiriau chi?"}
`)
	s, _ := flows.Start(f, "s", "en-GB", t0)
	s, _, err := flows.Resume(f, roundTrip(t, s), flows.Typed("yes"), t0)
	if err != nil {
		t.Fatal(err)
	}
	s, outs, err := flows.Relang(f, roundTrip(t, s), "cy", t0)
	if err != nil {
		t.Fatal(err)
	}
	ask := outs[0].(flows.Ask)
	if s.Lang != "cy" || ask.Question.ID != "words" || ask.Question.Prompt.In(ask.Lang) != "Yn eich geiriau chi?" {
		t.Errorf("Relang(cy) = lang %q, asks %s %q", s.Lang, ask.Question.ID, ask.Question.Prompt.In(ask.Lang))
	}
	if got := s.Answers["ok"].Choices0(); got != "yes" {
		t.Errorf("after Relang the answer to ok is %q; want yes", got)
	}
	s, outs, _ = flows.Resume(f, roundTrip(t, s), flows.Typed("nôl"), t0)
	if ask := outs[0].(flows.Ask); ask.Question.ID != "ok" || ask.Default == nil || ask.Default.Choices0() != "yes" || ask.Lang != "cy" {
		t.Errorf("back after Relang = %+v", ask)
	}
	if s2, _, _ := flows.Relang(f, s, "es-ES", t0); s2.Lang != "en" {
		t.Errorf("Relang(es-ES) = %q; want the default, en", s2.Lang)
	}
}
