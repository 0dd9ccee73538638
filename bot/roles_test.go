package bot

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestAllowedByRole(t *testing.T) {
	member := func(perms int64, roles ...string) *discordgo.InteractionCreate {
		return &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{Member: &discordgo.Member{Permissions: perms, Roles: roles}}}
	}
	mods := []string{"111", "222"}
	tests := []struct {
		name string
		ic   *discordgo.InteractionCreate
		want bool
	}{
		{"has a moderator role", member(0, "999", "222"), true},
		{"administrator without the role", member(discordgo.PermissionAdministrator|discordgo.PermissionManageServer, "999"), false},
		{"no roles", member(0), false},
		{"in a DM", &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{User: &discordgo.User{ID: "1"}}}, false},
	}
	for _, tt := range tests {
		if got := allowed(tt.ic, mods, moderatorPerms); got != tt.want {
			t.Errorf("allowed(%s, %v) = %v; want %v", tt.name, mods, got, tt.want)
		}
	}
}

// TestRequireRole: in the study's server, each role is checked against
// its own configured ids, or Manage Server without; anyone passes, even
// in a DM, where nothing privileged does; a refusal is a roleError,
// logged without who asked. (TestRequireServer checks the server.)
func TestRequireRole(t *testing.T) {
	member := func(perms int64, roles ...string) *discordgo.InteractionCreate {
		return &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{GuildID: "7001", Member: &discordgo.Member{Permissions: perms, Roles: roles, User: &discordgo.User{ID: "42424242"}}}}
	}
	dm := &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{User: &discordgo.User{ID: "42424242"}}}
	withRoles := Config{GuildID: "7001", ModeratorRoles: []string{"m"}, ResearcherRoles: []string{"r"}}
	noRoles := Config{GuildID: "7001"}
	manage := int64(discordgo.PermissionManageServer)
	tests := []struct {
		name string
		cfg  Config
		ic   *discordgo.InteractionCreate
		role role
		want bool
	}{
		{"anyone, in a DM", withRoles, dm, anyone, true},
		{"anyone, a member without roles", withRoles, member(0), anyone, true},
		{"moderator role", withRoles, member(0, "m"), moderator, true},
		{"researcher role for a moderator's command", withRoles, member(manage, "r"), moderator, false},
		{"moderator role for a researcher's command", withRoles, member(manage, "m"), researcher, false},
		{"researcher role", withRoles, member(0, "x", "r"), researcher, true},
		{"Manage Server, roles configured", withRoles, member(manage), researcher, false},
		{"Manage Server, no roles configured", noRoles, member(manage), researcher, true},
		{"Administrator, no roles configured", noRoles, member(discordgo.PermissionAdministrator), moderator, true},
		{"no permission, no roles configured", noRoles, member(discordgo.PermissionSendMessages), moderator, false},
		{"in a DM, no roles configured", noRoles, dm, moderator, false},
		{"in a DM, roles configured", withRoles, dm, researcher, false},
	}
	for _, tt := range tests {
		var logs bytes.Buffer
		b := &Bot{cfg: tt.cfg, log: slog.New(slog.NewTextHandler(&logs, nil))}
		err := b.requireRole(tt.ic, tt.role, "thing")
		if got := err == nil; got != tt.want {
			t.Errorf("%s: requireRole(%v) = %v; want allowed %v", tt.name, tt.role, err, tt.want)
			continue
		}
		if tt.want {
			continue
		}
		var re roleError
		if !errors.As(err, &re) || err.Error() != "This needs the "+tt.role.String()+" role." {
			t.Errorf("%s: requireRole(%v) = %#v; want a roleError that names the role", tt.name, tt.role, err)
		}
		if text, ours := userFacing(err, "en"); ours || text != err.Error() {
			t.Errorf("%s: userFacing(refusal) = %q, %v; want its text, not ours", tt.name, text, ours)
		}
		if l := logs.String(); !strings.Contains(l, "privileged command refused") || !strings.Contains(l, "command=thing") || strings.Contains(l, "42424242") {
			t.Errorf("%s: logged %q; want the refusal and the command, without who asked", tt.name, l)
		}
	}
}
