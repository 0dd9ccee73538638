// Package config reads PeerVoice's settings from a file, the environment
// and flags, checks every value, and says exactly which key is wrong.
//
// Precedence, highest first: command-line flags, environment variables
// (PEERVOICE_ + the key in capitals, dots as underscores, e.g.
// PEERVOICE_LOG_FORMAT), the config file, then the defaults.
//
// It and cmd are the only packages that import viper. Of PeerVoice it may
// import only internal/suggest and schedule: the packages it configures
// take plain values from cmd, never a Config (internal/archtest checks it).
package config

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/viper"

	"github.com/peervoice/peervoice/internal/suggest"
)

// EnvPrefix prefixes every environment variable PeerVoice reads.
const EnvPrefix = "PEERVOICE"

// Config is PeerVoice's configuration, checked.
type Config struct {
	DB         string // database path
	Secret     string // 64 hex characters, or "" to use the key file
	SecretFile string // key file path; "" means the database path + ".key"
	FlowsDir   string // "" means the built-in pack
	Log        Log
	Store      Store
	Study      Study
	Safety     Safety
	Discord    Discord
	Roles      Roles
	Prompts    Prompts    // scheduled community prompts (prompts.go)
	Digest     Digest     // the research digest (digest.go)
	Disclosure Disclosure // disclosure control of everything published (digest.go)
	Reminders  Reminders  // gentle reminders to participants who paused (reminders.go)

	// Session expiry and retention (lifetime.go).
	Sessions  Sessions
	Retention Retention
}

// Log configures logging.
type Log struct {
	Level  string // debug, info, warn, error
	Format string // text or json
}

// Store configures the database.
type Store struct {
	Synchronous string // FULL, NORMAL or EXTRA
}

// Study configures what participants are told and asked to agree to.
type Study struct {
	InfoFile       string // Markdown shown with the consent question; "" for the default
	ConsentVersion string // changing it asks everyone to consent again
}

// Safety configures crisis detection and signposting.
type Safety struct {
	Defaults  bool // use the built-in English phrases
	Phrases   []string
	Patterns  []string
	Ignore    []string
	Message   string     // "" for the default
	Resources []Resource // nil for the UK defaults
}

// Resource is a place to get support.
type Resource struct {
	Name, Contact, Description string
}

// Roles names who may use the privileged commands. Discord's own
// permission settings are only a first gate (server admins can change
// them), so the bot checks these itself.
type Roles struct {
	Moderator  []string // role ids of moderators
	Researcher []string // role ids of researchers
}

// Discord configures the bot.
type Discord struct {
	Token              string
	GuildID            string
	APIURL             string
	GatewayURL         string
	ResearchChannelID  string
	ModeratorChannelID string
	// UploadLimit is the most bytes of files the bot uploads in one
	// message (discord.upload_limit).
	UploadLimit int64
}

// Error is one bad setting: which key, the value, what was expected,
// and, when more can be said, what is wrong with the value.
type Error struct {
	Key      string
	Value    any
	Expected string
	Problem  string // such as a schedule time's `"25:00" is not a time of day: expected 24-hour time such as 18:00`
}

func (e *Error) Error() string {
	key, _, _ := strings.Cut(e.Key, "[") // an item of a list is set with the whole list
	msg := fmt.Sprintf("config: %s = %s: expected %s (set it in the config file or as %s)", e.Key, show(e.Value), e.Expected, EnvName(key))
	if e.Problem != "" {
		msg += "; " + e.Problem
	}
	return msg
}

// EnvName returns the environment variable for a key: log.format →
// PEERVOICE_LOG_FORMAT.
func EnvName(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// New returns a viper instance with PeerVoice's defaults and environment
// variables set up. Bind flags to it, then call ReadFile and Load.
func New() *viper.Viper {
	v := viper.New()
	for _, k := range keys {
		v.SetDefault(k.name, k.def)
	}
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	return v
}

// ReadFile reads the config file at path, or ./peervoice.yaml if path is
// "" and that file exists. A named file that is missing is an error.
func ReadFile(v *viper.Viper, path string) (string, error) {
	if path == "" {
		if _, err := os.Stat("peervoice.yaml"); err != nil {
			return "", nil
		}
		path = "peervoice.yaml"
	}
	v.SetConfigFile(path)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return path, fmt.Errorf("config: read %s: %w", path, err)
	}
	return path, nil
}

// Load checks every setting and returns the configuration, warnings for
// keys it does not know (a typo would otherwise be silently ignored),
// and an error listing every bad value.
func Load(v *viper.Viper) (Config, []string, error) {
	var c Config
	var errs []error
	for _, k := range keys {
		if err := k.set(&c, v.Get(k.name)); err != nil {
			var ce *Error
			if k.secret && errors.As(err, &ce) {
				ce.Value = "(hidden)" // a wrong secret is still a secret
			}
			errs = append(errs, err)
		}
	}
	// Across keys, once each is known to be good on its own (a bad one
	// is left zero).
	if c.Disclosure.MinCount > 0 && c.Disclosure.RoundTo > 0 {
		if err := checkDisclosure(c.Disclosure); err != nil {
			errs = append(errs, err)
		}
	}
	if c.Digest.Subgroups == nil {
		c.Digest.Subgroups = []string{} // set empty on purpose: compare no groups
	}
	known := map[string]bool{}
	for _, k := range keys {
		known[k.name] = true
	}
	var warnings []string
	all := v.AllKeys()
	sort.Strings(all)
	for _, k := range all {
		if !known[k] {
			warnings = append(warnings, fmt.Sprintf("config: unknown key %q is ignored%s", k, suggestKey(k)))
		}
	}
	return c, warnings, errors.Join(errs...)
}

func suggestKey(key string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.name
	}
	best := suggest.Closest(key, names, 4)
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func show(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case nil:
		return "(empty)"
	}
	return fmt.Sprintf("%v", v)
}
