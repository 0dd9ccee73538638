package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/schedule"
	"github.com/peervoice/peervoice/store"
)

// remindHarness runs the real bot with reminders on, against the
// emulator, on one database and one fake clock that the participant
// service, the bot and the emulator share: as many times as a test
// likes, one after another (restarts) or side by side (a deploy).
type remindHarness struct {
	t     *testing.T
	e     *discordtest.Emulator
	path  string
	clock *discordtest.FakeClock
	logs  syncBuffer
	cat   atomic.Pointer[flows.Catalog]
	// store, if set, wraps the bot's store (to lose a record, as a crash
	// would).
	store func(bot.Store) bot.Store
}

// tuesday10 is a Tuesday morning in London, outside the quiet hours.
var tuesday10 = time.Date(2026, 12, 1, 10, 0, 0, 0, london)

// reminderDelay is the harness's reminders.delay.
const reminderDelay = 72 * time.Hour

// checkinFlows are two short flows of two questions each.
func checkinFlows(t *testing.T) *flows.Catalog {
	t.Helper()
	var fs []*flows.Flow
	for _, id := range []string{"checkin", "weekly"} {
		src := fmt.Sprintf(`id: %s
title: The %s check-in
theme: Wellbeing
questions:
  - id: mood
    type: choice
    prompt: How are you today?
    options:
      - {id: good, label: Good}
      - {id: low, label: Low}
  - id: sleep
    type: choice
    prompt: How did you sleep?
    options:
      - {id: well, label: Well}
      - {id: badly, label: Badly}
`, id, id)
		f, probs := flows.Parse(id+".yaml", []byte(src))
		if err := probs.Err(); err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	cat, err := flows.NewCatalog(fs)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func newRemindHarness(t *testing.T) *remindHarness {
	t.Helper()
	h := &remindHarness{t: t, e: discordtest.New(t, hangDeadline), path: filepath.Join(t.TempDir(), "peervoice.db"),
		clock: discordtest.NewFakeClock(tuesday10)}
	h.cat.Store(checkinFlows(t))
	return h
}

// start runs a bot until stop or the test ends, and returns once its
// reminder job has made its first check.
func (h *remindHarness) start() *running {
	h.t.Helper()
	quiet, err := schedule.ParseQuiet("21:00-09:00")
	if err != nil {
		h.t.Fatal(err)
	}
	return startBot(h.t, botOpts{e: h.e, path: h.path, logs: &h.logs, flows: h.cat.Load,
		participant: func(c *participant.Config) { c.Now, c.Reminders = h.clock.Now, true },
		config: func(c *bot.Config, db *store.DB) {
			c.Store, c.Now, c.Location = db, h.clock.Now, london
			if h.store != nil {
				c.Store = h.store(db)
			}
			// An hour's tick: the tests make every check themselves.
			c.Reminders = bot.RemindersConfig{Enabled: true, Delay: reminderDelay, Quiet: quiet, Location: london, Tick: time.Hour}
		},
		firstCheck: func(b *bot.Bot, _ bot.Config) <-chan struct{} { return bot.RemindersStarted(b) },
	})
}

// pause starts flow for u with /survey (consenting first if asked),
// answers its first question and presses Stop for now at the second.
func (h *remindHarness) pause(u *discordtest.User, flow string) {
	t := h.t
	t.Helper()
	c := ctx(t)
	if _, err := u.RunCommand("survey", discordtest.Opt("flow", flow)); err != nil {
		t.Fatal(err)
	}
	m, err := u.WaitMessage(c, func(m discordtest.Message) bool { return question("take_part")(m) || question("mood")(m) })
	if err != nil {
		t.Fatal(err)
	}
	if question("take_part")(m) {
		answer(t, u, m, "yes")
		answer(t, u, waitQ(t, u, c, "quotes"), "yes")
		m = waitQ(t, u, c, "mood")
	}
	answer(t, u, m, "good")
	sleep := waitQ(t, u, c, "sleep")
	if _, err := u.Click(sleep, control(t, sleep, bot.ActStop, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := u.WaitMessage(c, func(m discordtest.Message) bool { return m.ID == sleep.ID && !m.Interactive() }); err != nil {
		t.Fatalf("the question was not marked stopped: %v", err)
	}
}

// isReminder matches a reminder message.
func isReminder(m discordtest.Message) bool {
	for _, cid := range m.CustomIDs() {
		if id, err := bot.ParseID(cid); err == nil && id.Action == bot.ActCarryOn {
			return true
		}
	}
	return false
}

// reminders returns the reminders in u's DMs.
func reminders(u *discordtest.User) []discordtest.Message {
	var out []discordtest.Message
	for _, m := range u.Messages() {
		if isReminder(m) {
			out = append(out, m)
		}
	}
	return out
}

// waitReminder waits for a reminder in u's DMs and returns it.
func (h *remindHarness) waitReminder(u *discordtest.User) discordtest.Message {
	h.t.Helper()
	m, err := u.WaitMessage(ctx(h.t), isReminder)
	if err != nil {
		h.t.Fatalf("no reminder: %v", err)
	}
	return m
}

// wantReminders fails unless u has n reminders in their DMs.
func (h *remindHarness) wantReminders(u *discordtest.User, n int, when string) {
	h.t.Helper()
	if got := reminders(u); len(got) != n {
		h.t.Fatalf("%s: %s has %d reminders in their DMs; want %d", when, u.Name, len(got), n)
	}
}

// stored returns the reminders in the database, by status.
func (h *remindHarness) stored(r *running) map[store.ReminderStatus]int {
	h.t.Helper()
	all, err := r.db.Reminders(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[store.ReminderStatus]int{}
	for _, x := range all {
		out[x.Status]++
	}
	return out
}

// wantStored fails unless the database holds exactly want.
func (h *remindHarness) wantStored(r *running, want map[store.ReminderStatus]int, when string) {
	h.t.Helper()
	got := h.stored(r)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		h.t.Fatalf("%s: stored reminders %v; want %v", when, got, want)
	}
}

// button returns the custom id of the reminder's button for act.
func button(t *testing.T, m discordtest.Message, act bot.Action) string {
	t.Helper()
	for _, cid := range m.CustomIDs() {
		if id, err := bot.ParseID(cid); err == nil && id.Action == act {
			return cid
		}
	}
	t.Fatalf("reminder %s has no %c button (custom ids %v)", m.ID, act, m.CustomIDs())
	return ""
}

// logSays reports whether the bots' log has s.
func (h *remindHarness) logSays(s string) bool { return strings.Contains(h.logs.String(), s) }

// data is what /mydata shows u.
func (h *remindHarness) data(r *running, u *discordtest.User) participant.Data {
	h.t.Helper()
	d, err := r.svc.MyData(context.Background(), discordUser(u))
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// discordUser is u as the participant service knows them.
func discordUser(u *discordtest.User) participant.User {
	return participant.User{Platform: "discord", ID: u.ID}
}
