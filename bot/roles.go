package bot

import (
	"slices"

	"github.com/bwmarrin/discordgo"
)

// allowed checks a member's right to a privileged command on the server
// side: Discord's default member permissions are only a first gate,
// which server admins can override per role or channel. With roles
// configured, the member must hold one of them; without, perms stand in
// (Manage Server or Administrator).
func allowed(ic *discordgo.InteractionCreate, roles []string, perms int64) bool {
	if ic.Member == nil {
		return false
	}
	if len(roles) == 0 {
		return ic.Member.Permissions&perms != 0
	}
	for _, r := range ic.Member.Roles {
		if slices.Contains(roles, r) {
			return true
		}
	}
	return false
}

// isModerator reports whether the member may manage prompts.
func (b *Bot) isModerator(ic *discordgo.InteractionCreate) bool {
	return allowed(ic, b.cfg.ModeratorRoles, moderatorPerms)
}

// isResearcher reports whether the member may see digests and exports.
func (b *Bot) isResearcher(ic *discordgo.InteractionCreate) bool {
	return allowed(ic, b.cfg.ResearcherRoles, moderatorPerms)
}

// refuse logs a refused privileged command (without who asked) and says
// kindly what is needed.
func (b *Bot) refuse(command, role string) error {
	b.log.Warn("privileged command refused: the member lacks the role", "command", command, "role", role)
	return userError{"This needs the " + role + " role."}
}
