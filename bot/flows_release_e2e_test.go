package bot_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/release"
	"github.com/peervoice/peervoice/store"
)

// newReleaseHarness is a flows harness whose /flows runs on the real
// release service over the bot's own database, seeded with the built-in
// pack as peervoice run seeds it, and whose participants are served the
// service's live flows.
func newReleaseHarness(t *testing.T) (*flowsHarness, *release.Service) {
	t.Helper()
	h := &flowsHarness{harness: newStoppedHarness(t), clock: discordtest.NewFakeClock(time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC))}
	h.guild = h.e.AddGuild("Peer support")
	h.general, h.mods = h.guild.AddChannel("general"), h.guild.AddChannel("moderators")
	h.modRole = h.guild.AddRole("peervoice moderators", 0)
	h.managers = h.guild.AddRole("server managers", discordtest.PermissionManageGuild)
	h.moderator = h.e.User("Robin")
	h.guild.AddMember(h.moderator, h.modRole, h.managers)
	var rel *release.Service
	h.configure = func(c *bot.Config) {
		rel = release.NewWith(release.Options{Store: h.db, Audit: h.db, Now: h.clock.Now})
		var seeds []release.Source
		names, err := fs.Glob(flows.Pack(), "*.yaml")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			src, err := fs.ReadFile(flows.Pack(), name)
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, release.Source{Name: "pack/" + name, Key: "pack/" + name, Src: src})
		}
		if rep, err := rel.Seed(context.Background(), seeds); err != nil || len(rep.Problems) > 0 {
			t.Fatalf("seeding the pack: %v %v", err, rep.Problems)
		}
		h.serveLive(rel)
		c.GuildID, c.ModeratorRoles, c.ModeratorChannelID = h.guild.ID, []string{h.modRole.ID}, h.mods.ID
		c.FlowAdmin, c.Now, c.Location = rel, h.clock.Now, time.UTC
	}
	h.start()
	rel.OnLive(func(v release.Version) {
		h.serveLive(rel)
		h.bot.FlowLive(v)
	})
	if err := h.e.WaitCommands(ctx(t), h.guild.ID, "flows"); err != nil {
		t.Fatal(err)
	}
	return h, rel
}

// serveLive serves participants the service's live, open flows.
func (h *flowsHarness) serveLive(rel *release.Service) {
	h.t.Helper()
	cat, err := rel.Catalog(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	h.catalog.Store(cat)
}

// TestFlowsOnTheReleaseService: a moderator publishes a new version from
// Discord while a participant is part-way through the old one. She
// finishes on the version she started; a newcomer gets the new one; a
// draft removing an option she chose says how many answers it touches
// (counted in the real database); a rollback makes the first version
// live again as a new version.
func TestFlowsOnTheReleaseService(t *testing.T) {
	h, rel := newReleaseHarness(t)
	c := ctx(t)
	const oldSay, newSay = `I have a say in what is written about`, `I can change what is written about`
	alice := h.e.User("alice")
	h.consent(alice, "risk")
	answer(t, alice, waitQ(t, alice, c, "focus"), "balanced")
	open := waitQ(t, alice, c, "risk_open")

	src := edited(t, packSource(t, "risk"), oldSay, newSay)
	draft, _ := h.uploadFile(h.moderator, "risk.yaml", src)
	if !strings.Contains(draft.Content, "`risk` is now a draft. Compared with live v1:") || !strings.Contains(draft.Content, "risk_say") {
		t.Errorf("draft = %q; want the rewording of risk_say against v1", draft.Content)
	}
	if live := h.click(h.moderator, draft, "Publish"); !strings.HasPrefix(live.Content, "**risk** v2 is live.") {
		t.Fatalf("publish = %q", live.Content)
	}
	for deadline := time.Now().Add(waitTime); ; time.Sleep(20 * time.Millisecond) {
		ms := h.e.ChannelMessages(h.mods.ID)
		if len(ms) > 0 && strings.Contains(ms[len(ms)-1].Content, "**risk** v2 is live, from Robin") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the moderator channel was not told of v2: %d messages", len(ms))
		}
	}

	answer(t, alice, open, "not_sure")
	if m := waitQ(t, alice, c, "risk_say"); !strings.Contains(embedText(m), oldSay) {
		t.Errorf("alice, part-way through v1, is asked %q; want v1's wording", embedText(m))
	}
	bob := h.e.User("bob")
	h.consent(bob, "risk")
	answer(t, bob, waitQ(t, bob, c, "focus"), "balanced")
	answer(t, bob, waitQ(t, bob, c, "risk_open"), "yes")
	if m := waitQ(t, bob, c, "risk_say"); !strings.Contains(embedText(m), newSay) {
		t.Errorf("bob, starting after v2 went live, is asked %q; want v2's wording", embedText(m))
	}

	// Alice's "not sure" is in the database: a draft without that option
	// touches one answer, and needs confirmation.
	noNotSure := edited(t, src, "      - {id: not_sure, label: \"Not sure\"}\n\n  - id: risk_say", "\n  - id: risk_say")
	draft, _ = h.uploadFile(h.moderator, "risk.yaml", noNotSure)
	if !strings.Contains(draft.Content, "These changes touch **1 answer** already given") {
		t.Errorf("draft removing not_sure = %q; want 1 answer touched", draft.Content)
	}
	if got := h.run(h.moderator, "publish", discordtest.Opt("id", "risk")).Content; !strings.Contains(got, "Publish anyway") && !strings.Contains(got, "confirm") {
		t.Errorf("publish without confirm = %q; want confirmation asked", got)
	}

	if got := h.run(h.moderator, "rollback", discordtest.Opt("id", "risk"), discordtest.Opt("version", 1)).Content; !strings.Contains(got, "v3") {
		t.Errorf("rollback = %q; want v3 live", got)
	}
	vs, err := rel.History(c, "risk")
	if err != nil || len(vs) != 3 || !vs[2].Live || vs[2].Hash != vs[0].Hash || vs[1].Actor.Name != "Robin" {
		t.Fatalf("history after the rollback = %+v, %v; want v1, v2 by Robin, v3 live with v1's source", vs, err)
	}
	// Every change is on the audit log, by the moderator who made it.
	entries, err := h.db.AuditEntries(c, store.AuditFilter{Action: "flows"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	imports := 0
	for _, e := range entries {
		if e.Action == "flows.import" {
			imports++ // the pack, seeded as peervoice run seeds it
			continue
		}
		got = append(got, e.Actor.String()+" "+e.Action+" "+e.Target+" "+e.Outcome)
	}
	if imports == 0 {
		t.Error("the pack's versions imported at the start are not on the audit log")
	}
	want := "Robin (" + h.moderator.ID + ") flows.upload risk draft ok|Robin (" + h.moderator.ID + ") flows.publish risk v2 ok|" +
		"Robin (" + h.moderator.ID + ") flows.upload risk draft ok|Robin (" + h.moderator.ID + ") flows.rollback risk v3 ok"
	if strings.Join(got, "|") != want {
		t.Errorf("audit log of flows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
	carol := h.e.User("carol")
	h.consent(carol, "risk")
	answer(t, carol, waitQ(t, carol, c, "focus"), "balanced")
	answer(t, carol, waitQ(t, carol, c, "risk_open"), "yes")
	if m := waitQ(t, carol, c, "risk_say"); !strings.Contains(embedText(m), oldSay) {
		t.Errorf("carol, after the rollback, is asked %q; want v1's wording again", embedText(m))
	}
}
