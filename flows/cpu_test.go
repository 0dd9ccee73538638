package flows_test

import (
	"time"

	"github.com/peervoice/peervoice/internal/testutil"
)

// cpuTime is the process's CPU time so far, and whether it is known.
func cpuTime() (time.Duration, bool) { return testutil.CPUTime() }
