package terminal

import (
	"context"
	"strings"

	"github.com/peervoice/peervoice/participant"
)

// start begins or resumes flow id. A flow the participant has finished
// is not started again unasked: Begin would quietly open a second set of
// answers. They are told when they finished it and choose to see their
// answers, answer again, or go back.
func (c *Chat) start(ctx context.Context, w *writer, lines <-chan line, id string) (participant.Reply, error) {
	st, err := c.status(ctx, id)
	if err != nil {
		return participant.Reply{}, err
	}
	if st.Progress == participant.Completed {
		if err := c.finished(ctx, w, lines, st); err != nil {
			return participant.Reply{}, err
		}
	}
	return c.Service.Begin(ctx, c.User, id, "")
}

// status is the participant's progress in flow id.
func (c *Chat) status(ctx context.Context, id string) (participant.FlowStatus, error) {
	list, err := c.Service.Overview(ctx, c.User)
	if err != nil {
		return participant.FlowStatus{}, err
	}
	for _, fs := range list {
		if fs.Flow.ID == id {
			return fs, nil
		}
	}
	return participant.FlowStatus{Progress: participant.NotStarted}, nil
}

// finished asks what to do with a flow the participant has finished. It
// returns nil when they choose to answer it again, errBack to go back to
// the menu (errQuit with --flow, where there is no menu), and errQuit
// when they quit or input ends.
func (c *Chat) finished(ctx context.Context, w *writer, lines <-chan line, st participant.FlowStatus) error {
	title := st.Flow.Title.String()
	back, leave := msgBackToMenu, errBack
	if c.Flow != "" {
		back, leave = msgLeave, errQuit
	}
	for {
		w.printf("\n")
		if st.Finished.IsZero() {
			w.printf(msgFinishedNever+"\n", title)
		} else {
			w.printf(msgFinished+"\n", title, st.Finished.Local().Format("2 January 2006"))
		}
		w.printf("  1. %s\n  2. %s\n  3. %s\n%s\n", msgSeeAnswers, msgAnswerAgain, back, msgFinishedHint)
		line, ok := c.read(ctx, w, lines)
		if !ok {
			return errQuit
		}
		switch choice := strings.ToLower(strings.TrimSpace(line)); {
		case choice == "1":
			if err := c.answers(ctx, w, st); err != nil {
				return err
			}
		case choice == "2":
			return nil
		case choice == "3", choice == "back":
			return leave
		case isQuit(choice):
			return errQuit
		case choice == "":
		case participant.IsHelp(choice):
			c.help(w, msgMenuHelp)
		default:
			w.printf(msgFinishedUnknown+"\n", line)
		}
	}
}

// answers shows the participant's stored answers to one flow.
func (c *Chat) answers(ctx context.Context, w *writer, st participant.FlowStatus) error {
	d, err := c.Service.MyData(ctx, c.User)
	if err != nil {
		return err
	}
	var mine []participant.AnswerView
	for _, a := range d.Answers {
		if a.FlowID == st.Flow.ID {
			mine = append(mine, a)
		}
	}
	if len(mine) == 0 {
		w.printf("\n%s\n", msgNoAnswers)
		return w.err
	}
	w.printf("\n"+msgYourAnswers+"\n", st.Flow.Title.String())
	for _, a := range mine {
		writeAnswer(w, a)
	}
	return w.err
}
