package bench

import (
	"strings"
	"testing"
)

// cpuBudget's arithmetic: cores ÷ pages/s per process, and the cores QUALITY.md's page
// rate would need at those costs.
func TestCPUBudget(t *testing.T) {
	a := attackResult{RPS: 1000, Cores: []float64{0.5, 0.2, 0.3, 0.01}} // server, load generator, PostgreSQL, the rest
	got := strings.Join(cpuBudget(a, true), "")
	for _, want := range []string{"the portal 500 µs", "the load generator 200 µs", "PostgreSQL 300 µs", "1000 µs in all",
		"3,000 pages/s would need 3.00 cores", "a p99 of 50 ms"} {
		if !strings.Contains(got, want) {
			t.Errorf("cpuBudget: %q lacks %q", got, want)
		}
	}
	sqlite := strings.Join(cpuBudget(attackResult{RPS: 2000, Cores: []float64{1.2, 0.6, 0.02}}, false), "")
	if strings.Contains(sqlite, "PostgreSQL") || !strings.Contains(sqlite, "900 µs in all") || !strings.Contains(sqlite, "would need 2.70 cores") {
		t.Errorf("cpuBudget on SQLite: %q", sqlite)
	}
	if cpuBudget(attackResult{}, false) != nil {
		t.Error("cpuBudget of a test with no answers says something")
	}
}
