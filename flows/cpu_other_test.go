//go:build !unix

package flows_test

import "time"

// cpuTime is not measured here; benchmarks report wall-clock time only.
func cpuTime() (time.Duration, bool) { return 0, false }
