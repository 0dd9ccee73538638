// Package safety spots crisis language in participants' free-text answers —
// suicidal intent and self-harm — so that the bot can answer at once with a
// warm signposting message and a list of places to get support.
//
// Detection is a list of phrase patterns over normalised text, tuned to err
// towards signposting: a kind message someone did not need costs little, and
// silence in a crisis costs a great deal. It is not a risk assessment and
// must never be presented as one; a volunteer reading the answers is still
// the safeguard. defaults.go explains the choices about borderline phrases.
//
// It imports no other PeerVoice package.
package safety

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
)

// Options configures a Detector.
//
// All three lists are matched against normalised text: lower case, with
// curly apostrophes, accents and look-alike letters folded, contractions and
// chat forms expanded ("im" and "i'm" become "i am", "dont" becomes "do
// not", "can't" becomes "cannot", "wanna" becomes "want to", "u" becomes
// "you"), repeated letters shrunk ("diiie" is read as "die"), words joined
// by single spaces, and " . " at the end of each clause. The text starts
// with a space and ends with " . ", so "I can't go on" is matched as
// " i cannot go on . ".
type Options struct {
	// Phrases are extra plain phrases, normalised the same way and matched
	// on word boundaries: "catch the bus" matches "Catch the BUS!" but not
	// "catch the buses".
	Phrases []string
	// Patterns are extra regular expressions (Go RE2 syntax), matched
	// case-insensitively against the normalised text. Write word boundaries
	// as spaces or \b.
	Patterns []string
	// Ignore are extra plain phrases for idioms to remove before matching,
	// so that a phrase they contain no longer counts: with "kill two birds"
	// ignored, a "kill" phrase would not match "kill two birds with one
	// stone".
	Ignore []string
	// NoDefaults drops the built-in English trigger and ignore lists,
	// leaving only the lists above. Normalisation still applies.
	NoDefaults bool
}

// PatternError reports an entry in Options that cannot be used.
type PatternError struct {
	Field string // "phrases", "patterns" or "ignore"
	Index int
	Value string
	Err   error
}

// Error names the entry and what is wrong with it, in the form
// `safety.patterns[2] "(": missing closing )`.
func (e *PatternError) Error() string {
	msg := e.Err.Error()
	var se *syntax.Error
	if errors.As(e.Err, &se) {
		// The parser's message repeats the whole expression, with the
		// "(?i)" that New adds; the code alone says what is wrong.
		msg = se.Code.String()
	}
	return fmt.Sprintf("safety.%s[%d] %q: %s", e.Field, e.Index, e.Value, msg)
}

// Unwrap returns the underlying error.
func (e *PatternError) Unwrap() error { return e.Err }

var (
	errNoWords    = errors.New("no words left after normalisation")
	errMatchEmpty = errors.New("matches empty text, so every message would be flagged")
)

// Detector finds crisis language in text. It is safe for concurrent use.
// The zero value is not usable; build one with New.
type Detector struct {
	rules   []*rule
	auto    *automaton    // finds the anchor literals of every rule
	anchors []anchorRules // by literal id
	also    [][]uint64    // by rule: the ids of rule.also, as a bit set
	// Rules with no usable anchor: trigger rules are tried on the whole
	// text, ignore rules at every position.
	unindexed []int
}

// anchorRules lists the rules to try when a literal is found.
type anchorRules struct{ ignore, trigger []entry }

// entry is a rule to try near a literal, which sits between minOff and
// maxOff bytes after the start of any match.
type entry struct {
	rule           int
	minOff, maxOff int
}

// New compiles a Detector from the built-in lists and opt.
func New(opt Options) (*Detector, error) {
	var rules []*rule
	if !opt.NoDefaults {
		defaults, err := defaultRules()
		if err != nil {
			return nil, err
		}
		rules = append(rules, defaults...)
	}
	for i, p := range opt.Phrases {
		r, err := phraseRule(p, false)
		if err != nil {
			return nil, &PatternError{Field: "phrases", Index: i, Value: p, Err: err}
		}
		rules = append(rules, r)
	}
	for i, p := range opt.Patterns {
		r, err := patternRule(p)
		if err != nil {
			return nil, &PatternError{Field: "patterns", Index: i, Value: p, Err: err}
		}
		rules = append(rules, r)
	}
	for i, p := range opt.Ignore {
		r, err := phraseRule(p, true)
		if err != nil {
			return nil, &PatternError{Field: "ignore", Index: i, Value: p, Err: err}
		}
		rules = append(rules, r)
	}
	return index(rules), nil
}

// defaultRules compiles the built-in lists once; every Detector shares the
// result, as compiled rules are never changed.
var defaultRules = sync.OnceValues(func() ([]*rule, error) {
	var rules []*rule
	for _, list := range []struct {
		exprs  []string
		ignore bool
	}{{defaultTriggers, false}, {defaultIgnores, true}} {
		for i, e := range list.exprs {
			r, err := compileRule(wrap(expand(e)), list.ignore)
			if err != nil {
				return nil, fmt.Errorf("safety: built-in rule %d (%.40s): %w", i, e, err)
			}
			rules = append(rules, r)
		}
	}
	return rules, nil
})

// wrap makes a rule match whole words only.
func wrap(expr string) string { return " (?:" + expr + ") " }

// phraseRule makes a rule that matches the normalised words of p.
func phraseRule(p string, ignore bool) (*rule, error) {
	readings := normalise(p)
	if len(readings) == 0 {
		return nil, errNoWords
	}
	// With stretched letters, a phrase keeps two of them, the gentler
	// reading: "brrr" stays distinct from "br".
	s := readings[len(readings)-1]
	s = strings.TrimSuffix(strings.TrimSpace(s), clauseBreak)
	if s = strings.TrimSpace(s); s == "" {
		return nil, errNoWords
	}
	return compileRule(wrap(regexp.QuoteMeta(s)), ignore)
}

// patternRule makes a trigger rule of regular expression p.
func patternRule(p string) (*rule, error) {
	// Normalised text is lower case, so a pattern written in capitals
	// would otherwise never match.
	expr := "(?i)" + p
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	if re.MatchString("") {
		return nil, errMatchEmpty
	}
	return compileRule(expr, false)
}

// index numbers the anchor literals of rules and builds the automaton that
// finds them.
func index(rules []*rule) *Detector {
	d := &Detector{rules: rules, also: make([][]uint64, len(rules))}
	ids := map[string]int{}
	var lits []string
	id := func(lit string) int {
		i, ok := ids[lit]
		if !ok {
			i = len(lits)
			ids[lit] = i
			lits = append(lits, lit)
			d.anchors = append(d.anchors, anchorRules{})
		}
		return i
	}
	for ri, r := range rules {
		if r.anchors == nil {
			d.unindexed = append(d.unindexed, ri)
			continue
		}
		for _, a := range r.anchors {
			li := id(a.lit)
			e := entry{rule: ri, minOff: a.minOff, maxOff: a.maxOff}
			if r.ignore {
				d.anchors[li].ignore = append(d.anchors[li].ignore, e)
			} else {
				d.anchors[li].trigger = append(d.anchors[li].trigger, e)
			}
		}
		for _, a := range r.also {
			id(a.lit)
		}
	}
	for ri, r := range rules {
		if r.also == nil {
			continue
		}
		set := make([]uint64, (len(lits)+63)/64)
		for _, a := range r.also {
			i := ids[a.lit]
			set[i/64] |= 1 << (i % 64)
		}
		d.also[ri] = set
	}
	d.auto = newAutomaton(lits)
	return d
}

// Check reports whether text contains crisis language.
func (d *Detector) Check(text string) bool {
	if d == nil || d.auto == nil {
		panic("safety: Check called on a Detector not made by New")
	}
	for _, s := range normalise(text) {
		if d.match(s) {
			return true
		}
	}
	return false
}
