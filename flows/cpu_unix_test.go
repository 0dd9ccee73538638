//go:build unix

package flows_test

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time this process has used, user and system,
// which other processes' load on a shared machine does not inflate as it
// does wall-clock time.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
