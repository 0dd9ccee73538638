// Package uitext is the one catalog of PeerVoice's interface strings: the
// buttons, progress, notes, hints and messages that the Discord bot, the
// terminal and the flow engine show around a flow's own wording, in every
// catalogued language, and the typed commands ("skip", "hepgor") they
// accept.
//
// A language is looked up by its base ("en-GB" reads English, "cy" Welsh);
// a language without a catalog reads English. The keys are in keys.go and
// the strings in catalog.go. The package imports no other PeerVoice package
// and does no I/O, so every other package may use it.
package uitext

import (
	"fmt"
	"strings"
	"time"
)

// Key names one interface string.
type Key string

// English is the language every key has, and the fallback for languages
// without a catalog.
const English = "en"

// Languages lists the catalogued languages, English first.
var Languages = []string{"en", "cy"}

// Base returns the base language of a language tag, lower-cased:
// "en-GB" and "en_us" read "en", "pt-BR" reads "pt", "CY" reads "cy".
func Base(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// Has reports whether lang (any tag) has a catalog of its own.
func Has(lang string) bool {
	b := Base(lang)
	for _, l := range Languages {
		if l == b {
			return true
		}
	}
	return false
}

// Lang returns the catalogued language that lang reads: its base if that
// is catalogued, else English.
func Lang(lang string) string {
	if Has(lang) {
		return Base(lang)
	}
	return English
}

// T returns the string k in lang (English if lang has no catalog),
// formatted with args as by fmt.Sprintf when args are given.
func T(lang string, k Key, args ...any) string {
	texts, ok := catalog[k]
	if !ok {
		// A programming error that a test catches; say so visibly rather
		// than show nothing.
		return "!" + string(k)
	}
	s, ok := texts[Lang(lang)]
	if !ok {
		s = texts[English]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Name returns a language's name in that language ("Cymraeg" for cy),
// for a control that offers it; a language PeerVoice has no name for
// reads as its code.
func Name(lang string) string {
	if n, ok := names[Base(lang)]; ok {
		return n
	}
	return lang
}

// names are languages' own names, for language buttons. More than the
// catalogued languages: a flow may be written in a language whose
// interface strings fall back to English.
var names = map[string]string{
	"ar": "العربية",
	"bn": "বাংলা",
	"cy": "Cymraeg",
	"de": "Deutsch",
	"en": "English",
	"es": "Español",
	"fr": "Français",
	"ga": "Gaeilge",
	"gd": "Gàidhlig",
	"it": "Italiano",
	"pa": "ਪੰਜਾਬੀ",
	"pl": "Polski",
	"pt": "Português",
	"ro": "Română",
	"so": "Soomaali",
	"ur": "اردو",
}

// Command is a typed command that works at any question.
type Command int

// The typed commands.
const (
	NoCommand Command = iota
	CmdSkip
	CmdBack
	CmdStop
	CmdHelp
	CmdQuit
)

var commandWords = map[Command]Key{
	CmdSkip: WordsSkip,
	CmdBack: WordsBack,
	CmdStop: WordsStop,
	CmdHelp: WordsHelp,
	CmdQuit: WordsQuit,
}

// Typed returns the command a typed line stands for, in any catalogued
// language ("skip" and "hepgor" both skip), ignoring case, surrounding
// space and a trailing full stop or exclamation mark; NoCommand for
// anything else. Every language is accepted whatever the session's
// language, so a participant who switched can still use the words they
// know.
func Typed(line string) Command {
	w := strings.Join(strings.Fields(strings.ToLower(strings.Trim(strings.TrimSpace(line), ".!/"))), " ")
	if w == "" {
		return NoCommand
	}
	for _, cmd := range []Command{CmdSkip, CmdBack, CmdStop, CmdHelp, CmdQuit} {
		for _, lang := range Languages {
			for _, word := range strings.Split(catalog[commandWords[cmd]][lang], ",") {
				if strings.TrimSpace(word) == w {
					return cmd
				}
			}
		}
	}
	return NoCommand
}

// welshMonths are the months' names in Welsh, January first.
var welshMonths = [12]string{"Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
	"Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"}

// Date writes the day of t as people write it in lang: "2 January 2006"
// in English (and languages without a catalog), "2 Ionawr 2006" in Welsh.
func Date(lang string, t time.Time) string {
	if Lang(lang) == "cy" {
		return fmt.Sprintf("%d %s %d", t.Day(), welshMonths[t.Month()-1], t.Year())
	}
	return t.Format("2 January 2006")
}
