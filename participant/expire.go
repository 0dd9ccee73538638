package participant

import (
	"context"
	"fmt"
	"time"

	"github.com/peervoice/peervoice/store"
)

// DefaultExpireAfter is sessions.expire_after's default: 30 days.
const DefaultExpireAfter = 30 * 24 * time.Hour

// unfinished reports whether a stored session can still be carried on:
// active or paused, neither done nor closed as a partial response.
func unfinished(rec store.Session) bool {
	return rec.Status == store.StatusActive || rec.Status == store.StatusPaused
}

// lapse closes rec as a partial response if it is unfinished and was
// last used longer than Config.ExpireAfter ago, before the periodic job
// has (the job may not have run yet, or not run at all in `peervoice
// chat`): every front end then agrees on what a participant can carry
// on. It reports whether rec is expired now, setting its status.
func (s *Service) lapse(ctx context.Context, rec *store.Session) (bool, error) {
	if rec.Status == store.StatusExpired {
		return true, nil
	}
	if s.cfg.ExpireAfter <= 0 || !unfinished(*rec) {
		return false, nil
	}
	now := s.cfg.Now()
	idleSince := now.Add(-s.cfg.ExpireAfter)
	if !rec.UpdatedAt.Before(idleSince) {
		return false, nil
	}
	if _, err := s.st.ExpireSession(ctx, rec.ID, idleSince, now); err != nil {
		return false, fmt.Errorf("close the idle session as a partial response: %w", err)
	}
	// Closed by this call or, meanwhile, by the job: either way it is
	// over, and nothing would carry it on.
	rec.Status, rec.ExpiredAt = store.StatusExpired, now
	return true, nil
}

// keptBefore reports whether the participant's latest session of flowID
// among all (most recently updated first) was closed as a partial
// response: coming back to the flow, they start afresh and are told
// that their earlier answers were kept.
func keptBefore(all []store.Session, flowID string) bool {
	for _, rec := range all {
		if rec.FlowID == flowID {
			return rec.Status == store.StatusExpired && flowID != ConsentFlowID
		}
	}
	return false
}

// idle reports whether an unfinished session is past Config.ExpireAfter,
// to be closed when next used: the menu does not offer it as under way.
func (s *Service) idle(rec store.Session) bool {
	return s.cfg.ExpireAfter > 0 && rec.UpdatedAt.Before(s.cfg.Now().Add(-s.cfg.ExpireAfter))
}
