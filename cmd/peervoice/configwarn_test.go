package main_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// TestConfigCheckWarnsWithoutGuildID: config check, which does not
// connect to Discord, warns when discord.guild_id is empty, with how to
// find the id and what run does instead; the check still passes. With
// it set, there is no warning.
func TestConfigCheckWarnsWithoutGuildID(t *testing.T) {
	dir := t.TempDir()
	r := peervoice(t, dir, "", nil, "config", "check")
	for _, want := range []string{"warning: discord.guild_id is empty", "moderator and researcher commands and buttons off", "Copy Server ID", "config check cannot see which servers"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("config check without discord.guild_id: stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 0 {
		t.Errorf("config check without discord.guild_id: exit %d; want 0 (a warning)\n%s", r.code, r.stderr)
	}
	r = peervoice(t, dir, "", []string{"PEERVOICE_DISCORD_GUILD_ID=123456789012345678"}, "config", "check")
	if r.code != 0 || strings.Contains(r.stderr, "discord.guild_id") {
		t.Errorf("config check with discord.guild_id: exit %d, stderr %q; want 0 and no warning", r.code, r.stderr)
	}
}

// TestRunNamesServersNotServed runs the binary in two servers: with
// discord.guild_id empty it says the moderator and researcher features
// are off, lists both servers with their ids and registers only the
// participants' commands; with it naming one, it warns of the other by
// id and name, and registers the privileged commands in the one alone.
func TestRunNamesServersNotServed(t *testing.T) {
	e := newEmulator(t)
	study, other := e.AddGuild("Peer support"), e.AddGuild("Gaming den")
	env := []string{"PEERVOICE_DISCORD_TOKEN=" + e.Token(), "PEERVOICE_DISCORD_API_URL=" + e.URL()}
	dir := t.TempDir()

	logs, stop := startBot(t, dir, env)
	waitFor(t, logs, "discord.guild_id is empty", "moderator and researcher commands and buttons are off")
	waitFor(t, logs, "the bot is in a server", "guild="+study.ID)
	waitFor(t, logs, "the bot is in a server", "guild="+other.ID)
	stop()
	if got := commandNames(e.Commands("")); got != "survey,help,mydata,withdraw" {
		t.Errorf("without discord.guild_id, registered globally: %s; want the participants' commands alone", got)
	}

	logs, stop = startBot(t, dir, append(env, "PEERVOICE_DISCORD_GUILD_ID="+study.ID))
	waitFor(t, logs, "does not serve", "guild="+other.ID, `name="Gaming den"`)
	stop()
	if strings.Contains(logs.String(), "guild="+study.ID+" name=") {
		t.Errorf("run warned of the server it serves:\n%s", logs.String())
	}
	if got := commandNames(e.Commands(study.ID)); got != "prompt,digest,export,flows,audit" {
		t.Errorf("registered in the study's server: %s; want the privileged commands", got)
	}
	if got := commandNames(e.Commands(other.ID)); got != "" {
		t.Errorf("registered in the other server: %s; want nothing", got)
	}
}

// waitFor fails the test unless a line of out holds every one of parts
// within a generous bound.
func waitFor(t *testing.T, out *syncBuffer, parts ...string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		for _, line := range strings.Split(out.String(), "\n") {
			all := true
			for _, p := range parts {
				all = all && strings.Contains(line, p)
			}
			if all {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no line with %q in:\n%s", parts, out.String())
		}
	}
}

// commandNames lists the commands' names in the order registered.
func commandNames(cmds []*discordgo.ApplicationCommand) string {
	var out []string
	for _, c := range cmds {
		out = append(out, c.Name)
	}
	return strings.Join(out, ",")
}
