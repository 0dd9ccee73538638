package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Action is what a component on a PeerVoice message does.
type Action byte

// The actions, as they appear in custom ids. One letter each, so the ids
// stay well within Discord's 100 characters.
const (
	ActAnswer   Action = 'a' // a button for one option: Value is the option id
	ActSelect   Action = 'm' // a select menu: the values come with the interaction
	ActSkip     Action = 's'
	ActBack     Action = 'b'
	ActStop     Action = 'x'
	ActContinue Action = 'c' // an info question's Continue button
	ActWrite    Action = 't' // opens a modal for a typed answer
	ActModal    Action = 'M' // the modal's submission
	ActPrompt   Action = 'p' // "Answer privately" on a community prompt: Value is the flow id
	ActMenu     Action = 'f' // the menu of flows: the flow id comes as the select value
	ActWithdraw Action = 'w' // withdraw confirmation: Value is yes or no
	ActLang     Action = 'l' // switches a session's language: Value is the language, or the select's value
	// A moderator's review of a quote candidate: Value is the quote id.
	ActApproveQuote Action = 'A'
	ActRejectQuote  Action = 'R'
	ActUndoQuote    Action = 'U' // back to waiting for a decision
	// A moderator's buttons beside a flow's draft (/flows upload): Value
	// is the flow id, Session the draft's hash.
	ActPreviewDraft  Action = 'V'
	ActPublishDraft  Action = 'P'
	ActPublishAnyway Action = 'Y' // publish, confirming the answers it touches
	// A reminder's buttons (reminder.go): Carry on resumes the flow whose
	// id is Value, as /survey does; No more reminders turns them off.
	ActCarryOn     Action = 'r'
	ActNoReminders Action = 'n'
)

// ID is a decoded custom id: which action, on which session's question.
type ID struct {
	Action   Action
	Session  string
	Question string
	Value    string
}

const idPrefix = "pv1"

var idPart = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)

// ErrBadID means a custom id is not one of PeerVoice's.
var ErrBadID = errors.New("bot: not a PeerVoice custom id")

// String encodes id as pv1:action:session:question:value, the one format
// every component uses.
func (id ID) String() string {
	return strings.Join([]string{idPrefix, string(id.Action), id.Session, id.Question, id.Value}, ":")
}

// ParseID decodes a custom id made by ID.String.
func ParseID(s string) (ID, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 5 || parts[0] != idPrefix || len(parts[1]) != 1 {
		return ID{}, fmt.Errorf("%w: %q", ErrBadID, s)
	}
	for _, p := range parts[2:] {
		if !idPart.MatchString(p) {
			return ID{}, fmt.Errorf("%w: %q", ErrBadID, s)
		}
	}
	id := ID{Action: Action(parts[1][0]), Session: parts[2], Question: parts[3], Value: parts[4]}
	switch id.Action {
	case ActAnswer, ActSelect, ActSkip, ActBack, ActStop, ActContinue, ActWrite, ActModal, ActLang:
		if id.Session == "" || id.Question == "" {
			return ID{}, fmt.Errorf("%w: %q has no session or question", ErrBadID, s)
		}
	case ActPrompt, ActMenu, ActWithdraw, ActNoReminders:
	case ActCarryOn:
		if id.Value == "" {
			return ID{}, fmt.Errorf("%w: %q has no flow", ErrBadID, s)
		}
	case ActApproveQuote, ActRejectQuote, ActUndoQuote:
		if id.Value == "" {
			return ID{}, fmt.Errorf("%w: %q has no quote id", ErrBadID, s)
		}
	case ActPreviewDraft, ActPublishDraft, ActPublishAnyway:
		if id.Value == "" {
			return ID{}, fmt.Errorf("%w: %q has no flow id", ErrBadID, s)
		}
	default:
		return ID{}, fmt.Errorf("%w: unknown action %q", ErrBadID, parts[1])
	}
	return id, nil
}
