package config

import (
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
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
	{name: "discord.token", def: "", secret: true, doc: "bot token", set: str("discord.token", func(c *Config) *string { return &c.Discord.Token }, nil)},
	{name: "discord.guild_id", def: "", doc: "register commands in this guild; empty: global", set: str("discord.guild_id", func(c *Config) *string { return &c.Discord.GuildID }, snowflake)},
	{name: "discord.api_url", def: "", doc: "REST base URL; empty: Discord's", set: str("discord.api_url", func(c *Config) *string { return &c.Discord.APIURL }, httpURL)},
	{name: "discord.gateway_url", def: "", doc: "gateway URL; empty: from GET /gateway", set: str("discord.gateway_url", func(c *Config) *string { return &c.Discord.GatewayURL }, wsURL)},
	{name: "discord.research_channel_id", def: "", doc: "channel for digests and exports", set: str("discord.research_channel_id", func(c *Config) *string { return &c.Discord.ResearchChannelID }, snowflake)},
	{name: "discord.moderator_channel_id", def: "", doc: "private channel for moderators", set: str("discord.moderator_channel_id", func(c *Config) *string { return &c.Discord.ModeratorChannelID }, snowflake)},
}

// str reads a string setting. Numbers are accepted as their digits,
// because YAML reads an unquoted Discord id as a number.
func str(name string, field func(*Config) *string, check func(string) string) func(*Config, any) error {
	return func(c *Config, v any) error {
		var s string
		switch v := v.(type) {
		case nil:
		case string:
			s = strings.TrimSpace(v)
		case int, int64, uint64:
			s = fmt.Sprint(v)
		default:
			return &Error{Key: name, Value: v, Expected: "text"}
		}
		if check != nil {
			if want := check(s); want != "" {
				return &Error{Key: name, Value: v, Expected: want}
			}
		}
		*field(c) = s
		return nil
	}
}

func boolean(name string, field func(*Config) *bool) func(*Config, any) error {
	return func(c *Config, v any) error {
		switch v := v.(type) {
		case bool:
			*field(c) = v
			return nil
		case string:
			if b, err := strconv.ParseBool(strings.TrimSpace(v)); err == nil {
				*field(c) = b
				return nil
			}
		}
		return &Error{Key: name, Value: v, Expected: "true or false"}
	}
}

// list reads a list of strings; from the environment, comma-separated.
func list(name string, field func(*Config) *[]string) func(*Config, any) error {
	return func(c *Config, v any) error {
		var out []string
		switch v := v.(type) {
		case nil:
		case string:
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
		case []string:
			out = v
		case []any:
			for i, x := range v {
				s, ok := x.(string)
				if !ok {
					return &Error{Key: fmt.Sprintf("%s[%d]", name, i), Value: x, Expected: "text"}
				}
				out = append(out, s)
			}
		default:
			return &Error{Key: name, Value: v, Expected: "a list of text"}
		}
		*field(c) = out
		return nil
	}
}

func resources(c *Config, v any) error {
	const name = "safety.resources"
	if v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		return &Error{Key: name, Value: v, Expected: "a list of {name, contact, description}"}
	}
	c.Safety.Resources = []Resource{}
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return &Error{Key: fmt.Sprintf("%s[%d]", name, i), Value: it, Expected: "{name: ..., contact: ..., description: ...}"}
		}
		var r Resource
		for k, x := range m {
			s, ok := x.(string)
			if !ok {
				return &Error{Key: fmt.Sprintf("%s[%d].%s", name, i, k), Value: x, Expected: "text"}
			}
			switch k {
			case "name":
				r.Name = s
			case "contact":
				r.Contact = s
			case "description":
				r.Description = s
			default:
				return &Error{Key: fmt.Sprintf("%s[%d].%s", name, i, k), Value: x, Expected: "only name, contact and description"}
			}
		}
		if r.Name == "" || r.Contact == "" {
			return &Error{Key: fmt.Sprintf("%s[%d]", name, i), Value: it, Expected: "both name and contact"}
		}
		c.Safety.Resources = append(c.Safety.Resources, r)
	}
	return nil
}

func nonEmpty(s string) string {
	if s == "" {
		return "a value (it may not be empty)"
	}
	return ""
}

func oneOf(allowed ...string) func(string) string {
	return func(s string) string {
		for _, a := range allowed {
			if s == a {
				return ""
			}
		}
		return "one of " + strings.Join(allowed, ", ")
	}
}

func upperOneOf(allowed ...string) func(string) string {
	check := oneOf(allowed...)
	return func(s string) string { return check(strings.ToUpper(s)) }
}

func hexSecret(s string) string {
	if s == "" {
		return ""
	}
	if b, err := hex.DecodeString(s); err != nil || len(b) != 32 {
		return "64 hex characters (32 random bytes, e.g. from `openssl rand -hex 32`), or empty to use the key file"
	}
	return ""
}

func snowflake(s string) string {
	if s == "" {
		return ""
	}
	if _, err := strconv.ParseUint(s, 10, 64); err != nil {
		return "a Discord id (digits only; in Discord, right-click and Copy ID)"
	}
	return ""
}

func httpURL(s string) string {
	if s == "" {
		return ""
	}
	if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "an http:// or https:// URL such as http://127.0.0.1:8080"
	}
	return ""
}

func wsURL(s string) string {
	if s == "" {
		return ""
	}
	if u, err := url.Parse(s); err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return "a ws:// or wss:// URL"
	}
	return ""
}
