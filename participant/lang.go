package participant

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
)

// The language a participant is shown: the one they chose themselves
// (chat --lang, a language button), which outranks the locale a front end
// reports and is remembered for the flows they start later.

// langTagRe is what a language a participant chooses must look like.
var langTagRe = regexp.MustCompile(`^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$`)

// CheckLanguage returns an error saying what is wrong when lang, a
// language a participant chose (chat --lang, the language button), does
// not look like a language code. Front ends call it before anything
// else, so a typo is refused before any question is shown.
func CheckLanguage(lang string) error {
	if !langTagRe.MatchString(strings.TrimSpace(lang)) {
		return fmt.Errorf("language %q is not a language code such as en, cy or en-GB", lang)
	}
	return nil
}

// chosen returns the language the participant last chose themselves,
// from their sessions (newest first), or "".
func (s *Service) chosen(ctx context.Context, p store.Participant) (string, error) {
	all, err := s.st.Sessions(ctx, p.ID)
	if err != nil {
		return "", fmt.Errorf("list sessions: %w", err)
	}
	for _, rec := range all {
		r, err := decode(rec)
		if err != nil {
			return "", err
		}
		if r.Chose != "" {
			return r.Chose, nil
		}
	}
	return "", nil
}

// pick is the language a new session asks for: the participant's own
// choice, else what the front end says (their locale).
func pick(lang, chose string) string {
	if chose != "" {
		return chose
	}
	return lang
}

// SetLanguage switches the participant's session sessionID (the consent
// flow's included) to the flow's language for lang, and shows its
// current question again in it. The answers are kept. The choice is
// remembered: it outranks the participant's locale in the flows they
// start later. A session that is not theirs, or is finished, is stale.
func (s *Service) SetLanguage(ctx context.Context, u User, sessionID, lang string) (Reply, error) {
	lang = strings.TrimSpace(lang)
	if err := CheckLanguage(lang); err != nil {
		return Reply{}, err
	}
	pseud := s.st.Pseudonym(u.Platform, u.ID)
	defer s.lock(pseud)()
	p, err := s.known(ctx, pseud, "set language")
	if err != nil {
		return Reply{}, err
	}
	rec, err := s.st.Session(ctx, sessionID)
	if errors.Is(err, store.ErrNotFound) || err == nil && rec.ParticipantID != p.ID {
		return Reply{Stale: true}, nil
	}
	if err != nil {
		return Reply{}, fmt.Errorf("set language: %w", err)
	}
	if gone, err := s.lapse(ctx, &rec); err != nil {
		return Reply{}, fmt.Errorf("set language: %w", err)
	} else if gone {
		return Reply{Stale: true, Kept: rec.FlowID != ConsentFlowID}, nil
	}
	r, err := decode(rec)
	if err != nil {
		return Reply{}, err
	}
	if r.Session.Status == flows.Done || rec.Status == store.StatusDone {
		return Reply{Stale: true, Session: r.Session}, nil
	}
	f, err := s.flow(ctx, rec.FlowID, rec.FlowVersion)
	if err != nil {
		return Reply{}, err
	}
	ns, outs, err := flows.Relang(f, r.Session, lang, s.cfg.Now())
	if err != nil {
		return Reply{}, fmt.Errorf("set language: %w", err)
	}
	r.Session, r.Chose = ns, lang
	return s.save(ctx, p, f, r, outs)
}

// langNow is the language of p's flow under way, or the one they chose,
// or fallback; it never fails, so help is shown whatever happens.
func (s *Service) langNow(ctx context.Context, p store.Participant, findErr error, fallback string) string {
	if findErr != nil {
		return fallback
	}
	rec, err := s.current(ctx, p.ID)
	if err != nil {
		if chose, err := s.chosen(ctx, p); err == nil && chose != "" {
			return chose
		}
		return fallback
	}
	r, err := decode(rec)
	if err != nil {
		return fallback
	}
	return r.lang(fallback)
}
