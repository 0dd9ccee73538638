package bot

import "time"

// SetAckAfter changes how long handlers work before deferring, so tests
// can drive the deferred path; it returns a function that restores it.
func SetAckAfter(d time.Duration) (restore func()) {
	old := ackAfter
	ackAfter = d
	return func() { ackAfter = old }
}
