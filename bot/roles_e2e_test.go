package bot_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/store"
)

// privilegedOptions are the options each privileged command (and
// subcommand) is run with below, valid ones, so only the role check can
// refuse it. A privileged entry of the bot's command table without one
// fails TestEveryPrivilegedCommandChecksItsRole: none goes untested.
// The file /flows upload attaches is a clean flow, served by e.
func privilegedOptions(e *discordtest.Emulator, ch *discordtest.Channel) map[string][]discordtest.CommandOption {
	flow, channel := discordtest.Opt("flow", "risk"), discordtest.Opt("channel", ch)
	id := discordtest.Opt("id", "risk")
	return map[string][]discordtest.CommandOption{
		"flows list":        nil,
		"flows upload":      {discordtest.Opt("file", e.NewUpload("risk.yaml", "application/x-yaml", riskSource))},
		"flows preview":     {id},
		"flows publish":     {id},
		"flows history":     {id},
		"flows show":        {id},
		"flows rollback":    {id, discordtest.Opt("version", 1)},
		"flows close":       {id},
		"flows reopen":      {id},
		"prompt post":       {flow, channel},
		"prompt schedule":   {flow, channel, discordtest.Opt("when", "weekly mon 18:00")},
		"prompt schedules":  nil,
		"prompt unschedule": {discordtest.Opt("id", "1")},
		"digest preview":    nil,
		"digest post":       {discordtest.Opt("again", true)},
		"export":            {discordtest.Opt("format", bot.ExportCSV)},
		"audit":             {discordtest.Opt("limit", 5)},
	}
}

// passes reports whether a member holding the PeerVoice role holds ("" for
// none) passes a route's role check.
func passes(role, holds string) bool {
	return holds == role || (role == "moderator or researcher" && holds != "")
}

// rolesHarness is a bot with both PeerVoice roles configured, and a
// server whose members may hold either, plus Manage Server (so Discord
// offers them every command, and only the bot's own check stands).
type rolesHarness struct {
	*harness
	guild             *discordtest.Guild
	general, research *discordtest.Channel
	roles             map[string]*discordtest.Role // by the bot's name for the role
	managers          *discordtest.Role
	built             atomic.Int32 // digests and exports built
	users             int
}

func newRolesHarness(t *testing.T) *rolesHarness {
	h := &rolesHarness{harness: newStoppedHarness(t)}
	h.guild = h.e.AddGuild("Peer support")
	h.general, h.research = h.guild.AddChannel("general"), h.guild.AddChannel("research")
	h.roles = map[string]*discordtest.Role{"moderator": h.guild.AddRole("peervoice moderators", 0), "researcher": h.guild.AddRole("peervoice researchers", 0)}
	h.managers = h.guild.AddRole("server managers", discordtest.PermissionManageGuild)
	h.configure = func(c *bot.Config) {
		c.GuildID = h.guild.ID
		c.ModeratorRoles, c.ResearcherRoles = []string{h.roles["moderator"].ID}, []string{h.roles["researcher"].ID}
		c.ResearchChannelID = h.research.ID
		c.FlowAdmin = newFakeFlows(t, storetest.Flows(t), time.Now)
		c.Digests = func(context.Context, string) (*digest.Digest, error) {
			h.built.Add(1)
			return nil, errors.New("no digest in this test")
		}
		c.Exports = func(ctx context.Context, _ io.Writer, _ string) (bot.ExportSummary, error) {
			h.built.Add(1)
			if _, ok := ctx.Deadline(); !ok {
				return bot.ExportSummary{}, errors.New("the export, a slow command, runs without a deadline")
			}
			return bot.ExportSummary{}, errors.New("no export in this test")
		}
	}
	h.start()
	if err := h.e.WaitCommands(ctx(t), h.guild.ID, "digest", "export"); err != nil {
		t.Fatalf("bot did not register its commands: %v", err)
	}
	return h
}

// member is a new member with Manage Server and the PeerVoice role
// holds ("" for none): one per interaction, so each reply is its own.
func (h *rolesHarness) member(holds string) *discordtest.User {
	h.users++
	u := h.e.User(fmt.Sprintf("member%d-%s", h.users, holds))
	roles := []*discordtest.Role{h.managers}
	if holds != "" {
		roles = append(roles, h.roles[holds])
	}
	h.guild.AddMember(u, roles...)
	return u
}

// run runs the route's command as u and returns the bot's ephemeral
// answer.
func (h *rolesHarness) run(t *testing.T, u *discordtest.User, r bot.Route, opts []discordtest.CommandOption) discordtest.Message {
	t.Helper()
	if r.Sub != "" {
		opts = []discordtest.CommandOption{discordtest.Sub(r.Sub, opts...)}
	}
	if _, err := u.RunCommandIn(h.general, r.Command, opts...); err != nil {
		t.Fatal(err)
	}
	m, err := u.WaitMessage(ctx(t), func(m discordtest.Message) bool { return m.Ephemeral && m.Content != "" })
	if err != nil {
		t.Fatalf("/%s: no answer: %v", name(r), err)
	}
	return m
}

func name(r bot.Route) string { return strings.TrimSpace(r.Command + " " + r.Sub) }

// TestEveryPrivilegedCommandChecksItsRole runs every entry of the command
// table that needs a role, as members whom Discord offers it (Manage
// Server) but who lack that role, the other PeerVoice role included:
// each is refused by the bot, logged, and nothing is built or posted.
// The holders of the role are then let through.
func TestEveryPrivilegedCommandChecksItsRole(t *testing.T) {
	h := newRolesHarness(t)
	args := privilegedOptions(h.e, h.general)
	var privileged []bot.Route
	for _, r := range bot.Routes(h.bot) {
		if r.Role == "anyone" {
			continue
		}
		if _, ok := args[name(r)]; !ok {
			t.Errorf("/%s needs the %s role, but privilegedOptions has no options for it: add them, so its refusal is tested", name(r), r.Role)
			continue
		}
		privileged = append(privileged, r)
	}
	if len(privileged) < len(args) {
		t.Errorf("%d privileged entries in the command table; want at least the %d of privilegedOptions", len(privileged), len(args))
	}
	for _, r := range privileged {
		for _, holds := range []string{"", "moderator", "researcher"} {
			if passes(r.Role, holds) {
				continue
			}
			want := "This needs the " + r.Role + " role."
			if got := h.run(t, h.member(holds), r, args[name(r)]); got.Content != want {
				t.Errorf("/%s by a member holding %q reads %q; want %q", name(r), holds, got.Content, want)
			}
		}
		role := r.Role
		if strings.Contains(role, " ") {
			role = strconv.Quote(role)
		}
		if !strings.Contains(h.logs.String(), "command="+r.Command+" role="+role) {
			t.Errorf("/%s: the refusal was not logged with the command and the role", name(r))
		}
	}
	if n := h.built.Load(); n != 0 {
		t.Errorf("%d digests or exports built for refused members; want none", n)
	}
	if up := args["flows upload"][0].Value.(*discordtest.Upload); up.Downloads() != 0 {
		t.Errorf("the file attached to /flows upload was downloaded %d times for refused members; want never", up.Downloads())
	}
	for _, ch := range []*discordtest.Channel{h.general, h.research} {
		if got := h.e.ChannelMessages(ch.ID); len(got) != 0 {
			t.Errorf("%d message(s) posted in #%s for refused members; want none", len(got), ch.Name)
		}
	}
	for _, r := range privileged {
		for _, holds := range []string{"moderator", "researcher"} {
			if !passes(r.Role, holds) {
				continue
			}
			if got := h.run(t, h.member(holds), r, args[name(r)]); strings.HasPrefix(got.Content, "This needs the") {
				t.Errorf("/%s by a member holding the %s role was refused: %q", name(r), holds, got.Content)
			}
		}
	}
	if strings.Contains(h.logs.String(), "without a deadline") {
		t.Errorf("the export, a slow command, ran without a deadline")
	}
}

// TestCommandTableMatchesDefinitions checks the command table against
// the definitions the bot registered: every subcommand has its entry and
// no entry is left without one, and what Discord's own gate hides
// (default_member_permissions, not in DMs) is exactly what the bot
// checks a role for.
func TestCommandTableMatchesDefinitions(t *testing.T) {
	h, g := newServerHarness(t, nil)
	routes := map[string]bot.Route{}
	for _, r := range bot.Routes(h.bot) {
		routes[name(r)] = r
	}
	// Participants' commands are global, the privileged ones the study
	// server's (TestCommandsRegisteredByScope checks which is where).
	defs := append(h.e.Commands(""), h.e.Commands(g.ID)...)
	if len(defs) == 0 {
		t.Fatal("no commands registered")
	}
	for _, def := range defs {
		gated := def.DefaultMemberPermissions != nil
		if inDMs := def.DMPermission == nil || *def.DMPermission; inDMs == gated {
			t.Errorf("/%s: default_member_permissions set %v, dm_permission %v; a privileged command is gated and kept out of DMs, any other neither", def.Name, gated, inDMs)
		}
		subs := []string{""}
		if len(def.Options) > 0 && def.Options[0].Type == discordgo.ApplicationCommandOptionSubCommand {
			subs = nil
			for _, o := range def.Options {
				subs = append(subs, o.Name)
			}
		}
		for _, sub := range subs {
			key := strings.TrimSpace(def.Name + " " + sub)
			r, ok := routes[key]
			if !ok {
				t.Errorf("/%s is registered but has no entry in the command table", key)
				continue
			}
			delete(routes, key)
			if privileged := r.Role != "anyone"; privileged != gated {
				t.Errorf("/%s needs role %q, but Discord's gate on it is %v; want a role exactly where Discord gates", key, r.Role, gated)
			}
		}
	}
	for key := range routes {
		t.Errorf("/%s is in the command table but not registered", key)
	}
}

// TestEveryPrivilegedButtonChecksItsRole clicks each button only a role
// may use, as a member with Manage Server who lacks the role: each click
// is refused, logged, and changes nothing. A privileged button without a
// step here fails the test.
func TestEveryPrivilegedButtonChecksItsRole(t *testing.T) {
	h := newQuoteHarness(t, quoteA)
	managers := h.guild.AddRole("managers", discordtest.PermissionManageGuild)
	fake := newFakeFlows(t, storetest.Flows(t), time.Now)
	r := h.start(func(c *bot.Config, _ *store.DB) { c.FlowAdmin = fake })
	request := h.wantPosted("on start", quoteA.ID)[quoteA.ID]
	clicked := map[bot.Action]bool{}
	refused := func(act bot.Action) {
		t.Helper()
		u := h.e.User(fmt.Sprintf("manager-%c", act))
		h.guild.AddMember(u, managers)
		h.click(u, h.now(request), act)
		if _, err := u.WaitMessage(ctx(t), func(m discordtest.Message) bool {
			return m.Ephemeral && m.Content == "This needs the "+bot.PrivilegedActions()[act]+" role."
		}); err != nil {
			t.Errorf("button %c: no refusal: %v", act, err)
		}
		clicked[act] = true
	}
	refused(bot.ActApproveQuote)
	refused(bot.ActRejectQuote)
	if got := buttons(h.now(request)); got != "Approve, Reject" || len(h.approved(r)) != 0 {
		t.Errorf("refused clicks changed the request (%s) or approved %v", got, h.approved(r))
	}
	h.click(h.moderator, h.now(request), bot.ActApproveQuote)
	refused(bot.ActUndoQuote)
	if got := h.approved(r); !got[quoteA.ID] {
		t.Errorf("a refused Undo undid the approval: approved %v", got)
	}
	// A draft's buttons are on the moderator's own ephemeral reply, which
	// no one else can click: the moderator loses the role, then clicks.
	h.guild.AddMember(h.moderator, h.role, managers) // Discord offers /flows to Manage Server
	refusals := len(clicked)
	for _, act := range refusedDraftButtons(t, h.e, h.mods, h.moderator, fake, func() { h.guild.AddMember(h.moderator, managers) }) {
		clicked[act] = true
		refusals++
	}
	for act, role := range bot.PrivilegedActions() {
		if !clicked[act] {
			t.Errorf("button %c needs the %s role, but this test never clicks it: add a step", act, role)
		}
	}
	if n := strings.Count(h.logs.String(), "privileged command refused"); n != refusals {
		t.Errorf("%d refusals logged; want %d", n, refusals)
	}
}
