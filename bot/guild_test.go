package bot

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestRequireServer: with discord.guild_id set, an interaction from any
// other server is refused whoever sent it and whatever it is (a
// participant's command too), while the study's server and DMs pass on
// to the role check; with it empty, nothing privileged passes anywhere
// and participants' commands do. Each refusal is logged with the
// server's id and never the user's, and says what it is.
func TestRequireServer(t *testing.T) {
	const user = "42424242"
	in := func(guild string) *discordgo.InteractionCreate {
		i := &discordgo.Interaction{GuildID: guild, Member: &discordgo.Member{Permissions: moderatorPerms, User: &discordgo.User{ID: user}}}
		if guild == "" {
			i.Member, i.User = nil, &discordgo.User{ID: user}
		}
		return &discordgo.InteractionCreate{Interaction: i}
	}
	study, none := Config{GuildID: "7001"}, Config{}
	tests := []struct {
		name string
		cfg  Config
		from string // the interaction's guild; "" for a DM
		role role
		want string // the refusal's text; "" passes
		log  string // in the refusal's log line
	}{
		{"moderator, the study's server", study, "7001", moderator, "", ""},
		{"researcher, the study's server", study, "7001", researcher, "", ""},
		{"participant, the study's server", study, "7001", anyone, "", ""},
		{"participant, a DM", study, "", anyone, "", ""},
		{"moderator, another server", study, "9009", moderator, ForeignServerText, "guild=9009"},
		{"researcher, another server", study, "9009", researcher, ForeignServerText, "guild=9009"},
		{"participant, another server", study, "9009", anyone, ForeignServerText, "guild=9009"},
		{"moderator, no guild_id", none, "9009", moderator, NoServerText, "discord.guild_id is empty"},
		{"researcher, no guild_id, a DM", none, "", researcher, NoServerText, "discord.guild_id is empty"},
		{"participant, no guild_id, a server", none, "9009", anyone, "", ""},
		{"participant, no guild_id, a DM", none, "", anyone, "", ""},
	}
	for _, tt := range tests {
		var logs bytes.Buffer
		b := &Bot{cfg: tt.cfg, log: slog.New(slog.NewTextHandler(&logs, nil))}
		err := b.requireServer(in(tt.from), tt.role, "thing")
		if tt.want == "" {
			if err != nil || logs.Len() != 0 {
				t.Errorf("%s: requireServer = %v, logged %q; want it to pass, silently", tt.name, err, logs.String())
			}
			continue
		}
		var ue userError
		if !errors.As(err, &ue) || err.Error() != tt.want {
			t.Errorf("%s: requireServer = %#v; want the userError %q", tt.name, err, tt.want)
		}
		if l := logs.String(); !strings.Contains(l, tt.log) || !strings.Contains(l, "command=thing") || strings.Contains(l, user) {
			t.Errorf("%s: logged %q; want %q and the command, without the user's id", tt.name, l, tt.log)
		}
	}
	// requireRole makes the same check first: a holder of every
	// permission in another server is refused for the server, not let
	// through by Manage Server.
	b := &Bot{cfg: study, log: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))}
	if err := b.requireRole(in("9009"), moderator, "thing"); err == nil || err.Error() != ForeignServerText {
		t.Errorf("requireRole(Manage Server in another server) = %v; want %q", err, ForeignServerText)
	}
}

// TestCommandPrivileged: a command is registered in the study's server
// alone when any of its routes needs a role.
func TestCommandPrivileged(t *testing.T) {
	for _, tt := range []struct {
		c    command
		want bool
	}{
		{command{routes: one(route{})}, false},
		{command{routes: map[string]route{"a": {}, "b": {role: researcher}}}, true},
		{command{routes: one(route{role: moderator})}, true},
	} {
		if got := tt.c.privileged(); got != tt.want {
			t.Errorf("privileged(%v) = %v; want %v", tt.c.routes, got, tt.want)
		}
	}
}
