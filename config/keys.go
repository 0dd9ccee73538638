package config

import (
	"time"

	"github.com/peervoice/peervoice/schedule"
)

// key is one setting: its name, default, whether it is secret, and how
// to check and store its value.
type key struct {
	name   string
	def    any
	secret bool
	doc    string
	set    func(c *Config, v any) error
}

// keys lists every setting, in the order `config check` prints them.
var keys = []key{
	{name: "db", def: "peervoice.db", doc: "SQLite database path", set: str("db", func(c *Config) *string { return &c.DB }, nonEmpty)},
	{name: "secret", def: "", secret: true, doc: "master secret, 64 hex characters; empty: use the key file", set: str("secret", func(c *Config) *string { return &c.Secret }, hexSecret)},
	{name: "secret_file", def: "", doc: "key file; empty: the database path + .key", set: str("secret_file", func(c *Config) *string { return &c.SecretFile }, nil)},
	{name: "flows_dir", def: "", doc: "directory of flow YAML files; empty: the built-in pack", set: str("flows_dir", func(c *Config) *string { return &c.FlowsDir }, nil)},
	{name: "log.level", def: "info", doc: "debug, info, warn or error", set: str("log.level", func(c *Config) *string { return &c.Log.Level }, oneOf("debug", "info", "warn", "error"))},
	{name: "log.format", def: "text", doc: "text or json", set: str("log.format", func(c *Config) *string { return &c.Log.Format }, oneOf("text", "json"))},
	{name: "store.synchronous", def: "FULL", doc: "FULL (an acknowledged answer survives a crash), NORMAL or EXTRA", set: str("store.synchronous", func(c *Config) *string { return &c.Store.Synchronous }, upperOneOf("FULL", "NORMAL", "EXTRA"))},
	{name: "study.info_file", def: "", doc: "Markdown file shown with the consent question", set: str("study.info_file", func(c *Config) *string { return &c.Study.InfoFile }, nil)},
	{name: "study.consent_version", def: "1", doc: "consent version; changing it asks everyone again", set: str("study.consent_version", func(c *Config) *string { return &c.Study.ConsentVersion }, nonEmpty)},
	{name: "safety.defaults", def: true, doc: "use the built-in crisis phrases", set: boolean("safety.defaults", func(c *Config) *bool { return &c.Safety.Defaults })},
	{name: "safety.phrases", def: []string{}, doc: "extra crisis phrases", set: list("safety.phrases", func(c *Config) *[]string { return &c.Safety.Phrases })},
	{name: "safety.patterns", def: []string{}, doc: "extra crisis patterns (regular expressions)", set: list("safety.patterns", func(c *Config) *[]string { return &c.Safety.Patterns })},
	{name: "safety.ignore", def: []string{}, doc: "extra idioms that are not crisis language", set: list("safety.ignore", func(c *Config) *[]string { return &c.Safety.Ignore })},
	{name: "safety.message", def: "", doc: "text shown before the support resources", set: str("safety.message", func(c *Config) *string { return &c.Safety.Message }, nil)},
	{name: "safety.resources", def: nil, doc: "support resources: a list of {name, contact, description}", set: resources},
	{name: "discord.token", def: "", secret: true, doc: "bot token", set: botToken},
	{name: "discord.guild_id", def: "", doc: "register commands in this guild; empty: global", set: str("discord.guild_id", func(c *Config) *string { return &c.Discord.GuildID }, snowflake)},
	{name: "discord.api_url", def: "", doc: "REST base URL; empty: Discord's", set: str("discord.api_url", func(c *Config) *string { return &c.Discord.APIURL }, httpURL)},
	{name: "discord.gateway_url", def: "", doc: "gateway URL; empty: from GET /gateway", set: str("discord.gateway_url", func(c *Config) *string { return &c.Discord.GatewayURL }, wsURL)},
	{name: "discord.research_channel_id", def: "", doc: "channel for digests and exports", set: str("discord.research_channel_id", func(c *Config) *string { return &c.Discord.ResearchChannelID }, snowflake)},
	{name: "discord.moderator_channel_id", def: "", doc: "private channel where moderators approve quotes", set: str("discord.moderator_channel_id", func(c *Config) *string { return &c.Discord.ModeratorChannelID }, snowflake)},
	{name: "discord.upload_limit", def: "10MiB", doc: "most bytes of files the bot uploads in one message (/export): 10MiB, or more on a boosted server (50MiB at level 2, 100MiB at level 3)", set: uploadLimit},
	{name: "roles.moderator", def: []string{}, doc: "Discord role ids of moderators (prompts); empty: members with Manage Server", set: roleList("roles.moderator", func(c *Config) *[]string { return &c.Roles.Moderator })},
	{name: "roles.researcher", def: []string{}, doc: "Discord role ids of researchers (digests, exports); empty: members with Manage Server", set: roleList("roles.researcher", func(c *Config) *[]string { return &c.Roles.Researcher })},
	{name: "prompts.timezone", def: schedule.DefaultTimezone, doc: "time zone of scheduled prompts' times", set: str("prompts.timezone", func(c *Config) *string { return &c.Prompts.Timezone }, timezone)},
	{name: "prompts.grace", def: "24h", doc: "how late a prompt missed while the bot was down is still posted", set: grace},
	{name: "prompts.schedule", def: []any{}, doc: "scheduled prompts: a list of {id, flow, channel, weekly or once, text}", set: promptSchedule},
	{name: "digest.timezone", def: schedule.DefaultTimezone, doc: "time zone of digest periods (weeks start on Monday at midnight there)", set: digestSet("digest.timezone")},
	{name: "digest.schedule", def: DefaultDigestSchedule, doc: `when the bot posts the last complete week's digest, read in digest.timezone; "off" for never`, set: digestSet("digest.schedule")},
	{name: "digest.subgroups", def: []string{"gender", "ethnicity"}, doc: "about-you questions the digest compares groups by", set: digestSet("digest.subgroups")},
	{name: "digest.quote_approval", def: true, doc: "publish a quote only after a moderator approves it", set: digestSet("digest.quote_approval")},
	{name: "digest.max_quotes", def: 10, doc: "most quotes in one digest", set: digestSet("digest.max_quotes")},
	{name: "digest.scrub_names", def: []string{}, doc: "names to remove from quotes, besides emails, phone numbers, links and the like", set: digestSet("digest.scrub_names")},
	{name: "disclosure.min_count", def: 8, doc: "smallest count published; 0 to min_count-1 show as * (at least 5)", set: digestSet("disclosure.min_count")},
	{name: "disclosure.round_to", def: 5, doc: "other counts are rounded to the nearest multiple of this (5 to twice min_count)", set: digestSet("disclosure.round_to")},

	// Session expiry and retention (lifetime.go).
	{name: "sessions.expire_after", def: "30d", doc: `close a session left unfinished longer than this as a partial response (its answers kept); "off" for never`, set: lifetime("sessions.expire_after", func(c *Config) *time.Duration { return &c.Sessions.ExpireAfter })},
	{name: "retention.free_text", def: "off", doc: `delete the words of free-text answers older than this, daily (e.g. 365d); "off" keeps them`, set: lifetime("retention.free_text", func(c *Config) *time.Duration { return &c.Retention.FreeText })},
	{name: "retention.answers", def: "off", doc: `delete whole answers older than this, daily (e.g. 3y); "off" keeps them`, set: lifetime("retention.answers", func(c *Config) *time.Duration { return &c.Retention.Answers })},
	// reminders.* (reminders.go): gentle reminders to participants who paused a flow.
	{name: "reminders.enabled", def: false, doc: "send one gentle reminder to a participant who paused a flow", set: boolean("reminders.enabled", func(c *Config) *bool { return &c.Reminders.Enabled })},
	{name: "reminders.delay", def: "3d", doc: "how long a flow is left, paused or silent, before its reminder (such as 3d or 36h)", set: reminderDelay},
	{name: "reminders.quiet_hours", def: "21:00-09:00", doc: `no reminders then; one due is sent at their end ("off" for none)`, set: str("reminders.quiet_hours", func(c *Config) *string { return &c.Reminders.QuietHours }, quietHours)},
	{name: "reminders.timezone", def: "", doc: "time zone of reminders.quiet_hours; empty: prompts.timezone", set: str("reminders.timezone", func(c *Config) *string { return &c.Reminders.Timezone }, optionalTimezone)},
	{name: "reminders.text", def: "", doc: "the reminder's wording (%s: the flow's title); empty: the built-in, which says it is optional and how to stop reminders", set: str("reminders.text", func(c *Config) *string { return &c.Reminders.Text }, reminderText)},
}
