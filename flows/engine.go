package flows

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/peervoice/peervoice/uitext"
)

// Errors a host may meet when driving a session.
var (
	// ErrFinished means the session is done and takes no more input.
	ErrFinished = errors.New("flows: session is finished")
	// ErrVersion means the session belongs to another version of the flow;
	// the host must load that version, so the participant finishes on it.
	ErrVersion = errors.New("flows: session is on another version of the flow")
)

// Start begins a new session of f with the given id and preferred
// language, and returns the outputs that show its first question.
func Start(f *Flow, id, lang string, now time.Time) (Session, []Output) {
	s := Session{
		ID:      id,
		FlowID:  f.ID,
		Version: f.Version,
		Lang:    f.Lang(lang),
		Status:  Active,
		Answers: map[string]Answer{},
		Started: now,
		Updated: now,
	}
	// One output, the first Ask, unless conditions fail on the way.
	s, outs := enter(f, s, 0, make([]Output, 0, 1))
	for i, o := range outs {
		if ask, ok := o.(Ask); ok {
			ask.Intro = f.Intro.In(s.Lang)
			outs[i] = ask
			break
		}
	}
	return s, outs
}

// Reopen shows the current question of a paused or active session again,
// as when a participant comes back.
func Reopen(f *Flow, s Session, now time.Time) (Session, []Output, error) {
	if err := check(f, s); err != nil {
		return s, nil, err
	}
	s = clone(s)
	s.Status, s.Updated = Active, now
	return s, []Output{ask(f, s)}, nil
}

// Relang shows the current question of a session again in the flow's
// language for want (matched as by Flow.Lang), as when a participant picks
// another language mid-flow. Answers, the path and the question stay as
// they were; only the language changes.
func Relang(f *Flow, s Session, want string, now time.Time) (Session, []Output, error) {
	if err := check(f, s); err != nil {
		return s, nil, err
	}
	s = clone(s)
	s.Lang, s.Status, s.Updated = f.Lang(want), Active, now
	return s, []Output{ask(f, s)}, nil
}

// Resume applies one input to a session and returns the next session
// and what to show. Invalid input changes nothing but the outputs, which
// then say why and ask again. The session passed in is not modified.
func Resume(f *Flow, s Session, in Input, now time.Time) (Session, []Output, error) {
	if err := check(f, s); err != nil {
		return s, nil, err
	}
	q := f.Question(s.Current)
	if q == nil {
		return s, nil, fmt.Errorf("resume session %s: current question %q is not in flow %s", s.ID, s.Current, f.ID)
	}
	s = clone(s)
	s.Updated = now
	s.Status = Active
	i := f.position(q.ID)
	var outs []Output
	switch in.Kind {
	case Stop:
		s.Status = Paused
		return s, []Output{Stopped{}}, nil
	case Back:
		if len(s.Path) < 2 {
			return s, []Output{Invalid{Question: q, Reason: uitext.T(s.Lang, uitext.ReasonFirstQuestion)}, ask(f, s)}, nil
		}
		s.Path = s.Path[:len(s.Path)-1]
		s.Current = s.Path[len(s.Path)-1]
		return s, []Output{ask(f, s)}, nil
	case Skip:
		outs = stepOutputs()
		if q.Type != TypeInfo {
			a := Answer{Skipped: true}
			s.Answers[q.ID] = a
			outs = append(outs, Answered{Question: q, Answer: a})
		}
		s, outs = enter(f, s, defaultNext(f, i, q), outs)
		return s, outs, nil
	case Choose, Enter:
		if q.Type == TypeInfo {
			s, outs = enter(f, s, defaultNext(f, i, q), stepOutputs())
			return s, outs, nil
		}
		a, why := q.parse(in, s.Lang)
		if why != "" {
			return s, []Output{Invalid{Question: q, Reason: why}, ask(f, s)}, nil
		}
		s.Answers[q.ID] = a
		outs = append(stepOutputs(), Answered{Question: q, Answer: a})
		next := defaultNext(f, i, q)
		if t, ok := q.Next[a.Choices0()]; ok && q.NextAll == "" {
			next = target(f, t)
		}
		s, outs = enter(f, s, next, outs)
		return s, outs, nil
	}
	return s, nil, fmt.Errorf("resume session %s: unknown input kind %d", s.ID, in.Kind)
}

// stepOutputs makes room for what a step that moves on says: Answered,
// then Ask or Finished (more only when conditions fail or answers clear).
func stepOutputs() []Output { return make([]Output, 0, 2) }

// Choices0 returns the first chosen option id, or "".
func (a Answer) Choices0() string {
	if len(a.Choices) == 0 {
		return ""
	}
	return a.Choices[0]
}

func check(f *Flow, s Session) error {
	if s.Version != f.Version || s.FlowID != f.ID {
		return fmt.Errorf("session %s is on %s@%s, not %s@%s: %w", s.ID, s.FlowID, s.Version, f.ID, f.Version, ErrVersion)
	}
	if s.Status == Done {
		return ErrFinished
	}
	return nil
}

// enter moves to question index i, passing over questions whose `when`
// is false, and asks it; past the last question the flow finishes.
func enter(f *Flow, s Session, i int, outs []Output) (Session, []Output) {
	var cleared []string
	// A flow can jump backwards, so bound the walk: every question once
	// per pass is plenty for any flow the linter accepts.
	for steps := 0; i >= 0 && i < len(f.Questions); steps++ {
		q := f.Questions[i]
		if steps > 2*len(f.Questions) {
			i = len(f.Questions)
			break
		}
		show, err := q.shown(s.Answers, f)
		if err != nil {
			outs = append(outs, WhenFailed{Question: q, Reason: firstLine(err.Error())})
		}
		if show {
			s.Current = q.ID
			s.Path = append(s.Path, q.ID)
			if len(cleared) > 0 {
				outs = append(outs, Cleared{QuestionIDs: cleared})
			}
			return s, append(outs, ask(f, s))
		}
		if _, ok := s.Answers[q.ID]; ok {
			delete(s.Answers, q.ID)
			cleared = append(cleared, q.ID)
		}
		i = defaultNext(f, i, q)
	}
	// Finished: answers to questions off the final path came from a way
	// the participant went back on, so they no longer apply.
	// A path is short, so searching it beats building a set of it.
	var off []string
	for id := range s.Answers {
		if !slices.Contains(s.Path, id) {
			off = append(off, id)
		}
	}
	slices.Sort(off)
	for _, id := range off {
		delete(s.Answers, id)
	}
	cleared = append(cleared, off...)
	if len(cleared) > 0 {
		outs = append(outs, Cleared{QuestionIDs: cleared})
	}
	s.Current = ""
	s.Status = Done
	return s, append(outs, Finished{Outro: f.Outro.In(s.Lang)})
}

func ask(f *Flow, s Session) Ask {
	q := f.Question(s.Current)
	a := Ask{Question: q, Lang: s.Lang, Progress: progress(f, s)}
	if prev, ok := s.Answers[q.ID]; ok && !prev.Skipped {
		// A copy of its own, made only when there is a default (taking
		// prev's address would put every lookup on the heap).
		def := prev
		a.Default = &def
	}
	return a
}

func defaultNext(f *Flow, i int, q *Question) int {
	if q.NextAll != "" {
		return target(f, q.NextAll)
	}
	return i + 1
}

func target(f *Flow, id string) int {
	if id == End {
		return len(f.Questions)
	}
	if j := f.position(id); j >= 0 {
		return j
	}
	return len(f.Questions)
}

// clone gives s maps and slices of its own, so the session a caller
// passed in is never changed. Each has room for the one answer and the
// one question a step adds, which saves growing them straight away.
func clone(s Session) Session {
	answers := make(map[string]Answer, len(s.Answers)+1)
	maps.Copy(answers, s.Answers)
	s.Answers = answers
	if s.Path != nil {
		s.Path = append(make([]string, 0, len(s.Path)+1), s.Path...)
	}
	return s
}
