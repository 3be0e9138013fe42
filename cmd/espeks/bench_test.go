package main

import (
	"bytes"
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/espeks/espeks/internal/bench"
	"github.com/espeks/espeks/internal/dbtest"
)

// benchChildEnv makes a re-executed test binary behave as the espeks command, so the
// bench's child processes (espeks load, espeks serve, the bare handler) are this
// binary's code without building it.
const benchChildEnv = "ESPEKS_BENCH_AS_CLI"

func init() {
	if os.Getenv(benchChildEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
		stop()
		os.Exit(code)
	}
}

// TestBenchSmoke runs `espeks bench --quick` on tiny data sets (the hidden --tiny: very
// short tests) and checks that BENCHMARKS.md has every row of QUALITY.md's Performance
// table for SQLite and, when the test PostgreSQL is set, for PostgreSQL. No figure is
// asserted.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes and short load tests")
	}
	pgURL := ""
	if os.Getenv(dbtest.EnvURL) != "" {
		_, pgURL = dbtest.OpenURL(t) // a fresh schema; the bench makes its own inside the database
	}
	out := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	getenv := func(k string) string {
		switch k {
		case "ESPEKS_BENCH_CHILD_ENV":
			return benchChildEnv + "=1"
		case "ESPEKS_TEST_DATABASE_URL":
			return pgURL
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	args := []string{"--quick", "--tiny", "--out", out}
	if code := run(context.Background(), append([]string{"bench"}, args...), strings.NewReader(""), &stdout, &stderr, getenv); code != 0 {
		t.Fatalf("espeks bench --quick --tiny: exit %d\n%s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	if md != stdout.String() {
		t.Error("the printed report differs from the file")
	}
	dbs := []string{"SQLite"}
	if pgURL != "" {
		dbs = append(dbs, "PostgreSQL")
	}
	for _, name := range dbs {
		_, section, ok := strings.Cut(md, "\n## "+name+"\n")
		if !ok {
			t.Errorf("no %s section:\n%s", name, md)
			continue
		}
		section, _, _ = strings.Cut(section, "\n## ")
		for _, row := range bench.Rows {
			line := ""
			for _, l := range strings.Split(section, "\n") {
				if strings.HasPrefix(l, "| "+row+" | ") {
					line = l
					break
				}
			}
			if line == "" {
				t.Errorf("%s: no row %q", name, row)
			} else if strings.Contains(line, "not measured") {
				t.Errorf("%s: %q not measured: %s", name, row, line)
			}
		}
	}
	for _, want := range []string{"## Machine", "## Data sets", "Load average"} {
		if !strings.Contains(md, want) {
			t.Errorf("BENCHMARKS.md lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("BENCHMARKS.md:\n%s\nprogress:\n%s", md, stderr.String())
	}
}
