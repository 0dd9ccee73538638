package bot

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
	"github.com/peervoice/peervoice/uitext"
)

// A participant who finished a round (a wave) of a repeating flow gets
// at most one reminder offering the next: once it is open, and never
// sooner than reminders.delay after they finished (a flow repeating every
// day is not a reason to write every day). The reminder is keyed by the
// finished session, which never gets a pause reminder, in the same
// reminders table, claimed and sent exactly as a pause reminder is.

// waveSlack widens the search for finished rounds past a month's inverse
// (a month after 31 January is 3 March): the exact opening is then
// checked with the flow's own Repeat.Next.
const waveSlack = 4 * 24 * time.Hour

// waveNonce is the nonce of the reminder offering the wave after the
// finished session sessionID, due at due. Its derivation is how a claim
// found pending after a restart is known to be an offer of the next
// wave rather than a pause reminder (isWaveReminder): the table needs no
// column for it.
func waveNonce(sessionID string, due time.Time) string {
	return nonceFor("@wave/"+sessionID, due)
}

// isWaveReminder reports whether r was claimed as an offer of the next
// wave.
func isWaveReminder(r store.Reminder) bool { return r.Nonce == waveNonce(r.SessionID, r.DueAt) }

// waveDue returns when the offer of f's next wave to the participant who
// finished a round at finished is due: when the wave opens, as
// participant.Service.Begin reckons it, or reminders.delay after they
// finished, whichever is later.
func (j *reminderJob) waveDue(f *flows.Flow, finished time.Time) time.Time {
	due := f.Repeat.Next(finished)
	if later := finished.Add(j.cfg.Delay); later.After(due) {
		due = later
	}
	return due
}

// offerWaves claims and sends the offers of the next wave now due, for
// every repeating flow on the menu.
func (j *reminderJob) offerWaves(ctx context.Context, now time.Time) {
	for _, f := range j.flows().Flows() {
		if f.Repeat.IsZero() {
			continue
		}
		// Finished at least a period (less the slack) and a delay ago.
		by := now.AddDate(0, -f.Repeat.Months, -f.Repeat.Days).Add(waveSlack)
		if d := now.Add(-j.cfg.Delay); d.Before(by) {
			by = d
		}
		due, err := j.st.WaveReminderCandidates(ctx, f.ID, by, reminderBatch)
		if err != nil {
			j.log.Error("load offers of the next wave due", "flow", f.ID, "err", err)
			continue
		}
		for _, c := range due {
			r := store.Reminder{SessionID: c.SessionID, DueAt: j.waveDue(f, c.UpdatedAt), ClaimedAt: now}
			if r.DueAt.After(now) {
				continue // within the slack: not open yet
			}
			r.Nonce = waveNonce(c.SessionID, r.DueAt)
			claimed, err := j.st.ClaimReminder(ctx, r)
			if err != nil {
				j.log.Error("claim reminder", "flow", f.ID, "err", err)
				continue
			}
			if claimed {
				j.send(ctx, r, now)
			}
		}
	}
}

// waveStale says why an offer of the next wave should no longer go, or
// "" if it should (the rules shared with pause reminders aside).
func waveStale(t store.ReminderTarget, f *flows.Flow) string {
	switch {
	case f.Repeat.IsZero():
		return "the flow no longer repeats"
	case t.LaterWave:
		return "the participant started the next round"
	case t.SessionStatus != store.StatusDone:
		return "the round was not finished" // never claimed so: a safeguard
	}
	return ""
}

// waveReminderMessage is the offer of f's next wave, in lang: the kind
// default wording (reminders.text is a pause reminder's), a button that
// starts the next round (ActCarryOn: carryOn begins it as /survey does)
// and No more reminders.
func waveReminderMessage(f *flows.Flow, lang, sessionID string) message {
	lang = f.Lang(lang)
	body := uitext.T(lang, uitext.RemindWaveText, f.Title.In(lang))
	return reminderButtons(body, uitext.T(lang, uitext.RemindWaveStart), uitext.T(lang, uitext.RemindStop), f.ID, sessionID)
}

// reminderButtons is a reminder saying body, with its start (Carry on)
// and No more reminders buttons.
func reminderButtons(body, start, stop, flowID, sessionID string) message {
	return message{
		Embeds: []*discordgo.MessageEmbed{{Description: body, Color: colourQuestion}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: start, Style: discordgo.PrimaryButton,
				CustomID: ID{Action: ActCarryOn, Session: sessionID, Value: flowID}.String()},
			discordgo.Button{Label: stop, Style: discordgo.SecondaryButton,
				CustomID: ID{Action: ActNoReminders, Session: sessionID}.String()},
		}}},
	}
}
