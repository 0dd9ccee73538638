package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/config"
)

func load(t *testing.T, yaml string, env map[string]string) (config.Config, []string, error) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	v := config.New()
	path := ""
	if yaml != "" {
		path = filepath.Join(t.TempDir(), "peervoice.yaml")
		if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if path != "" {
		if _, err := config.ReadFile(v, path); err != nil {
			return config.Config{}, nil, err
		}
	}
	return config.Load(v)
}

func TestDefaults(t *testing.T) {
	c, warnings, err := load(t, "", nil)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("Load() = %v, %v", warnings, err)
	}
	if c.DB != "peervoice.db" || c.Log.Format != "text" || c.Log.Level != "info" || c.Store.Synchronous != "FULL" || !c.Safety.Defaults || c.Study.ConsentVersion != "1" {
		t.Errorf("defaults = %+v", c)
	}
}

func TestPrecedence(t *testing.T) {
	yaml := "db: from-file.db\nlog:\n  format: json\n  level: debug\n"
	c, _, err := load(t, yaml, map[string]string{"PEERVOICE_DB": "from-env.db"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "from-env.db" {
		t.Errorf("db = %q; want the environment to win over the file", c.DB)
	}
	if c.Log.Format != "json" || c.Log.Level != "debug" {
		t.Errorf("log = %+v; want the file's values", c.Log)
	}
}

func TestBadValues(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"enum", "log:\n  format: xml\n", nil, `config: log.format = "xml": expected one of text, json (set it in the config file or as PEERVOICE_LOG_FORMAT)`},
		{"type", "log:\n  level: [1, 2]\n", nil, "config: log.level = [1 2]: expected text"},
		{"bool", "safety:\n  defaults: maybe\n", nil, `config: safety.defaults = "maybe": expected true or false`},
		{"env bool", "", map[string]string{"PEERVOICE_SAFETY_DEFAULTS": "perhaps"}, `config: safety.defaults = "perhaps": expected true or false`},
		{"list item", "safety:\n  phrases: [ok, 3]\n", nil, "config: safety.phrases[1] = 3: expected text"},
		{"resource", "safety:\n  resources:\n    - {name: Samaritans}\n", nil, "safety.resources[0]"},
		{"secret hidden", "secret: not-hex-and-secret\n", nil, `config: secret = "(hidden)": expected 64 hex characters`},
		{"snowflake", "discord:\n  guild_id: my-server\n", nil, `config: discord.guild_id = "my-server": expected a Discord id`},
		{"url", "discord:\n  api_url: localhost:8080\n", nil, `config: discord.api_url = "localhost:8080": expected an http:// or https:// URL`},
		{"gateway url", "discord:\n  gateway_url: https://gateway.example\n", nil, `config: discord.gateway_url = "https://gateway.example": expected a ws:// or wss:// URL`},
		{"url without host", "discord:\n  api_url: 'http://'\n", nil, `config: discord.api_url = "http://": expected an http:// or https:// URL`},
		{"synchronous", "store:\n  synchronous: OFF\n", nil, `config: store.synchronous = "OFF": expected one of FULL, NORMAL, EXTRA`},
		{"empty db", "db: ''\n", nil, `config: db = "": expected a value`},
		{"role name instead of id", "roles:\n  moderator: [moderators]\n", nil, `config: roles.moderator[0] = "moderators": expected a Discord role id`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := load(t, tt.yaml, tt.env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load(%q) = %v; want an error containing %q", tt.yaml, err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "not-hex-and-secret") {
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
}

func TestUnknownKeysWarn(t *testing.T) {
	_, warnings, err := load(t, "log:\n  formt: json\nflows_dri: x\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(warnings, "\n")
	for _, want := range []string{`unknown key "flows_dri" is ignored; did you mean "flows_dir"?`, `unknown key "log.formt" is ignored; did you mean "log.format"?`} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings = %q; want %q", got, want)
		}
	}
}

func TestValuesThatNeedCare(t *testing.T) {
	yaml := `discord:
  guild_id: 1234567890123456789
roles:
  moderator: [1234567890123456780, "42"]
safety:
  phrases: [end it all]
  resources:
    - {name: Mind, contact: "0300 123 3393", description: Information line}
`
	c, _, err := load(t, yaml, map[string]string{"PEERVOICE_SAFETY_PATTERNS": `a\s+b, c`})
	if err != nil {
		t.Fatal(err)
	}
	if c.Discord.GuildID != "1234567890123456789" || len(c.Roles.Moderator) != 2 || c.Roles.Moderator[0] != "1234567890123456780" || c.Roles.Moderator[1] != "42" {
		t.Errorf("roles.moderator = %q; unquoted ids must keep every digit", c.Roles.Moderator)
	}
	if c.Discord.GuildID != "1234567890123456789" {
		t.Errorf("guild_id = %q; an unquoted id must keep every digit", c.Discord.GuildID)
	}
	if len(c.Safety.Resources) != 1 || c.Safety.Resources[0].Contact != "0300 123 3393" {
		t.Errorf("resources = %+v", c.Safety.Resources)
	}
	if strings.Join(c.Safety.Patterns, "|") != `a\s+b|c` || strings.Join(c.Safety.Phrases, "|") != "end it all" {
		t.Errorf("patterns = %q, phrases = %q", c.Safety.Patterns, c.Safety.Phrases)
	}
}

func TestMissingFile(t *testing.T) {
	v := config.New()
	_, err := config.ReadFile(v, filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("ReadFile(missing) = %v; want an error naming the file", err)
	}
}

func TestPrintMasksSecrets(t *testing.T) {
	secret := strings.Repeat("ab", 32)
	t.Setenv("PEERVOICE_SECRET", secret)
	t.Setenv("PEERVOICE_DISCORD_TOKEN", "token-value-123")
	var b strings.Builder
	if err := config.Print(&b, config.New()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, secret) || strings.Contains(out, "token-value-123") {
		t.Errorf("Print shows a secret:\n%s", out)
	}
	if !strings.Contains(out, "secret: '******** (set)'") || !strings.Contains(out, "db: peervoice.db") {
		t.Errorf("Print =\n%s", out)
	}
}

// TestBotToken checks that discord.token is read as people paste it:
// the bot adds "Bot " itself, so a pasted prefix would be sent twice.
func TestBotToken(t *testing.T) {
	const tok = "MTIzNDU2.Gh7x_y.abc-DEF_123"
	tests := []struct {
		name, yaml, env string
	}{
		{"plain", "discord:\n  token: " + tok + "\n", ""},
		{"Bot prefix", "discord:\n  token: Bot " + tok + "\n", ""},
		{"lower case, spaces", "discord:\n  token: 'bot    " + tok + "  '\n", ""},
		{"capitals", "discord:\n  token: BOT " + tok + "\n", ""},
		{"quoted inside YAML", "discord:\n  token: '\"Bot " + tok + "\"'\n", ""},
		{"twice", "discord:\n  token: Bot Bot " + tok + "\n", ""},
		{"env with newline", "", tok + "\n"},
		{"env quoted", "", "'Bot " + tok + "'\r\n"},
		{"env quotes inside the prefix", "", `Bot "` + tok + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			if tt.env != "" {
				env["PEERVOICE_DISCORD_TOKEN"] = tt.env
			}
			c, _, err := load(t, tt.yaml, env)
			if err != nil {
				t.Fatal(err)
			}
			if c.Discord.Token != tok {
				t.Errorf("Load(%q, env %q): discord.token = %q; want %q", tt.yaml, tt.env, c.Discord.Token, tok)
			}
		})
	}
	for _, bad := range []string{"Bearer " + tok, tok + " " + tok, "Bot <" + tok + ">"} {
		_, _, err := load(t, "", map[string]string{"PEERVOICE_DISCORD_TOKEN": bad})
		if err == nil || !strings.Contains(err.Error(), "config: discord.token = \"(hidden)\": expected the bot's token alone") || !strings.Contains(err.Error(), "Reset Token") {
			t.Errorf("Load(discord.token %q) = %v; want an error naming the key and where to get a token", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), tok) {
			t.Errorf("the error shows the token: %v", err)
		}
	}
}
