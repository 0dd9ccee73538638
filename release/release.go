// Package release keeps the question flows' published versions: each
// flow id has numbered versions v1, v2, … with at most one live, drafts
// awaiting publication, and a closed state (no new starts). The database
// is the source of truth; the built-in pack and the flows folder seed it
// (a file whose content differs from what was last imported from that
// file becomes a new live version, actor "file"). Every change is
// recorded in the audit log.
//
// It is the one implementation behind the moderators' /flows command and
// the peervoice flows subcommands.
package release

import (
	"errors"
	"time"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/flows"
)

// Version is one published version of a flow.
type Version struct {
	FlowID  string
	N       int    // 1, 2, …
	Hash    string // the flow's content hash, as sessions and answers record it
	Source  []byte // exactly as published
	At      time.Time
	Actor   audit.Actor
	Summary string // one line: what changed
	Live    bool
}

// Summary is a flow as /flows list and peervoice flows history show it.
type Summary struct {
	FlowID    string
	Title     string
	Live      int  // the live version's number; 0 when none
	Closed    bool // no new starts
	Questions int  // in the live version
	Responses int  // sessions started, every version
	Draft     bool // a draft awaits publication
}

// Change is one difference between two versions of a flow.
type Change struct {
	// Kind is one of "question added", "question removed", "question
	// reworded", "option added", "option removed", "type changed",
	// "id reused" (a question id now asks something else).
	Kind       string
	QuestionID string
	OptionID   string // for option changes
	Detail     string // a readable line, for example `"Q3" reworded: "…" → "…"`
	// Affected is the number of answers already given that the change
	// touches (an option removed that has answers, a type changed, an id
	// reused); 0 when none.
	Affected int
}

// Draft is an uploaded flow awaiting publication.
type Draft struct {
	FlowID  string
	Hash    string
	Source  []byte
	At      time.Time
	Actor   audit.Actor
	Against int      // the live version it is compared with; 0 when the flow is new
	Changes []Change // against the live version
	// Affected is the sum of the changes' Affected: publishing needs an
	// explicit confirmation when it is not 0.
	Affected int
}

// Errors callers tell apart.
var (
	// ErrNeedsConfirm: the draft touches answers already given; publish
	// again with confirm set.
	ErrNeedsConfirm = errors.New("release: the draft changes answers already given; confirm to publish")
	ErrNoDraft      = errors.New("release: no draft to publish")
	ErrNoVersion    = errors.New("release: no such version")
	// ErrUnknownFlow is flows.ErrUnknownFlow, so errors.Is works with either.
	ErrUnknownFlow = flows.ErrUnknownFlow
)

// LintError is an upload or publication refused because the source has
// problems; nothing changed. Problems are `file:line:col: message`.
type LintError struct{ Problems flows.Problems }

func (e *LintError) Error() string { return e.Problems.Error() }
