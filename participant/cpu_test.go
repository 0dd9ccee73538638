package participant_test

import (
	"time"

	"github.com/peervoice/peervoice/internal/testutil"
)

// cpuNow is the process's CPU time so far, 0 where it is unknown.
func cpuNow() time.Duration {
	d, _ := testutil.CPUTime()
	return d
}
