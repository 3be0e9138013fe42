package load

import (
	"runtime/debug"
	"sync"
)

// A load's validation state (per payslip and per document) is most of the heap while
// it runs. espeks serve raises GOGC above Go's default for its small serving heap
// (cmd/espeks/gc.go); at that setting a 1 GB file's state would be let grow to several
// times its size before a collection, so while any load runs the collector is at the
// default again. An operator's own lower setting is left alone.
var gcHold struct {
	sync.Mutex
	n     int
	saved int
}

// defaultGC returns the collector to GOGC=100 (if it is set higher) until release.
func defaultGC() (release func()) {
	gcHold.Lock()
	defer gcHold.Unlock()
	if gcHold.n == 0 {
		gcHold.saved = debug.SetGCPercent(100)
		if gcHold.saved <= 100 { // Go's default or the operator's lower one: keep it
			debug.SetGCPercent(gcHold.saved)
		}
	}
	gcHold.n++
	return func() {
		gcHold.Lock()
		defer gcHold.Unlock()
		if gcHold.n--; gcHold.n == 0 {
			debug.SetGCPercent(gcHold.saved)
		}
	}
}
