package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/store"
)

// post sends a claimed occurrence and records it. On failure the claim
// stays pending and is retried on the next check; it is never marked done
// unless Discord has the message.
func (s *scheduler) post(ctx context.Context, sc prompt, p store.Post, now time.Time) {
	log := s.log.With("schedule", sc.id, "occurrence", p.Occurrence.In(s.loc))
	e := audit.Entry{Actor: systemActor, Action: "prompt.post", Target: sc.flowID, Outcome: audit.OK,
		Details: fmt.Sprintf("scheduled; schedule=%s channel=%s occurrence=%s", sc.id, sc.channelID, p.Occurrence.UTC().Format(time.RFC3339))}
	fail := func(reason, fix string, err error) {
		postFailed(ctx, s.st, log, p, now, "scheduled prompt", s.out.channelName(sc.channelID), reason, fix, err)
		e.Outcome, e.Details = audit.Failed, joinDetails(e.Details, clip(reason, 300))
		s.audit.record(ctx, e)
	}
	msg, err := s.out.invitation(sc.flowID, sc.text)
	if err != nil {
		fail(err.Error(), "check the schedule's flow: `peervoice flows list` shows the flows", err)
		return
	}
	m, err := s.out.send(ctx, sc.channelID, msg, p.Nonce)
	if err != nil {
		reason, fix := postProblem(err, s.out.channelName(sc.channelID))
		fail(reason, fix, err)
		return
	}
	if err := s.st.PostDone(ctx, p.ScheduleID, p.Occurrence, sc.channelID, m.ID, now); err != nil {
		// Posted but not recorded: it stays pending, and the retry's
		// nonce gets this same message back from Discord.
		log.Error("scheduled prompts: posted, but could not record it; will check again", "message", m.ID, "err", err)
		return
	}
	log.Info("posted scheduled prompt", "channel", s.out.channelName(sc.channelID), "message", m.ID)
	s.audit.record(ctx, e)
}
