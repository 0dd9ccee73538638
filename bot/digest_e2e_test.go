package bot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	rs "github.com/peervoice/peervoice/research" // research is the test channel helper here
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/store"
)

// digestHarness runs the real bot, with researcher roles, a research
// channel and a digest source, against the emulator.
type digestHarness struct {
	*harness
	guild      *discordtest.Guild
	research   *discordtest.Channel
	researcher *discordtest.User
	member     *discordtest.User
	mu         sync.Mutex
	periods    []string // the periods asked for, in order
}

func (h *digestHarness) asked() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(h.periods, ",")
}

// newDigestHarness starts a bot whose digests come from build. With
// noChannel, discord.research_channel_id is "missing" (a channel id
// Discord does not know) or "" (not configured).
func newDigestHarness(t *testing.T, build func(period string) (*digest.Digest, error), channelID func(research *discordtest.Channel) string) *digestHarness {
	t.Helper()
	h := &digestHarness{harness: newStoppedHarness(t)}
	h.guild = h.e.AddGuild("Peer support")
	h.research = h.guild.AddChannel("research")
	role := h.guild.AddRole("researchers", 0)
	managers := h.guild.AddRole("server managers", discordtest.PermissionManageGuild)
	h.researcher, h.member = h.e.User("researcher"), h.e.User("manager")
	// Discord offers /digest to Manage Server by default (a first gate
	// admins can open to the researchers' role); the bot checks the role.
	h.guild.AddMember(h.researcher, role, managers)
	h.guild.AddMember(h.member, managers) // Manage Server, but not the researcher role

	h.configure = func(c *bot.Config) {
		c.GuildID = h.guild.ID
		c.ResearcherRoles = []string{role.ID}
		c.ResearchChannelID = channelID(h.research)
		c.Store = h.db
		c.Digests = func(_ context.Context, period string) (*digest.Digest, error) {
			h.mu.Lock()
			h.periods = append(h.periods, period)
			h.mu.Unlock()
			return build(period)
		}
	}
	h.start()
	if err := h.e.WaitCommands(ctx(t), h.guild.ID, "digest"); err != nil {
		t.Fatalf("bot did not register /digest: %v", err)
	}
	return h
}

// smallDigest builds digests as cmd/peervoice has the bot build them:
// by research, from a real store where 23 people took part in each of
// 2026-W46 and 2026-W47, at a clock in 2026-W48, so that the default
// period is 2026-W47.
func smallDigest(t *testing.T) func(string) (*digest.Digest, error) {
	t.Helper()
	db := storetest.Open(t, storetest.Path(t), store.Options{})
	cat := storetest.Flows(t)
	for week, when := range []time.Time{at(2026, 11, 11, 12, 0), at(2026, 11, 18, 12, 0)} {
		takePart(t, db, cat, when, 23, fmt.Sprintf("4%d", week))
	}
	det, err := safety.New(safety.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := rs.New(db, rs.Config{
		Location: london, QuoteApproval: true, Flows: func() *flows.Catalog { return cat }, Crisis: det,
		Ask: func(p string) string { return "/digest preview period:" + p }, Now: func() time.Time { return at(2026, 11, 25, 12, 0) },
	})
	return func(period string) (*digest.Digest, error) { return b.Digest(context.Background(), period) }
}

// takePart has n people consent at when, through the participant
// service, and begin the recovery flow; their Discord ids start with
// prefix.
func takePart(t *testing.T, db *store.DB, cat *flows.Catalog, when time.Time, n int, prefix string) {
	t.Helper()
	c := context.Background()
	svc, err := participant.New(db, participant.Config{Flows: func() *flows.Catalog { return cat }, Now: func() time.Time { return when }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		u := participant.User{Platform: "discord", ID: fmt.Sprintf("%s%016d", prefix, i)}
		if _, err := svc.Begin(c, u, "recovery", ""); err != nil {
			t.Fatal(err)
		}
		for _, in := range []flows.Input{{Kind: flows.Choose, Choices: []string{"yes"}}, {Kind: flows.Choose, Choices: []string{"no"}}} {
			if _, err := svc.Input(c, u, participant.Step{Input: in}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// bigDigest is a digest with 150 questions: more than one message holds.
func bigDigest(t *testing.T) func(string) (*digest.Digest, error) {
	small := smallDigest(t)
	return func(period string) (*digest.Digest, error) {
		d, err := small(period)
		if err != nil {
			return nil, err
		}
		pol, _ := disclosure.New(8, 5)
		for i := range 150 {
			q := digest.Question{FlowTitle: "Recovery", Prompt: fmt.Sprintf("Question %d: my care team's idea of recovery is the same as mine", i), Type: "scale"}
			for j, label := range []string{"Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"} {
				s := digest.Share{ID: fmt.Sprint(j), Label: label, Count: pol.Count(10 + j), Percent: pol.Percent(10+j, 60)}
				q.Period.Options = append(q.Period.Options, s)
				q.Change.Options = append(q.Change.Options, digest.ShareChange{ID: s.ID})
			}
			d.Questions = append(d.Questions, q)
		}
		return d, nil
	}
}

func research(ch *discordtest.Channel) string { return ch.ID }

func TestDigestPreviewAndPost(t *testing.T) {
	h := newDigestHarness(t, bigDigest(t), research)
	c := ctx(t)
	want, _ := bigDigest(t)("")
	n := len(want.Embeds())
	if n < 2 {
		t.Fatalf("the big digest fits in %d message; want it split", n)
	}

	if _, err := h.researcher.RunCommandIn(h.research, "digest", discordtest.Sub("preview", discordtest.Opt("period", "2026-W46"))); err != nil {
		t.Fatal(err)
	}
	first, err := h.researcher.WaitMessage(c, func(m discordtest.Message) bool {
		return m.Ephemeral && strings.Contains(m.Content, "Preview of the digest for 2026-W46")
	})
	if err != nil {
		t.Fatalf("no preview: %v", err)
	}
	if !strings.Contains(embedText(first), "New participants") || !strings.Contains(embedText(first), "This week: **25**") {
		t.Errorf("preview lacks the participation figures:\n%s", embedText(first))
	}
	for i := 1; i < n; i++ {
		if _, err := h.researcher.WaitMessage(c, func(m discordtest.Message) bool { return m.Ephemeral && m.Followup && len(m.Embeds) > 0 }); err != nil {
			t.Fatalf("preview follow-up %d of %d: %v", i, n-1, err)
		}
	}
	if got := len(h.e.ChannelMessages(h.research.ID)); got != 0 {
		t.Errorf("the preview put %d messages in the channel for all to see", got)
	}

	if _, err := h.researcher.RunCommandIn(h.research, "digest", discordtest.Sub("post")); err != nil {
		t.Fatal(err)
	}
	if _, err := h.researcher.WaitMessage(c, func(m discordtest.Message) bool {
		return m.Ephemeral && strings.Contains(m.Content, fmt.Sprintf("Posted the digest for 2026-W47 in <#%s> (%d message(s))", h.research.ID, n))
	}); err != nil {
		t.Fatalf("no confirmation: %v", err)
	}
	posted := h.e.ChannelMessages(h.research.ID)
	if len(posted) != n {
		t.Fatalf("%d messages in the research channel; want %d", len(posted), n)
	}
	if !strings.Contains(embedText(posted[0]), want.Title()) || !strings.Contains(embedText(posted[n-1]), "Question 149") {
		t.Errorf("the posted digest is not whole: first %q ... last %q", posted[0].Embeds[0].Title, embedText(posted[n-1]))
	}
	if got := h.asked(); got != "2026-W46," {
		t.Errorf("periods asked for = %q; want \"2026-W46,\"", got)
	}
	byResearcher := func(period string) func(audit.Entry) bool {
		return func(e audit.Entry) bool { return e.Actor.ID == h.researcher.ID && e.Target == period }
	}
	wantAudited(t, h.db, "digest.preview", audit.OK, 1, byResearcher("2026-W46"))
	wantAudited(t, h.db, "digest.post", audit.OK, 1, byResearcher("2026-W47"))
}

func TestDigestNeedsTheResearcherRole(t *testing.T) {
	h := newDigestHarness(t, smallDigest(t), research)
	c := ctx(t)
	for _, sub := range []string{"preview", "post"} {
		if _, err := h.member.RunCommandIn(h.research, "digest", discordtest.Sub(sub)); err != nil {
			t.Fatal(err)
		}
		if _, err := h.member.WaitMessage(c, func(m discordtest.Message) bool {
			return m.Ephemeral && strings.Contains(m.Content, "This needs the researcher role.")
		}); err != nil {
			t.Fatalf("/digest %s: no refusal: %v", sub, err)
		}
	}
	if h.asked() != "" || len(h.e.ChannelMessages(h.research.ID)) != 0 {
		t.Errorf("a refused member got a digest built (%q) or posted", h.asked())
	}
	if !strings.Contains(h.logs.String(), "privileged command refused") {
		t.Errorf("the refusal was not logged")
	}
}

func TestDigestResearchChannelMissing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		channel func(*discordtest.Channel) string
		says    string
	}{
		{"not configured", func(*discordtest.Channel) string { return "" }, "discord.research_channel_id"},
		{"unknown", func(*discordtest.Channel) string { return "123456789012345678" }, "Unknown Channel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newDigestHarness(t, smallDigest(t), tc.channel)
			c := ctx(t)
			if _, err := h.researcher.RunCommandIn(h.research, "digest", discordtest.Sub("post")); err != nil {
				t.Fatal(err)
			}
			m, err := h.researcher.WaitMessage(c, func(m discordtest.Message) bool { return m.Ephemeral })
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(m.Content, tc.says) || !strings.Contains(m.Content, "/digest post") {
				t.Errorf("the researcher reads %q; want the problem (%q) and how to post once fixed", m.Content, tc.says)
			}
			if !strings.Contains(h.logs.String(), "cannot post digest") {
				t.Errorf("not logged:\n%s", h.logs.String())
			}
		})
	}
}

// TestPostDigestREST posts over REST alone, as `peervoice digest --post`
// does, and names the fix when the channel is unknown.
func TestPostDigestREST(t *testing.T) {
	e := discordtest.New(t)
	g := e.AddGuild("Peer support")
	ch := g.AddChannel("research")
	d, err := bigDigest(t)("")
	if err != nil {
		t.Fatal(err)
	}
	cfg := bot.Config{Token: e.Token(), APIURL: e.URL(), ResearchChannelID: ch.ID}
	if _, err := bot.PostDigest(ctx(t), cfg, d, false); err != nil {
		t.Fatal(err)
	}
	if got, want := len(e.ChannelMessages(ch.ID)), len(d.Embeds()); got != want {
		t.Errorf("%d messages posted; want %d", got, want)
	}
	if st := e.GatewayStats(); st.Connections != 0 {
		t.Errorf("PostDigest opened %d gateway connections; want REST only", st.Connections)
	}
	cfg.ResearchChannelID = "123456789012345678"
	_, err = bot.PostDigest(ctx(t), cfg, d, false)
	var pe *bot.DigestPostError
	if !errors.As(err, &pe) || pe.Reason != "Unknown Channel" || !strings.Contains(err.Error(), "discord.research_channel_id") {
		t.Errorf("PostDigest(unknown channel) = %v; want an Unknown Channel error with the fix", err)
	}
	cfg.ResearchChannelID = ""
	if _, err := bot.PostDigest(ctx(t), cfg, d, false); !errors.Is(err, bot.ErrNoResearchChannel) {
		t.Errorf("PostDigest(no channel) = %v; want ErrNoResearchChannel", err)
	}
}

var _ = discordgo.EmbedTypeRich

// TestPostDigestRESTOnce: with the database, PostDigest claims the
// period as the bot does: a second call finds it posted and says where;
// again posts it anew, charts and all.
func TestPostDigestRESTOnce(t *testing.T) {
	e := discordtest.New(t)
	g := e.AddGuild("Peer support")
	ch := g.AddChannel("research")
	db := storetest.Open(t, storetest.Path(t), store.Options{})
	d := mustDigest(t, "2026-W47")
	per := len(d.Embeds()) + 1
	cfg := bot.Config{Token: e.Token(), APIURL: e.URL(), ResearchChannelID: ch.ID, Store: db, Location: london}
	got, err := bot.PostDigest(ctx(t), cfg, d, false)
	msgs := e.ChannelMessages(ch.ID)
	if err != nil || got.Already || got.Messages != per || len(msgs) != per || got.MessageID != msgs[0].ID {
		t.Fatalf("PostDigest() = %+v, %v with %d messages; want %d posted", got, err, len(msgs), per)
	}
	if a := msgs[per-1].Attachments; len(a) != 2 || !bytes.HasPrefix(a[1].Data, pngSignature) {
		t.Errorf("the chart message has %d attachments; want 2 PNGs", len(a))
	}
	link := fmt.Sprintf("https://discord.com/channels/%s/%s/%s", g.ID, ch.ID, msgs[0].ID)
	again, err := bot.PostDigest(ctx(t), cfg, d, false)
	if err != nil || !again.Already || again.Link != link || len(e.ChannelMessages(ch.ID)) != per {
		t.Errorf("PostDigest() again = %+v, %v; want already posted at %s, nothing new", again, err, link)
	}
	if _, err := bot.PostDigest(ctx(t), cfg, d, true); err != nil || len(e.ChannelMessages(ch.ID)) != 2*per {
		t.Errorf("PostDigest(again) = %v, %d messages; want %d", err, len(e.ChannelMessages(ch.ID)), 2*per)
	}
}

func TestDigestMistypedPeriod(t *testing.T) {
	h := newDigestHarness(t, smallDigest(t), research)
	if _, err := h.researcher.RunCommandIn(h.research, "digest", discordtest.Sub("preview", discordtest.Opt("period", "2026-W99"))); err != nil {
		t.Fatal(err)
	}
	m, err := h.researcher.WaitMessage(ctx(t), func(m discordtest.Message) bool { return m.Ephemeral })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Content, "no week 99") || h.asked() != "" {
		t.Errorf("the researcher reads %q (periods built: %q); want the mistake explained and nothing built", m.Content, h.asked())
	}
}

// TestDigestPostOncePerPeriod: /digest post of a period already posted
// says so, with a link, and posts nothing; again:true posts it anew; a
// period still under way is posted without taking the period's claim.
func TestDigestPostOncePerPeriod(t *testing.T) {
	h := newDigestHarness(t, func(period string) (*digest.Digest, error) { return chartedDigest(period, 2) }, research)
	c := ctx(t)
	per := len(mustDigest(t, "2026-W47").Embeds()) + 1
	post := func(opts ...discordtest.CommandOption) discordtest.Message {
		t.Helper()
		if _, err := h.researcher.RunCommandIn(h.research, "digest", discordtest.Sub("post", opts...)); err != nil {
			t.Fatal(err)
		}
		m, err := h.researcher.WaitMessage(c, func(m discordtest.Message) bool { return m.Ephemeral && m.Content != "" })
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	first := post()
	posted := h.e.ChannelMessages(h.research.ID)
	if len(posted) != per || !strings.Contains(first.Content, "Posted the digest for 2026-W47") {
		t.Fatalf("first post: %d messages, reply %q; want %d", len(posted), first.Content, per)
	}
	link := fmt.Sprintf("https://discord.com/channels/%s/%s/%s", h.guild.ID, h.research.ID, posted[0].ID)
	if !strings.Contains(first.Content, link) {
		t.Errorf("reply %q lacks the link %s", first.Content, link)
	}
	if got := posted[per-1].Attachments; len(got) != 2 || !bytes.HasPrefix(got[0].Data, pngSignature) {
		t.Errorf("the chart message has %d attachments; want 2 PNGs", len(got))
	}

	second := post(discordtest.Opt("period", "2026-W47"))
	if !strings.Contains(second.Content, "already posted") || !strings.Contains(second.Content, link) || !strings.Contains(second.Content, "again:True") {
		t.Errorf("second post: reply %q; want already posted, with the link and how to post again", second.Content)
	}
	if got := len(h.e.ChannelMessages(h.research.ID)); got != per {
		t.Fatalf("after the second /digest post: %d messages; want %d", got, per)
	}

	third := post(discordtest.Opt("again", true))
	if got := len(h.e.ChannelMessages(h.research.ID)); got != 2*per || !strings.Contains(third.Content, "Posted the digest for 2026-W47") {
		t.Errorf("again:true: %d messages, reply %q; want %d", got, third.Content, 2*per)
	}

	// The preview shows the charts too, to the researcher alone.
	if _, err := h.researcher.RunCommandIn(h.research, "digest", discordtest.Sub("preview")); err != nil {
		t.Fatal(err)
	}
	charts, err := h.researcher.WaitMessage(c, func(m discordtest.Message) bool { return m.Ephemeral && m.Followup && len(m.Attachments) > 0 })
	if err != nil || len(charts.Attachments) != 2 || !bytes.HasPrefix(charts.Attachments[0].Data, pngSignature) {
		t.Errorf("preview charts: %+v, %v; want an ephemeral follow-up with 2 PNGs", charts.Attachments, err)
	}
	if got := len(h.e.ChannelMessages(h.research.ID)); got != 2*per {
		t.Errorf("the preview put %d messages in the channel", got-2*per)
	}
	if v := h.e.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

func mustDigest(t *testing.T, period string) *digest.Digest {
	t.Helper()
	d, err := chartedDigest(period, 2)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDigestPostAfterSchedule: a week the schedule posted is not posted
// again by /digest post, which links to the scheduled post. The bot has
// no prompt schedules: the scheduler runs for the digest alone.
func TestDigestPostAfterSchedule(t *testing.T) {
	clock := discordtest.NewFakeClock(at(2026, 11, 30, 18, 0))
	h := &digestHarness{harness: newStoppedHarness(t)}
	h.guild = h.e.AddGuild("Peer support")
	h.research = h.guild.AddChannel("research")
	role := h.guild.AddRole("researchers", 0)
	h.researcher = h.e.User("researcher")
	h.guild.AddMember(h.researcher, role, h.guild.AddRole("server managers", discordtest.PermissionManageGuild))
	h.configure = func(c *bot.Config) {
		c.GuildID = h.guild.ID
		c.ResearcherRoles = []string{role.ID}
		c.ResearchChannelID = h.research.ID
		c.Digests = func(_ context.Context, period string) (*digest.Digest, error) { return chartedDigest(period, 1) }
		c.Store, c.Now, c.Location = h.db, clock.Now, london
		c.Prompts = bot.PromptsConfig{Tick: time.Hour}
		c.DigestPosting = bot.DigestPosting{Schedule: "weekly mon 18:00"}
	}
	h.start()
	c := ctx(t)
	per := len(mustDigest(t, "2026-W48").Embeds()) + 1
	if _, err := h.e.WaitChannelMessage(c, h.research.ID, func(m discordtest.Message) bool { return len(m.Attachments) > 0 }); err != nil {
		t.Fatalf("the scheduled digest was not posted on start at its time: %v", err)
	}
	scheduled := h.e.ChannelMessages(h.research.ID)
	if len(scheduled) != per {
		t.Fatalf("%d messages posted by the schedule; want %d", len(scheduled), per)
	}
	if _, err := h.researcher.RunCommandIn(h.research, "digest", discordtest.Sub("post", discordtest.Opt("period", "2026-W48"))); err != nil {
		t.Fatal(err)
	}
	m, err := h.researcher.WaitMessage(c, func(m discordtest.Message) bool { return m.Ephemeral && m.Content != "" })
	link := fmt.Sprintf("https://discord.com/channels/%s/%s/%s", h.guild.ID, h.research.ID, scheduled[0].ID)
	if err != nil || !strings.Contains(m.Content, "already posted") || !strings.Contains(m.Content, link) || !strings.Contains(m.Content, "30 November 2026") {
		t.Errorf("/digest post after the schedule: %q, %v; want already posted on 30 November 2026 at %s", m.Content, err, link)
	}
	if got := len(h.e.ChannelMessages(h.research.ID)); got != per {
		t.Errorf("%d messages after /digest post; want %d", got, per)
	}
}

// TestSlowWorkIsDeferred: Discord allows 3 seconds for the first response
// to an interaction, so when the work takes longer than ackAfter the bot
// defers (type 5) while still working, and edits the answer in once done.
// Checked by the order of events rather than by the clock, which on a busy
// machine says more about the machine: the digest here is built only once
// the deferral has arrived.
func TestSlowWorkIsDeferred(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock() // before the harness stops the bot, which waits for the work
	small := smallDigest(t)
	h := newDigestHarness(t, func(period string) (*digest.Digest, error) {
		<-release
		return small(period)
	}, research)
	c := ctx(t)
	in, err := h.researcher.RunCommandIn(h.research, "digest", discordtest.Sub("preview", discordtest.Opt("period", "2026-W47")))
	if err != nil {
		t.Fatal(err)
	}
	typ, err := in.WaitResponse(c)
	if err != nil {
		t.Fatalf("no response while the digest was being built: %v", err)
	}
	if typ != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Errorf("first response type %v while the work went on; want %v (deferred)", typ, discordgo.InteractionResponseDeferredChannelMessageWithSource)
	}
	unblock()
	m, err := h.researcher.WaitMessage(c, func(m discordtest.Message) bool {
		return strings.Contains(m.Content, "Preview of the digest for 2026-W47")
	})
	if err != nil {
		t.Fatalf("no preview after the deferral: %v", err)
	}
	if !m.Ephemeral || m.Followup || m.InteractionID != in.ID {
		t.Errorf("preview: ephemeral %v, follow-up %v, interaction %q; want the deferred response to interaction %s edited into it", m.Ephemeral, m.Followup, m.InteractionID, in.ID)
	}
}
