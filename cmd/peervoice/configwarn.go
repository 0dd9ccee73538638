package main

import "github.com/peervoice/peervoice/config"

// serverWarning is what config check says when discord.guild_id is
// empty, or "" when it is set. config check does not connect to
// Discord, so it cannot see which servers the bot is in; peervoice run
// names, at start-up, each one it does not serve.
func serverWarning(c config.Config) string {
	if c.Discord.GuildID != "" {
		return ""
	}
	return "warning: discord.guild_id is empty: peervoice run will serve participants (their commands and DMs) " +
		"but turn the moderator and researcher commands and buttons off, since without it anyone with Manage Server " +
		"in any server the bot is in would pass their checks. Set discord.guild_id (PEERVOICE_DISCORD_GUILD_ID) to the " +
		"id of your study's server (in Discord, turn on Developer Mode, right-click the server, Copy Server ID). " +
		"config check cannot see which servers the bot is in without connecting; peervoice run lists them at start-up " +
		"and warns of each one it does not serve."
}
