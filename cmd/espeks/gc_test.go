package main

import (
	"runtime/debug"
	"testing"
)

// serve raises GOGC and sets a soft memory limit, unless the operator set either.
func TestTuneGC(t *testing.T) {
	origGC, origLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer func() { debug.SetGCPercent(origGC); debug.SetMemoryLimit(origLimit) }()

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if gogc, limit := tuneGC(); gogc != serveGOGC || limit != serveMemoryLimit>>20 {
		t.Errorf("defaults: GOGC=%d, limit %d MiB", gogc, limit)
	}

	debug.SetGCPercent(150)
	debug.SetMemoryLimit(1 << 30)
	t.Setenv("GOGC", "150")
	t.Setenv("GOMEMLIMIT", "1GiB")
	if gogc, limit := tuneGC(); gogc != 150 || limit != 1024 {
		t.Errorf("operator's settings overridden: GOGC=%d, limit %d MiB", gogc, limit)
	}
}
