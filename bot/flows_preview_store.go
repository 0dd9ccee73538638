package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sync"
	"time"

	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// previewStore is the scratch store a preview's participant service runs
// on: memory only, one per preview, gone when the preview is. It keeps
// what the service needs to walk a flow (the participant, the session
// state, the flow versions) and drops every answer it is handed, so a
// preview holds no answer beyond the session under way, and nothing of
// it can reach the study's database, its digests, its exports or
// /mydata. Its participant has given consent already: the consent
// question belongs to the study, not to the flow being previewed.
type previewStore struct {
	mu       sync.Mutex
	people   map[string]*store.Participant // by pseudonym
	sessions map[string]store.Session      // by id
	versions map[string]store.FlowVersion  // by hash
	nextID   int64
}

var _ participant.Store = (*previewStore)(nil)

// previewConsent is the consent version a preview's participant has
// given, and its service asks for.
const previewConsent = "preview"

func newPreviewStore() *previewStore {
	return &previewStore{people: map[string]*store.Participant{}, sessions: map[string]store.Session{}, versions: map[string]store.FlowVersion{}}
}

func (s *previewStore) Pseudonym(platform, userID string) string {
	sum := sha256.Sum256([]byte("preview\x00" + platform + "\x00" + userID))
	return hex.EncodeToString(sum[:])
}

func (s *previewStore) EnsureParticipant(_ context.Context, pseudonym string) (store.Participant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.people[pseudonym]; ok {
		return *p, nil
	}
	s.nextID++
	p := &store.Participant{ID: s.nextID, Pseudonym: pseudonym, CreatedAt: time.Now(), Consent: &store.Consent{Version: previewConsent, TakePart: true}}
	s.people[pseudonym] = p
	return *p, nil
}

func (s *previewStore) FindParticipant(_ context.Context, pseudonym string) (store.Participant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.people[pseudonym]; ok {
		return *p, nil
	}
	return store.Participant{}, store.ErrNotFound
}

func (s *previewStore) SaveConsent(_ context.Context, participantID int64, c store.Consent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.people {
		if p.ID == participantID {
			p.Consent = &c
			return nil
		}
	}
	return store.ErrNotFound
}

func (s *previewStore) SaveFlowVersion(_ context.Context, v store.FlowVersion) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.versions[v.Hash]; !ok {
		s.versions[v.Hash] = v
	}
	return nil
}

func (s *previewStore) FlowVersion(_ context.Context, hash string) (store.FlowVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.versions[hash]; ok {
		return v, nil
	}
	return store.FlowVersion{}, store.ErrNotFound
}

// SaveStep keeps the session's state and drops the answers: a preview
// stores nothing answered.
func (s *previewStore) SaveStep(_ context.Context, rec store.Session, _ []store.Answer, _ []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec.State = append([]byte(nil), rec.State...)
	s.sessions[rec.ID] = rec
	return nil
}

func (s *previewStore) Session(_ context.Context, id string) (store.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, ok := s.sessions[id]; ok {
		return rec, nil
	}
	return store.Session{}, store.ErrNotFound
}

// Sessions lists the participant's sessions, the latest first, as the
// study's store does.
func (s *previewStore) Sessions(_ context.Context, participantID int64) ([]store.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.Session
	for _, rec := range s.sessions {
		if rec.ParticipantID == participantID {
			out = append(out, rec)
		}
	}
	slices.SortFunc(out, func(a, b store.Session) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	return out, nil
}

// Answers is always empty: SaveStep keeps none.
func (s *previewStore) Answers(context.Context, int64) ([]store.Answer, error) { return nil, nil }

func (s *previewStore) DeleteSession(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
	return nil
}

func (s *previewStore) Withdraw(_ context.Context, participantID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, p := range s.people {
		if p.ID == participantID {
			delete(s.people, k)
		}
	}
	for id, rec := range s.sessions {
		if rec.ParticipantID == participantID {
			delete(s.sessions, id)
		}
	}
	return nil
}

// ExpireSession closes a preview left idle since before idleSince, as
// the study's store closes a session as a partial response: a preview
// kept for hours behaves as a participant's would.
func (s *previewStore) ExpireSession(_ context.Context, id string, idleSince, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.sessions[id]
	if !ok || rec.Status == store.StatusDone || rec.Status == store.StatusExpired || !rec.UpdatedAt.Before(idleSince) {
		return false, nil
	}
	rec.Status, rec.ExpiredAt = store.StatusExpired, at
	s.sessions[id] = rec
	return true, nil
}

// A preview never reminds anyone, and keeps no way to reach the
// moderator: the reminder methods store nothing.
func (s *previewStore) AllowReminders(context.Context, int64, string, string, time.Time) error {
	return nil
}

func (s *previewStore) StopReminders(context.Context, int64, time.Time) error { return nil }

func (s *previewStore) ReminderPrefs(context.Context, int64) (store.ReminderPrefs, error) {
	return store.ReminderPrefs{}, nil
}

// FinishedWaves is empty: a preview starts its flow afresh each time,
// whatever the flow's repeat.
func (s *previewStore) FinishedWaves(context.Context, string) ([]store.WaveEnd, error) {
	return nil, nil
}
