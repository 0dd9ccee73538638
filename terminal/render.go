package terminal

import (
	"io"
	"strings"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/uitext"
)

// show writes a reply and reports whether the flow finished or paused.
func (c *Chat) show(w *writer, r participant.Reply) (finished, stopped bool) {
	lang := r.Session.Lang
	if lang == "" {
		lang = c.ui()
	} else {
		c.shown = lang
	}
	if r.Signpost != "" {
		w.printf("\n%s\n", r.Signpost)
	}
	if r.Kept {
		w.printf("\n%s\n", uitext.T(lang, uitext.ExpiredKept))
	}
	if r.Stale {
		w.printf("%s\n", uitext.T(lang, uitext.TermStale))
	}
	for _, o := range r.Outputs {
		switch o := o.(type) {
		case flows.Ask:
			c.ask(w, r, o)
		case flows.Invalid:
			w.printf("%s\n", o.Reason)
		case flows.Stopped:
			stopped = true
			w.printf("%s\n", uitext.T(lang, uitext.TermPaused))
		case flows.Finished:
			finished = true
			switch {
			case r.Declined:
				w.printf("\n%s\n", uitext.T(lang, uitext.TermDeclined))
			case r.Flow != nil && r.Flow.ID == participant.ConsentFlowID:
				w.printf("\n%s\n", uitext.T(lang, uitext.TermConsentDone))
			case o.Outro != "":
				w.printf("\n%s\n", plain(o.Outro))
			default:
				w.printf("\n%s\n", uitext.T(lang, uitext.Finished))
			}
		}
	}
	return finished, stopped
}

func (c *Chat) ask(w *writer, r participant.Reply, a flows.Ask) {
	q := a.Question
	title := ""
	if r.Flow != nil {
		title = r.Flow.Title.In(a.Lang)
	}
	w.printf("\n── %s · %s ──\n", title, a.Progress.In(a.Lang))
	if a.Intro != "" {
		w.printf("%s\n\n", plain(strings.TrimSpace(a.Intro)))
	}
	w.printf("%s\n", plain(q.Prompt.In(a.Lang)))
	for i, o := range q.Options {
		w.printf("  %d. %s\n", i+1, o.Label.In(a.Lang))
	}
	if a.Default != nil {
		w.printf("%s\n", uitext.T(a.Lang, uitext.TermKeepEarlier, q.Format(*a.Default, a.Lang)))
	}
	hint := uitext.TermHintText
	switch q.Type {
	case flows.TypeInfo:
		hint = uitext.TermHintInfo
	case flows.TypeMulti:
		hint = uitext.TermHintMulti
	case flows.TypeChoice, flows.TypeScale:
		hint = uitext.TermHintChoice
	case flows.TypeNumber:
		hint = uitext.TermHintNumber
	}
	w.printf("%s\n", uitext.T(a.Lang, hint))
}

func lastAsk(r participant.Reply) (flows.Ask, bool) {
	for i := len(r.Outputs) - 1; i >= 0; i-- {
		if a, ok := r.Outputs[i].(flows.Ask); ok {
			return a, true
		}
	}
	return flows.Ask{}, false
}

// WriteData shows a participant everything stored about them.
func WriteData(out io.Writer, d participant.Data) error {
	w := &writer{w: out}
	if d.Consent == nil && len(d.Answers) == 0 {
		w.printf("Nothing is stored about you.\n")
		return w.err
	}
	if c := d.Consent; c != nil {
		w.printf("Consent (version %s, given %s):\n", c.Version, c.GivenAt.Format("2 January 2006"))
		w.printf("  Take part: %s\n  Anonymised quotes: %s\n", yesNo(c.TakePart), yesNo(c.Quotes))
	}
	flow := ""
	for _, a := range d.Answers {
		if a.FlowID != flow {
			flow = a.FlowID
			title := a.FlowTitle
			if title == "" {
				title = a.FlowID
			}
			w.printf("\n%s (%s):\n", title, a.FlowID)
		}
		writeAnswer(w, a)
	}
	return w.err
}

// writeAnswer shows one stored answer under its question.
func writeAnswer(w *writer, a participant.AnswerView) {
	w.printf("  %s [%s]\n    %s\n", plain(a.Prompt), a.QuestionID, a.Answer)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
