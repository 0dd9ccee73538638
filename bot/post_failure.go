package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/peervoice/peervoice/store"
)

// failureStore records why a claimed post failed; the scheduler's and the
// digest poster's stores both satisfy it.
type failureStore interface {
	PostFailed(ctx context.Context, scheduleID string, occurrence time.Time, reason string, at time.Time) error
}

// postFailed records that the claimed post p failed for reason at now, so
// it is retried, and logs it with the fix when there is one. It says so loudly
// the first time and when the reason changes, and quietly (Debug) after:
// a channel that stays missing would otherwise fill the log every tick.
// what names the post in the log ("digest", "scheduled prompt").
func postFailed(ctx context.Context, st failureStore, log *slog.Logger, p store.Post, now time.Time, what, channel, reason, fix string, err error) {
	if rerr := st.PostFailed(ctx, p.ScheduleID, p.Occurrence, reason, now); rerr != nil {
		log.Error(what+": record failed post", "err", rerr)
	}
	level := log.Warn
	if p.Attempts > 0 && p.LastError == reason {
		level = log.Debug
	}
	if fix != "" {
		level("cannot post "+what+"; will retry", "channel", channel, "err", reason, "fix", fix)
	} else {
		level("cannot post "+what+"; will retry", "channel", channel, "err", err)
	}
}
