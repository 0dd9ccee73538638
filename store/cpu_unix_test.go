//go:build unix

package store_test

import (
	"syscall"
	"time"
)

// cpuNow is the CPU time (user and system, every thread) this process
// has used: on a shared machine it depends on other work much less than
// the wall clock does.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
