package participant

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
	"github.com/peervoice/peervoice/uitext"
)

// Progress is how far a participant is with one flow.
type Progress string

// The states of a flow for a participant.
const (
	NotStarted Progress = "not started"
	InProgress Progress = "in progress"
	Completed  Progress = "done"
)

// In returns the progress as a participant reads it in lang ("ar y
// gweill" in Welsh); English where PeerVoice has no catalog.
func (p Progress) In(lang string) string {
	switch p {
	case NotStarted:
		return uitext.T(lang, uitext.NotStarted)
	case InProgress:
		return uitext.T(lang, uitext.InProgress)
	case Completed:
		return uitext.T(lang, uitext.Completed)
	}
	return string(p)
}

// FlowStatus is one line of a participant's menu of flows.
type FlowStatus struct {
	Flow     *flows.Flow
	Progress Progress
	// Finished is when the participant last finished the flow; zero if
	// they never did. A flow finished and started again is InProgress,
	// with Finished still set.
	Finished time.Time
	// Wave is the number of the participant's latest wave of the flow
	// (1 for the first time through), 0 if they never started it.
	Wave int
	// NextWave, for a repeating flow whose latest wave is finished, is
	// when the next wave opens (it may have passed); zero otherwise.
	NextWave time.Time
	// Waiting is set when NextWave is still to come: Begin would say
	// when the next wave opens rather than start it.
	Waiting bool
}

// Overview lists the current flows with the participant's progress in
// each, for a menu.
func (s *Service) Overview(ctx context.Context, u User) ([]FlowStatus, error) {
	state := map[string]Progress{}
	finished := map[string]time.Time{}
	waves := map[string]lastWave{}
	p, err := s.st.FindParticipant(ctx, s.st.Pseudonym(u.Platform, u.ID))
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, fmt.Errorf("overview: %w", err)
	default:
		all, err := s.st.Sessions(ctx, p.ID)
		if err != nil {
			return nil, fmt.Errorf("overview: %w", err)
		}
		waves = latestWaves(all)
		for _, rec := range all {
			if rec.Status == string(flows.Done) && rec.UpdatedAt.After(finished[rec.FlowID]) {
				finished[rec.FlowID] = rec.UpdatedAt
			}
			switch {
			case rec.Status == string(flows.Done) && state[rec.FlowID] == "":
				state[rec.FlowID] = Completed
			case unfinished(rec) && !s.idle(rec):
				state[rec.FlowID] = InProgress
			}
		}
	}
	var out []FlowStatus
	now := s.cfg.Now()
	for _, f := range s.cfg.Flows().Flows() {
		st := state[f.ID]
		if st == "" {
			st = NotStarted
		}
		lw := waves[f.ID]
		next := opens(f, lw)
		out = append(out, FlowStatus{Flow: f, Progress: st, Finished: finished[f.ID], Wave: lw.wave, NextWave: next,
			Waiting: !next.IsZero() && now.Before(next)})
	}
	return out, nil
}

// Data is everything stored about a participant, decrypted, for them.
type Data struct {
	Consent *store.Consent
	Answers []AnswerView
	Flows   []FlowStatus
	// Unreadable counts the answers whose words could not be decrypted
	// (a damaged row or key): each is listed with UnreadableAnswer as its
	// answer, and the others are shown as usual.
	Unreadable int
	// Reminders is what is stored about their reminders; nil when
	// nothing is.
	Reminders *Reminders
}

// UnreadableAnswer stands, in MyData, for an answer whose words could
// not be decrypted.
const UnreadableAnswer = "(this answer could not be read: it is damaged in the database)"

// AnswerView is one stored answer, with the wording it answered.
type AnswerView struct {
	FlowID, FlowTitle, QuestionID, Prompt, Answer string
	At                                            time.Time
}

// MyData returns everything stored about u. A person with nothing stored
// gets empty Data, not an error.
func (s *Service) MyData(ctx context.Context, u User) (Data, error) {
	p, err := s.st.FindParticipant(ctx, s.st.Pseudonym(u.Platform, u.ID))
	if errors.Is(err, store.ErrNotFound) {
		return Data{}, nil
	}
	if err != nil {
		return Data{}, fmt.Errorf("my data: %w", err)
	}
	answers, err := s.st.Answers(ctx, p.ID)
	if err != nil {
		return Data{}, fmt.Errorf("my data: %w", err)
	}
	d := Data{Consent: p.Consent}
	if d.Reminders, err = s.reminders(ctx, p.ID); err != nil {
		return Data{}, fmt.Errorf("my data: %w", err)
	}
	for _, a := range answers {
		v := AnswerView{FlowID: a.FlowID, QuestionID: a.QuestionID, At: a.AnsweredAt}
		fa := flows.Answer{Choices: a.Choices, Text: a.Text, Number: a.Number, Skipped: a.Skipped}
		if f, err := s.flow(ctx, a.FlowID, a.FlowVersion); err == nil {
			v.FlowTitle = f.Title.String()
			if q := f.Question(a.QuestionID); q != nil {
				v.Prompt = q.Prompt.String()
				v.Answer = q.Format(fa, "")
			}
		}
		if v.Prompt == "" {
			v.Prompt, v.Answer = a.QuestionID, (&flows.Question{Type: flows.Type(a.Kind)}).Format(fa, "")
		}
		if a.Unreadable {
			v.Answer = UnreadableAnswer
			d.Unreadable++
		}
		d.Answers = append(d.Answers, v)
	}
	// Group by flow, keeping the order answers were given within each.
	sort.SliceStable(d.Answers, func(i, j int) bool { return d.Answers[i].FlowID < d.Answers[j].FlowID })
	if d.Flows, err = s.Overview(ctx, u); err != nil {
		return Data{}, err
	}
	return d, nil
}

// Withdraw deletes everything stored about u. It reports whether there
// was anything to delete.
func (s *Service) Withdraw(ctx context.Context, u User) (bool, error) {
	pseud := s.st.Pseudonym(u.Platform, u.ID)
	defer s.lock(pseud)()
	p, err := s.st.FindParticipant(ctx, pseud)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("withdraw: %w", err)
	}
	if err := s.st.Withdraw(ctx, p.ID); err != nil {
		return false, fmt.Errorf("withdraw: %w", err)
	}
	return true, nil
}
