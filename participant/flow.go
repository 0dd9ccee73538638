package participant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
)

// Step is one input from a participant. SessionID and QuestionID, when
// set, name the question the input answers (a button on an old message
// carries them); an input for a question that is no longer current is
// stale and changes nothing.
type Step struct {
	SessionID  string
	QuestionID string
	Input      flows.Input
	// Lang is the participant's language tag where the front end knows
	// it (a Discord interaction's locale), for a signpost given when they
	// have no flow under way.
	Lang string
}

// Begin starts or resumes flowID for u. For a repeating flow whose latest
// wave u finished less than its period ago it starts nothing and returns
// a *WaveNotOpenError (errors.Is ErrWaveNotOpen) saying when the next
// wave opens. A participant who has not given
// consent (or gave it to an older version) is asked first, and the flow
// starts once they agree. A new session is shown in the flow's language
// for lang (a tag such as a Discord locale, matched by flows.Flow.Lang),
// unless the participant chose a language themselves in an earlier
// session, which outranks lang; a session under way keeps its language.
func (s *Service) Begin(ctx context.Context, u User, flowID, lang string) (Reply, error) {
	return s.begin(ctx, u, flowID, lang, "", false, true)
}

// CarryOn is Begin for a reminder's Carry on button: the same resume,
// except that it leaves the participant's reminder settings as they are
// (a No more reminders pressed since stands; Begin, /survey, undoes it).
func (s *Service) CarryOn(ctx context.Context, u User, flowID, lang string) (Reply, error) {
	return s.begin(ctx, u, flowID, lang, "", false, false)
}

// BeginIn is Begin for a participant who chose lang themselves (as with
// `peervoice chat --lang`): it outranks an earlier choice, applies to the
// flow under way too, and is remembered for their later flows.
func (s *Service) BeginIn(ctx context.Context, u User, flowID, lang string) (Reply, error) {
	return s.begin(ctx, u, flowID, lang, lang, true, true)
}

// allow allows reminders again (allowReminders); CarryOn does not.
func (s *Service) begin(ctx context.Context, u User, flowID, lang, chose string, now, allow bool) (Reply, error) {
	f, err := s.cfg.Flows().Get(flowID)
	if err != nil {
		return Reply{}, err
	}
	pseud := s.st.Pseudonym(u.Platform, u.ID)
	defer s.lock(pseud)()
	p, err := s.st.EnsureParticipant(ctx, pseud)
	if err != nil {
		return Reply{}, fmt.Errorf("begin: %w", err)
	}
	if err := s.allowReminders(ctx, p, u, allow); err != nil {
		return Reply{}, fmt.Errorf("begin: %w", err)
	}
	if chose == "" {
		if chose, err = s.chosen(ctx, p); err != nil {
			return Reply{}, fmt.Errorf("begin: %w", err)
		}
	} else if chose = strings.TrimSpace(chose); CheckLanguage(chose) != nil {
		return Reply{}, CheckLanguage(chose)
	}
	if s.needsConsent(p) {
		return s.beginConsent(ctx, p, flowID, lang, chose, now)
	}
	return s.beginFlow(ctx, p, f, lang, chose, now)
}

// reopen shows a session under way again: in the language just chosen
// when now is set, else in its own.
func (s *Service) reopen(f *flows.Flow, r record, chose string, now bool) (flows.Session, []flows.Output, error) {
	if now {
		return flows.Relang(f, r.Session, chose, s.cfg.Now())
	}
	return flows.Reopen(f, r.Session, s.cfg.Now())
}

func (s *Service) beginFlow(ctx context.Context, p store.Participant, f *flows.Flow, lang, chose string, now bool) (Reply, error) {
	all, err := s.st.Sessions(ctx, p.ID)
	if err != nil {
		return Reply{}, fmt.Errorf("begin %s: %w", f.ID, err)
	}
	for i := range all {
		rec := &all[i]
		if rec.FlowID != f.ID || !unfinished(*rec) {
			continue
		}
		if gone, err := s.lapse(ctx, rec); err != nil {
			return Reply{}, fmt.Errorf("begin %s: %w", f.ID, err)
		} else if gone {
			continue
		}
		r, err := decode(*rec)
		if err != nil {
			return Reply{}, err
		}
		fv, err := s.flow(ctx, rec.FlowID, rec.FlowVersion)
		if err != nil {
			return Reply{}, err
		}
		ns, outs, err := s.reopen(fv, r, chose, now)
		if err != nil {
			return Reply{}, fmt.Errorf("reopen %s: %w", f.ID, err)
		}
		if !now {
			chose = r.Chose
		}
		return s.save(ctx, p, fv, record{Session: ns, Chose: chose}, outs)
	}
	// A repeating flow's next wave opens once its period has passed since
	// the participant finished the last; a flow taken once can be
	// answered again at any time.
	if err := waveGate(f, all, s.cfg.Now()); err != nil {
		return Reply{}, err
	}
	ns, outs := flows.Start(f, s.cfg.NewID(), pick(lang, chose), s.cfg.Now())
	reply, err := s.save(ctx, p, f, record{Session: ns, Chose: chose}, outs)
	reply.Kept = keptBefore(all, f.ID)
	return reply, err
}

// Input applies one thing a participant typed or clicked to their flow
// under way. Typed words are checked for crisis language first: the
// signpost is part of the reply whatever else happens, even when the
// error is ErrNoSession.
func (s *Service) Input(ctx context.Context, u User, step Step) (Reply, error) {
	var reply Reply
	help := step.Input.Kind == flows.Enter && IsHelp(step.Input.Text)
	crisis := step.Input.Kind == flows.Enter && !help && s.cfg.Detector.Check(step.Input.Text)
	if crisis {
		reply.Signpost = s.crisis(step.Lang)
	}
	pseud := s.st.Pseudonym(u.Platform, u.ID)
	// Not s.lock: Input takes the participant's cached session itself
	// (stepcache.go), and keeps it only after a step saved from it.
	defer s.locks.Lock(pseud)()
	e, hit := s.steps.take(pseud)
	if help {
		// Help always works, in the language of the flow under way.
		p, err := s.st.FindParticipant(ctx, pseud)
		return Reply{Signpost: s.HelpIn(s.langNow(ctx, p, err, step.Lang))}, nil
	}
	if hit && (step.SessionID == "" || step.SessionID == e.rec.ID) {
		if out, done, err := s.inputCached(ctx, e, pseud, step, crisis); done {
			return out, err
		}
	}
	p, rec, rev, err := s.find(ctx, pseud, step.SessionID)
	if errors.Is(err, errStale) {
		reply.Stale = true
		return reply, nil
	}
	if err != nil {
		return reply, err
	}
	if gone, err := s.lapse(ctx, &rec); err != nil {
		return reply, fmt.Errorf("input: %w", err)
	} else if gone {
		// An old button of a session closed as a partial response: its
		// answers are final.
		reply.Stale, reply.Kept = true, rec.FlowID != ConsentFlowID
		return reply, nil
	}
	r, err := decode(rec)
	if err != nil {
		return reply, err
	}
	if crisis {
		reply.Signpost = s.crisis(r.lang(step.Lang))
	}
	// A finished session is read from its row too: retention may have
	// left it an empty state (store.RetainedState).
	if r.Session.Status == flows.Done || rec.Status == store.StatusDone || step.QuestionID != "" && step.QuestionID != r.Session.Current {
		reply.Stale = true
		reply.Session = r.Session
		return reply, nil
	}
	f, err := s.flow(ctx, rec.FlowID, rec.FlowVersion)
	if err != nil {
		return reply, err
	}
	in := step.Input
	if f == s.consent && r.Session.Current == consentTakePart && in.Kind == flows.Skip {
		// Not answering is not agreeing: a skip here is a no.
		in = flows.Input{Kind: flows.Choose, Choices: []string{"no"}}
	}
	ns, outs, err := flows.Resume(f, r.Session, in, s.cfg.Now())
	if err != nil {
		return reply, fmt.Errorf("input: %w", err)
	}
	r.Session = ns
	if f == s.consent && ns.Status == flows.Done {
		return s.decide(ctx, p, r, outs, reply)
	}
	saved, err := s.saveRead(ctx, f, r, outs, &readAs{pseud: pseud, p: p, rec: rec, rev: rev, open: step.SessionID == ""})
	saved.Signpost = reply.Signpost
	return saved, err
}

// Pause stops the participant's flow under way for now.
func (s *Service) Pause(ctx context.Context, u User) (Reply, error) {
	return s.Input(ctx, u, Step{Input: flows.Input{Kind: flows.Stop}})
}

// save persists a step: the session state and its answers in one
// transaction, so every answer acknowledged is on disk with the state.
func (s *Service) save(ctx context.Context, p store.Participant, f *flows.Flow, r record, outs []flows.Output) (Reply, error) {
	return s.saveRead(ctx, f, r, outs, &readAs{p: p})
}

// saveRead is save for a session read as how says: see writeStep.
func (s *Service) saveRead(ctx context.Context, f *flows.Flow, r record, outs []flows.Output, how *readAs) (Reply, error) {
	p := how.p
	if err := s.saveVersion(ctx, f); err != nil {
		return Reply{}, err
	}
	state, err := json.Marshal(r)
	if err != nil {
		return Reply{}, fmt.Errorf("encode session: %w", err)
	}
	now := s.cfg.Now()
	rec := store.Session{
		ID: r.Session.ID, ParticipantID: p.ID, FlowID: f.ID, FlowVersion: f.Version,
		Status: string(r.Session.Status), State: state, StartedAt: r.Session.Started, UpdatedAt: now,
	}
	var answers []store.Answer
	var cleared []string
	if f != s.consent {
		for _, o := range outs {
			switch o := o.(type) {
			case flows.Answered:
				answers = append(answers, store.Answer{
					SessionID: r.Session.ID, FlowID: f.ID, FlowVersion: f.Version, QuestionID: o.Question.ID,
					Kind: string(o.Question.Type), Choices: o.Answer.Choices, Text: o.Answer.Text,
					Number: o.Answer.Number, Skipped: o.Answer.Skipped, AnsweredAt: now,
				})
			case flows.Cleared:
				cleared = append(cleared, o.QuestionIDs...)
			}
		}
	}
	if err := s.writeStep(ctx, f, rec, answers, cleared, how, outs); err != nil {
		return Reply{}, fmt.Errorf("save answer: %w", err)
	}
	return Reply{Outputs: outs, Flow: f, Session: r.Session}, nil
}

// Continue shows again the question the participant was at in their flow
// under way (the consent flow included), or returns ErrNoSession.
func (s *Service) Continue(ctx context.Context, u User) (Reply, error) {
	pseud := s.st.Pseudonym(u.Platform, u.ID)
	defer s.lock(pseud)()
	p, err := s.known(ctx, pseud, "continue")
	if err != nil {
		return Reply{}, err
	}
	rec, err := s.current(ctx, p.ID)
	if errors.Is(err, store.ErrNotFound) {
		return Reply{}, ErrNoSession
	}
	if err != nil {
		return Reply{}, fmt.Errorf("continue: %w", err)
	}
	r, err := decode(rec)
	if err != nil {
		return Reply{}, err
	}
	f, err := s.flow(ctx, rec.FlowID, rec.FlowVersion)
	if err != nil {
		return Reply{}, err
	}
	ns, outs, err := flows.Reopen(f, r.Session, s.cfg.Now())
	if err != nil {
		return Reply{}, fmt.Errorf("continue: %w", err)
	}
	r.Session = ns
	return s.save(ctx, p, f, r, outs)
}

// saveVersion stores f's version once per process: a write transaction
// per answer just to find it already there would halve the answers a
// second the database can take.
func (s *Service) saveVersion(ctx context.Context, f *flows.Flow) error {
	s.mu.Lock()
	done := s.saved[f.Version]
	s.mu.Unlock()
	if done {
		return nil
	}
	if err := s.st.SaveFlowVersion(ctx, store.FlowVersion{Hash: f.Version, FlowID: f.ID, Source: f.Source}); err != nil {
		return fmt.Errorf("save flow version: %w", err)
	}
	s.mu.Lock()
	s.saved[f.Version] = true
	s.mu.Unlock()
	return nil
}
