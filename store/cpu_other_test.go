//go:build !unix

package store_test

import "time"

// cpuNow is unknown here: the benchmarks then report no CPU time.
func cpuNow() time.Duration { return 0 }
