package bot

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordfix"
	"github.com/peervoice/peervoice/internal/testutil"
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
// is explained with the host dialled and discord.api_url, not the
// discord.com URL discordgo asked for.
func TestTransportUnreachable(t *testing.T) {
	addr := testutil.ClosedAddr(t)
	tr, err := discordfix.NewTransport(discordfix.Options{APIURL: "http://" + addr, Log: slog.New(slog.DiscardHandler)})
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

// noFlows is a participant service with no flows, for a bot that is
// built and never run.
type noFlows struct{ Participants }

func (noFlows) Flows() *flows.Catalog { return &flows.Catalog{} }

// TestNewRoutesLogs: a bot's logger cleans the errors it logs, and gets
// discordgo's own log lines, cleaned too (internal/discordfix tests how).
func TestNewRoutesLogs(t *testing.T) {
	const token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OjEyMzQ1Njc4OTAxMjM0NTY3OA"
	err := &url.Error{Op: "Get", URL: "https://discord.com/api/v9/webhooks/1/" + token, Err: errors.New("connection refused")}
	var b strings.Builder
	bt, nerr := New(Config{Token: "x", Log: slog.New(slog.NewJSONHandler(&b, nil))}, noFlows{})
	if nerr != nil {
		t.Fatal(nerr)
	}
	t.Cleanup(func() { discordfix.RouteLog(nil) })
	bt.log.Warn("reply failed", "err", err)
	if discordgo.Logger == nil {
		t.Fatal("discordgo.Logger is not set: discordgo's log lines go to the standard library's logger, not the bot's")
	}
	discordgo.Logger(discordgo.LogError, 1, "error reconnecting to gateway, %s", err)
	got := b.String()
	if strings.Contains(got, token) || strings.Contains(got, "discord.com") {
		t.Errorf("the bot's log shows the URL:\n%s", got)
	}
	for _, want := range []string{
		`"msg":"reply failed","err":"Get /api/v9/webhooks/:id/:id: connection refused"`,
		`"level":"ERROR","msg":"error reconnecting to gateway, Get /api/v9/webhooks/:id/:id: connection refused","from":"discordgo"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the bot's log:\n%s\nwant it to contain %s", got, want)
		}
	}
}
