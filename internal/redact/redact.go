// Package redact removes secrets from text before it is written to a
// log: anything shaped like a Discord bot token, the value of a "Bot" or
// "Bearer" authorization, and the secrets a deployment configured. A
// proxy that echoes request headers into an error body, or a library
// that logs a request, must not put the token in the log.
//
// Writer applies it to every record a slog handler formats, which covers
// messages, attributes of every kind (errors, Stringers, groups) and
// discordgo's own lines routed into the log alike. It imports no other
// PeerVoice package.
package redact

import (
	"bytes"
	"io"
	"regexp"
	"sort"
	"strings"
)

// Redacted replaces each secret found.
const Redacted = "[redacted]"

// tokenRe finds a Discord bot token: three base64url parts joined by
// dots (the bot's id, a timestamp, an HMAC), with the lengths Discord's
// have and some room either way; a JSON Web Token has the same shape and
// is a secret too. authRe finds an authorization value after Bot or
// Bearer, as in an echoed "Authorization: Bot ..." header.
var (
	tokenRe = regexp.MustCompile(`[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{16,}`)
	authRe  = regexp.MustCompile(`(?i)\b((?:Bot|Bearer)\s+)[A-Za-z0-9._~+/=-]{8,}`)
)

// minSecret is the shortest configured secret redacted: a shorter one
// would remove ordinary words, and is no secret worth the name.
const minSecret = 8

// Redactor removes token-shaped text and configured secrets. The zero
// value removes token shapes only.
type Redactor struct {
	secrets []string // longest first, so a secret inside another goes too
}

// New returns a Redactor that also removes each of secrets wherever it
// appears; empty and very short ones are ignored.
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		if s = strings.TrimSpace(s); len(s) >= minSecret {
			r.secrets = append(r.secrets, s)
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	return r
}

// String returns s with every secret replaced by [redacted].
func (r *Redactor) String(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, Redacted)
	}
	s = authRe.ReplaceAllString(s, "${1}"+Redacted)
	return tokenRe.ReplaceAllString(s, Redacted)
}

// Writer returns a writer that redacts each write before passing it on to
// w. slog's handlers write one whole record per call, so a secret is never
// split between two writes.
func (r *Redactor) Writer(w io.Writer) io.Writer { return &writer{r: r, w: w} }

type writer struct {
	r *Redactor
	w io.Writer
}

// Write redacts p and writes it; it reports len(p) written when the
// redacted text was, as io.Writer requires of the bytes it was given.
func (w *writer) Write(p []byte) (int, error) {
	out := w.r.String(string(p))
	if out == string(p) {
		return w.w.Write(p)
	}
	if _, err := io.Copy(w.w, bytes.NewBufferString(out)); err != nil {
		return 0, err
	}
	return len(p), nil
}
