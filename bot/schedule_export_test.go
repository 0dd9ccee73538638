package bot

import "context"

// CheckSchedules runs one scheduler check now, as a tick would, and
// returns when it is done; tests use it with a fake clock instead of
// waiting for the ticker.
func CheckSchedules(b *Bot) {
	b.sched.check(context.Background())
}

// ScheduleStarted is closed once the running bot's scheduler has made its
// first check, the one on start.
func ScheduleStarted(b *Bot) <-chan struct{} { return b.sched.first }

// NonceFor is the nonce the scheduler sends for an occurrence.
var NonceFor = nonceFor

// RetryAfter is how long after its last failed attempt a pending digest
// is tried again.
var RetryAfter = retryAfter
