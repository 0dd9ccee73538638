package bot_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/store"
)

// TestReminderAfterDelay: a participant who stopped for now gets one
// reminder in their DMs once the delay has passed, never before and
// never a second; Carry on shows the question they stopped at. Their
// Discord id is nowhere in the database's files.
func TestReminderAfterDelay(t *testing.T) {
	t.Parallel()
	h := newRemindHarness(t)
	r := h.start()
	alice := h.e.User("alice")
	h.pause(alice, "checkin")

	h.clock.Set(tuesday10.Add(reminderDelay - time.Minute))
	bot.CheckReminders(r.b)
	h.wantReminders(alice, 0, "a minute before the delay")

	h.clock.Set(tuesday10.Add(reminderDelay + time.Minute))
	bot.CheckReminders(r.b)
	m := h.waitReminder(alice)
	text := embedText(m)
	for _, want := range []string{"The checkin check-in", "entirely optional", "No more reminders"} {
		if !strings.Contains(text, want) {
			t.Errorf("the reminder says %q; want it to mention %q", text, want)
		}
	}
	if b := m.Button(button(t, m, bot.ActNoReminders)); b == nil || b.Label != "No more reminders" {
		t.Errorf("No more reminders button = %+v", b)
	}
	if b := m.Button(button(t, m, bot.ActCarryOn)); b == nil || b.Label != "Carry on" {
		t.Errorf("Carry on button = %+v", b)
	}
	h.clock.Set(tuesday10.Add(3 * reminderDelay))
	bot.CheckReminders(r.b)
	h.wantReminders(alice, 1, "three delays later")
	h.wantStored(r, map[store.ReminderStatus]int{store.ReminderSent: 1}, "after the reminder")

	if _, err := alice.Click(m, button(t, m, bot.ActCarryOn)); err != nil {
		t.Fatal(err)
	}
	waitQ(t, alice, ctx(t), "sleep") // where she stopped, not the first question

	r.stop()
	for _, suffix := range []string{"", "-wal", ".keyring", ".keyring-wal"} {
		raw, err := os.ReadFile(h.path + suffix)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(alice.ID)) {
			t.Errorf("%s holds alice's Discord id in the clear", h.path+suffix)
		}
	}
}

// TestNoMoreReminders: after No more reminders nothing more is sent, even
// for another flow left paused (Carry on keeps the choice); /mydata says
// so; using /survey again allows reminders again.
func TestNoMoreReminders(t *testing.T) {
	t.Parallel()
	h := newRemindHarness(t)
	r := h.start()
	alice := h.e.User("alice")
	h.pause(alice, "weekly")
	h.clock.Advance(time.Minute)
	h.pause(alice, "checkin") // the most recent: the one reminded
	h.clock.Set(tuesday10.Add(reminderDelay + 2*time.Minute))
	bot.CheckReminders(r.b)
	m := h.waitReminder(alice)
	if !strings.Contains(embedText(m), "The checkin check-in") {
		t.Fatalf("reminder = %q; want one about checkin", embedText(m))
	}
	if _, err := alice.Click(m, button(t, m, bot.ActNoReminders)); err != nil {
		t.Fatal(err)
	}
	m, err := alice.WaitMessage(ctx(t), func(x discordtest.Message) bool {
		return x.ID == m.ID && strings.Contains(embedText(x), "won't send you reminders")
	})
	if err != nil {
		t.Fatalf("the reminder was not marked: %v", err)
	}
	if ids := m.CustomIDs(); len(ids) != 1 || !isReminder(m) {
		t.Errorf("after No more reminders the reminder's buttons are %v; want Carry on alone", ids)
	}
	d := h.data(r, alice)
	if d.Reminders == nil || d.Reminders.StoppedAt.IsZero() {
		t.Fatalf("/mydata's reminders = %+v; want them stopped", d.Reminders)
	}
	if _, err := alice.RunCommand("mydata"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.WaitMessage(ctx(t), says("**Reminders**: off (you pressed No more reminders on 4 December 2026)")); err != nil {
		t.Errorf("/mydata does not show reminders off: %v", err)
	}

	// Carry on, still there, finishes checkin and keeps the choice;
	// weekly, paused for longer, is left.
	if _, err := alice.Click(m, button(t, m, bot.ActCarryOn)); err != nil {
		t.Fatal(err)
	}
	answer(t, alice, waitQ(t, alice, ctx(t), "sleep"), "well")
	if _, err := alice.WaitMessage(ctx(t), says("Thank you")); err != nil {
		t.Fatalf("checkin did not end: %v", err)
	}
	h.clock.Set(tuesday10.Add(2 * reminderDelay))
	bot.CheckReminders(r.b)
	h.wantReminders(alice, 1, "weekly left paused after No more reminders")

	// /survey undoes it: weekly, resumed with it and paused again, is
	// reminded.
	if _, err := alice.RunCommand("survey", discordtest.Opt("flow", "weekly")); err != nil {
		t.Fatal(err)
	}
	sleep := waitQ(t, alice, ctx(t), "sleep")
	if d := h.data(r, alice); d.Reminders == nil || !d.Reminders.StoppedAt.IsZero() {
		t.Fatalf("after /survey, reminders = %+v; want them on", d.Reminders)
	}
	if _, err := alice.Click(sleep, control(t, sleep, bot.ActStop, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.WaitMessage(ctx(t), func(m discordtest.Message) bool { return m.ID == sleep.ID && !m.Interactive() }); err != nil {
		t.Fatalf("the question was not marked stopped: %v", err)
	}
	h.clock.Set(tuesday10.Add(3*reminderDelay + time.Minute))
	bot.CheckReminders(r.b)
	h.wantReminders(alice, 2, "after /survey")
}

// TestNoReminderToWithdrawnOrDMsClosed: nobody who withdrew or declined
// gets a reminder; a participant whose DMs are closed is sent nothing,
// recorded as not deliverable, and not tried again.
func TestNoReminderToWithdrawnOrDMsClosed(t *testing.T) {
	t.Parallel()
	h := newRemindHarness(t)
	r := h.start()
	bob, carol, dan := h.e.User("bob"), h.e.User("carol"), h.e.User("dan")
	for _, u := range []*discordtest.User{bob, carol, dan} {
		h.pause(u, "checkin")
	}
	if _, err := r.svc.Withdraw(context.Background(), discordUser(bob)); err != nil {
		t.Fatal(err)
	}
	// dan declines after pausing (a new consent version he says no to).
	p, err := r.db.FindParticipant(context.Background(), r.db.Pseudonym("discord", dan.ID))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.db.SaveConsent(context.Background(), p.ID, store.Consent{Version: "2", TakePart: false, GivenAt: h.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	carol.CloseDMs()
	h.clock.Set(tuesday10.Add(reminderDelay + time.Hour))
	bot.CheckReminders(r.b)
	h.clock.Advance(time.Hour)
	bot.CheckReminders(r.b)
	for _, u := range []*discordtest.User{bob, carol, dan} {
		h.wantReminders(u, 0, "after the delay")
	}
	h.wantStored(r, map[store.ReminderStatus]int{store.ReminderUndeliverable: 1}, "carol's closed DMs")
	tries := 0
	for _, req := range h.e.RequestsTo("POST /channels/{channel_id}/messages") {
		if strings.Contains(req.Path, carol.DMChannelID()) && strings.Contains(string(req.Body), `"enforce_nonce":true`) {
			tries++ // the reminder's: her questions go without a nonce
		}
	}
	if tries != 1 {
		t.Errorf("%d attempts to DM carol; want 1, never retried", tries)
	}
}
