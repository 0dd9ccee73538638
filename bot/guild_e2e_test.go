package bot_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// serversHarness is a bot in two servers: the study's, which
// discord.guild_id names (or none, with noGuild), and another one it was
// also added to. No roles are configured, so Manage Server alone would
// make a moderator and a researcher anywhere.
type serversHarness struct {
	*harness
	study, other            *discordtest.Guild
	general, research, away *discordtest.Channel // away is in other
	managers                map[*discordtest.Guild]*discordtest.Role
	built                   atomic.Int32 // digests and exports built
	users                   int
}

func newServersHarness(t *testing.T, noGuild bool) *serversHarness {
	h := &serversHarness{harness: newStoppedHarness(t)}
	h.study, h.other = h.e.AddGuild("Peer support"), h.e.AddGuild("Gaming den")
	h.general, h.research = h.study.AddChannel("general"), h.study.AddChannel("research")
	h.away = h.other.AddChannel("lobby")
	h.managers = map[*discordtest.Guild]*discordtest.Role{}
	for _, g := range []*discordtest.Guild{h.study, h.other} {
		h.managers[g] = g.AddRole("server managers", discordtest.PermissionManageGuild)
	}
	h.configure = func(c *bot.Config) {
		if !noGuild {
			c.GuildID = h.study.ID
		}
		c.ResearchChannelID = h.research.ID
		c.ModeratorChannelID = h.away.ID // misconfigured: start-up names it
		c.Digests = func(context.Context, string) (*digest.Digest, error) {
			h.built.Add(1)
			return nil, errors.New("no digest in this test")
		}
		c.Exports = func(context.Context, io.Writer, string) (bot.ExportSummary, error) {
			h.built.Add(1)
			return bot.ExportSummary{}, errors.New("no export in this test")
		}
	}
	h.start()
	return h
}

// manager is a new member of g with Manage Server: one per interaction,
// so each reply is its own.
func (h *serversHarness) manager(g *discordtest.Guild) *discordtest.User {
	h.users++
	u := h.e.User(fmt.Sprintf("manager%d", h.users))
	g.AddMember(u, h.managers[g])
	return u
}

// reply waits for u's ephemeral answer.
func reply(t *testing.T, u *discordtest.User, what string) discordtest.Message {
	t.Helper()
	m, err := u.WaitMessage(ctx(t), func(m discordtest.Message) bool { return m.Ephemeral && m.Content != "" })
	if err != nil {
		t.Fatalf("%s: no answer: %v", what, err)
	}
	return m
}

// runIn runs the route's command as u in ch and returns the bot's answer.
func runIn(t *testing.T, u *discordtest.User, ch *discordtest.Channel, r bot.Route, opts []discordtest.CommandOption) discordtest.Message {
	t.Helper()
	if r.Sub != "" {
		opts = []discordtest.CommandOption{discordtest.Sub(r.Sub, opts...)}
	}
	if _, err := u.RunCommandIn(ch, r.Command, opts...); err != nil {
		t.Fatal(err)
	}
	return reply(t, u, "/"+name(r))
}

// leftOver registers the privileged commands in g as well, with the
// bot's own token, as an earlier configuration whose discord.guild_id
// named g would have left them: Discord keeps offering them there, so
// only the bot's own check stands.
func (h *serversHarness) leftOver(t *testing.T, g *discordtest.Guild, defs []*discordgo.ApplicationCommand) {
	t.Helper()
	app := h.e.Commands("")[0].ApplicationID
	var stale []*discordgo.ApplicationCommand
	for _, d := range defs {
		stale = append(stale, &discordgo.ApplicationCommand{Name: d.Name, Description: d.Description, Options: d.Options,
			DefaultMemberPermissions: d.DefaultMemberPermissions, DMPermission: d.DMPermission})
	}
	if _, err := bot.SessionOf(h.bot).ApplicationCommandBulkOverwrite(app, g.ID, stale); err != nil {
		t.Fatal(err)
	}
}

// buttons posts, as the bot, a message in ch with every privileged
// button and a prompt's "Answer privately", as a review request or an
// invitation posted there earlier would be.
func (h *serversHarness) buttons(t *testing.T, ch *discordtest.Channel) discordtest.Message {
	t.Helper()
	var buttons []discordgo.MessageComponent
	for act := range bot.PrivilegedActions() {
		buttons = append(buttons, discordgo.Button{Label: string(act), Style: discordgo.PrimaryButton, CustomID: bot.ID{Action: act, Value: "q1"}.String()})
	}
	buttons = append(buttons, discordgo.Button{Label: "Answer privately", Style: discordgo.PrimaryButton, CustomID: bot.ID{Action: bot.ActPrompt, Value: "what-matters"}.String()})
	var rows []discordgo.MessageComponent // five buttons a row, as Discord allows
	for len(buttons) > 0 {
		n := min(5, len(buttons))
		rows = append(rows, discordgo.ActionsRow{Components: buttons[:n]})
		buttons = buttons[n:]
	}
	m, err := bot.SessionOf(h.bot).ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{Content: "earlier", Components: rows})
	if err != nil {
		t.Fatal(err)
	}
	got, ok := h.e.Message(m.ID)
	if !ok {
		t.Fatalf("the emulator has no message %s", m.ID)
	}
	return got
}

// waitLog fails the test unless the bot logs a line with every one of
// parts, within the wait's bound.
func (h *serversHarness) waitLog(t *testing.T, parts ...string) {
	t.Helper()
	deadline := time.Now().Add(waitTime)
	for {
		for _, line := range strings.Split(h.logs.String(), "\n") {
			all := true
			for _, p := range parts {
				all = all && strings.Contains(line, p)
			}
			if all {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %q; the log:\n%s", parts, h.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestOnlyTheStudyServer: a bot added to two servers serves only the one
// discord.guild_id names. Start-up names the other server, and the
// moderator channel configured there. In the other server, every
// privileged command (left registered there by an earlier configuration)
// and every privileged button is refused by members with Manage Server,
// as are participants' commands and buttons: each gets the polite
// one-community reply, nothing is built or posted, and each refusal is
// logged with the server's id and without the user's. In the study's
// server the same commands and buttons work, and participants' DMs work
// for everyone.
func TestOnlyTheStudyServer(t *testing.T) {
	h := newServersHarness(t, false)
	h.waitLog(t, "does not serve", "guild="+h.other.ID, `name="Gaming den"`)
	h.waitLog(t, "discord.moderator_channel_id is a channel of a server PeerVoice does not serve", "channel="+h.away.ID)
	if strings.Contains(h.logs.String(), "guild="+h.study.ID+" name=") {
		t.Errorf("start-up warned of the study's own server:\n%s", h.logs.String())
	}

	global, inStudy := commandNames(h.e.Commands("")), commandNames(h.e.Commands(h.study.ID))
	if global != "help,mydata,survey,withdraw" || inStudy != "audit,digest,export,flows,prompt" {
		t.Errorf("registered globally %s, in the study's server %s; want participants' commands globally, the privileged ones in the study's server alone", global, inStudy)
	}
	h.leftOver(t, h.other, bot.PrivilegedDefinitions(h.bot))

	var refusedUsers []*discordtest.User
	refused := 0
	args := privilegedOptions(h.e, h.away)
	for _, r := range bot.Routes(h.bot) {
		u := h.manager(h.other)
		opts := args[name(r)]
		if r.Role == "anyone" {
			opts = nil
		}
		if got := runIn(t, u, h.away, r, opts); got.Content != bot.ForeignServerText {
			t.Errorf("/%s in the other server reads %q; want %q", name(r), got.Content, bot.ForeignServerText)
		}
		refusedUsers, refused = append(refusedUsers, u), refused+1
	}
	away := h.buttons(t, h.away)
	for _, cid := range away.CustomIDs() {
		u := h.manager(h.other)
		if _, err := u.Click(away, cid); err != nil {
			t.Fatal(err)
		}
		if got := reply(t, u, "button "+cid); got.Content != bot.ForeignServerText {
			t.Errorf("button %s in the other server reads %q; want %q", cid, got.Content, bot.ForeignServerText)
		}
		refusedUsers, refused = append(refusedUsers, u), refused+1
	}
	if n := h.built.Load(); n != 0 {
		t.Errorf("%d digests or exports built from the other server; want none", n)
	}
	for _, ch := range []*discordtest.Channel{h.general, h.research} {
		if got := h.e.ChannelMessages(ch.ID); len(got) != 0 {
			t.Errorf("%d message(s) posted in #%s from the other server; want none", len(got), ch.Name)
		}
	}
	if got := len(h.e.ChannelMessages(h.away.ID)); got != 1 {
		t.Errorf("%d messages in the other server's channel; want only the test's own", got)
	}
	logs := h.logs.String()
	if n := strings.Count(logs, "interaction refused: it came from a server PeerVoice does not serve"); n != refused {
		t.Errorf("%d refusals logged; want %d", n, refused)
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "interaction refused") && !strings.Contains(line, "guild="+h.other.ID) {
			t.Errorf("a refusal logged without the server's id: %s", line)
		}
	}
	for _, u := range append(refusedUsers, h.other.Owner()) {
		if strings.Contains(logs, u.ID) {
			t.Errorf("the log carries the id of %s, a user refused in the other server", u.Name)
		}
	}

	// The study's server: the same commands and buttons get through.
	for _, r := range bot.Routes(h.bot) {
		if r.Role == "anyone" {
			continue
		}
		got := runIn(t, h.manager(h.study), h.general, r, privilegedOptions(h.e, h.general)[name(r)])
		if got.Content == bot.ForeignServerText || got.Content == bot.NoServerText || strings.HasPrefix(got.Content, "This needs the") {
			t.Errorf("/%s in the study's server was refused: %q", name(r), got.Content)
		}
	}
	if n := h.built.Load(); n == 0 {
		t.Errorf("no digest or export built in the study's server")
	}
	here := h.buttons(t, h.general)
	for act := range bot.PrivilegedActions() {
		u := h.manager(h.study)
		if _, err := u.Click(here, bot.ID{Action: act, Value: "q1"}.String()); err != nil {
			t.Fatal(err)
		}
		if got := reply(t, u, "button "+string(act)); got.Content == bot.ForeignServerText || strings.HasPrefix(got.Content, "This needs the") {
			t.Errorf("button %c in the study's server was refused: %q", act, got.Content)
		}
	}

	// Participants' DMs work for anyone, a member of the other server too.
	for _, u := range []*discordtest.User{h.manager(h.study), h.manager(h.other)} {
		if _, err := u.RunCommand("survey", discordtest.Opt("flow", "what-matters")); err != nil {
			t.Fatal(err)
		}
		waitQ(t, u, ctx(t), "take_part")
	}
}

// TestNoGuildIDPrivilegedOff: with discord.guild_id empty, the bot says
// at start-up that the moderator and researcher features are off and
// lists the servers it is in with their ids. The privileged commands are
// registered nowhere; left registered in a server by an earlier
// configuration, they are refused, as are the privileged buttons, with
// the fix for whoever runs the bot. Participants' commands work, in DMs
// and in the servers.
func TestNoGuildIDPrivilegedOff(t *testing.T) {
	h := newServersHarness(t, true)
	h.waitLog(t, "discord.guild_id is empty", "moderator and researcher commands and buttons are off", "Copy Server ID")
	for _, g := range []*discordtest.Guild{h.study, h.other} {
		h.waitLog(t, "the bot is in a server", "guild="+g.ID, "name=")
	}
	if got := commandNames(h.e.Commands("")); got != "help,mydata,survey,withdraw" {
		t.Errorf("registered globally: %s; want participants' commands alone", got)
	}
	for _, g := range []*discordtest.Guild{h.study, h.other} {
		if got := h.e.Commands(g.ID); len(got) != 0 {
			t.Errorf("%d command(s) registered in %s; want none", len(got), g.Name)
		}
	}
	// What an earlier discord.guild_id left registered in the server.
	h.leftOver(t, h.study, bot.PrivilegedDefinitions(h.bot))
	args := privilegedOptions(h.e, h.general)
	refused := 0
	for _, r := range bot.Routes(h.bot) {
		if r.Role == "anyone" {
			continue
		}
		if got := runIn(t, h.manager(h.study), h.general, r, args[name(r)]); got.Content != bot.NoServerText {
			t.Errorf("/%s with no discord.guild_id reads %q; want %q", name(r), got.Content, bot.NoServerText)
		}
		refused++
	}
	m := h.buttons(t, h.general)
	for act := range bot.PrivilegedActions() {
		u := h.manager(h.study)
		if _, err := u.Click(m, bot.ID{Action: act, Value: "q1"}.String()); err != nil {
			t.Fatal(err)
		}
		if got := reply(t, u, "button "+string(act)); got.Content != bot.NoServerText {
			t.Errorf("button %c with no discord.guild_id reads %q; want %q", act, got.Content, bot.NoServerText)
		}
		refused++
	}
	if n := h.built.Load(); n != 0 {
		t.Errorf("%d digests or exports built with no discord.guild_id; want none", n)
	}
	if n := strings.Count(h.logs.String(), "privileged command refused: discord.guild_id is empty"); n != refused {
		t.Errorf("%d refusals logged; want %d", n, refused)
	}
	// Participants: a DM, and the "Answer privately" button in a server.
	u := h.manager(h.other)
	if _, err := u.RunCommand("survey", discordtest.Opt("flow", "what-matters")); err != nil {
		t.Fatal(err)
	}
	waitQ(t, u, ctx(t), "take_part")
	v := h.manager(h.study)
	if _, err := v.Click(m, bot.ID{Action: bot.ActPrompt, Value: "what-matters"}.String()); err != nil {
		t.Fatal(err)
	}
	waitQ(t, v, ctx(t), "take_part")
}

// commandNames lists the commands' names, sorted, comma-separated.
func commandNames(cmds []*discordgo.ApplicationCommand) string {
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}
