package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// NonceWindow is how long the emulator remembers a message's nonce for
// enforce_nonce. Discord documents "the past few minutes".
const NonceWindow = 5 * time.Minute

// maxNonceLength is the longest nonce string Discord accepts.
const maxNonceLength = 25

// messageNonce reads nonce and enforce_nonce from a create-message body.
// A nonce may be a string or an integer; it is kept as its text.
func messageNonce(fields map[string]json.RawMessage) (nonce string, enforce bool, err error) {
	raw, ok := fields["nonce"]
	if !ok || bytes.Equal(raw, []byte("null")) {
		return "", false, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return "", false, fmt.Errorf("nonce: expected a string or an integer")
		}
		s = n.String()
	}
	if len(s) > maxNonceLength {
		return "", false, fmt.Errorf("nonce: must be %d or fewer in length", maxNonceLength)
	}
	if raw, ok := fields["enforce_nonce"]; ok {
		_ = json.Unmarshal(raw, &enforce)
	}
	return s, enforce, nil
}

// nonceMessage returns the message the bot created with nonce within
// NonceWindow, which Discord returns instead of creating another when
// enforce_nonce is true; nil if there is none. Like Discord, it looks at
// every channel: the nonce is unique per author. Call with e.mu held.
func (e *Emulator) nonceMessage(nonce string) *message {
	if nonce == "" {
		return nil
	}
	since := e.cfg.clock.Now().Add(-NonceWindow)
	var found *message
	for _, m := range e.messages {
		if m.nonce == nonce && m.author == nil && !m.deleted && m.created.After(since) {
			if found == nil || m.created.Before(found.created) {
				found = m
			}
		}
	}
	return found
}
