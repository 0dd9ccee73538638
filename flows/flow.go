// Package flows defines PeerVoice's question flows: the YAML format moderators
// write, its loader and linter, the built-in default pack, and a pure engine
// that walks a participant through a flow.
//
// The package does no I/O beyond reading flow files it is handed, and it never
// reads the clock: hosts pass the time in. That keeps the engine a plain state
// machine that the terminal, Discord and tests all drive the same way.
//
// Of PeerVoice it imports only uitext and internal/suggest, and nothing
// that does I/O for a host: no discordgo, no database/sql or SQLite
// driver, no viper, no net/http (internal/archtest checks it).
package flows

import (
	"strings"

	"github.com/expr-lang/expr/vm"

	"github.com/peervoice/peervoice/uitext"
)

// Type is the kind of a question.
type Type string

// The question types.
const (
	TypeInfo   Type = "info"   // text only; the participant continues
	TypeChoice Type = "choice" // one option
	TypeMulti  Type = "multi"  // several options
	TypeScale  Type = "scale"  // one point on a scale (built-in or own options)
	TypeText   Type = "text"   // free text
	TypeNumber Type = "number" // a number
)

// Types lists every question type, in the order the docs give them.
var Types = []Type{TypeInfo, TypeChoice, TypeMulti, TypeScale, TypeText, TypeNumber}

// End is the `next` target that finishes a flow.
const End = "end"

// Limits that keep flows within what every front end can show.
const (
	MaxOptions       = 25   // Discord's select menus hold at most 25 options
	MaxLabelLen      = 80   // Discord's button labels are cut at 80 characters
	MaxPromptLen     = 1500 // leaves room in a 2,000-character message
	DefaultMaxLength = 2000 // default limit of a text answer
	MaxMaxLength     = 4000 // Discord's modal text input limit
	MaxIDLen         = 32   // question and option ids travel in Discord's 100-character custom ids
)

// Flow is one questionnaire.
type Flow struct {
	ID        string
	Title     Text
	Intro     Text
	Outro     Text
	Theme     string
	Languages []string
	// DefaultLanguage is the flow's `default_language:`, or "" when the
	// flow does not declare one; see DefaultLang.
	DefaultLanguage string
	// Repeat is the flow's `repeat:`: how often a participant may take it
	// again, each round a wave; zero for a flow taken once.
	Repeat    Repeat
	Questions []*Question

	// Version identifies the exact source the flow was parsed from (a
	// content hash), so sessions can finish on the version they started.
	Version string
	// Source is the YAML the flow was parsed from.
	Source []byte
	// File is the name the flow was read from, for messages.
	File string

	index map[string]int
}

// Question is one step of a flow.
type Question struct {
	ID       string
	Type     Type
	Prompt   Text
	Theme    string // the question's own theme, or the flow's
	Quotable bool
	When     string            // condition over earlier answers; "" means always
	Next     map[string]string // option id → question id or End
	NextAll  string            // unconditional jump, or ""
	Options  []Option
	Scale    string   // built-in scale name, when the options came from one
	Min, Max *float64 // multi: number of choices; number: value
	// MaxLength is the longest text answer accepted, in characters.
	MaxLength int

	Line, Col int // where the question starts in its file

	when     *vm.Program
	whenRefs []string
	// filled in by prepare, once the flow is checked
	succ      []int // successors(f, i, q, true)
	optValues []any // Options[j].ID as an interface value
}

// Option is one answer a participant can pick.
type Option struct {
	ID    string
	Label Text
}

// Question returns the question with the given id, or nil.
func (f *Flow) Question(id string) *Question {
	i, ok := f.index[id]
	if !ok {
		return nil
	}
	return f.Questions[i]
}

// Len returns the number of questions in f.
func (f *Flow) Len() int { return len(f.Questions) }

// position returns the index of question id, or -1.
func (f *Flow) position(id string) int {
	if i, ok := f.index[id]; ok {
		return i
	}
	return -1
}

// Option returns the option with the given id, or nil.
func (q *Question) Option(id string) *Option {
	for i := range q.Options {
		if q.Options[i].ID == id {
			return &q.Options[i]
		}
	}
	return nil
}

// HasOptions reports whether answers to q are chosen from options.
func (q *Question) HasOptions() bool {
	return q.Type == TypeChoice || q.Type == TypeMulti || q.Type == TypeScale
}

// DefaultLang returns the language f is shown in to a participant whose
// language it does not have: its declared default_language, else English
// if f has it, else its first language ("" for a flow with no languages).
func (f *Flow) DefaultLang() string {
	switch {
	case len(f.Languages) == 0:
		return ""
	case f.DefaultLanguage != "":
		return f.DefaultLanguage
	}
	for _, l := range f.Languages {
		if uitext.Base(l) == uitext.English {
			return l
		}
	}
	return f.Languages[0]
}

// Lang returns the language, one of f's, to show f in for a participant
// who asked for want (a language tag such as a Discord locale): the one
// that is want itself, ignoring case; else one with want's base language
// (en-GB reads en, pt-BR reads pt, and en reads en-GB if that is what f
// has); else f's DefaultLang. A flow with no languages returns "".
func (f *Flow) Lang(want string) string {
	if len(f.Languages) == 0 {
		return ""
	}
	want = strings.TrimSpace(want)
	for _, l := range f.Languages {
		if strings.EqualFold(l, want) {
			return l
		}
	}
	if base := uitext.Base(want); base != "" {
		for _, l := range f.Languages {
			if l == base {
				return l
			}
		}
		for _, l := range f.Languages {
			if uitext.Base(l) == base {
				return l
			}
		}
	}
	return f.DefaultLang()
}
