package bot

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// TestAllowedByPermission covers the server-side check behind /prompt. The
// emulator, like Discord's client, hides the command from members
// without Manage Server (default_member_permissions), so a refusal by
// the bot itself cannot be provoked end to end: Discord lets server
// admins override that gate per role or channel, and this check is what
// stands then.
func TestAllowedByPermission(t *testing.T) {
	member := func(perms int64) *discordgo.InteractionCreate {
		return &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{Member: &discordgo.Member{Permissions: perms}}}
	}
	tests := []struct {
		name string
		ic   *discordgo.InteractionCreate
		want bool
	}{
		{"manage server", member(discordgo.PermissionManageServer | discordgo.PermissionSendMessages), true},
		{"administrator", member(discordgo.PermissionAdministrator), true},
		{"ordinary member", member(discordgo.PermissionSendMessages | discordgo.PermissionViewChannel | discordgo.PermissionUseSlashCommands), false},
		{"manage channels only", member(discordgo.PermissionManageChannels | discordgo.PermissionManageMessages), false},
		{"in a DM", &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{User: &discordgo.User{ID: "1"}}}, false},
	}
	for _, tt := range tests {
		if got := allowed(tt.ic, nil, moderatorPerms); got != tt.want {
			t.Errorf("allowed(%s, no roles) = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestNonceFor(t *testing.T) {
	occ := time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC)
	n := nonceFor("checkin", occ)
	if len(n) > 25 || strings.Trim(n, "0123456789") != "" || n == "" {
		t.Errorf("nonceFor() = %q; want at most 25 digits", n)
	}
	if again := nonceFor("checkin", occ.In(time.FixedZone("x", 3600))); again != n {
		t.Errorf("nonceFor() = %q for the same instant in another zone; want %q", again, n)
	}
	for _, other := range []string{nonceFor("checkin", occ.Add(7*24*time.Hour)), nonceFor("1", occ)} {
		if other == n {
			t.Errorf("nonceFor() = %q for another occurrence; want a different nonce", other)
		}
	}
}

func TestPostProblem(t *testing.T) {
	rest := func(status, code int, msg string) error {
		return &discordgo.RESTError{Response: &http.Response{StatusCode: status}, Message: &discordgo.APIErrorMessage{Code: code, Message: msg}}
	}
	tests := []struct {
		err         error
		reason, fix string
	}{
		{rest(404, 10003, "Unknown Channel"), "Unknown Channel", "#general does not exist, or the bot cannot see it"},
		{rest(403, 50001, "Missing Access"), "Missing Access", "give the bot View Channel and Send Messages in #general"},
		{rest(403, 50013, "Missing Permissions"), "Missing Permissions", "give the bot Send Messages and Embed Links in #general"},
		{errors.New("connection refused"), "connection refused", ""},
	}
	for _, tt := range tests {
		reason, fix := postProblem(tt.err, "#general")
		if reason != tt.reason || !strings.Contains(fix, tt.fix) || (tt.fix == "") != (fix == "") {
			t.Errorf("postProblem(%v) = %q, %q; want %q, %q", tt.err, reason, fix, tt.reason, tt.fix)
		}
	}
}
