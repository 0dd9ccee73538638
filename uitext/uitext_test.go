package uitext

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var verbRe = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestCatalogComplete checks that every key has every catalogued
// language, no string is empty, and each translation takes the same
// format verbs in the same order as the English.
func TestCatalogComplete(t *testing.T) {
	for k, texts := range catalog {
		for _, lang := range Languages {
			s, ok := texts[lang]
			if !ok || strings.TrimSpace(s) == "" {
				t.Errorf("%s has no %s text", k, lang)
				continue
			}
			if got, want := verbRe.FindAllString(s, -1), verbRe.FindAllString(texts[English], -1); !slices.Equal(got, want) {
				t.Errorf("%s in %s takes %v; the English takes %v", k, lang, got, want)
			}
		}
		for lang := range texts {
			if !slices.Contains(Languages, lang) {
				t.Errorf("%s has text in %q, which is not in Languages %v", k, lang, Languages)
			}
		}
	}
}

func TestBase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"en-GB", "en"}, {"en-US", "en"}, {"pt-BR", "pt"}, {"cy", "cy"}, {"CY", "cy"},
		{"es-ES", "es"}, {"zh_TW", "zh"}, {" en ", "en"}, {"", ""},
	} {
		if got := Base(tc.in); got != tc.want {
			t.Errorf("Base(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestT(t *testing.T) {
	for _, tc := range []struct {
		lang string
		key  Key
		args []any
		want string
	}{
		{"cy", Skip, nil, "Hepgor"},
		{"CY", Skip, nil, "Hepgor"},
		{"en-GB", Skip, nil, "Skip"},
		{"es-ES", Skip, nil, "Skip"}, // no Spanish catalog: English
		{"", StopForNow, nil, "Stop for now"},
		{"cy", ProgressOf, []any{3, 9}, "3 o 9"},
		{"en-US", ProgressLeft, []any{4}, "about 4 left"},
		{"cy", Key("no.such.key"), nil, "!no.such.key"},
	} {
		if got := T(tc.lang, tc.key, tc.args...); got != tc.want {
			t.Errorf("T(%q, %s, %v) = %q; want %q", tc.lang, tc.key, tc.args, got, tc.want)
		}
	}
}

func TestTyped(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Command
	}{
		{"skip", CmdSkip}, {"Skip.", CmdSkip}, {"hepgor", CmdSkip}, {"HEPGOR!", CmdSkip},
		{"back", CmdBack}, {"nôl", CmdBack}, {"Nol", CmdBack}, {"yn  ôl", CmdBack},
		{"stop", CmdStop}, {"stop for now", CmdStop}, {"stopio", CmdStop}, {"pause", CmdStop},
		{"help", CmdHelp}, {"/help", CmdHelp}, {"cymorth", CmdHelp},
		{"quit", CmdQuit}, {"gadael", CmdQuit},
		{"", NoCommand}, {"skip this one please", NoCommand}, {"Getting my life back", NoCommand},
	} {
		if got := Typed(tc.in); got != tc.want {
			t.Errorf("Typed(%q) = %d; want %d", tc.in, got, tc.want)
		}
	}
}

func TestName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{{"cy", "Cymraeg"}, {"en-GB", "English"}, {"xx", "xx"}} {
		if got := Name(tc.in); got != tc.want {
			t.Errorf("Name(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestDate(t *testing.T) {
	day := time.Date(2026, time.December, 4, 18, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ lang, want string }{
		{"en", "4 December 2026"},
		{"en-GB", "4 December 2026"},
		{"cy", "4 Rhagfyr 2026"},
		{"es-ES", "4 December 2026"}, // no catalog: English
	} {
		if got := Date(tc.lang, day); got != tc.want {
			t.Errorf("Date(%q, %v) = %q; want %q", tc.lang, day, got, tc.want)
		}
	}
}
