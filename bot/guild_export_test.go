package bot

import "github.com/bwmarrin/discordgo"

// PrivilegedDefinitions are the definitions of the bot's commands that
// need a role, as registered in the study's server: a test registers
// them elsewhere, as an earlier configuration would have left them.
func PrivilegedDefinitions(b *Bot) []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, c := range b.commandTable() {
		if c.privileged() {
			out = append(out, c.def)
		}
	}
	return out
}
