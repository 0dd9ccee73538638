package redact_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/internal/redact"
)

// A token of Discord's shape (not a real one).
const token = "MTE4NDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"

func TestString(t *testing.T) {
	r := redact.New("s3cret-webhook-value", "short")
	tests := []struct{ in, want string }{
		{"token " + token + " end", "token [redacted] end"},
		{`{"echo":"Authorization: Bot ` + token + `"}`, `{"echo":"Authorization: Bot [redacted]"}`},
		{"authorization: bot abcdefgh12345678", "authorization: bot [redacted]"},
		{"Authorization: Bearer eyJhbGciOi.x", "Authorization: Bearer [redacted]"},
		{"posted to s3cret-webhook-value ok", "posted to [redacted] ok"},
		{"a short word", "a short word"},
		{"Bot ready: PeerVoice bot ready as PeerVoice#0001", "Bot ready: PeerVoice bot ready as PeerVoice#0001"},
		{"see www.example.com and flows/recovery.yaml:14:5", "see www.example.com and flows/recovery.yaml:14:5"},
		{"version 1.20.4 and 2026-12-04T21:26:28.123Z", "version 1.20.4 and 2026-12-04T21:26:28.123Z"},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriterUnderSlog: every part of a record is redacted, whatever its
// kind, in text and JSON alike.
func TestWriterUnderSlog(t *testing.T) {
	r := redact.New("configured-secret-1")
	for _, format := range []string{"text", "json"} {
		var b bytes.Buffer
		var h slog.Handler = slog.NewTextHandler(r.Writer(&b), nil)
		if format == "json" {
			h = slog.NewJSONHandler(r.Writer(&b), nil)
		}
		log := slog.New(h).With("session", "Bot "+token)
		log.Error("send failed: "+token, "err", errors.New("HTTP 401: "+`{"headers":{"Authorization":"Bot `+token+`"}}`),
			slog.Group("req", "secret", "configured-secret-1"))
		got := b.String()
		if strings.Contains(got, token) || strings.Contains(got, "configured-secret-1") || strings.Count(got, redact.Redacted) != 4 {
			t.Errorf("%s log %q; want the token and secret redacted, 4 times", format, got)
		}
	}
}
