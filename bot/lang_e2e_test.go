package bot_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// bilingualFlow is a flow in Welsh and English, Welsh listed first, as the issue
// found it (flows/testdata/bilingual.yaml).
var bilingualFlow = mustReadFile("../flows/testdata/bilingual.yaml")

// mustReadFile returns the text of a test fixture.
func mustReadFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// newLangHarness runs the bot with the bilingual flow and the default pack.
func newLangHarness(t *testing.T) *harness {
	t.Helper()
	cat, probs := flows.Load(fstest.MapFS{"adferiad.yaml": {Data: []byte(bilingualFlow)}}, "")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	h := newStoppedHarness(t)
	h.catalog.Store(cat)
	h.start()
	return h
}

// labels returns the labels of m's buttons, in order.
func labels(m discordtest.Message) []string {
	var out []string
	for _, cid := range m.CustomIDs() {
		if b := m.Button(cid); b != nil {
			out = append(out, b.Label)
		}
	}
	return out
}

func hasAll(got []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			return false
		}
	}
	return true
}

// TestLanguageFromLocale: a [cy, en] flow is shown in English to en-GB,
// en-US and es-ES users (es-ES has neither: the default, English) and in
// Welsh to a cy user, consent and buttons included.
func TestLanguageFromLocale(t *testing.T) {
	h := newLangHarness(t)
	for _, tt := range []struct {
		locale                     string
		consent, prompt, footer    string
		buttons                    []string
		consentButtons, switchName string
	}{
		{"en-GB", "Would you like to take part?", "How are you?", "1 of 2", []string{"Good", "Not good", "Skip", "Stop for now"}, "Yes, I'd like to take part", "Cymraeg"},
		{"en-US", "Would you like to take part?", "How are you?", "1 of 2", []string{"Good", "Skip", "Stop for now"}, "Yes, I'd like to take part", "Cymraeg"},
		{"es-ES", "Would you like to take part?", "How are you?", "1 of 2", []string{"Good", "Skip", "Stop for now"}, "Yes, I'd like to take part", "Cymraeg"},
		{"cy", "Hoffech chi gymryd rhan?", "Sut ydych chi?", "1 o 2", []string{"Da", "Ddim yn dda", "Hepgor", "Stopio am y tro"}, "Hoffwn, hoffwn gymryd rhan", "English"},
	} {
		t.Run(tt.locale, func(t *testing.T) {
			u := h.e.User("user-" + tt.locale)
			u.SetLocale(tt.locale)
			c := ctx(t)
			if _, err := u.RunCommand("survey", discordtest.Opt("flow", "adferiad")); err != nil {
				t.Fatal(err)
			}
			m := waitQ(t, u, c, "take_part")
			if !strings.Contains(embedText(m), tt.consent) || !hasAll(labels(m), tt.consentButtons, tt.switchName) {
				t.Errorf("consent for %s says %q with buttons %q; want %q and %q, %q", tt.locale, embedText(m), labels(m), tt.consent, tt.consentButtons, tt.switchName)
			}
			answer(t, u, m, "yes")
			answer(t, u, waitQ(t, u, c, "quotes"), "no")
			m = waitQ(t, u, c, "ok")
			if text := embedText(m); !strings.Contains(text, tt.prompt) || !strings.Contains(text, tt.footer) {
				t.Errorf("first question for %s says %q; want %q and %q", tt.locale, text, tt.prompt, tt.footer)
			}
			if !hasAll(labels(m), append(tt.buttons, tt.switchName)...) {
				t.Errorf("first question for %s has buttons %q; want %q and %q", tt.locale, labels(m), tt.buttons, tt.switchName)
			}
		})
	}
}

// TestLanguageButtonSwitches: an en-GB participant switches to Welsh
// mid-flow with the language button; the question comes again in Welsh,
// the answer given before is kept, Welsh typed commands work, and the
// next flow they start is in Welsh too.
func TestLanguageButtonSwitches(t *testing.T) {
	h := newLangHarness(t)
	u := h.e.User("alice")
	u.SetLocale("en-GB")
	c := ctx(t)
	if _, err := u.RunCommand("survey", discordtest.Opt("flow", "adferiad")); err != nil {
		t.Fatal(err)
	}
	answer(t, u, waitQ(t, u, c, "take_part"), "yes")
	answer(t, u, waitQ(t, u, c, "quotes"), "no")
	answer(t, u, waitQ(t, u, c, "ok"), "good")
	m := waitQ(t, u, c, "words")
	if !strings.Contains(embedText(m), "In your own words?") {
		t.Fatalf("second question = %q; want English", embedText(m))
	}
	if _, err := u.Click(m, control(t, m, bot.ActLang, "cy")); err != nil {
		t.Fatal(err)
	}
	old, err := u.WaitMessage(c, func(x discordtest.Message) bool { return x.ID == m.ID && !x.Interactive() })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(embedText(old), "Iaith: Cymraeg") {
		t.Errorf("the old question after switching says %q; want the note Iaith: Cymraeg", embedText(old))
	}
	m, err = u.WaitMessage(c, func(x discordtest.Message) bool { return question("words")(x) && says("Yn eich geiriau chi?")(x) })
	if err != nil {
		t.Fatal(err)
	}
	if text := embedText(m); !strings.Contains(text, "2 o 2") || !hasAll(labels(m), "Ysgrifennu fy ateb", "Hepgor", "Yn ôl", "Stopio am y tro", "English") {
		t.Errorf("the question in Welsh says %q with buttons %q", text, labels(m))
	}
	u.SendDM("nôl") // back, typed in Welsh
	m, err = u.WaitMessage(c, func(x discordtest.Message) bool { return question("ok")(x) && says("Sut ydych chi?")(x) })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(embedText(m), "Eich ateb blaenorol: Da") {
		t.Errorf("back in Welsh shows %q; want the earlier answer kept, in Welsh", embedText(m))
	}
	answer(t, u, m, "good")
	waitQ(t, u, c, "words")
	u.SendDM("Cam wrth gam")
	if _, err := u.WaitMessage(c, says("Diolch am eich atebion")); err != nil {
		t.Fatal(err)
	}
	if d := h.data(u); len(d.Answers) != 2 || d.Answers[1].Answer != "Cam wrth gam" {
		t.Errorf("stored answers = %+v; want both", d.Answers)
	}
	// The choice outlives the session: the same flow again, still en-GB.
	if _, err := u.RunCommand("survey", discordtest.Opt("flow", "adferiad")); err != nil {
		t.Fatal(err)
	}
	m, err = u.WaitMessage(c, func(x discordtest.Message) bool { return question("ok")(x) && x.Interactive() })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(embedText(m), "Sut ydych chi?") {
		t.Errorf("the next flow for a participant who chose Welsh says %q; want Welsh", embedText(m))
	}
}
