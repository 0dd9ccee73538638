package participant

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
	"github.com/peervoice/peervoice/uitext"
)

// ErrWaveNotOpen means the participant finished the latest wave of a
// repeating flow and its period has not passed yet: the next wave is not
// open. Begin returns it as a *WaveNotOpenError, which says when it opens.
var ErrWaveNotOpen = errors.New("participant: the next wave is not open yet")

// WaveNotOpenError is Begin's answer for a repeating flow whose next
// wave has not opened: nothing was started or changed.
type WaveNotOpenError struct {
	Flow *flows.Flow
	// Wave is the number of the wave that will open; Finished is when
	// the participant finished the one before, Opens when Wave opens.
	Wave            int
	Finished, Opens time.Time
}

func (e *WaveNotOpenError) Error() string {
	return fmt.Sprintf("%s: wave %d of %s opens at %s", ErrWaveNotOpen, e.Wave, e.Flow.ID, e.Opens.Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrWaveNotOpen) true.
func (e *WaveNotOpenError) Is(target error) bool { return target == ErrWaveNotOpen }

// Message is the kind words for the participant, in lang: when they
// finished, how often the flow is asked, and when the next round opens.
func (e *WaveNotOpenError) Message(lang string) string {
	l := e.Flow.Lang(lang)
	return uitext.T(lang, uitext.WaveNotYet, e.Flow.Title.In(l), uitext.Date(lang, e.Finished), RepeatIn(lang, e.Flow.Repeat), uitext.Date(lang, e.Opens))
}

// RepeatIn says how often a repeating flow is asked, as a participant
// reads it in lang: "every week", "every month", "every 14 days".
func RepeatIn(lang string, r flows.Repeat) string {
	switch {
	case r.Months == 0 && r.Days == 7:
		return uitext.T(lang, uitext.RepeatWeekly)
	case r.Months == 1 && r.Days == 0:
		return uitext.T(lang, uitext.RepeatMonthly)
	}
	return uitext.T(lang, uitext.RepeatDays, r.Days)
}

// lastWave is the participant's latest session of a flow.
type lastWave struct {
	wave     int
	done     bool
	finished time.Time // when it was finished, if done
}

// latestWaves returns the latest session of each flow among sessions.
func latestWaves(sessions []store.Session) map[string]lastWave {
	out := map[string]lastWave{}
	for _, rec := range sessions {
		if old, ok := out[rec.FlowID]; ok && old.wave >= rec.Wave {
			continue
		}
		lw := lastWave{wave: rec.Wave, done: rec.Status == string(flows.Done)}
		if lw.done {
			lw.finished = rec.UpdatedAt
		}
		out[rec.FlowID] = lw
	}
	return out
}

// opens returns when the next wave of f opens after lw: zero for a flow
// taken once, or one with a wave under way or never taken.
func opens(f *flows.Flow, lw lastWave) time.Time {
	if f.Repeat.IsZero() || !lw.done {
		return time.Time{}
	}
	return f.Repeat.Next(lw.finished)
}

// waveGate returns the error Begin gives when f's next wave is not open
// at now for a participant whose sessions are all, or nil.
func waveGate(f *flows.Flow, all []store.Session, now time.Time) error {
	lw := latestWaves(all)[f.ID]
	if at := opens(f, lw); !at.IsZero() && now.Before(at) {
		loc := now.Location()
		return &WaveNotOpenError{Flow: f, Wave: lw.wave + 1, Finished: lw.finished.In(loc), Opens: at.In(loc)}
	}
	return nil
}

// WaveDue is a participant whose next wave of a repeating flow is open:
// they finished wave Wave-1 and its period has passed.
type WaveDue struct {
	ParticipantID int64
	FlowID        string
	Wave          int
	// Opened is when the wave opened.
	Opened time.Time
}

// WavesDue lists, for every repeating flow among the current flows, the
// participants whose next wave is open at now, by flow then participant
// id: those a reminder could offer the next wave to. It says nothing of
// consent, withdrawals aside (a withdrawn participant has no sessions),
// nor of whether they want reminders: the caller checks both.
func (s *Service) WavesDue(ctx context.Context, now time.Time) ([]WaveDue, error) {
	var out []WaveDue
	for _, f := range s.cfg.Flows().Flows() {
		if f.Repeat.IsZero() {
			continue
		}
		ends, err := s.st.FinishedWaves(ctx, f.ID)
		if err != nil {
			return nil, fmt.Errorf("waves due: %w", err)
		}
		for _, e := range ends {
			if at := f.Repeat.Next(e.Finished.In(now.Location())); !now.Before(at) {
				out = append(out, WaveDue{ParticipantID: e.ParticipantID, FlowID: f.ID, Wave: e.Wave + 1, Opened: at})
			}
		}
	}
	return out, nil
}
