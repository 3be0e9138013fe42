package main

import (
	"os"
	"runtime/debug"
)

// The collector's settings for serving, unless the operator sets GOGC or GOMEMLIMIT
// (which the Go runtime reads itself, and which then win).
//
// eSPEKS's live heap is a few megabytes, so at Go's default (GOGC=100) the collector
// runs hundreds of times a second under load, each cycle scanning the stacks of every
// connection: espeks bench measured the payslip page's CPU per request a quarter lower
// at 400 (BenchmarkPayslipPage: 320 µs at 100, 228 µs at 400). The soft limit bounds
// what the higher setting lets the heap grow to under a burst (logins reuse their
// argon2id memory, internal/password/argon2id, so a flood no longer drives it); a
// load, whose validation state is most of the heap while it runs, returns the
// collector to the default for its duration (internal/load).
const (
	serveGOGC        = 400
	serveMemoryLimit = 192 << 20
)

// tuneGC applies the serving settings and returns them for the start-up log.
func tuneGC() (gogc int, limitMiB int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGOGC)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
	gogc = debug.SetGCPercent(-1)
	debug.SetGCPercent(gogc)
	return gogc, debug.SetMemoryLimit(-1) >> 20
}
