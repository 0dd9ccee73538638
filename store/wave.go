package store

import (
	"context"
	"fmt"
	"time"
)

// WaveEnd is a participant's latest wave of a flow, finished: from it a
// repeating flow's next wave opens once the flow's period has passed.
type WaveEnd struct {
	ParticipantID int64
	// Wave is the number of the wave finished; the next is Wave+1.
	Wave int
	// Finished is when it was finished (the session's last save).
	Finished time.Time
}

// FinishedWaves returns, by participant id, every participant whose
// latest session of flowID is finished, with that wave and when it was
// finished: the participants who may be offered the next wave once the
// flow's period has passed (participant.Service.WavesDue works that
// out). A participant with a wave under way is not listed. It says
// nothing of consent: a caller that contacts participants checks it.
func (db *DB) FinishedWaves(ctx context.Context, flowID string) ([]WaveEnd, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT s.participant_id, s.wave, s.updated_at FROM sessions s
		WHERE s.flow_id = ? AND s.status = 'done'
			AND s.wave = (SELECT MAX(wave) FROM sessions WHERE participant_id = s.participant_id AND flow_id = s.flow_id)
		ORDER BY s.participant_id`, flowID)
	if err != nil {
		return nil, fmt.Errorf("finished waves of %q: %w", flowID, err)
	}
	defer rows.Close()
	var out []WaveEnd
	for rows.Next() {
		var w WaveEnd
		var at string
		if err := rows.Scan(&w.ParticipantID, &w.Wave, &at); err != nil {
			return nil, fmt.Errorf("finished waves of %q: %w", flowID, err)
		}
		if w.Finished, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("finished waves of %q: %w", flowID, err)
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("finished waves of %q: %w", flowID, err)
	}
	return out, nil
}

// WaveReminderCandidates returns up to limit finished sessions of flowID
// that may be offered the next wave: each the participant's latest
// session of the flow, finished at finishedBy or before, whose
// participant is reachable, has not opted out and whose latest consent
// is to take part, and never claimed for a reminder (so a round is
// offered once). Oldest first. The caller works out from the flow's
// period whether the next wave is open yet: finishedBy only bounds the
// search. The reminder is keyed by the finished session's id, which
// never gets a pause reminder of its own afterwards (ReminderCandidates
// takes unfinished sessions only).
func (db *DB) WaveReminderCandidates(ctx context.Context, flowID string, finishedBy time.Time, limit int) ([]ReminderCandidate, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT s.id, s.participant_id, s.flow_id, s.updated_at FROM sessions s
		JOIN reminder_prefs p ON p.participant_id = s.participant_id
		WHERE s.flow_id = ? AND s.status = 'done' AND s.updated_at <= ?
		  AND s.wave = (SELECT MAX(wave) FROM sessions WHERE participant_id = s.participant_id AND flow_id = s.flow_id)
		  AND p.address IS NOT NULL AND p.opted_out_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.session_id = s.id)
		  AND (SELECT c.take_part FROM consents c WHERE c.participant_id = s.participant_id ORDER BY c.id DESC LIMIT 1) = 1
		ORDER BY s.updated_at, s.id LIMIT ?`, flowID, formatTime(finishedBy), limit)
	if err != nil {
		return nil, fmt.Errorf("wave reminder candidates of %q: %w", flowID, err)
	}
	defer rows.Close()
	var out []ReminderCandidate
	for rows.Next() {
		var c ReminderCandidate
		var updated string
		if err := rows.Scan(&c.SessionID, &c.ParticipantID, &c.FlowID, &updated); err != nil {
			return nil, fmt.Errorf("wave reminder candidates of %q: %w", flowID, err)
		}
		if c.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, fmt.Errorf("wave reminder candidates of %q: %w", flowID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wave reminder candidates of %q: %w", flowID, err)
	}
	return out, nil
}
