package bot

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// TestSetupProblem checks what a person setting the bot up is told for
// the gateway's close codes that end the bot, and for REST refusals:
// the bot's own token refused is explained, an interaction token's is not.
func TestSetupProblem(t *testing.T) {
	rest := func(status, code int) error {
		return fmt.Errorf("wrapped: %w", &discordgo.RESTError{
			Response: &http.Response{StatusCode: status, Status: http.StatusText(status)},
			Message:  &discordgo.APIErrorMessage{Code: code, Message: "x"},
		})
	}
	closed := func(code int, text string) error { return &websocket.CloseError{Code: code, Text: text} }
	tests := []struct {
		name    string
		err     error
		refused bool     // errors.Is(ErrTokenRefused)
		want    []string // all in the message; none: not a setup problem
	}{
		{"4004", closed(4004, "Authentication failed."), true, []string{"Discord refused the bot token", "4004 Authentication failed", "Reset Token", "PEERVOICE_DISCORD_TOKEN", "discord.token"}},
		{"REST 401", rest(401, 0), true, []string{"Discord refused the bot token", "HTTP 401", "Developer Portal"}},
		{"4014", closed(4014, "Disallowed intent(s)."), false, []string{"4014 Disallowed intent(s)", "Privileged Gateway Intents"}},
		{"4013", closed(4013, "Invalid intent(s)."), false, []string{"4013", "bug"}},
		{"4011", closed(4011, "Sharding required."), false, []string{"sharding", "2,500"}},
		{"not a gateway", fmt.Errorf("dial: %w", websocket.ErrBadHandshake), false, []string{"not as a websocket gateway", "discord.gateway_url"}},
		{"interaction token 401", rest(401, 50027), false, nil},
		{"403", rest(403, 50001), false, nil},
		{"close 1006: reconnecting helps", closed(1006, ""), false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := setupProblem("connect to Discord", tt.err)
			if len(tt.want) == 0 {
				if got != nil {
					t.Errorf("setupProblem(%v) = %v; want nil", tt.err, got)
				}
				return
			}
			if got == nil {
				t.Fatalf("setupProblem(%v) = nil; want an explanation", tt.err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got.Error(), w) {
					t.Errorf("setupProblem(%v) = %q; want it to contain %q", tt.err, got, w)
				}
			}
			if errors.Is(got, ErrTokenRefused) != tt.refused {
				t.Errorf("errors.Is(%v, ErrTokenRefused) = %v; want %v", got, !tt.refused, tt.refused)
			}
		})
	}
}

// TestTransportUnreachable checks that a REST call that cannot connect
// names the host dialled and discord.api_url, not the discord.com URL
// discordgo asked for.
func TestTransportUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	tr, err := newTransport(nil, "http://"+addr, "", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: tr}
	_, err = c.Get("https://discord.com/api/v9/gateway")
	got := setupProblem("connect to Discord", err)
	if got == nil {
		t.Fatalf("setupProblem(%v) = nil; want the host explained", err)
	}
	for _, want := range []string{"cannot reach the Discord API at " + addr, "connection refused", `discord.api_url is "http://` + addr + `"`} {
		if !strings.Contains(got.Error(), want) {
			t.Errorf("error = %q; want it to contain %q", got, want)
		}
	}
	if strings.Contains(got.Error(), "discord.com") {
		t.Errorf("error = %q; names discord.com, which was never dialled", got)
	}
}

// TestLoggedErrorsNameNoURL: an error logged by the bot shows the route
// of a failed REST call, not discordgo's discord.com URL with its ids
// and interaction token.
func TestLoggedErrorsNameNoURL(t *testing.T) {
	const token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OjEyMzQ1Njc4OTAxMjM0NTY3OA"
	inner := &unreachable{what: "the Discord API", addr: "127.0.0.1:9", key: "discord.api_url", value: "http://127.0.0.1:9", err: errors.New("connection refused")}
	err := fmt.Errorf("send follow-up: %w", &url.Error{Op: "Post", URL: "https://discord.com/api/v9/webhooks/123456/" + token, Err: inner})
	var b strings.Builder
	log := withCleanErrors(slog.New(slog.NewTextHandler(&b, nil)))
	log.Warn("reply failed", "err", err)
	log.With("err", err).Warn("again")
	got := b.String()
	if strings.Contains(got, token) || strings.Contains(got, "discord.com") || strings.Contains(got, "123456") {
		t.Errorf("log shows the URL:\n%s", got)
	}
	if n := strings.Count(got, "send follow-up: Post /api/v9/webhooks/:id/:id: cannot reach the Discord API at 127.0.0.1:9"); n != 2 {
		t.Errorf("log has the route and the host %d times; want 2:\n%s", n, got)
	}
	if s, ok := cleanError(errors.New("plain")); ok {
		t.Errorf("cleanError(plain) = %q, true; want it left alone", s)
	}
}

// TestDiscordgoLogRouted checks that discordgo's own log lines (its
// reconnect loop logs REST errors itself) reach the bot's logger, in its
// format and level, with the discord.com URL and its tokens cleaned out.
func TestDiscordgoLogRouted(t *testing.T) {
	const token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OjEyMzQ1Njc4OTAxMjM0NTY3OA"
	inner := &unreachable{what: "the Discord API", addr: "127.0.0.1:9", key: "discord.api_url", value: "http://127.0.0.1:9", err: errors.New("connection refused")}
	err := &url.Error{Op: "Get", URL: "https://discord.com/api/v9/gateway?t=" + token, Err: inner}
	var b strings.Builder
	routeDiscordgoLog(withCleanErrors(slog.New(slog.NewJSONHandler(&b, nil))))
	t.Cleanup(func() { dgLog.Store(nil) })
	discordgo.Logger(discordgo.LogError, 1, "error reconnecting to gateway, %s", err)
	discordgo.Logger(discordgo.LogWarning, 1, "%s", "a warning")
	got := b.String()
	if strings.Contains(got, token) || strings.Contains(got, "discord.com") {
		t.Errorf("discordgo's log shows the URL:\n%s", got)
	}
	for _, want := range []string{
		`"level":"ERROR","msg":"error reconnecting to gateway, Get /api/v9/gateway: cannot reach the Discord API at 127.0.0.1:9`,
		`"level":"WARN","msg":"a warning","from":"discordgo"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("discordgo's log:\n%s\nwant it to contain %s", got, want)
		}
	}
}
