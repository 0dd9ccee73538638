package bot

import (
	"sync"

	"github.com/bwmarrin/discordgo"
)

// PeerVoice serves one community: the server its config names,
// discord.guild_id (Config.GuildID). Its moderator and researcher
// commands and buttons reach the study's data, so they work there alone;
// a member with Manage Server in any other server the bot was added to
// gets nothing. Participants' own commands are registered globally, so
// they work in DMs (where there is no server to check) and in the study's
// server; from any other server they are refused too.

// Refusals of an interaction for where it came from, shown as they are.
const (
	// ForeignServerText answers every interaction from a server other
	// than discord.guild_id's, whoever sent it. It names no one, and
	// keeps the two rights a participant has anywhere.
	ForeignServerText = "PeerVoice serves one community, and this server is not it, so it does nothing here. " +
		"In a direct message with the bot, /mydata and /withdraw still show or delete anything it holds about you."
	// NoServerText answers a moderator's or researcher's command or
	// button while discord.guild_id is empty.
	NoServerText = "Moderator and researcher commands are off: PeerVoice does not know which server is its study's. " +
		"Ask whoever runs the bot to set discord.guild_id to this server's id and restart it."
)

// noServerFix is what the log tells whoever runs the bot with no
// discord.guild_id.
const noServerFix = "set discord.guild_id (PEERVOICE_DISCORD_GUILD_ID) to the id of the study's server: in Discord, turn on Developer Mode, right-click the server and Copy Server ID; the log lists the servers the bot is in"

// requireServer is requireRole's first check: that the interaction may
// be served where it came from. From a server other than discord.guild_id's,
// nothing is (ForeignServerText); with no discord.guild_id, nothing
// privileged is, anywhere (NoServerText). DMs pass: a participant's own
// steps run there, and the role check refuses anything privileged. A
// refusal is logged with the server's id, never who asked.
func (b *Bot) requireServer(ic *discordgo.InteractionCreate, r role, what string) error {
	from := ic.GuildID
	switch {
	case b.cfg.GuildID != "" && from != "" && from != b.cfg.GuildID:
		b.log.Warn("interaction refused: it came from a server PeerVoice does not serve", "command", what, "guild", from, "serves", b.cfg.GuildID)
		b.auditRefusal(ic, "from server "+from+", which PeerVoice does not serve")
		return userError{ForeignServerText}
	case b.cfg.GuildID == "" && r != anyone:
		b.log.Warn("privileged command refused: discord.guild_id is empty, so moderator and researcher commands are off", "command", what, "role", r.String(), "guild", from, "fix", noServerFix)
		b.auditRefusal(ic, "discord.guild_id is empty, so moderator and researcher commands are off")
		return userError{NoServerText}
	}
	return nil
}

// privileged reports whether any of c's routes needs a role: such a
// command is registered in the study's server alone.
func (c command) privileged() bool {
	for _, r := range c.routes {
		if r.role != anyone {
			return true
		}
	}
	return false
}

// registerScoped registers defs, the commands of table, where each
// belongs: participants' commands globally, so they work in DMs too; the
// privileged ones in discord.guild_id's server, or, with none, nowhere.
// Each scope is overwritten whole, so a command registered by an earlier
// version or configuration (a privileged one globally) is removed.
func (b *Bot) registerScoped(table map[string]command, defs []*discordgo.ApplicationCommand) error {
	var global, study []*discordgo.ApplicationCommand
	for _, def := range defs {
		if table[def.Name].privileged() {
			study = append(study, def)
		} else {
			global = append(global, def)
		}
	}
	if _, err := b.s.ApplicationCommandBulkOverwrite(b.appID, "", global); err != nil {
		return explain("register slash commands", err)
	}
	if b.cfg.GuildID == "" {
		return nil
	}
	if _, err := b.s.ApplicationCommandBulkOverwrite(b.appID, b.cfg.GuildID, study); err != nil {
		return explain("register the moderator and researcher commands in discord.guild_id "+b.cfg.GuildID, err)
	}
	return nil
}

// logServerBinding says at start-up what discord.guild_id leaves on: with
// none, the moderator and researcher features are off.
func (b *Bot) logServerBinding() {
	if b.cfg.GuildID == "" {
		b.log.Warn("discord.guild_id is empty: moderator and researcher commands and buttons are off (not registered, and refused if used); participants' commands and DMs work as usual", "fix", noServerFix)
		return
	}
	b.log.Info("serving one server: moderator and researcher commands work there alone, and every interaction from another server is refused", "guild", b.cfg.GuildID)
}

// serverWatch returns the GUILD_CREATE handler that names, once each,
// the servers the bot is in: a warning for each server it does not
// serve (at start-up, and when it is added to one), and for a configured
// channel that lies in one; with no discord.guild_id, each server, so
// that whoever runs the bot can copy the right id.
func (b *Bot) serverWatch() func(*discordgo.Session, *discordgo.GuildCreate) {
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(s *discordgo.Session, gc *discordgo.GuildCreate) {
		g := gc.Guild
		if g == nil || g.ID == "" {
			return
		}
		// discordgo's state keeps this same *Guild and writes channels
		// into it as CHANNEL_CREATE events come, while this handler runs
		// on a goroutine of its own: the channels are read under the
		// state's lock (the race detector caught it with a server added
		// while the bot runs).
		var channels []string
		if s != nil && s.State != nil {
			s.State.RLock()
		}
		for _, ch := range g.Channels {
			channels = append(channels, ch.ID)
		}
		if s != nil && s.State != nil {
			s.State.RUnlock()
		}
		mu.Lock()
		again := seen[g.ID]
		seen[g.ID] = true
		mu.Unlock()
		if again || g.ID == b.cfg.GuildID {
			return
		}
		if b.cfg.GuildID == "" {
			b.log.Info("the bot is in a server; set discord.guild_id to its id if it is the study's", "guild", g.ID, "name", g.Name)
			return
		}
		b.log.Warn("the bot is in a server PeerVoice does not serve: it refuses every command and button there", "guild", g.ID, "name", g.Name, "serves", b.cfg.GuildID,
			"fix", "remove the bot from that server (Server Settings, Integrations), or, if it is the study's server, set discord.guild_id to its id")
		for _, ch := range channels {
			for key, id := range map[string]string{"discord.research_channel_id": b.cfg.ResearchChannelID, "discord.moderator_channel_id": b.cfg.ModeratorChannelID} {
				if id != "" && ch == id {
					b.log.Warn(key+" is a channel of a server PeerVoice does not serve: what it posts there leaves the study's server", "channel", id, "guild", g.ID, "name", g.Name,
						"fix", "set "+key+" to a channel of the server discord.guild_id names")
				}
			}
		}
	}
}
