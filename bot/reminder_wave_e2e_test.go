package bot_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/store"
)

// weekOpens is when the round after one finished at tuesday10 opens.
var weekOpens = tuesday10.AddDate(0, 0, 7)

// newWaveHarness is the reminder harness with one weekly check-in
// (checkinYAML) on the menu.
func newWaveHarness(t *testing.T) *remindHarness {
	t.Helper()
	h := newRemindHarness(t)
	cat, probs := flows.Load(fstest.MapFS{"checkin.yaml": {Data: []byte(checkinYAML)}}, "")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	h.cat.Store(cat)
	return h
}

// finishRound runs /survey checkin for u (consenting first if asked) and
// answers its one question.
func (h *remindHarness) finishRound(u *discordtest.User) {
	t := h.t
	t.Helper()
	if _, err := u.RunCommand("survey", discordtest.Opt("flow", "checkin")); err != nil {
		t.Fatal(err)
	}
	h.answerRound(u)
}

// answerRound answers the round asked of u (consenting first if asked)
// and waits for its end.
func (h *remindHarness) answerRound(u *discordtest.User) {
	t := h.t
	t.Helper()
	c := ctx(t)
	m, err := u.WaitMessage(c, func(m discordtest.Message) bool { return question("take_part")(m) || question("listened")(m) })
	if err != nil {
		t.Fatal(err)
	}
	if question("take_part")(m) {
		answer(t, u, m, "yes")
		answer(t, u, waitQ(t, u, c, "quotes"), "yes")
		m = waitQ(t, u, c, "listened")
	}
	h.endRound(u, m)
}

// endRound answers q, the round's one question, and waits for its end.
func (h *remindHarness) endRound(u *discordtest.User, q discordtest.Message) {
	t := h.t
	t.Helper()
	answer(t, u, q, "yes")
	if _, err := u.WaitMessage(ctx(t), says("Thank you")); err != nil {
		t.Fatalf("%s's round did not end: %v", u.Name, err)
	}
}

// waves returns u's sessions of checkin, wave number by status.
func (h *remindHarness) waves(r *running, u *discordtest.User) map[int]string {
	h.t.Helper()
	p, err := r.db.FindParticipant(context.Background(), r.db.Pseudonym("discord", u.ID))
	if err != nil {
		h.t.Fatal(err)
	}
	ss, err := r.db.Sessions(context.Background(), p.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[int]string{}
	for _, s := range ss {
		if s.FlowID == "checkin" {
			out[s.Wave] = s.Status
		}
	}
	return out
}

// TestWaveReminder: a participant who finished a weekly check-in is sent
// nothing before the next round opens, then exactly one reminder, whose
// Start button begins round 2 (a new session, wave 2); finishing round 2
// earns the offer of round 3, once.
func TestWaveReminder(t *testing.T) {
	t.Parallel()
	h := newWaveHarness(t)
	r := h.start()
	alice := h.e.User("alice")
	h.finishRound(alice)

	for _, at := range []time.Time{tuesday10.Add(reminderDelay + time.Minute), weekOpens.Add(-time.Minute)} {
		h.clock.Set(at)
		bot.CheckReminders(r.b)
		h.wantReminders(alice, 0, "before the round opens ("+at.Format("Mon 15:04")+")")
	}
	h.clock.Set(weekOpens.Add(time.Minute))
	bot.CheckReminders(r.b)
	m := h.waitReminder(alice)
	text := embedText(m)
	for _, want := range []string{"new round of **Weekly check-in** is open", "entirely optional", "No more reminders"} {
		if !strings.Contains(text, want) {
			t.Errorf("the reminder says %q; want it to mention %q", text, want)
		}
	}
	if b := m.Button(button(t, m, bot.ActCarryOn)); b == nil || b.Label != "Start the new round" {
		t.Errorf("start button = %+v; want Start the new round", b)
	}
	h.clock.Advance(time.Hour)
	bot.CheckReminders(r.b)
	h.wantReminders(alice, 1, "an hour after the round opened")
	h.wantStored(r, map[store.ReminderStatus]int{store.ReminderSent: 1}, "after the reminder")

	if _, err := alice.Click(m, button(t, m, bot.ActCarryOn)); err != nil {
		t.Fatal(err)
	}
	q := waitQ(t, alice, ctx(t), "listened")
	if got := h.waves(r, alice); len(got) != 2 || got[1] != store.StatusDone || got[2] != store.StatusActive {
		t.Fatalf("after Start: checkin sessions by wave %v; want wave 1 done, wave 2 active", got)
	}
	h.endRound(alice, q)
	next := h.clock.Now().AddDate(0, 0, 7)
	h.clock.Set(next.Add(-time.Minute))
	bot.CheckReminders(r.b)
	h.wantReminders(alice, 1, "before round 3 opens")
	h.clock.Set(next.Add(time.Minute))
	bot.CheckReminders(r.b)
	bot.CheckReminders(r.b)
	if _, err := alice.WaitMessage(ctx(t), func(x discordtest.Message) bool { return isReminder(x) && x.ID != m.ID }); err != nil {
		t.Fatalf("no offer of round 3: %v", err)
	}
	h.wantReminders(alice, 2, "round 3 open")
	h.wantStored(r, map[store.ReminderStatus]int{store.ReminderSent: 2}, "one offer a round")
}

// TestWaveReminderNoMore: after No more reminders on an offer of the next
// round, its Start button still works (and keeps the choice), and the
// round after is not offered; someone who started round 2 themselves is
// never offered it.
func TestWaveReminderNoMore(t *testing.T) {
	t.Parallel()
	h := newWaveHarness(t)
	r := h.start()
	bob, carol := h.e.User("bob"), h.e.User("carol")
	h.finishRound(bob)
	h.finishRound(carol)
	h.clock.Set(weekOpens)
	if _, err := carol.RunCommand("survey", discordtest.Opt("flow", "checkin")); err != nil {
		t.Fatal(err)
	}
	waitQ(t, carol, ctx(t), "listened") // round 2, begun before any reminder

	h.clock.Set(weekOpens.Add(time.Minute))
	bot.CheckReminders(r.b)
	m := h.waitReminder(bob)
	if _, err := bob.Click(m, button(t, m, bot.ActNoReminders)); err != nil {
		t.Fatal(err)
	}
	m, err := bob.WaitMessage(ctx(t), func(x discordtest.Message) bool {
		return x.ID == m.ID && strings.Contains(embedText(x), "won't send you reminders")
	})
	if err != nil {
		t.Fatalf("the reminder was not marked: %v", err)
	}
	if b := m.Button(button(t, m, bot.ActCarryOn)); b == nil || b.Label != "Start the new round" || len(m.CustomIDs()) != 1 {
		t.Errorf("after No more reminders: buttons %v, start %+v; want Start the new round alone", m.CustomIDs(), b)
	}
	if _, err := bob.Click(m, button(t, m, bot.ActCarryOn)); err != nil {
		t.Fatal(err)
	}
	h.answerRound(bob)
	h.clock.Set(h.clock.Now().AddDate(0, 0, 8))
	bot.CheckReminders(r.b)
	h.wantReminders(bob, 1, "round 3 open after No more reminders")
	// carol's round 2, left unfinished, gets the pause reminder alone.
	if got := reminders(carol); len(got) != 1 || !strings.Contains(embedText(got[0]), "You paused") {
		t.Errorf("carol's reminders %d; want the one pause reminder of her round 2", len(got))
	}
}

// TestWaveReminderOnceAcrossRestarts: an offer of the next round claimed
// by a process that died before sending it, failed by Discord in the
// next, and sent by a third that lost the record, is in the DMs once,
// with the same nonce; one claimed for a participant who then starts the
// round themselves is cancelled, never sent.
func TestWaveReminderOnceAcrossRestarts(t *testing.T) {
	t.Parallel()
	h := newWaveHarness(t)
	lossy := &crashStore{}
	lossy.claimCrash.Store(2) // dan's and erin's claims
	h.store = func(s bot.Store) bot.Store { lossy.Store = s; return lossy }
	r := h.start()
	dan, erin := h.e.User("dan"), h.e.User("erin")
	h.finishRound(dan)
	h.finishRound(erin)
	h.clock.Set(weekOpens.Add(time.Minute))
	bot.CheckReminders(r.b) // both claimed, then "killed"
	h.wantStored(r, map[store.ReminderStatus]int{store.ReminderPending: 2}, "killed after claiming")
	r.stop()

	// The next process's first check: Discord fails both sends.
	h.e.FailNext("POST /channels/{channel_id}/messages", 2, discordtest.ServerError(500))
	r = h.start()
	h.wantReminders(dan, 0, "Discord failed")
	h.wantStored(r, map[store.ReminderStatus]int{store.ReminderPending: 2}, "Discord failed")
	// erin starts round 2 herself before the reminder goes.
	if _, err := erin.RunCommand("survey", discordtest.Opt("flow", "checkin")); err != nil {
		t.Fatal(err)
	}
	waitQ(t, erin, ctx(t), "listened")
	r.stop()

	lossy.lose.Store(1)
	h.clock.Advance(time.Hour)
	r = h.start() // its first check sends dan's, and loses the record
	h.waitReminder(dan)
	r.stop()

	h.store = nil
	a, b := h.start(), h.start()
	bot.CheckReminders(a.b)
	bot.CheckReminders(b.b)
	h.wantReminders(dan, 1, "after the restarts")
	h.wantReminders(erin, 0, "she started round 2 herself")
	h.wantStored(a, map[store.ReminderStatus]int{store.ReminderSent: 1, store.ReminderCancelled: 1}, "after the restarts")
	if !h.logSays("reminder cancelled: the participant started the next round") {
		t.Errorf("the log does not say why erin's was cancelled:\n%s", h.logs.String())
	}
}
