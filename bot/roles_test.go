package bot

import (
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
