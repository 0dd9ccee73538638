package participant

import (
	"context"
	"errors"
	"fmt"

	"github.com/peervoice/peervoice/store"
)

// Finding the session a step goes to. An answer is the participant's
// most frequent request, so it reads the store once: the participant,
// their consent and the session under way in one read transaction
// (store.DB.ReadStep), the session found in SQL and decrypted alone,
// whatever number of finished flows lie behind it. Flow versions, which
// never change, are parsed once and kept (Service.flow).

// stepReader is what a store that reads a step in one transaction
// offers; *store.DB does. A store without it (such as the bot's preview
// store, which keeps everything in memory) is read the longer way, with
// the same results.
type stepReader interface {
	ReadStep(ctx context.Context, pseudonym, sessionID string) (store.StepRead, error)
	OpenSession(ctx context.Context, participantID int64) (store.Session, error)
}

var _ stepReader = (*store.DB)(nil)

// errStale means the step named a session that is not the participant's
// (or no longer exists): the input is stale and changes nothing.
var errStale = errors.New("participant: not a session of this participant")

// find returns the participant with pseudonym pseud and the session
// their step goes to: sessionID if named (errStale if it is not theirs),
// else their session under way (current), with the StepRev of the
// session as ReadStep read it (zero when it was not read so). It returns
// ErrNoSession when PeerVoice has never seen them or they have no flow
// under way; other errors are wrapped with "input".
func (s *Service) find(ctx context.Context, pseud, sessionID string) (store.Participant, store.Session, store.StepRev, error) {
	var none store.StepRev
	sr, ok := s.st.(stepReader)
	if !ok {
		p, rec, err := s.findEach(ctx, pseud, sessionID)
		return p, rec, none, err
	}
	got, err := sr.ReadStep(ctx, pseud, sessionID)
	p := got.Participant
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Participant{}, store.Session{}, none, ErrNoSession
	case err != nil:
		return store.Participant{}, store.Session{}, none, fmt.Errorf("input: %w", err)
	case sessionID != "" && !got.Found:
		return p, store.Session{}, none, errStale
	case sessionID != "":
		return p, got.Session, got.Rev, nil
	case !got.Found:
		return p, store.Session{}, none, ErrNoSession
	case !s.idle(got.Session):
		return p, got.Session, got.Rev, nil
	}
	// Their latest session is idle past ExpireAfter, and so is every
	// older one: currentAll closes them as partial responses, as it
	// always has.
	rec, err := s.currentAll(ctx, p.ID)
	return p, rec, none, s.inputErr(err)
}

// findEach is find for a store without ReadStep: one read for the
// participant, another for the session.
func (s *Service) findEach(ctx context.Context, pseud, sessionID string) (store.Participant, store.Session, error) {
	p, err := s.st.FindParticipant(ctx, pseud)
	if errors.Is(err, store.ErrNotFound) {
		return store.Participant{}, store.Session{}, ErrNoSession
	}
	if err != nil {
		return store.Participant{}, store.Session{}, fmt.Errorf("input: %w", err)
	}
	if sessionID == "" {
		rec, err := s.currentAll(ctx, p.ID)
		return p, rec, s.inputErr(err)
	}
	rec, err := s.st.Session(ctx, sessionID)
	if errors.Is(err, store.ErrNotFound) || err == nil && rec.ParticipantID != p.ID {
		return p, store.Session{}, errStale
	}
	if err != nil {
		return p, store.Session{}, fmt.Errorf("input: %w", err)
	}
	return p, rec, nil
}

// inputErr is the error Input returns for current's err.
func (s *Service) inputErr(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ErrNoSession
	case err != nil:
		return fmt.Errorf("input: %w", err)
	}
	return nil
}

// current returns the participant's session under way (active or
// paused), most recently used first, or store.ErrNotFound. A session
// idle longer than Config.ExpireAfter is closed as a partial response
// on the way, and is not under way.
func (s *Service) current(ctx context.Context, pid int64) (store.Session, error) {
	if sr, ok := s.st.(stepReader); ok {
		rec, err := sr.OpenSession(ctx, pid)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return store.Session{}, store.ErrNotFound
		case err != nil:
			return store.Session{}, fmt.Errorf("find the session under way: %w", err)
		case !s.idle(rec):
			return rec, nil
		}
		// The latest is idle, and so every older one: see below.
	}
	return s.currentAll(ctx, pid)
}

// currentAll is current from the list of all the participant's
// sessions, closing each idle one it passes as a partial response.
func (s *Service) currentAll(ctx context.Context, pid int64) (store.Session, error) {
	all, err := s.st.Sessions(ctx, pid)
	if err != nil {
		return store.Session{}, fmt.Errorf("list sessions: %w", err)
	}
	for _, rec := range all {
		if !unfinished(rec) {
			continue
		}
		if gone, err := s.lapse(ctx, &rec); err != nil {
			return store.Session{}, err
		} else if gone {
			continue
		}
		return rec, nil
	}
	return store.Session{}, store.ErrNotFound
}
