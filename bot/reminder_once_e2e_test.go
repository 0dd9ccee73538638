package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/store"
)

// TestReminderQuietHours: a reminder due in the quiet hours (21:00 to
// 09:00 in London) is sent at their end, not before.
func TestReminderQuietHours(t *testing.T) {
	t.Parallel()
	h := newRemindHarness(t)
	r := h.start()
	alice := h.e.User("alice")
	paused := time.Date(2026, 12, 1, 22, 0, 0, 0, london)
	h.clock.Set(paused)
	h.pause(alice, "checkin")
	for _, at := range []time.Time{
		paused.Add(reminderDelay + time.Minute),     // Friday 22:01, due
		time.Date(2026, 12, 5, 3, 0, 0, 0, london),  // the small hours
		time.Date(2026, 12, 5, 8, 59, 0, 0, london), // a minute before the end
	} {
		h.clock.Set(at)
		bot.CheckReminders(r.b)
		h.wantReminders(alice, 0, at.Format("Mon 15:04"))
	}
	h.clock.Set(time.Date(2026, 12, 5, 9, 0, 0, 0, london))
	bot.CheckReminders(r.b)
	h.waitReminder(alice)
	h.wantReminders(alice, 1, "at the end of the quiet hours")
}

// TestReminderAfterSilence: a participant who simply stops answering
// (the session stays active) is reminded after the delay, like one who
// pressed Stop for now.
func TestReminderAfterSilence(t *testing.T) {
	t.Parallel()
	h := newRemindHarness(t)
	r := h.start()
	alice := h.e.User("alice")
	if _, err := alice.RunCommand("survey", discordtest.Opt("flow", "checkin")); err != nil {
		t.Fatal(err)
	}
	answer(t, alice, waitQ(t, alice, ctx(t), "take_part"), "yes")
	answer(t, alice, waitQ(t, alice, ctx(t), "quotes"), "yes")
	answer(t, alice, waitQ(t, alice, ctx(t), "mood"), "low")
	waitQ(t, alice, ctx(t), "sleep") // and she says no more
	h.clock.Set(tuesday10.Add(reminderDelay + time.Minute))
	bot.CheckReminders(r.b)
	m := h.waitReminder(alice)
	if _, err := alice.Click(m, button(t, m, bot.ActCarryOn)); err != nil {
		t.Fatal(err)
	}
	waitQ(t, alice, ctx(t), "sleep")
}

// TestReminderCancelled: a flow finished before its reminder, or closed,
// gets none; a reminder claimed but not yet sent (Discord failed) is
// cancelled once the flow is finished, and never sent.
func TestReminderCancelled(t *testing.T) {
	t.Parallel()
	h := newRemindHarness(t)
	r := h.start()
	ann, ben, cat := h.e.User("ann"), h.e.User("ben"), h.e.User("cat")
	for _, u := range []*discordtest.User{ann, ben} {
		h.pause(u, "checkin")
	}
	h.pause(cat, "weekly")
	finish := func(u *discordtest.User) {
		t.Helper()
		if _, err := u.RunCommand("survey", discordtest.Opt("flow", "checkin")); err != nil {
			t.Fatal(err)
		}
		answer(t, u, waitQ(t, u, ctx(t), "sleep"), "well")
		if _, err := u.WaitMessage(ctx(t), says("Thank you")); err != nil {
			t.Fatalf("%s's flow did not end: %v", u.Name, err)
		}
	}
	finish(ann)

	// The weekly flow closes: only checkin is on the menu.
	only, err := h.cat.Load().Get("checkin")
	if err != nil {
		t.Fatal(err)
	}
	closed, err := flows.NewCatalog([]*flows.Flow{only})
	if err != nil {
		t.Fatal(err)
	}
	h.cat.Store(closed)

	// ben's reminder is claimed, and Discord fails it.
	h.e.FailNext("POST /channels/{channel_id}/messages", 1, discordtest.ServerError(500))
	h.clock.Set(tuesday10.Add(reminderDelay + time.Minute))
	bot.CheckReminders(r.b)
	h.wantStored(r, map[store.ReminderStatus]int{store.ReminderPending: 1}, "ben's failed")
	finish(ben)
	h.clock.Set(tuesday10.Add(reminderDelay + time.Hour))
	bot.CheckReminders(r.b)
	for _, u := range []*discordtest.User{ann, ben, cat} {
		h.wantReminders(u, 0, "finished or closed")
	}
	h.wantStored(r, map[store.ReminderStatus]int{store.ReminderCancelled: 1}, "ben's, cancelled")
}

// crashStore loses the first record of a sent reminder, as a process
// killed between sending and recording would; claimCrash makes the
// first claim's process die just after claiming, before sending.
type crashStore struct {
	bot.Store
	lose, claimCrash atomic.Int32
}

func (s *crashStore) ReminderSent(ctx context.Context, sessionID string, at time.Time) error {
	if s.lose.Add(-1) >= 0 {
		return errors.New("disk I/O error")
	}
	return s.Store.ReminderSent(ctx, sessionID, at)
}

func (s *crashStore) ClaimReminder(ctx context.Context, r store.Reminder) (bool, error) {
	ok, err := s.Store.ClaimReminder(ctx, r)
	if err == nil && ok && s.claimCrash.Add(-1) >= 0 {
		return false, errors.New("killed after claiming")
	}
	return ok, err
}

// TestReminderOnceAcrossRestarts: a reminder is sent exactly once when
// the process dies after claiming it and before sending, or after
// sending and before recording it: the next process sends it, with the
// same nonce and enforce_nonce, and Discord hands back the message
// already sent instead of a second. Two bots running at once (a deploy)
// send one between them.
func TestReminderOnceAcrossRestarts(t *testing.T) {
	t.Parallel()
	h := newRemindHarness(t)
	lossy := &crashStore{}
	lossy.claimCrash.Store(1)
	lossy.lose.Store(1)
	h.store = func(s bot.Store) bot.Store { lossy.Store = s; return lossy }
	r := h.start()
	alice := h.e.User("alice")
	h.pause(alice, "checkin")
	h.clock.Set(tuesday10.Add(reminderDelay + time.Minute))
	bot.CheckReminders(r.b) // claimed, then "killed"
	h.wantReminders(alice, 0, "killed after claiming")
	h.wantStored(r, map[store.ReminderStatus]int{store.ReminderPending: 1}, "killed after claiming")
	r.stop()

	r = h.start() // its first check sends, and loses the record
	h.waitReminder(alice)
	h.wantStored(r, map[store.ReminderStatus]int{store.ReminderPending: 1}, "sent, record lost")
	r.stop()

	h.store = nil
	a, b := h.start(), h.start() // overlapping deploy; each checks on start
	bot.CheckReminders(a.b)
	bot.CheckReminders(b.b)
	h.wantReminders(alice, 1, "after the restarts")
	h.wantStored(a, map[store.ReminderStatus]int{store.ReminderSent: 1}, "after the restarts")

	var nonces []string
	for _, req := range h.e.RequestsTo("POST /channels/{channel_id}/messages") {
		if req.Path != "/channels/"+alice.DMChannelID()+"/messages" {
			continue
		}
		var body struct {
			Nonce        string `json:"nonce"`
			EnforceNonce bool   `json:"enforce_nonce"`
		}
		if err := json.Unmarshal(req.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.EnforceNonce { // the questions go without: they answer interactions
			nonces = append(nonces, body.Nonce)
		}
	}
	// The reminder's sends: the one that lost its record, and the retry.
	if len(nonces) != 2 || nonces[0] != nonces[1] {
		t.Errorf("reminder sends with nonces %q; want two with the same nonce", nonces)
	}
}
