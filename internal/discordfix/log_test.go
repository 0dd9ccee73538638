package discordfix_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordfix"
)

// token is an interaction token as discordgo puts it in a webhook URL: a
// secret that must not reach a log.
const token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OjEyMzQ1Njc4OTAxMjM0NTY3OA"

// refused is the error the transport returns for a REST call nothing
// answered, as discordgo's http.Client wraps it in a *url.Error.
var refused = &discordfix.Unreachable{What: "the Discord API", Addr: "127.0.0.1:9", Key: "discord.api_url", Value: "http://127.0.0.1:9", Err: errors.New("connection refused")}

// TestCleanErrors: an error logged through CleanErrors shows the route
// of a failed REST call, not discordgo's discord.com URL with its ids
// and interaction token, whether given to the call or to With; other
// errors are logged as they are.
func TestCleanErrors(t *testing.T) {
	err := fmt.Errorf("send follow-up: %w", &url.Error{Op: "Post", URL: "https://discord.com/api/v9/webhooks/123456/" + token, Err: refused})
	var b strings.Builder
	log := discordfix.CleanErrors(discordfix.CleanErrors(slog.New(slog.NewTextHandler(&b, nil))))
	log.Warn("reply failed", "err", err)
	log.With("err", err).Warn("again")
	log.WithGroup("g").Warn("plain", "err", errors.New("https://discord.com/kept as it is"))
	got := b.String()
	if strings.Contains(got, token) || strings.Contains(got, "discord.com/api") || strings.Contains(got, "123456") {
		t.Errorf("log shows the URL:\n%s", got)
	}
	if n := strings.Count(got, "send follow-up: Post /api/v9/webhooks/:id/:id: cannot reach the Discord API at 127.0.0.1:9"); n != 2 {
		t.Errorf("log has the route and the host %d times; want 2:\n%s", n, got)
	}
	if !strings.Contains(got, `g.err="https://discord.com/kept as it is"`) {
		t.Errorf("log:\n%s\nwant the error without a *url.Error left alone", got)
	}
}

// TestRouteLog checks that discordgo's own log lines (its reconnect loop
// logs REST errors itself) reach the logger given, in its format and
// level, with the discord.com URL and its tokens cleaned out, and that
// the last logger given wins.
func TestRouteLog(t *testing.T) {
	err := &url.Error{Op: "Get", URL: "https://discord.com/api/v9/gateway?t=" + token, Err: refused}
	var first, b strings.Builder
	discordfix.RouteLog(slog.New(slog.NewJSONHandler(&first, nil)))
	discordfix.RouteLog(slog.New(slog.NewJSONHandler(&b, nil)))
	t.Cleanup(func() { discordfix.RouteLog(nil) })
	discordgo.Logger(discordgo.LogError, 1, "error reconnecting to gateway, %s", err)
	discordgo.Logger(discordgo.LogWarning, 1, "%s", "a warning")
	discordgo.Logger(discordgo.LogDebug, 1, "%s", "a debug line")
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
	if strings.Contains(got, "a debug line") {
		t.Errorf("discordgo's log:\n%s\nhas a debug line, below the logger's level", got)
	}
	if first.Len() != 0 {
		t.Errorf("the logger given first got:\n%s\nwant nothing: the last RouteLog wins", first.String())
	}
	discordfix.RouteLog(nil)
	discordgo.Logger(discordgo.LogError, 1, "%s", "after nil")
	if strings.Contains(b.String(), "after nil") {
		t.Errorf("RouteLog(nil) left the last logger in place")
	}
}
