//go:build unix

package participant_test

import (
	"syscall"
	"time"
)

// cpuNow is the CPU time (user and system, every thread) this process
// has used: on a shared machine the wall clock of an fsync-bound loop
// depends on everyone's disk, its CPU time much less.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
