package bot_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/store"
)

// quoteHarness runs the real bot with quote approval against the
// emulator, on one database file, as many times as a test likes: one
// after another (restarts) or side by side (a deploy). The candidates
// come from a list the test controls; cmd/peervoice's tests build them
// from participants' real answers.
type quoteHarness struct {
	t         *testing.T
	e         *discordtest.Emulator
	path      string
	clock     *discordtest.FakeClock
	guild     *discordtest.Guild
	mods      *discordtest.Channel // the moderator channel
	role      *discordtest.Role
	moderator *discordtest.User // holds the moderator role
	second    *discordtest.User // another moderator
	member    *discordtest.User // Manage Server, but not the moderator role
	logs      syncBuffer

	mu    sync.Mutex
	cands []bot.QuoteCandidate
	asked []string // the periods InPeriods was asked for
}

var (
	quoteA = bot.QuoteCandidate{Period: "2026-W49", Quote: digest.Quote{ID: "aaaaaaaaaaaa", Text: "Recovery means my own life back; write to me at [email removed]", FlowTitle: "What recovery means to you", Prompt: "In your own words, what does recovery mean to you?", Label: "Woman"}}
	quoteB = bot.QuoteCandidate{Period: "2026-W48", Quote: digest.Quote{ID: "bbbbbbbbbbbb", Text: "Being listened to, not managed.", FlowTitle: "What recovery means to you", Prompt: "In your own words, what does recovery mean to you?"}}
)

func newQuoteHarness(t *testing.T, cands ...bot.QuoteCandidate) *quoteHarness {
	t.Helper()
	h := &quoteHarness{t: t, e: discordtest.New(t, hangDeadline), path: filepath.Join(t.TempDir(), "peervoice.db"),
		clock: discordtest.NewFakeClock(time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)), cands: cands}
	h.guild = h.e.AddGuild("Peer support")
	h.mods = h.guild.AddChannel("moderators")
	h.role = h.guild.AddRole("moderators", 0)
	managers := h.guild.AddRole("server managers", discordtest.PermissionManageGuild)
	h.moderator, h.second, h.member = h.e.User("mod-one"), h.e.User("mod-two"), h.e.User("manager")
	h.guild.AddMember(h.moderator, h.role)
	h.guild.AddMember(h.second, h.role)
	h.guild.AddMember(h.member, managers)
	return h
}

func (h *quoteHarness) candidates(context.Context, time.Time) ([]bot.QuoteCandidate, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.QuoteCandidate(nil), h.cands...), nil
}

// inPeriods returns the listed candidates of the given periods, and
// counts the periods asked for.
func (h *quoteHarness) inPeriods(_ context.Context, periods []string, _ time.Time) ([]bot.QuoteCandidate, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.asked = append(h.asked, periods...)
	var out []bot.QuoteCandidate
	for _, c := range h.cands {
		if slices.Contains(periods, c.Period) {
			out = append(out, c)
		}
	}
	return out, nil
}

// remove takes the quote id out of the candidates, as when its author
// withdraws.
func (h *quoteHarness) remove(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cands = slices.DeleteFunc(h.cands, func(c bot.QuoteCandidate) bool { return c.ID == id })
}

// start runs a bot until stop or the test ends, and returns once its quote
// reviewer has made the check it makes on start. change adjusts its
// config; its Store is the bot's own database unless change sets
// another.
func (h *quoteHarness) start(change func(*bot.Config, *store.DB)) *running {
	h.t.Helper()
	return startBot(h.t, botOpts{e: h.e, path: h.path, logs: &h.logs,
		config: func(c *bot.Config, db *store.DB) {
			c.GuildID, c.ModeratorChannelID, c.ModeratorRoles = h.guild.ID, h.mods.ID, []string{h.role.ID}
			c.Store, c.Now = db, h.clock.Now
			c.Quotes = bot.QuotesConfig{Candidates: h.candidates, InPeriods: h.inPeriods, Tick: time.Hour}
			if change != nil {
				change(c, db)
			}
		},
		// With approval off there is no quote reviewer to wait for.
		firstCheck: func(b *bot.Bot, c bot.Config) <-chan struct{} {
			if c.Store == nil || c.Quotes.Candidates == nil {
				return nil
			}
			return bot.QuotesStarted(b)
		},
	})
}

// posted returns the review requests in the moderator channel.
func (h *quoteHarness) posted() []discordtest.Message { return h.e.ChannelMessages(h.mods.ID) }

// wantPosted fails the test unless the moderator channel holds exactly
// one request for each quote id, and returns them by quote id. (Two bots
// may post in either order.)
func (h *quoteHarness) wantPosted(when string, ids ...string) map[string]discordtest.Message {
	h.t.Helper()
	out := map[string]discordtest.Message{}
	var gotIDs []string
	for _, m := range h.posted() {
		gotIDs = append(gotIDs, quoteOf(m))
		out[quoteOf(m)] = m
	}
	slices.Sort(gotIDs)
	ids = slices.Sorted(slices.Values(ids))
	if !slices.Equal(gotIDs, ids) {
		h.t.Fatalf("%s: review requests for %v in the moderator channel; want one each for %v", when, gotIDs, ids)
	}
	return out
}

// quoteOf is the quote id a review request's buttons carry.
func quoteOf(m discordtest.Message) string {
	for _, cid := range m.CustomIDs() {
		if id, err := bot.ParseID(cid); err == nil && id.Action == bot.ActApproveQuote {
			return id.Value
		}
	}
	return ""
}

// click presses a review button as u and waits for the bot's response.
func (h *quoteHarness) click(u *discordtest.User, m discordtest.Message, act bot.Action) {
	h.t.Helper()
	in, err := u.Click(m, bot.ID{Action: act, Value: quoteOf(m)}.String())
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := in.WaitResponse(ctx(h.t)); err != nil {
		h.t.Fatal(err)
	}
}

// now returns the current state of message m.
func (h *quoteHarness) now(m discordtest.Message) discordtest.Message {
	h.t.Helper()
	cur, ok := h.e.Message(m.ID)
	if !ok {
		h.t.Fatalf("message %s is gone", m.ID)
	}
	return cur
}

func (h *quoteHarness) approved(r *running) map[string]bool {
	h.t.Helper()
	ids, err := r.db.ApprovedQuotes(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return ids
}

// buttons describes m's buttons: label and whether each is live.
func buttons(m discordtest.Message) string {
	var out []string
	for _, cid := range m.CustomIDs() {
		if b := m.Button(cid); b != nil {
			s := b.Label
			if b.Disabled {
				s += " (disabled)"
			}
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

func TestQuoteReviewApproveReject(t *testing.T) {
	h := newQuoteHarness(t, quoteA, quoteB)
	r := h.start(nil)
	msgs := h.wantPosted("after the check on start", quoteB.ID, quoteA.ID)
	if got := h.posted(); quoteOf(got[0]) != quoteB.ID {
		t.Errorf("the first request is for %s; want the last week's first (%s)", quoteOf(got[0]), quoteB.ID)
	}
	b, a := msgs[quoteB.ID], msgs[quoteA.ID]
	text := embedText(a)
	for _, want := range []string{quoteA.Text, quoteA.Prompt, quoteA.FlowTitle, "Woman", "2026-W49", "Waiting for a moderator"} {
		if !strings.Contains(text, want) {
			t.Errorf("the review request lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(embedText(b), "None named") {
		t.Errorf("a quote with no group says nothing of it:\n%s", embedText(b))
	}
	if got := buttons(a); got != "Approve, Reject" {
		t.Errorf("buttons on a new request: %s; want Approve, Reject", got)
	}

	h.click(h.moderator, a, bot.ActApproveQuote)
	cur := h.now(a)
	if got := buttons(cur); got != "Approve (disabled), Reject (disabled), Undo" {
		t.Errorf("buttons after approval: %s", got)
	}
	if !strings.Contains(embedText(cur), "Approved on 3 December 2026") || !strings.Contains(embedText(cur), quoteA.Text) {
		t.Errorf("the request does not show the approval:\n%s", embedText(cur))
	}
	h.click(h.second, b, bot.ActRejectQuote)
	if !strings.Contains(embedText(h.now(b)), "Rejected on 3 December 2026") {
		t.Errorf("the request does not show the rejection:\n%s", embedText(h.now(b)))
	}
	if got := h.approved(r); len(got) != 1 || !got[quoteA.ID] {
		t.Errorf("approved quotes = %v; want only %s", got, quoteA.ID)
	}

	// A moderator changes their mind: Undo, then Approve.
	h.click(h.second, h.now(b), bot.ActUndoQuote)
	if got := buttons(h.now(b)); got != "Approve, Reject" || !strings.Contains(embedText(h.now(b)), "Waiting for a moderator") {
		t.Errorf("after undo: buttons %s\n%s", got, embedText(h.now(b)))
	}
	h.click(h.second, h.now(b), bot.ActApproveQuote)
	if got := h.approved(r); len(got) != 2 {
		t.Errorf("approved quotes after undo and approval = %v; want both", got)
	}
	rev, err := r.db.QuoteReviewOf(context.Background(), quoteB.ID)
	if err != nil || rev.Decisions != 3 || rev.Status != store.QuoteApproved {
		t.Errorf("review of %s = %+v, %v; want approved after 3 decisions", quoteB.ID, rev, err)
	}
	// Each click is on the record, by the moderator who made it.
	by := func(u *discordtest.User, quote string) func(audit.Entry) bool {
		return func(e audit.Entry) bool { return e.Actor.ID == u.ID && e.Actor.Name == u.Name && e.Target == quote }
	}
	wantAudited(t, r.db, "quote.reject", audit.OK, 1, by(h.second, quoteB.ID))
	wantAudited(t, r.db, "quote.undo", audit.OK, 1, by(h.second, quoteB.ID))
	if es := find(auditLog(t, r.db), "quote.approve", audit.OK); len(es) != 2 || !by(h.moderator, quoteA.ID)(es[0]) || !by(h.second, quoteB.ID)(es[1]) {
		t.Errorf("audited approvals = %+v; want %s's of %s, then %s's of %s", es, h.moderator.Name, quoteA.ID, h.second.Name, quoteB.ID)
	}

	// Later checks, and a restart, post nothing again.
	bot.CheckQuotes(r.b)
	r.stop()
	h.start(nil)
	h.wantPosted("after a restart", quoteB.ID, quoteA.ID)
	if strings.Contains(h.logs.String(), h.moderator.ID) || strings.Contains(h.logs.String(), h.second.ID) {
		t.Errorf("a moderator's id was logged")
	}
}

func TestQuoteReviewNeedsTheModeratorRole(t *testing.T) {
	h := newQuoteHarness(t, quoteA)
	r := h.start(nil)
	a := h.wantPosted("on start", quoteA.ID)[quoteA.ID]
	h.click(h.member, a, bot.ActApproveQuote)
	if _, err := h.member.WaitMessage(ctx(t), func(m discordtest.Message) bool {
		return m.Ephemeral && strings.Contains(m.Content, "This needs the moderator role.")
	}); err != nil {
		t.Fatalf("no refusal: %v", err)
	}
	if got := buttons(h.now(a)); got != "Approve, Reject" {
		t.Errorf("a refused click changed the request: %s", got)
	}
	if got := h.approved(r); len(got) != 0 {
		t.Errorf("a refused click approved %v", got)
	}
	if !strings.Contains(h.logs.String(), "privileged command refused") || !strings.Contains(h.logs.String(), "quote review") {
		t.Errorf("the refusal was not logged")
	}
}

// gatedStore holds every decision until two have arrived, so that two
// clicks on the same request are both in the bot before either is
// recorded, as when two moderators click at once.
type gatedStore struct {
	bot.Store
	mu      sync.Mutex
	arrived int
	both    chan struct{}
}

func (g *gatedStore) DecideQuote(ctx context.Context, id string, from, to store.QuoteStatus, at time.Time) (store.QuoteReview, bool, error) {
	g.mu.Lock()
	g.arrived++
	if g.arrived == 2 {
		close(g.both)
	}
	g.mu.Unlock()
	// Not a hang bound: when the bot serialises the two clicks itself (a
	// click holds the quote's lock), the second never arrives here, and
	// this wait is what lets the first through.
	select {
	case <-g.both:
	case <-time.After(5 * time.Second):
	}
	return g.Store.DecideQuote(ctx, id, from, to, at)
}

func TestQuoteReviewDoubleClick(t *testing.T) {
	t.Run("answered at once", testDoubleClick)
	t.Run("deferred", func(t *testing.T) {
		// Slow work: every response is deferred first, and the note must
		// still not replace the request.
		defer bot.SetAckAfter(0)()
		testDoubleClick(t)
	})
}

func testDoubleClick(t *testing.T) {
	h := newQuoteHarness(t, quoteA)
	r := h.start(func(c *bot.Config, db *store.DB) {
		c.Store = &gatedStore{Store: db, both: make(chan struct{})}
	})
	a := h.wantPosted("on start", quoteA.ID)[quoteA.ID]
	// One moderator approves and, at the same moment, another rejects.
	in1, err := h.moderator.Click(a, bot.ID{Action: bot.ActApproveQuote, Value: quoteA.ID}.String())
	if err != nil {
		t.Fatal(err)
	}
	in2, err := h.second.Click(a, bot.ID{Action: bot.ActRejectQuote, Value: quoteA.ID}.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []*discordtest.Interaction{in1, in2} {
		typ, err := in.WaitResponse(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		if typ != discordgo.InteractionResponseUpdateMessage && typ != discordgo.InteractionResponseDeferredMessageUpdate {
			t.Errorf("response type %v; want the request updated", typ)
		}
	}
	// After a deferral, the decision comes after the response.
	var rev store.QuoteReview
	for deadline := time.Now().Add(waitTime); ; time.Sleep(10 * time.Millisecond) {
		var err error
		if rev, err = r.db.QuoteReviewOf(context.Background(), quoteA.ID); err != nil {
			t.Fatal(err)
		}
		if rev.Decisions > 0 || time.Now().After(deadline) {
			break
		}
	}
	loser := h.second
	if rev.Status == store.QuoteRejected {
		loser = h.moderator
	}
	if _, err := loser.WaitMessage(ctx(t), func(m discordtest.Message) bool {
		return m.Ephemeral && strings.Contains(m.Content, "already "+string(rev.Status)) && strings.Contains(m.Content, "nothing changed")
	}); err != nil {
		t.Errorf("the second click got no polite note: %v", err)
	}
	if rev, err := r.db.QuoteReviewOf(context.Background(), quoteA.ID); err != nil || rev.Decisions != 1 {
		t.Errorf("review = %+v, %v; want one decision recorded", rev, err)
	}
	if !strings.Contains(embedText(h.now(a)), map[store.QuoteStatus]string{store.QuoteApproved: "Approved on", store.QuoteRejected: "Rejected on"}[rev.Status]) || !strings.Contains(embedText(h.now(a)), quoteA.Text) {
		t.Errorf("the request does not show the decision recorded (%s):\n%s", rev.Status, embedText(h.now(a)))
	}
}

func TestQuoteReviewChannelProblems(t *testing.T) {
	t.Run("no permission, then fixed", func(t *testing.T) {
		h := newQuoteHarness(t, quoteA, quoteB)
		h.e.FailNext("POST /channels/{channel_id}/messages", 1, discordtest.APIError(403, discordgo.ErrCodeMissingPermissions, "Missing Permissions"))
		r := h.start(nil)
		h.wantPosted("while the bot lacks permission")
		if !strings.Contains(h.logs.String(), "Missing Permissions") || !strings.Contains(h.logs.String(), "give the bot Send Messages and Embed Links in #moderators") {
			t.Errorf("the log does not say what to fix:\n%s", h.logs.String())
		}
		bot.CheckQuotes(r.b) // the next tick, once a server admin has fixed it
		h.wantPosted("on the next check", quoteB.ID, quoteA.ID)
		bot.CheckQuotes(r.b)
		h.wantPosted("on a later check", quoteB.ID, quoteA.ID)
		rev, err := r.db.QuoteReviewOf(context.Background(), quoteB.ID)
		if err != nil || rev.Attempts != 1 || !rev.Posted() {
			t.Errorf("review of %s = %+v, %v; want posted after one failed attempt", quoteB.ID, rev, err)
		}
	})
	t.Run("unknown channel, then configured", func(t *testing.T) {
		h := newQuoteHarness(t, quoteA)
		r := h.start(func(c *bot.Config, _ *store.DB) { c.ModeratorChannelID = "123456789012345678" })
		if !strings.Contains(h.logs.String(), "Unknown Channel") || !strings.Contains(h.logs.String(), "check discord.moderator_channel_id") {
			t.Errorf("the log does not say what to fix:\n%s", h.logs.String())
		}
		bot.CheckQuotes(r.b)
		if n := strings.Count(h.logs.String(), "level=WARN msg=\"cannot post a quote"); n != 1 {
			t.Errorf("the same problem was logged as a warning %d times; want once", n)
		}
		r.stop()
		h.start(nil)
		h.wantPosted("once the channel is configured", quoteA.ID)
	})
	t.Run("not configured", func(t *testing.T) {
		h := newQuoteHarness(t, quoteA)
		r := h.start(func(c *bot.Config, _ *store.DB) { c.ModeratorChannelID = "" })
		if n := strings.Count(h.logs.String(), "there is no moderator channel"); n != 1 || !strings.Contains(h.logs.String(), "set discord.moderator_channel_id") {
			t.Errorf("logged %d times; want once, with what to set:\n%s", n, h.logs.String())
		}
		if revs, err := r.db.UnpostedQuoteReviews(context.Background()); err != nil || len(revs) != 0 {
			t.Errorf("claimed %v, %v without a channel to post in", revs, err)
		}
	})
}

// TestQuoteReviewTwoBots: two bots on one database (an overlapping
// deploy) post each request once.
func TestQuoteReviewTwoBots(t *testing.T) {
	h := newQuoteHarness(t)
	rs := []*running{h.start(nil), h.start(nil)}
	h.mu.Lock()
	h.cands = []bot.QuoteCandidate{quoteA, quoteB}
	h.mu.Unlock()
	// Both bots' ticks come at once.
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bot.CheckQuotes(r.b)
		}()
	}
	wg.Wait()
	h.wantPosted("two bots checked at once", quoteB.ID, quoteA.ID)
	for _, r := range rs {
		bot.CheckQuotes(r.b)
	}
	h.wantPosted("after both checked again", quoteB.ID, quoteA.ID)
}

// TestQuoteApprovalOff: with digest.quote_approval off, the bot posts
// nothing in the moderator channel. (cmd/peervoice's tests check that
// the digest then publishes the quotes.)
func TestQuoteApprovalOff(t *testing.T) {
	h := newQuoteHarness(t, quoteA)
	r := h.start(func(c *bot.Config, _ *store.DB) { c.Quotes = bot.QuotesConfig{} })
	r.stop() // waits for everything the bot started
	h.wantPosted("with approval off")
	if strings.Contains(h.logs.String(), "moderator channel") {
		t.Errorf("with approval off, the log speaks of the moderator channel:\n%s", h.logs.String())
	}
}
