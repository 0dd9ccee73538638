package config

import (
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

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
	{name: "disclosure.min_count", def: 8, doc: "smallest count published; 1 to min_count-1 show as * (at least 5)", set: digestSet("disclosure.min_count")},
	{name: "disclosure.round_to", def: 5, doc: "other counts are rounded to the nearest multiple of this (5 to twice min_count)", set: digestSet("disclosure.round_to")},
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

// roleList reads a list of Discord role ids.
func roleList(name string, field func(*Config) *[]string) func(*Config, any) error {
	read := list(name, field)
	return func(c *Config, v any) error {
		if items, ok := v.([]any); ok {
			// YAML reads unquoted ids as numbers; keep every digit.
			ids := make([]any, len(items))
			for i, x := range items {
				switch x := x.(type) {
				case int, int64, uint64:
					ids[i] = fmt.Sprint(x)
				default:
					ids[i] = x
				}
			}
			v = ids
		}
		if err := read(c, v); err != nil {
			return err
		}
		for i, id := range *field(c) {
			if want := snowflake(id); want != "" || id == "" {
				return &Error{Key: fmt.Sprintf("%s[%d]", name, i), Value: id, Expected: "a Discord role id (digits only; in Discord, Server Settings → Roles, right-click a role and Copy Role ID)"}
			}
		}
		return nil
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

// botToken reads discord.token as people paste it: a leading "Bot "
// (in any case, with any spaces; the bot adds its own), surrounding
// quotes and whitespace are removed once here, so the bot sends
// "Bot abc…" and never "Bot Bot abc…". What is left must look like a
// token; Load hides the value in the error, since it is a secret.
func botToken(c *Config, v any) error {
	const name = "discord.token"
	var s string
	if err := str(name, func(*Config) *string { return &s }, nil)(c, v); err != nil {
		return err
	}
	for {
		t := strings.TrimSpace(s)
		if n := len(t); n >= 2 && (t[0] == '"' || t[0] == '\'' || t[0] == '`') && t[n-1] == t[0] {
			t = t[1 : n-1]
		}
		if f := strings.Fields(t); len(f) > 1 && strings.EqualFold(f[0], "bot") {
			t = strings.TrimSpace(t[len(f[0]):])
		}
		if t == s {
			break
		}
		s = t
	}
	if !tokenChars.MatchString(s) {
		return &Error{Key: name, Value: v, Expected: `the bot's token alone: one word of letters, digits, dots, - and _, ` +
			`as the Discord Developer Portal shows it (your application → Bot → Reset Token; not the application id, public key or client secret)`}
	}
	c.Discord.Token = s
	return nil
}

// tokenChars is what a bot token is made of: base64url parts joined by
// dots. Empty is allowed here: commands that need a token say so.
var tokenChars = regexp.MustCompile(`^[A-Za-z0-9_.\-]*$`)

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

// Digest configures the research digest (the digest.* keys).
type Digest struct {
	Timezone string // IANA name; weeks start at Monday midnight there
	// Schedule is when the bot posts the last complete week's digest, as
	// a day and time such as "weekly mon 09:00" in Timezone; "" for never.
	Schedule      string
	Subgroups     []string // about-you question ids; empty for none
	QuoteApproval bool     // publish quotes only once a moderator approves them
	MaxQuotes     int
	ScrubNames    []string // names the scrubber removes from quotes
}

// Disclosure configures disclosure control (the disclosure.* keys).
type Disclosure struct {
	MinCount int // counts from 1 to MinCount-1 show as *
	RoundTo  int // other counts are rounded to the nearest multiple
}

// Limits of the disclosure.* keys. They are the rules' floor: NHS
// Digital's method never publishes a count below 5, and rounding to less
// than 5 would let two digests be subtracted to find one person.
const (
	minMinCount = 5
	minRoundTo  = 5
)

// DefaultDigestSchedule is when the bot posts the weekly digest unless
// digest.schedule says otherwise: Monday morning, the week just ended.
const DefaultDigestSchedule = "weekly mon 09:00"

// expectDigestSchedule is what a bad digest.schedule is told.
const expectDigestSchedule = `a day and time such as "weekly mon 09:00" (read in digest.timezone), or "off"`

// digestSet checks a digest.* or disclosure.* value for Load and keeps
// it in Config.Digest and Config.Disclosure.
func digestSet(name string) func(*Config, any) error {
	return func(c *Config, v any) error {
		return setDigest(name, &c.Digest, &c.Disclosure, v)
	}
}

// checkDisclosure is the check across the disclosure.* keys, made once
// both are read.
func checkDisclosure(s Disclosure) error {
	if s.RoundTo > 2*s.MinCount {
		return &Error{Key: "disclosure.round_to", Value: s.RoundTo,
			Expected: fmt.Sprintf("at most twice disclosure.min_count (%d), or a count of %d would be rounded to 0", 2*s.MinCount, s.MinCount)}
	}
	return nil
}

// questionID is the form of a flow question's id.
var questionID = regexp.MustCompile(`^[a-z0-9_]+$`)

// setDigest checks one digest.* or disclosure.* value and stores it.
func setDigest(name string, d *Digest, s *Disclosure, v any) error {
	var scratch Config // the readers below take a *Config they do not need here
	switch name {
	case "digest.timezone":
		return str(name, func(*Config) *string { return &d.Timezone }, timezone)(&scratch, v)
	case "digest.schedule":
		var when string
		if err := str(name, func(*Config) *string { return &when }, nil)(&scratch, v); err != nil {
			return err
		}
		when = strings.TrimSpace(when)
		switch {
		case when == "" || strings.EqualFold(when, "off"):
			d.Schedule = ""
		default:
			if _, err := schedule.ParseWeekly(when, nil); err != nil {
				return &Error{Key: name, Value: v, Expected: expectDigestSchedule, Problem: problem(err)}
			}
			d.Schedule = when
		}
		return nil
	case "digest.subgroups":
		if err := list(name, func(*Config) *[]string { return &d.Subgroups })(&scratch, v); err != nil {
			return err
		}
		for i, id := range d.Subgroups {
			if !questionID.MatchString(id) {
				return &Error{Key: fmt.Sprintf("%s[%d]", name, i), Value: id, Expected: "the id of an about-you choice question, such as gender or ethnicity"}
			}
		}
		return nil
	case "digest.quote_approval":
		return boolean(name, func(*Config) *bool { return &d.QuoteApproval })(&scratch, v)
	case "digest.max_quotes":
		return integer(name, v, &d.MaxQuotes, 1, 50, "a whole number from 1 to 50")
	case "digest.scrub_names":
		return list(name, func(*Config) *[]string { return &d.ScrubNames })(&scratch, v)
	case "disclosure.min_count":
		return integer(name, v, &s.MinCount, minMinCount, 1<<20, fmt.Sprintf(
			"a whole number of at least %d: smaller counts could identify someone (NHS Digital's method shows 1 to 7 as *; the default is 8)", minMinCount))
	case "disclosure.round_to":
		return integer(name, v, &s.RoundTo, minRoundTo, 1<<20, fmt.Sprintf(
			"a whole number of at least %d: finer rounding would let two digests be compared to find one person (the default is 5)", minRoundTo))
	}
	return fmt.Errorf("config: %s is not a digest setting", name)
}

// integer reads a whole number from lo to hi into dst. From the
// environment it arrives as text.
func integer(name string, v any, dst *int, lo, hi int, expected string) error {
	var n int
	var ok bool
	switch x := v.(type) {
	case int:
		n, ok = x, true
	case int64:
		n, ok = int(x), true
	case uint64:
		n, ok = int(x), x <= 1<<31
	case float64:
		n, ok = int(x), x == float64(int(x))
	case string:
		var err error
		n, err = strconv.Atoi(strings.TrimSpace(x))
		ok = err == nil
	}
	if !ok || n < lo || n > hi {
		return &Error{Key: name, Value: v, Expected: expected}
	}
	*dst = n
	return nil
}
