package bot

import (
	"slices"

	"github.com/bwmarrin/discordgo"
)

// role is who may use a slash command or a button: anyone, or the
// members who hold PeerVoice's moderator or researcher role.
type role int

const (
	anyone     role = iota
	moderator       // manages prompts and reviews quotes
	researcher      // sees digests and exports
	staff           // either of the two: reads the audit log
)

// String names the role as a refusal does: "This needs the moderator
// role."
func (r role) String() string {
	switch r {
	case moderator:
		return "moderator"
	case researcher:
		return "researcher"
	case staff:
		return "moderator or researcher"
	}
	return "anyone"
}

// moderatorPerms are the permissions that make a member a moderator, or a
// researcher, when no roles are configured: Manage Server, or
// Administrator.
const moderatorPerms = discordgo.PermissionManageServer | discordgo.PermissionAdministrator

// requireRole is the one check of a member's right to a command or
// button, made on every use by dispatch (slash commands), onComponent
// (buttons) and onModal (forms): Discord's default member permissions are
// only a first gate, which server admins can override per role or
// channel. First the server (requireServer, guild.go): nothing is served
// from a server other than discord.guild_id's, and nothing privileged
// without one. Then the role: for anyone it passes; otherwise the member
// must hold one of the configured role ids, or, with none configured,
// Manage Server or Administrator. In a DM there is no member, so nothing
// privileged runs there. A refusal is logged (without who asked),
// recorded in the audit log (auditRefusal: naming only staff), and says
// kindly what is needed; what names the command or button in the log.
func (b *Bot) requireRole(ic *discordgo.InteractionCreate, r role, what string) error {
	if err := b.requireServer(ic, r, what); err != nil {
		return err
	}
	var ids []string
	switch r {
	case anyone:
		return nil
	case moderator:
		ids = b.cfg.ModeratorRoles
	case researcher:
		ids = b.cfg.ResearcherRoles
	case staff:
		// Either role will do; with neither configured, Manage Server
		// stands in for both, as it does for each.
		if allowed(ic, b.cfg.ModeratorRoles, moderatorPerms) {
			return nil
		}
		ids = b.cfg.ResearcherRoles
	}
	if allowed(ic, ids, moderatorPerms) {
		return nil
	}
	b.log.Warn("privileged command refused: the member lacks the role", "command", what, "role", r.String())
	b.auditRefusal(ic, "needs the "+r.String()+" role")
	return roleError{r}
}

// roleError is a refusal for want of a role; fail shows its text.
type roleError struct{ role role }

func (e roleError) Error() string { return "This needs the " + e.role.String() + " role." }

// allowed checks a member against the role ids, or, with none, the
// permissions perms.
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

// privilege is who may use a button, and its name in the log.
type privilege struct {
	role role
	what string
}

// privilegedActions are the buttons only a role may use: onComponent
// checks each click with requireRole before its handler runs. Every
// other action is anyone's, except on a preview (privilegeOf).
var privilegedActions = map[Action]privilege{
	ActApproveQuote: {moderator, "quote review"},
	ActRejectQuote:  {moderator, "quote review"},
	ActUndoQuote:    {moderator, "quote review"},
	// A draft's buttons (flows_upload.go); the buttons of a preview
	// need the moderator role too (privilegeOf, flows_preview.go).
	ActPreviewDraft:  {moderator, "flows"},
	ActPublishDraft:  {moderator, "flows"},
	ActPublishAnyway: {moderator, "flows"},
}
