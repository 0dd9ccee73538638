package terminal

import (
	"context"
	"strings"

	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/uitext"
)

// start begins or resumes flow id. A flow the participant has finished
// is not started again unasked: Begin would quietly open a second set of
// answers. They are told when they finished it and choose to see their
// answers, answer again, or go back; for a repeating flow, answering
// again is the next wave, offered once its period has passed (until
// then they are told when it opens).
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
	return c.begin(ctx, id)
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
	lang := st.Flow.Lang(c.Lang)
	title := st.Flow.Title.In(lang)
	back, leave := uitext.T(lang, uitext.TermBackToList), errBack
	if c.Flow != "" {
		back, leave = uitext.T(lang, uitext.TermLeave), errQuit
	}
	for {
		w.printf("\n")
		if st.Finished.IsZero() {
			w.printf("%s\n", uitext.T(lang, uitext.TermFinishedBefore, title))
		} else {
			w.printf("%s\n", uitext.T(lang, uitext.TermFinished, title, uitext.Date(lang, st.Finished.Local())))
		}
		// A repeating flow's next round waits for its period: until then
		// the choices are the answers or back, and the menu says when.
		again, backN, unknown := uitext.T(lang, uitext.TermAnswerAgain), "3", uitext.TermFinishedUnknown
		switch {
		case st.Waiting:
			w.printf("%s\n", uitext.T(lang, uitext.TermWaveNotYet, participant.RepeatIn(lang, st.Flow.Repeat), uitext.Date(lang, st.NextWave.Local())))
			backN, unknown = "2", uitext.TermFinishedUnknown2
			w.printf("  1. %s\n  2. %s\n%s\n", uitext.T(lang, uitext.TermSeeAnswers), back, uitext.T(lang, uitext.TermFinishedHint))
		case !st.Flow.Repeat.IsZero():
			again = uitext.T(lang, uitext.TermNextWave, st.Wave+1)
			fallthrough
		default:
			w.printf("  1. %s\n  2. %s\n  3. %s\n%s\n", uitext.T(lang, uitext.TermSeeAnswers), again, back, uitext.T(lang, uitext.TermFinishedHint))
		}
		line, ok := c.read(ctx, w, lines)
		if !ok {
			return errQuit
		}
		switch choice := strings.ToLower(strings.TrimSpace(line)); {
		case choice == "1":
			if err := c.answers(ctx, w, st); err != nil {
				return err
			}
		case choice == "2" && !st.Waiting:
			return nil
		case choice == backN, uitext.Typed(choice) == uitext.CmdBack:
			return leave
		case isQuit(choice):
			return errQuit
		case choice == "":
		case participant.IsHelp(choice):
			c.help(w, uitext.TermMenuHelp)
		default:
			w.printf("%s\n", uitext.T(lang, unknown, line))
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
		w.printf("\n%s\n", uitext.T(c.ui(), uitext.TermNoAnswers))
		return w.err
	}
	w.printf("\n%s\n", uitext.T(c.ui(), uitext.TermYourAnswers, st.Flow.Title.In(st.Flow.Lang(c.Lang))))
	for _, a := range mine {
		writeAnswer(w, a)
	}
	return w.err
}
