package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
)

// The hash chain. Each entry's Hash is the hex SHA-256 of a message made
// of these fields, in this order, each written as its length in bytes
// (decimal), a colon, its bytes and a newline ("5:hello\n"):
//
//	"peervoice-audit-v1", Prev, Seq (decimal), At (TimeFormat, UTC),
//	Actor.Kind, Actor.ID, Actor.Name, Action, Target, Outcome, Details
//
// The length prefixes make the encoding unambiguous: no choice of field
// values can make two different entries encode alike, whatever bytes
// (colons, newlines) they hold. The first entry's Prev is "" and every
// later entry's Prev is the Hash of the entry before it. The store keeps
// each field as text in a column of the same name (at in TimeFormat), so
// a short script re-verifies the log without PeerVoice; in Python:
//
//	def h(prev, row):  # row: seq, at, actor_kind, actor_id, actor_name, action, target, outcome, details
//	    fields = ["peervoice-audit-v1", prev, str(row[0])] + list(row[1:])
//	    msg = b"".join(b"%d:%s\n" % (len(f.encode()), f.encode()) for f in fields)
//	    return hashlib.sha256(msg).hexdigest()

// chainTag names the encoding, so a later one can be told apart.
const chainTag = "peervoice-audit-v1"

// TimeFormat is how an entry's time is hashed and stored: fixed-width
// UTC with nanoseconds, so the stored text sorts and hashes as it is.
const TimeFormat = "2006-01-02T15:04:05.000000000Z"

// Hash returns the hex SHA-256 of prev and e's fields in the encoding
// above. e's own Prev and Hash are not read: prev is the chain's.
func Hash(prev string, e Entry) string {
	h := sha256.New()
	for _, f := range []string{chainTag, prev, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(TimeFormat),
		e.Actor.Kind, e.Actor.ID, e.Actor.Name, e.Action, e.Target, e.Outcome, e.Details} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ChainError is the first entry at which a chain breaks.
type ChainError struct {
	Seq    int64  // the entry's sequence number as stored
	Reason string // what is wrong with it, and what that means
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("audit log: entry %d: %s", e.Seq, e.Reason)
}

// Verifier checks a chain entry by entry, in sequence order, so a log of
// any length is checked without holding it in memory. The zero value
// expects the first entry, seq 1.
type Verifier struct {
	n    int64  // entries checked
	last string // the Hash of the last entry checked
	err  error
}

// Add checks the next entry: that its seq follows the last one's (a gap
// means deleted entries), that its Prev is the last one's Hash (else an
// entry was inserted or the entries reordered), and that its Hash covers
// its fields (else it was edited). After the first error it returns that
// error again.
func (v *Verifier) Add(e Entry) error {
	if v.err != nil {
		return v.err
	}
	want := v.n + 1
	switch {
	case e.Seq > want:
		v.err = &ChainError{e.Seq, fmt.Sprintf("expected entry %d next: entries %d to %d are missing (deleted)", want, want, e.Seq-1)}
	case e.Seq < want:
		v.err = &ChainError{e.Seq, fmt.Sprintf("expected entry %d next: the sequence goes back (entries renumbered or reordered)", want)}
	case e.Prev != v.last:
		what := "the previous entry's hash"
		if want == 1 {
			what = `"" (it is the first)`
		}
		v.err = &ChainError{e.Seq, "its prev is not " + what + ": an entry was inserted before it, or entries were reordered or deleted"}
	case Hash(e.Prev, e) != e.Hash:
		v.err = &ChainError{e.Seq, "its hash does not match its fields: it was edited"}
	}
	if v.err != nil {
		return v.err
	}
	v.n, v.last = want, e.Hash
	return nil
}

// Count is how many entries have been checked and found intact.
func (v *Verifier) Count() int64 { return v.n }

// Last is the Hash of the last intact entry: "" for none. Kept somewhere
// else, it shows later whether the log was cut short or rewritten.
func (v *Verifier) Last() string { return v.last }

// Verify checks a whole chain, oldest first, and returns a *ChainError
// naming the first bad entry, or nil when it is intact.
func Verify(entries []Entry) error {
	var v Verifier
	for _, e := range entries {
		if err := v.Add(e); err != nil {
			return err
		}
	}
	return nil
}

// Chain sets Seq, Prev and Hash of e as the entry after last (the zero
// Entry for the first), for a Recorder and for tests.
func Chain(last, e Entry) Entry {
	e.Seq = last.Seq + 1
	e.Prev = last.Hash
	e.At = e.At.UTC()
	e.Hash = Hash(e.Prev, e)
	return e
}
