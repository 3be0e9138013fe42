//go:build unix

package pdf

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user + system) the process has used so far, so that benchmarks
// can report a rate that does not depend on what else the machine is running.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
