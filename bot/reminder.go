package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/schedule"
	"github.com/peervoice/peervoice/store"
	"github.com/peervoice/peervoice/uitext"
)

// RemindersConfig configures the one gentle reminder a participant who
// paused a flow gets in their DMs, and the one offer of the next round
// of a repeating flow they finished (reminder_wave.go) (reminders.*).
// The zero value sends none.
type RemindersConfig struct {
	Enabled bool
	// Delay is how long a flow must be left, paused or silent, before its
	// reminder is due.
	Delay time.Duration
	// Quiet are the hours in which nothing is sent: a reminder due then
	// waits for their end. The zero value has none.
	Quiet schedule.Quiet
	// Location is where Quiet is read; nil: Prompts.Location, else
	// Config.Location.
	Location *time.Location
	// Text is the pause reminder's wording, with at most one %s for the
	// flow's title; "" for uitext.RemindText in the participant's
	// language. The offer of a next round always has its own
	// (uitext.RemindWaveText).
	Text string
	// Tick is how often to look for reminders due; 0: a minute.
	Tick time.Duration
}

// ReminderStore keeps the claim on each reminder; *store.DB satisfies
// it. It hands the bot a participant's user id only to send them their
// reminder: the id is stored sealed under the participant's own key.
type ReminderStore interface {
	ReminderCandidates(ctx context.Context, idleSince time.Time, flowIDs []string, limit int) ([]store.ReminderCandidate, error)
	WaveReminderCandidates(ctx context.Context, flowID string, finishedBy time.Time, limit int) ([]store.ReminderCandidate, error)
	ClaimReminder(ctx context.Context, r store.Reminder) (bool, error)
	PendingReminders(ctx context.Context) ([]store.Reminder, error)
	ReminderTarget(ctx context.Context, sessionID string) (store.ReminderTarget, error)
	ReminderSent(ctx context.Context, sessionID string, at time.Time) error
	ReminderFailed(ctx context.Context, sessionID, reason string, at time.Time) error
	ReminderClosed(ctx context.Context, sessionID string, status store.ReminderStatus, reason string) error
}

var _ ReminderStore = (*store.DB)(nil)

// dmSender sends a message to a person's DMs with a nonce; discordSender
// is the real one.
type dmSender interface {
	sendDM(ctx context.Context, userID string, m message, nonce string) (*discordgo.Message, error)
}

// sendDM opens the DM channel (the same channel every time for one
// person, so a retry's nonce finds the message an earlier attempt sent)
// and posts m there with enforce_nonce.
func (d discordSender) sendDM(ctx context.Context, userID string, m message, nonce string) (*discordgo.Message, error) {
	ch, err := d.s.UserChannelCreate(userID, discordgo.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	return sendWithNonce(ctx, d.s, ch.ID, m, nonce)
}

// reminderGiveUp is how late a reminder that keeps failing may still
// go: one much later would no longer be about a recent pause.
const reminderGiveUp = 7 * 24 * time.Hour

// reminderBatch is the most new reminders claimed in one check, so one
// check never holds the bot for long; the rest wait for the next.
const reminderBatch = 50

// reminderJob sends each due reminder once: claimed in the store first
// (once across processes and restarts), sent with a nonce (once across
// a crash between sending and recording).
type reminderJob struct {
	cfg   RemindersConfig
	st    ReminderStore
	out   dmSender
	flows func() *flows.Catalog
	lang  func(ctx context.Context, sessionID string) string
	log   *slog.Logger
	now   func() time.Time

	mu    sync.Mutex    // one check at a time
	first chan struct{} // closed after the first check
}

// newReminderJob returns the reminder job of cfg, or nil when reminders
// are off or there is no store.
func newReminderJob(cfg Config, out dmSender, svc Participants) (*reminderJob, error) {
	rc := cfg.Reminders
	if !rc.Enabled {
		return nil, nil
	}
	if cfg.Store == nil {
		return nil, errors.New("reminders.enabled: reminders need the database (Config.Store)")
	}
	if rc.Delay < time.Hour {
		return nil, fmt.Errorf("reminders.delay = %v: expected at least an hour", rc.Delay)
	}
	if rc.Location == nil {
		rc.Location = cfg.Prompts.Location
	}
	if rc.Location == nil {
		rc.Location = cfg.Location
	}
	if rc.Tick <= 0 {
		rc.Tick = time.Minute
	}
	return &reminderJob{cfg: rc, st: cfg.Store, out: out, flows: svc.Flows, lang: svc.SessionLanguage,
		log: cfg.Log.With("job", "reminders"), now: cfg.Now, first: make(chan struct{})}, nil
}

// startReminders runs the reminder job until ctx ends, as an in-flight
// task that Run waits for.
func (b *Bot) startReminders(ctx context.Context) {
	if b.reminders == nil {
		return
	}
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		every(ctx, b.reminders.cfg.Tick, b.reminders.first, b.reminders.check)
	}()
}

// check retries the pending reminders whose back-off is over, then
// claims and sends the new ones due. Nothing is sent in quiet hours: a
// reminder due then goes at their end, on the first check after it.
func (j *reminderJob) check(ctx context.Context) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.now()
	if open := j.cfg.Quiet.After(now, j.cfg.Location); open.After(now) {
		return
	}
	pending, err := j.st.PendingReminders(ctx)
	if err != nil {
		j.log.Error("load pending reminders", "err", err)
		return
	}
	for _, r := range pending {
		if retryDueAfter(r.Attempts, r.LastAttemptAt, now) {
			j.send(ctx, r, now)
		}
	}
	// The flows on the menu now: a closed flow, or the consent flow, is
	// never reminded of.
	due, err := j.st.ReminderCandidates(ctx, now.Add(-j.cfg.Delay), j.flows().IDs(), reminderBatch)
	if err != nil {
		j.log.Error("load reminders due", "err", err)
		return
	}
	for _, c := range due {
		r := store.Reminder{SessionID: c.SessionID, DueAt: c.UpdatedAt.Add(j.cfg.Delay), ClaimedAt: now}
		r.Nonce = nonceFor("@remind/"+c.SessionID, r.DueAt)
		claimed, err := j.st.ClaimReminder(ctx, r)
		if err != nil {
			j.log.Error("claim reminder", "err", err)
			continue
		}
		if claimed {
			j.send(ctx, r, now)
		}
	}
	j.offerWaves(ctx, now)
}

// retryDueAfter is retryDue's back-off for a reminder's attempts.
func retryDueAfter(attempts int, last, now time.Time) bool {
	return retryDue(store.Post{Attempts: attempts, LastAttemptAt: last}, now)
}

// send sends a claimed reminder, unless it should no longer go: then it
// is cancelled, for good. Logs name the session's flow, never the
// participant.
func (j *reminderJob) send(ctx context.Context, r store.Reminder, now time.Time) {
	t, err := j.st.ReminderTarget(ctx, r.SessionID)
	if errors.Is(err, store.ErrNotFound) {
		return // withdrawn: the claim went with their rows
	}
	if err != nil {
		j.log.Error("load reminder", "err", err)
		return
	}
	log := j.log.With("flow", t.FlowID)
	f, ferr := j.flows().Get(t.FlowID)
	wave := isWaveReminder(r)
	var why string
	switch {
	case !wave && t.SessionStatus != store.StatusActive && t.SessionStatus != store.StatusPaused:
		why = "the flow was finished" // or closed as a partial response
	case ferr != nil:
		why = "the flow was closed"
	case wave && waveStale(t, f) != "":
		why = waveStale(t, f)
	case !t.TakesPart:
		why = "the participant no longer takes part"
	case t.OptedOut:
		why = "the participant asked for no more reminders"
	case !wave && t.UpdatedAt.After(r.ClaimedAt):
		why = "the participant carried on" // since it was claimed
	case t.Platform != "discord" || t.UserID == "":
		why = "no way to reach the participant"
	case now.Sub(r.DueAt) > reminderGiveUp:
		why = fmt.Sprintf("not sent within %v of its time (last error: %s)", reminderGiveUp, r.LastError)
	}
	if why != "" {
		if err := j.st.ReminderClosed(ctx, r.SessionID, store.ReminderCancelled, why); err != nil {
			log.Error("cancel reminder", "err", err)
		}
		log.Info("reminder cancelled: " + why)
		return
	}
	m := reminderMessage(f, j.lang(ctx, r.SessionID), j.cfg.Text, r.SessionID)
	if wave {
		m = waveReminderMessage(f, j.lang(ctx, r.SessionID), r.SessionID)
	}
	if _, err := j.out.sendDM(ctx, t.UserID, m, r.Nonce); err != nil {
		if isDMClosed(err) {
			// Closed DMs are the participant's choice: nothing is sent,
			// and it is not tried again.
			if err := j.st.ReminderClosed(ctx, r.SessionID, store.ReminderUndeliverable, "Cannot send messages to this user (50007)"); err != nil {
				log.Error("record undeliverable reminder", "err", err)
			}
			log.Info("reminder not deliverable: the participant's DMs are closed; not retried")
			return
		}
		if err := j.st.ReminderFailed(ctx, r.SessionID, err.Error(), now); err != nil {
			log.Error("record failed reminder", "err", err)
		}
		log.Warn("reminder not sent; will try again", "err", err)
		return
	}
	if err := j.st.ReminderSent(ctx, r.SessionID, now); err != nil {
		// Sent but not recorded: it stays pending, and the retry's nonce
		// gets this same message back from Discord.
		log.Error("reminder sent, but could not record it; will check again", "err", err)
		return
	}
	log.Info("reminder sent")
}

// reminderMessage is the reminder: the configured wording (or the kind
// default, in lang) and the Carry on and No more reminders buttons.
func reminderMessage(f *flows.Flow, lang, text, sessionID string) message {
	lang = f.Lang(lang)
	title := f.Title.In(lang)
	body := uitext.T(lang, uitext.RemindText, title)
	switch {
	case strings.Contains(text, "%s"):
		body = fmt.Sprintf(text, title) // config checked: one %s, and %% for a percent sign
	case text != "":
		body = strings.ReplaceAll(text, "%%", "%")
	}
	return reminderButtons(body, uitext.T(lang, uitext.RemindCarryOn), uitext.T(lang, uitext.RemindStop), f.ID, sessionID)
}

// carryOn is the Carry on button: the flow resumes where the
// participant left it, shown as /survey shows it, and a choice of No
// more reminders stands (only /survey itself undoes it). On an offer of
// the next round it is the Start button: for a repeating flow whose next
// round is open, /survey's begin starts it.
func (b *Bot) carryOn(ic *discordgo.InteractionCreate, flowID string) {
	b.respond(ic.Interaction, true, func(ctx context.Context) (response, error) {
		r, err := b.beginLockedWith(ctx, ic, flowID, b.svc.CarryOn)
		return r.response(), err
	})
}

// stopReminders is the No more reminders button: it records the choice
// and marks the reminder with it, its buttons disabled.
func (b *Bot) stopReminders(ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	b.respond(i, true, func(ctx context.Context) (response, error) {
		lang := string(i.Locale)
		if _, err := b.svc.StopReminders(ctx, person(userOf(ic))); err != nil {
			return response{}, err
		}
		note := uitext.T(lang, uitext.RemindStopped)
		r := shown(message{Content: note})
		if i.Message != nil {
			// The choice is marked and its button goes; Carry on stays.
			embeds, _ := answered(i.Message, note)
			r = reply{message: message{Content: i.Message.Content, Embeds: embeds, Components: carryOnOnly(i.Message, lang)}, update: true}
		}
		return r.response(), nil
	})
}

// remindersLine is /mydata's line on reminders: whether they are on, and
// since when they are off; "" when nothing is stored about them.
func remindersLine(r *participant.Reminders) string {
	switch {
	case r == nil:
		return ""
	case !r.StoppedAt.IsZero():
		return uitext.T(uitext.English, uitext.RemindMyDataOff, r.StoppedAt.Format("2 January 2006")) + "\n"
	}
	return uitext.T(uitext.English, uitext.RemindMyDataOn) + "\n"
}

// carryOnOnly is the reminder's Carry on (or start the next round)
// button alone, from the reminder message m, with its own label.
func carryOnOnly(m *discordgo.Message, lang string) []discordgo.MessageComponent {
	for _, row := range m.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if b, ok := c.(*discordgo.Button); ok {
				if id, err := ParseID(b.CustomID); err == nil && id.Action == ActCarryOn {
					label := b.Label
					if label == "" {
						label = uitext.T(lang, uitext.RemindCarryOn)
					}
					return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						discordgo.Button{Label: label, Style: discordgo.PrimaryButton, CustomID: b.CustomID},
					}}}
				}
			}
		}
	}
	return []discordgo.MessageComponent{}
}
