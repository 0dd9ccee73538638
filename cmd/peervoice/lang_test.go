package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bilingualFlow is a flow in Welsh and English, Welsh listed first, as the issue
// found it (flows/testdata/bilingual.yaml).
var bilingualFlow = mustReadFile("../../flows/testdata/bilingual.yaml")

// mustReadFile returns the text of a test fixture.
func mustReadFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestChatLang: chat --lang cy shows consent, the flow and PeerVoice's own
// words in Welsh and takes Welsh commands; without --lang the next run
// keeps the language chosen, and --lang en switches the flow under way
// back to English, keeping its answers.
func TestChatLang(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "flows"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "flows", "adferiad.yaml"), []byte(bilingualFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"chat", "--user", "sam", "--flows", "flows", "--flow", "adferiad"}
	r := peervoice(t, dir, "1\n2\nda\n", nil, append(args, "--lang", "cy")...)
	if r.code != 0 {
		t.Fatalf("chat --lang cy exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"Ynglŷn â'r astudiaeth hon", "Cymryd rhan", "Hoffech chi gymryd rhan?", "1. Hoffwn, hoffwn gymryd rhan",
		"Adferiad · 1 o 2", "Sut ydych chi?", "Teipiwch rif, neu hepgor, nôl, stopio, help.",
		"Yn eich geiriau chi?", "Wedi oedi.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("chat --lang cy output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "Would you like") || strings.Contains(r.stdout, "How are you?") {
		t.Errorf("chat --lang cy showed English:\n%s", r.stdout)
	}

	// The choice is remembered: no --lang, still Welsh; "nôl" goes back.
	r = peervoice(t, dir, "nôl\n\n", nil, args...)
	if !strings.Contains(r.stdout, "Yn eich geiriau chi?") || !strings.Contains(r.stdout, "Eich ateb blaenorol: Da") || !strings.Contains(r.stdout, "rhedwch yr un gorchymyn eto") {
		t.Errorf("chat without --lang after choosing cy:\n%s\n%s", r.stdout, r.stderr)
	}

	// --lang en switches the flow under way, keeping the answer.
	r = peervoice(t, dir, "Step by step\n", nil, append(args, "--lang", "en")...)
	if !strings.Contains(r.stdout, "In your own words?") || !strings.Contains(r.stdout, "That's the end of this set of questions") {
		t.Errorf("chat --lang en:\n%s\n%s", r.stdout, r.stderr)
	}
	md := peervoice(t, dir, "", nil, "mydata", "--user", "sam")
	if !strings.Contains(md.stdout, "Step by step") || !strings.Contains(md.stdout, "[ok]") {
		t.Errorf("mydata after switching language:\n%s\n%s", md.stdout, md.stderr)
	}

	r = peervoice(t, dir, "", nil, append(args, "--lang", "Welsh please")...)
	if r.code == 0 || !strings.Contains(r.stderr, `language "Welsh please" is not a language code`) {
		t.Errorf("chat --lang 'Welsh please' exit %d:\n%s", r.code, r.stderr)
	}
}
