//go:build !unix

package testutil

import "time"

// CPUTime is unknown here: benchmarks then report no CPU time.
func CPUTime() (time.Duration, bool) { return 0, false }
