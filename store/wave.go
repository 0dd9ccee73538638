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
