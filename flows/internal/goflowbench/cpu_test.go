package goflowbench

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time this process has used, user and system,
// which other processes' load on a shared machine does not inflate as it
// does wall-clock time. (This module is a benchmark for Linux, where the
// project runs; syscall.Getrusage is there on every unix.)
func cpuTime(tb interface{ Fatal(...any) }) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
