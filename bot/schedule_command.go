package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/schedule"
	"github.com/peervoice/peervoice/store"
)

// errNoScheduler is what a moderator reads when the bot runs without a
// schedule store.
var errNoScheduler = userError{"Scheduling is not set up on this bot (it has no database for schedules)."}

// promptSchedule stores a schedule made with /prompt schedule.
func (b *Bot) promptSchedule(ctx context.Context, rq request) (reply, error) {
	s := b.sched
	if s == nil {
		return reply{}, errNoScheduler
	}
	rq.note.details = fmt.Sprintf("flow=%s channel=%s when=%q", rq.str("flow"), rq.str("channel"), rq.str("when"))
	f, err := b.svc.Flows().Get(rq.str("flow"))
	if errors.Is(err, flows.ErrUnknownFlow) {
		return reply{}, userError{"Sorry, " + err.Error() + "."}
	}
	if err != nil {
		return reply{}, err
	}
	w, err := schedule.Parse(rq.str("when"), s.loc)
	if err != nil {
		return reply{}, userError{fmt.Sprintf("I couldn't read when %s. Times are in %s.", err, s.loc)}
	}
	now := s.now()
	next, ok := w.Next(now)
	if !w.Weekly && !ok {
		return reply{}, userError{fmt.Sprintf("%s (%s) has already passed; choose a time to come.", w, s.loc)}
	}
	sc, err := s.st.AddSchedule(ctx, store.Schedule{FlowID: f.ID, ChannelID: rq.str("channel"), When: w.String(), Text: rq.str("text"), CreatedAt: now})
	if err != nil {
		return reply{}, err
	}
	b.log.Info("prompt scheduled", "schedule", sc.Key(), "flow", f.ID, "when", w.String())
	rq.note.target = "schedule " + sc.Key()
	rq.note.details = fmt.Sprintf("flow=%s channel=%s when=%q", f.ID, sc.ChannelID, w.String())
	return shown(message{Content: fmt.Sprintf(
		"Scheduled `%s`: **%s** in <#%s>, %s (%s). Next: %s.\nTo stop it: `/prompt unschedule id:%s`",
		sc.Key(), f.Title.String(), sc.ChannelID, w.Describe(), s.loc, next.In(s.loc).Format("Monday 2 January 2006, 15:04 MST"), sc.Key())}), nil
}

// promptSchedules lists the schedules, from the config file and made
// with /prompt schedule, with when each is next posted.
func (b *Bot) promptSchedules(ctx context.Context, _ request) (reply, error) {
	s := b.sched
	if s == nil {
		return reply{}, errNoScheduler
	}
	all, err := s.schedules(ctx)
	if err != nil {
		return reply{}, err
	}
	if len(all) == 0 {
		return shown(message{Content: "No prompts are scheduled. Add one with `/prompt schedule`."}), nil
	}
	now := s.now()
	var sb strings.Builder
	fmt.Fprintf(&sb, "**Scheduled prompts** (times in %s)\n", s.loc)
	for _, sc := range all {
		title := sc.flowID
		if f, err := b.svc.Flows().Get(sc.flowID); err == nil {
			title = f.Title.String()
		}
		source := ""
		if !sc.stored {
			source = " (config file)"
		}
		next := "done"
		if t, ok := sc.when.Next(now); ok {
			next = "next " + t.In(s.loc).Format("Mon 2 Jan 2006 15:04")
		}
		fmt.Fprintf(&sb, "• `%s`%s: **%s** in <#%s>, %s; %s\n", sc.id, source, title, sc.channelID, sc.when.Describe(), next)
	}
	return shown(message{Content: clip(sb.String(), maxContent)}), nil
}

// promptUnschedule removes a schedule made with /prompt schedule.
func (b *Bot) promptUnschedule(ctx context.Context, rq request) (reply, error) {
	s := b.sched
	if s == nil {
		return reply{}, errNoScheduler
	}
	id := strings.TrimPrefix(strings.TrimSpace(rq.str("id")), "#")
	rq.note.target = "schedule " + id
	for _, sc := range s.config {
		if sc.id == id {
			return reply{}, userError{fmt.Sprintf("`%s` is in the config file (prompts.schedule): remove it there and restart the bot.", id)}
		}
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err == nil && n > 0 {
		err = s.st.DeleteSchedule(ctx, n)
	} else {
		err = store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) {
		return reply{}, userError{fmt.Sprintf("There is no scheduled prompt `%s`; `/prompt schedules` lists them.", id)}
	} else if err != nil {
		return reply{}, err
	}
	b.log.Info("prompt unscheduled", "schedule", id)
	return shown(message{Content: fmt.Sprintf("Stopped scheduled prompt `%s`.", id)}), nil
}
