package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestDMsClosedGoesEphemeral: a participant whose DMs are closed is told
// how to allow them and answers in ephemeral messages in the server,
// text questions through the form; nothing is visible to anyone else.
func TestDMsClosedGoesEphemeral(t *testing.T) {
	h := newHarness(t)
	g := h.e.AddGuild("Peer support")
	ch := g.AddChannel("general")
	alice, bob := h.e.User("alice"), h.e.User("bob")
	g.AddMember(alice)
	g.AddMember(bob)
	alice.CloseDMs()
	c := ctx(t)
	if _, err := alice.RunCommandIn(ch, "survey", discordtest.Opt("flow", "recovery")); err != nil {
		t.Fatal(err)
	}
	m := waitQ(t, alice, c, "take_part")
	if !m.Ephemeral || !strings.Contains(m.Content, "Privacy Settings") {
		t.Errorf("first message: ephemeral %v, content %q; want an ephemeral note on allowing DMs", m.Ephemeral, m.Content)
	}
	answer(t, alice, m, "yes")
	m = waitQ(t, alice, c, "quotes")
	answer(t, alice, m, "no")
	m = waitQ(t, alice, c, "own_words")
	if _, err := alice.Click(m, control(t, m, bot.ActWrite, "")); err != nil {
		t.Fatal(err)
	}
	md, err := alice.WaitModal(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.SubmitModal(md, map[string]string{"answer": "Being myself again"}); err != nil {
		t.Fatal(err)
	}
	waitQ(t, alice, c, "word_fits")
	for _, msg := range alice.Messages() {
		if !msg.Ephemeral {
			t.Errorf("a message was visible to others: %q", embedText(msg))
		}
	}
	if n := len(h.e.ChannelMessages(ch.ID)); n != 0 {
		t.Errorf("%d messages in the public channel", n)
	}
	if len(bob.Messages()) != 0 {
		t.Errorf("bob saw alice's messages")
	}
	if d := h.data(alice); len(d.Answers) != 1 || d.Answers[0].Answer != "Being myself again" {
		t.Errorf("stored answers = %+v", d.Answers)
	}
}

// TestRestartMidFlow: the bot is stopped mid-flow and started again on
// the same database; the participant carries on at the same question
// with earlier answers intact.
func TestRestartMidFlow(t *testing.T) {
	h := newHarness(t)
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	c := ctx(t)
	waitQ(t, alice, c, "own_words")
	alice.SendDM("Having a life I choose")
	waitQ(t, alice, c, "word_fits")
	h.stop()
	h.start()
	alice.SendDM("1") // word_fits, typed by number
	if _, err := alice.WaitMessage(c, question("team_agrees")); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	d := h.data(alice)
	if len(d.Answers) != 2 || d.Answers[0].Answer != "Having a life I choose" || d.Answers[1].Answer != "It fits well" {
		t.Errorf("answers after restart = %+v", d.Answers)
	}
}

// waitHeartbeat waits for the first heartbeat ACK: disrupting the
// gateway earlier trips a data race inside discordgo v0.28.1.
func waitHeartbeat(t *testing.T, e *discordtest.Emulator) {
	t.Helper()
	if _, err := e.WaitGateway(ctx(t), func(s discordtest.GatewayStats) bool { return s.HeartbeatACKs > 0 }); err != nil {
		t.Fatal(err)
	}
}

// TestGatewayDisruptions: after op 7 and after a dropped connection the
// bot resumes, and the conversation goes on.
func TestGatewayDisruptions(t *testing.T) {
	// A quiet heartbeat: discordgo sends one as each connection opens,
	// which waitHeartbeat waits for; more would only risk missing their
	// ACK window on a busy machine (2.5 s at 500 ms), and a heartbeat that
	// fails on the dropped connection reconnects too, racing the reader.
	h := newHarness(t, discordtest.WithHeartbeatInterval(time.Minute))
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	c := ctx(t)
	waitQ(t, alice, c, "own_words")
	waitHeartbeat(t, h.e)
	h.e.RequestReconnect()
	if _, err := h.e.WaitGateway(c, func(s discordtest.GatewayStats) bool { return s.SuccessfulResumes >= 1 }); err != nil {
		t.Fatalf("no RESUME after op 7: %v", err)
	}
	alice.SendDM("First answer after a reconnect")
	waitQ(t, alice, c, "word_fits")
	waitHeartbeat(t, h.e)
	h.e.DropConnections()
	if _, err := h.e.WaitGateway(c, func(s discordtest.GatewayStats) bool { return s.SuccessfulResumes >= 2 }); err != nil {
		t.Fatalf("no RESUME after a dropped connection: %v", err)
	}
	alice.SendDM("1")
	waitQ(t, alice, c, "team_agrees")
	if st := h.e.GatewayStats(); st.Identifies != 1 {
		t.Errorf("identified %d times; resuming should need only the first", st.Identifies)
	}
}

// TestRateLimitsAreRetried: 429s with JSON and with non-JSON bodies on
// the bot's replies are waited out and retried, never dropped.
func TestRateLimitsAreRetried(t *testing.T) {
	h := newHarness(t)
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	c := ctx(t)
	waitQ(t, alice, c, "own_words")
	route := "POST /channels/{channel_id}/messages"
	h.e.FailNext(route, 2, discordtest.RateLimit(50*time.Millisecond))
	h.e.FailNext(route, 2, discordtest.RateLimitNonJSON(50*time.Millisecond))
	alice.SendDM("An answer sent into a burst of 429s")
	if _, err := alice.WaitMessage(c, question("word_fits")); err != nil {
		t.Fatalf("the next question never came: %v", err)
	}
	if n := len(h.e.RequestsTo(route)); n < 5 {
		t.Errorf("%d requests to %s; want the 4 refused and a retry", n, route)
	}
}

// TestDoubleClick: two clicks on the same answer at once record it once;
// the second gets a polite note.
func TestDoubleClick(t *testing.T) {
	h := newHarness(t)
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	c := ctx(t)
	m := waitQ(t, alice, c, "own_words")
	alice.SendDM("words")
	m = waitQ(t, alice, c, "word_fits")
	id := control(t, m, bot.ActAnswer, "fits_well")
	var wg sync.WaitGroup
	var mu sync.Mutex
	var clicked []*discordtest.Interaction
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if in, err := alice.Click(m, id); err == nil {
				mu.Lock()
				clicked = append(clicked, in)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(clicked) != 2 {
		t.Skipf("only %d click got through before the first disabled the button", len(clicked))
	}
	for _, in := range clicked {
		if _, err := in.WaitResponse(c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := alice.WaitMessage(c, says("already been answered")); err != nil {
		t.Errorf("no note for the second click: %v", err)
	}
	n := 0
	for _, a := range h.data(alice).Answers {
		if a.QuestionID == "word_fits" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("word_fits stored %d times", n)
	}
}

// TestCrisisInDM: crisis words get the signpost at once, and the answer
// is still saved.
func TestCrisisInDM(t *testing.T) {
	h := newHarness(t)
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	c := ctx(t)
	waitQ(t, alice, c, "own_words")
	alice.SendDM("honestly some days i just want to unalive myself")
	m, err := alice.WaitMessage(c, says("116 123"))
	if err != nil {
		t.Fatalf("no signpost: %v", err)
	}
	if !strings.Contains(embedText(m), "Shout") {
		t.Errorf("signpost = %q", embedText(m))
	}
	waitQ(t, alice, c, "word_fits")
	if d := h.data(alice); len(d.Answers) != 1 || !strings.Contains(d.Answers[0].Answer, "unalive") {
		t.Errorf("answer not saved: %+v", d.Answers)
	}
	// Even with no flow under way.
	bob := h.e.User("bob")
	bob.SendDM("i want to kill myself")
	if _, err := bob.WaitMessage(c, says("116 123")); err != nil {
		t.Errorf("no signpost without a session: %v", err)
	}
}

// TestPromptAnswerPrivately: a moderator posts a prompt; a member clicks
// "Answer privately" and gets the flow in their DMs.
func TestPromptAnswerPrivately(t *testing.T) {
	h, g := newServerHarness(t, nil)
	ch := g.AddChannel("general")
	mods := g.AddRole("moderators", discordtest.PermissionManageGuild)
	mod, member := h.e.User("mod"), h.e.User("member")
	g.AddMember(mod, mods)
	g.AddMember(member)
	c := ctx(t)
	if _, err := mod.RunCommandIn(ch, "prompt", discordtest.Sub("post", discordtest.Opt("flow", "what-matters"), discordtest.Opt("channel", ch))); err != nil {
		t.Fatal(err)
	}
	if _, err := mod.WaitMessage(c, func(m discordtest.Message) bool { return m.Ephemeral && strings.Contains(m.Content, "Posted") }); err != nil {
		t.Fatal(err)
	}
	post, err := h.e.WaitChannelMessage(c, ch.ID, func(m discordtest.Message) bool { return len(m.CustomIDs()) == 1 })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := member.Click(post, post.CustomIDs()[0]); err != nil {
		t.Fatal(err)
	}
	m := waitQ(t, member, c, "take_part")
	if m.Ephemeral || m.GuildID != "" {
		t.Errorf("the flow did not go to the member's DMs: %+v", m)
	}
	if _, err := member.RunCommandIn(ch, "prompt", discordtest.Sub("post", discordtest.Opt("flow", "risk"), discordtest.Opt("channel", ch))); err == nil {
		t.Errorf("a member without Manage Server could run /prompt")
	}
}

// TestHelpMyDataWithdraw covers the participant's own commands.
func TestHelpMyDataWithdraw(t *testing.T) {
	h := newHarness(t)
	alice := h.e.User("alice")
	c := ctx(t)
	if _, err := alice.RunCommand("help"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.WaitMessage(c, says("Samaritans")); err != nil {
		t.Fatal(err)
	}
	h.consent(alice, "recovery")
	waitQ(t, alice, c, "own_words")
	alice.SendDM("My own words")
	waitQ(t, alice, c, "word_fits")
	if _, err := alice.RunCommand("mydata"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.WaitMessage(c, says("My own words")); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.RunCommand("withdraw"); err != nil {
		t.Fatal(err)
	}
	m, err := alice.WaitMessage(c, says("Are you sure?"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Click(m, bot.ID{Action: bot.ActWithdraw, Value: "yes"}.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.WaitMessage(c, says("has been deleted")); err != nil {
		t.Fatal(err)
	}
	if d := h.data(alice); d.Consent != nil || len(d.Answers) != 0 {
		t.Errorf("data after withdraw: %+v", d)
	}
}

// TestMenuAndDeferredResponses: /survey without a flow shows the menu;
// with every response deferred (as when the database is slow), the
// participant still gets every question.
func TestMenuAndDeferredResponses(t *testing.T) {
	defer bot.SetAckAfter(0)()
	h := newHarness(t)
	alice := h.e.User("alice")
	c := ctx(t)
	if _, err := alice.RunCommand("survey"); err != nil {
		t.Fatal(err)
	}
	menu, err := alice.WaitMessage(c, says("Which would you like to answer?"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Choose(menu, bot.ID{Action: bot.ActMenu}.String(), "risk"); err != nil {
		t.Fatal(err)
	}
	m := waitQ(t, alice, c, "take_part")
	answer(t, alice, m, "yes")
	m = waitQ(t, alice, c, "quotes")
	answer(t, alice, m, "yes")
	if _, err := alice.WaitMessage(c, func(m discordtest.Message) bool {
		return m.Interactive() && strings.Contains(embedText(m), "Risk")
	}); err != nil {
		t.Fatal(err)
	}
}

// TestManyParticipants: 200 participants at once (100 under -race, which
// finds a data race among 100 as well and makes each one many times
// slower), each served every question in turn, every answer stored
// exactly once. Nothing here is timed: the waits only bound a hang.
func TestManyParticipants(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	// Slow heartbeats: under -race on a loaded machine, 1-second ones can
	// miss their ACK window, and a reconnect is not what this test is about.
	h := newHarness(t, discordtest.WithHeartbeatInterval(10*time.Second))
	n := 200
	if raceEnabled {
		n = 100
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := h.e.User(fmt.Sprintf("p%03d", i))
			limit := 60 * time.Second
			if raceEnabled {
				limit = 4 * time.Minute // the race detector slows the 200 at once many times over
			}
			c, cancel := context.WithTimeout(context.Background(), limit)
			defer cancel()
			step := func(q string, act func(m discordtest.Message) error) error {
				m, err := u.WaitMessage(c, question(q))
				if err != nil {
					return fmt.Errorf("%s: %w", u.Name, err)
				}
				return act(m)
			}
			click := func(opt string) func(m discordtest.Message) error {
				return func(m discordtest.Message) error {
					for _, cid := range m.CustomIDs() {
						if id, err := bot.ParseID(cid); err == nil && id.Action == bot.ActAnswer && id.Value == opt {
							_, err := u.Click(m, cid)
							return err
						}
					}
					return fmt.Errorf("no %s button", opt)
				}
			}
			if _, err := u.RunCommand("survey", discordtest.Opt("flow", "recovery")); err != nil {
				errs <- err
				return
			}
			for _, s := range []struct {
				q   string
				act func(discordtest.Message) error
			}{
				{"take_part", click("yes")},
				{"quotes", click("no")},
				{"own_words", func(discordtest.Message) error { u.SendDM("answer from " + u.Name); return nil }},
				{"word_fits", click("fits_well")},
				{"team_agrees", click("agree")},
			} {
				if err := step(s.q, s.act); err != nil {
					errs <- err
					return
				}
			}
			if _, err := u.WaitMessage(c, question("team_asked")); err != nil {
				errs <- fmt.Errorf("%s: %w", u.Name, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st, err := h.db.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Participants != n || st.Answers != 3*n {
		t.Errorf("stored %d participants and %d answers; want %d and %d", st.Participants, st.Answers, n, 3*n)
	}
	// Each person's answers are their own, in order: none lost or mixed up.
	for i := range n {
		u := h.e.User(fmt.Sprintf("p%03d", i))
		d := h.data(u)
		var got []string
		for _, a := range d.Answers {
			got = append(got, a.Answer)
		}
		if want := []string{"answer from " + u.Name, "It fits well", "Agree"}; !slices.Equal(got, want) {
			t.Errorf("%s's answers = %q; want %q", u.Name, got, want)
		}
	}
}

var _ = discordgo.ActionsRow{}

// TestEphemeralAfterTokenExpiry: in ephemeral mode a participant who
// comes back after the 15-minute token lifetime carries on from their
// next click; nothing depends on the old interaction's token.
func TestEphemeralAfterTokenExpiry(t *testing.T) {
	clock := discordtest.NewFakeClock(time.Now())
	h := newHarness(t, discordtest.WithClock(clock))
	g := h.e.AddGuild("Peer support")
	ch := g.AddChannel("general")
	alice := h.e.User("alice")
	g.AddMember(alice)
	alice.CloseDMs()
	c := ctx(t)
	if _, err := alice.RunCommandIn(ch, "survey", discordtest.Opt("flow", "what-matters")); err != nil {
		t.Fatal(err)
	}
	m := waitQ(t, alice, c, "take_part")
	answer(t, alice, m, "yes")
	m = waitQ(t, alice, c, "quotes")
	clock.Advance(40 * time.Minute) // away for a while: every earlier token has expired
	answer(t, alice, m, "yes")
	next, err := alice.WaitMessage(c, func(x discordtest.Message) bool { return x.Interactive() && x.ID != m.ID })
	if err != nil {
		t.Fatalf("no next question after the token lifetime: %v", err)
	}
	if !next.Ephemeral {
		t.Errorf("next question is not ephemeral")
	}
}

// TestLogsCarryNoPersonalData: with failures on the way (429s, a closed
// DM, an error), the bot's logs hold no user id, name or answer.
func TestLogsCarryNoPersonalData(t *testing.T) {
	h := newHarness(t)
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	c := ctx(t)
	waitQ(t, alice, c, "own_words")
	h.e.FailNext("POST /channels/{channel_id}/messages", 1, discordtest.RateLimitNonJSON(10*time.Millisecond))
	h.e.FailNext("POST /channels/{channel_id}/messages", 1, discordtest.ServerError(502))
	secretWords := "my private words about my psychiatrist Dr Jones"
	alice.SendDM(secretWords)
	waitQ(t, alice, c, "word_fits")
	logs := h.logs.String()
	if !strings.Contains(logs, "retrying") {
		t.Errorf("the retries were not logged; logs:\n%s", logs)
	}
	for _, secret := range []string{alice.ID, alice.Name, secretWords, h.e.Token()} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain %q:\n%s", secret, logs)
		}
	}
}

// TestFlowsChangeRefreshesCommands: when moderators add a flow, the next
// /survey registers the commands again so its choices list the new flow.
func TestFlowsChangeRefreshesCommands(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	for _, f := range h.catalog.Load().Flows() {
		os.WriteFile(filepath.Join(dir, f.ID+".yaml"), f.Source, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "peer-support.yaml"), []byte("id: peer-support\ntitle: Peer support groups\ntheme: Peer support\nquestions:\n  - {id: helped, type: text, prompt: \"How has peer support helped you?\"}\n"), 0o644)
	cat, probs := flows.LoadDir(dir)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	h.catalog.Store(cat)
	alice := h.e.User("alice")
	if _, err := alice.RunCommand("survey"); err != nil {
		t.Fatal(err)
	}
	c := ctx(t)
	if _, err := alice.WaitMessage(c, says("Peer support groups")); err != nil {
		t.Fatalf("the menu does not list the new flow: %v", err)
	}
	deadline := time.Now().Add(waitTime)
	for !surveyChoices(h.e, "peer-support") {
		if time.Now().After(deadline) {
			t.Fatal("/survey's choices were not refreshed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func surveyChoices(e *discordtest.Emulator, flowID string) bool {
	for _, c := range e.Commands("") {
		if c.Name != "survey" || len(c.Options) == 0 {
			continue
		}
		for _, ch := range c.Options[0].Choices {
			if ch.Value == flowID {
				return true
			}
		}
	}
	return false
}

// TestModeratorRoleCheckedByTheBot: with roles.moderator configured, a
// member whom Discord lets run /prompt (Manage Server) but who lacks the
// role is refused by the bot itself, and the refusal is logged.
func TestModeratorRoleCheckedByTheBot(t *testing.T) {
	h, g := newServerHarness(t, nil)
	ch := g.AddChannel("general")
	modRole := g.AddRole("peervoice moderators", 0)
	managers := g.AddRole("server managers", discordtest.PermissionManageGuild)
	mod, manager := h.e.User("mod"), h.e.User("manager")
	g.AddMember(mod, modRole, managers)
	g.AddMember(manager, managers)
	h.stop()
	h.configure = func(c *bot.Config) { c.GuildID, c.ModeratorRoles = g.ID, []string{modRole.ID} }
	h.start()
	c := ctx(t)
	post := discordtest.Sub("post", discordtest.Opt("flow", "risk"), discordtest.Opt("channel", ch))
	if _, err := manager.RunCommandIn(ch, "prompt", post); err != nil {
		t.Fatal(err)
	}
	if _, err := manager.WaitMessage(c, func(m discordtest.Message) bool {
		return m.Ephemeral && strings.Contains(m.Content, "This needs the moderator role.")
	}); err != nil {
		t.Fatalf("no refusal: %v", err)
	}
	if !strings.Contains(h.logs.String(), "privileged command refused") {
		t.Errorf("the refusal was not logged")
	}
	if _, err := mod.RunCommandIn(ch, "prompt", post); err != nil {
		t.Fatal(err)
	}
	if _, err := h.e.WaitChannelMessage(c, ch.ID, func(m discordtest.Message) bool { return len(m.CustomIDs()) == 1 }); err != nil {
		t.Fatalf("the moderator's prompt was not posted: %v", err)
	}
	if n := len(h.e.ChannelMessages(ch.ID)); n != 1 {
		t.Errorf("%d messages in the channel; want only the moderator's", n)
	}
}
