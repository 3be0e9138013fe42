package load

import (
	"runtime/debug"
	"testing"
)

// While loads run the collector is at Go's default; after the last one, the setting
// before the first is back. A lower setting is never raised.
func TestDefaultGC(t *testing.T) {
	orig := debug.SetGCPercent(400)
	defer debug.SetGCPercent(orig)
	gc := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }
	r1 := defaultGC()
	r2 := defaultGC()
	if gc() != 100 {
		t.Fatalf("during two loads GOGC=%d", gc())
	}
	r1()
	if gc() != 100 {
		t.Fatalf("one load still running: GOGC=%d", gc())
	}
	r2()
	if gc() != 400 {
		t.Fatalf("after the loads GOGC=%d, want 400 back", gc())
	}
	debug.SetGCPercent(50)
	r := defaultGC()
	if gc() != 50 {
		t.Errorf("an operator's GOGC=50 became %d", gc())
	}
	r()
	if gc() != 50 {
		t.Errorf("after the load GOGC=%d, want 50", gc())
	}
}
