package participant

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/peervoice/peervoice/store"
)

// Reminders is what a participant sees in MyData of their reminders.
type Reminders struct {
	// Reachable: PeerVoice keeps how to send them a reminder (their
	// platform id, encrypted under their own key).
	Reachable bool
	// StoppedAt is when they pressed No more reminders; zero: reminders
	// are allowed. Using /survey again allows them again.
	StoppedAt time.Time
}

// allowReminders keeps how to reach p for a reminder and allows
// reminders again, when reminders are on: every start or resume of a
// flow passes here, so /survey undoes No more reminders.
func (s *Service) allowReminders(ctx context.Context, p store.Participant, u User, allow bool) error {
	if !s.cfg.Reminders || !allow {
		return nil
	}
	return s.st.AllowReminders(ctx, p.ID, u.Platform, u.ID, s.cfg.Now())
}

// StopReminders records that u wants no more reminders (the No more
// reminders button), until they next use /survey. It reports whether
// PeerVoice knows u at all.
func (s *Service) StopReminders(ctx context.Context, u User) (bool, error) {
	pseud := s.st.Pseudonym(u.Platform, u.ID)
	defer s.lock(pseud)()
	p, err := s.known(ctx, pseud, "stop reminders")
	if err == ErrNoSession {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := s.st.StopReminders(ctx, p.ID, s.cfg.Now()); err != nil {
		return false, fmt.Errorf("stop reminders: %w", err)
	}
	return true, nil
}

// reminders is MyData's view of the participant's reminder settings.
func (s *Service) reminders(ctx context.Context, pid int64) (*Reminders, error) {
	rp, err := s.st.ReminderPrefs(ctx, pid)
	if err != nil {
		return nil, err
	}
	if !rp.Reachable && rp.OptedOutAt.IsZero() {
		return nil, nil
	}
	return &Reminders{Reachable: rp.Reachable, StoppedAt: rp.OptedOutAt}, nil
}

// SessionLanguage is the language a session is shown in ("" when it has
// none or cannot be read), for a reminder about it.
func (s *Service) SessionLanguage(ctx context.Context, sessionID string) string {
	rec, err := s.st.Session(ctx, sessionID)
	if err != nil || rec.Unreadable {
		return ""
	}
	var r record
	if err := json.Unmarshal(rec.State, &r); err != nil {
		return ""
	}
	return r.lang("")
}
