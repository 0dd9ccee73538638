package flows

import (
	"strconv"
	"strings"
	"time"

	"github.com/peervoice/peervoice/uitext"
)

// Status is where a session stands.
type Status string

// The statuses of a session.
const (
	Active Status = "active" // waiting for an answer
	Paused Status = "paused" // the participant stopped for now
	Done   Status = "done"   // finished
)

// Session is one participant's way through one version of a flow. It is a
// plain value that marshals to JSON, so a host can store it after every
// step and carry on after a restart exactly where the participant was.
type Session struct {
	ID      string            `json:"id"`
	FlowID  string            `json:"flow"`
	Version string            `json:"version"`
	Lang    string            `json:"lang,omitempty"`
	Status  Status            `json:"status"`
	Current string            `json:"current,omitempty"` // the question shown now; "" when done
	Path    []string          `json:"path,omitempty"`    // questions shown, in order, ending with Current
	Answers map[string]Answer `json:"answers,omitempty"` // by question id
	Started time.Time         `json:"started"`
	Updated time.Time         `json:"updated"`
}

// Answer is what a participant gave for one question.
type Answer struct {
	Choices []string `json:"choices,omitempty"` // option ids, for choice, scale and multi
	Text    string   `json:"text,omitempty"`
	Number  *float64 `json:"number,omitempty"`
	Skipped bool     `json:"skipped,omitempty"`
}

// value is the answer as a `when` condition sees it: an option id for
// choice and scale, a list of ids for multi, the text or number, and nil
// when the question was skipped or not asked.
func (a Answer) value(q *Question) any {
	if a.Skipped || q == nil {
		return nil
	}
	switch q.Type {
	case TypeChoice, TypeScale:
		if len(a.Choices) == 0 {
			return nil
		}
		return q.optionValue(a.Choices[0])
	case TypeMulti:
		if a.Choices == nil {
			return nil
		}
		list := make([]any, len(a.Choices))
		for i, c := range a.Choices {
			list[i] = q.optionValue(c)
		}
		return list
	case TypeText:
		if a.Text == "" {
			return nil
		}
		return a.Text
	case TypeNumber:
		if a.Number == nil {
			return nil
		}
		return *a.Number
	}
	return nil
}

// Output is something the host shows or records after a step. The
// engine sends nothing itself: hosts deliver outputs in order.
type Output interface{ isOutput() }

// Ask shows a question.
type Ask struct {
	Question *Question
	Lang     string
	Progress Progress
	// Default is the earlier answer to this question, after Back.
	Default *Answer
	// Intro is the flow's introduction, set on its first question.
	Intro string
}

// Invalid says why an input was not accepted; an Ask follows it.
type Invalid struct {
	Question *Question
	Reason   string
}

// Answered records an answer (or a skip) to store.
type Answered struct {
	Question *Question
	Answer   Answer
}

// Cleared lists earlier answers that no longer apply, because the
// participant went back and took another path. Hosts delete them.
type Cleared struct {
	QuestionIDs []string
}

// Stopped says the participant paused; the session resumes later.
type Stopped struct{}

// Finished says the flow is complete.
type Finished struct {
	Outro string
}

func (Ask) isOutput()      {}
func (Invalid) isOutput()  {}
func (Answered) isOutput() {}
func (Cleared) isOutput()  {}
func (Stopped) isOutput()  {}
func (Finished) isOutput() {}

// Format shows an answer to q as a participant reads it: option labels,
// the text, the number, or "(skipped)", in lang.
func (q *Question) Format(a Answer, lang string) string {
	if a.Skipped {
		return uitext.T(lang, uitext.SkippedAnswer)
	}
	switch q.Type {
	case TypeChoice, TypeScale, TypeMulti:
		labels := make([]string, 0, len(a.Choices))
		for _, id := range a.Choices {
			if o := q.Option(id); o != nil {
				labels = append(labels, o.Label.In(lang))
			} else {
				labels = append(labels, id)
			}
		}
		return strings.Join(labels, ", ")
	case TypeNumber:
		if a.Number == nil {
			return ""
		}
		return strconv.FormatFloat(*a.Number, 'f', -1, 64)
	}
	return a.Text
}
