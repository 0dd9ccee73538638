// Package audit is PeerVoice's record of privileged actions: who did
// what, to what, with what outcome. Entries are append-only and
// hash-chained (each entry's hash covers the previous entry's hash and
// its own fields), so an edited, inserted or deleted entry breaks the
// chain and Verify names the first bad one.
//
// An entry never holds a participant's id, pseudonym or answers: the
// actors are staff (a Discord user id and display name), the operator
// at a shell, the flows folder, or the system.
package audit

import (
	"context"
	"time"
)

// Actor is who did something.
type Actor struct {
	// Kind is one of KindDiscord, KindCLI, KindFile, KindSystem.
	Kind string `json:"kind"`
	// ID is a staff member's Discord user id (KindDiscord) or the OS
	// user name (KindCLI); empty otherwise.
	ID string `json:"id,omitempty"`
	// Name is a staff member's display name at the time (KindDiscord).
	Name string `json:"name,omitempty"`
}

// Kinds of actor.
const (
	KindDiscord = "discord"
	KindCLI     = "cli"
	KindFile    = "file"
	KindSystem  = "system"
)

// String returns the actor as the log shows it: "Name (123)",
// "cli:alice", "file" or "system"; "discord" for a Discord member left
// unnamed (one refused who holds no staff role, and may be a
// participant).
func (a Actor) String() string {
	switch a.Kind {
	case KindDiscord:
		if a.ID == "" {
			return KindDiscord
		}
		if a.Name == "" {
			return a.ID
		}
		return a.Name + " (" + a.ID + ")"
	case KindCLI:
		if a.ID == "" {
			return KindCLI // the operator left unnamed: a withdrawal
		}
		return "cli:" + a.ID
	}
	return a.Kind
}

// Outcomes of an action.
const (
	OK      = "ok"
	Refused = "refused" // no permission, or from a server not served
	Failed  = "failed"
)

// Entry is one privileged action.
type Entry struct {
	Seq     int64     `json:"seq"` // set by the log
	At      time.Time `json:"at"`
	Actor   Actor     `json:"actor"`
	Action  string    `json:"action"`  // for example "flows.publish", "digest.post", "export"
	Target  string    `json:"target"`  // for example a flow id and version, a period
	Outcome string    `json:"outcome"` // OK, Refused or Failed
	Details string    `json:"details,omitempty"`
	Prev    string    `json:"prev"` // hex SHA-256 of the previous entry; set by the log
	Hash    string    `json:"hash"` // hex SHA-256 of Prev and this entry's fields; set by the log
}

// Recorder appends entries to the log. Implementations set Seq, Prev and
// Hash (and At when it is zero).
type Recorder interface {
	Record(ctx context.Context, e Entry) error
}

// Discard is a Recorder that keeps nothing, for tools and tests that
// have no log.
var Discard Recorder = discard{}

type discard struct{}

func (discard) Record(context.Context, Entry) error { return nil }
