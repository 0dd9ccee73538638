package flows

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/peervoice/peervoice/uitext"
)

// InputKind is what a participant did.
type InputKind int

// The kinds of input.
const (
	// Choose picks option ids (buttons, select menus).
	Choose InputKind = iota + 1
	// Enter is typed text: a free-text answer, a number, or an option given
	// by its number, id or label.
	Enter
	// Skip leaves the question unanswered.
	Skip
	// Back returns to the previous question.
	Back
	// Stop pauses the session.
	Stop
)

// Input is one thing a participant did at a question.
type Input struct {
	Kind    InputKind
	Choices []string // for Choose
	Text    string   // for Enter
}

// Typed turns a typed line into an Input: the words for skip, back and
// stop in any catalogued language (skip, hepgor; back, nôl; stop, stopio:
// see package uitext), on their own and in any case, are commands;
// anything else is Enter.
func Typed(line string) Input {
	switch uitext.Typed(line) {
	case uitext.CmdSkip:
		return Input{Kind: Skip}
	case uitext.CmdBack:
		return Input{Kind: Back}
	case uitext.CmdStop:
		return Input{Kind: Stop}
	}
	return Input{Kind: Enter, Text: line}
}

// parse turns an input into an answer for q, or says kindly why it cannot.
func (q *Question) parse(in Input, lang string) (Answer, string) {
	switch q.Type {
	case TypeChoice, TypeScale:
		ids, why := q.choices(in, lang)
		if why != "" {
			return Answer{}, why
		}
		if len(ids) != 1 {
			return Answer{}, uitext.T(lang, uitext.ReasonJustOne)
		}
		return Answer{Choices: ids}, ""
	case TypeMulti:
		ids, why := q.choices(in, lang)
		if why != "" {
			return Answer{}, why
		}
		if q.Min != nil && len(ids) < int(*q.Min) {
			return Answer{}, count(lang, int(*q.Min), uitext.ReasonAtLeastOne, uitext.ReasonAtLeast)
		}
		if q.Max != nil && len(ids) > int(*q.Max) {
			return Answer{}, count(lang, int(*q.Max), uitext.ReasonAtMostOne, uitext.ReasonAtMost)
		}
		return Answer{Choices: ids}, ""
	case TypeText:
		if in.Kind != Enter {
			return Answer{}, uitext.T(lang, uitext.ReasonTypeAnswer)
		}
		text := strings.TrimSpace(in.Text)
		if text == "" {
			return Answer{}, uitext.T(lang, uitext.ReasonEmpty)
		}
		if n := utf8.RuneCountInString(text); n > q.MaxLength {
			return Answer{}, uitext.T(lang, uitext.ReasonTooLong, n, q.MaxLength)
		}
		return Answer{Text: text}, ""
	case TypeNumber:
		if in.Kind != Enter {
			return Answer{}, uitext.T(lang, uitext.ReasonTypeNumber)
		}
		x, ok := parseNumber(strings.ReplaceAll(strings.TrimSpace(in.Text), ",", ""))
		if !ok {
			return Answer{}, uitext.T(lang, uitext.ReasonNotNumber)
		}
		if q.Min != nil && x < *q.Min || q.Max != nil && x > *q.Max {
			return Answer{}, q.rangeReason(lang)
		}
		return Answer{Number: &x}, ""
	}
	return Answer{}, ""
}

// parseNumber reads a decimal or hex number, refusing what is not a
// finite one: strconv accepts "NaN", "Inf" and "infinity" in any case and
// with signs, which no one means as an answer, no range check stops (NaN
// compares false with everything) and a session cannot store (JSON has no
// NaN or infinity). Numbers too large for a float64 ("1e999", "0x1p99999")
// are already an error from strconv.
func parseNumber(s string) (float64, bool) {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// choices reads option ids from a Choose input, or from typed text given
// as option numbers, ids or labels ("2", "agree", "Peer support"), which
// keeps every question answerable by typing alone.
func (q *Question) choices(in Input, lang string) ([]string, string) {
	var ids []string
	switch in.Kind {
	case Choose:
		for _, id := range in.Choices {
			if q.Option(id) == nil {
				return nil, uitext.T(lang, uitext.ReasonNotAnOption)
			}
			ids = appendUnique(ids, id)
		}
	case Enter:
		parts := []string{strings.TrimSpace(in.Text)}
		if q.Type == TypeMulti {
			parts = splitList(in.Text)
		}
		for _, part := range parts {
			id := q.match(part, lang)
			if id == "" {
				return nil, uitext.T(lang, uitext.ReasonNotRecognised, strconv.Quote(shorten(strings.TrimSpace(part), 40)), len(q.Options))
			}
			ids = appendUnique(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, uitext.T(lang, uitext.ReasonChoose)
	}
	return ids, ""
}

// match finds the option a typed word stands for, ignoring case.
func (q *Question) match(s, lang string) string {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), ".!\"'"))
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(q.Options) {
		return q.Options[n-1].ID
	}
	for _, o := range q.Options {
		if s == o.ID || s == strings.ToLower(o.Label.In(lang)) || slug(s) == o.ID {
			return o.ID
		}
	}
	return ""
}

// splitList splits "1, 3", "1 3" or "housing; peer support" into parts.
func splitList(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
	if len(fields) == 1 {
		words := strings.Fields(fields[0])
		allNumbers := len(words) > 1
		for _, w := range words {
			if _, err := strconv.Atoi(w); err != nil {
				allNumbers = false
			}
		}
		if allNumbers {
			return words
		}
	}
	var out []string
	for _, f := range fields {
		f = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(f), "and "))
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// count picks the reason for a limit of n answers: one for 1, another
// taking the number.
func count(lang string, n int, one, many uitext.Key) string {
	if n == 1 {
		return uitext.T(lang, one)
	}
	return uitext.T(lang, many, n)
}

// rangeReason asks for a number within q's limits, in lang.
func (q *Question) rangeReason(lang string) string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch {
	case q.Min != nil && q.Max != nil:
		return uitext.T(lang, uitext.ReasonBetween, f(*q.Min), f(*q.Max))
	case q.Min != nil:
		return uitext.T(lang, uitext.ReasonAtLeastN, f(*q.Min))
	case q.Max != nil:
		return uitext.T(lang, uitext.ReasonAtMostN, f(*q.Max))
	}
	return uitext.T(lang, uitext.ReasonTypeNumber)
}

// shorten cuts s to n characters, so a reply quoting a long mistyped
// answer stays readable.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
