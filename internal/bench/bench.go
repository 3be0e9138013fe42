// Package bench is `espeks bench`: it measures every figure of the Performance table of
// QUALITY.md, on SQLite and on PostgreSQL, each beside a raw baseline measured in the
// same run, at a small and a large data set made by the demo generator, and writes the
// results as BENCHMARKS.md.
//
// The figures are measured the way production runs: loads by child `espeks load`
// processes (whose peak RSS is the load-memory figure), pages by a child `espeks serve`
// (whose peak RSS during the page test is the serving-memory figure) hit over real HTTP
// by an in-process load generator (vegeta as a library) with a fixed number of workers
// over logged-in sessions. The baselines are as bare as possible: a prepared INSERT
// (SQLite) or COPY (PostgreSQL) of the same rows; a bare net/http handler in a child
// process (`espeks bench --raw-serve`) running the same store query; argon2id with the
// same parameters; the PDF library (gopdf) alone writing the same strings. The raw PDF
// baseline is the only place besides internal/pdf that uses gopdf: it mirrors
// BenchmarkPayslipRaw of that package, with the same fonts read from the source tree.
//
// Numbers are never asserted: the smoke test only checks that every row is produced.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/payslip"
)

// Mode is the size of a run.
type Mode string

const (
	Full  Mode = "full"  // the run behind BENCHMARKS.md (≲ 15 minutes on 2 cores)
	Quick Mode = "quick" // anyone's check (< 2 minutes)
	Tiny  Mode = "tiny"  // the smoke test: every row, no meaningful numbers
)

// Options configure a run.
type Options struct {
	Mode Mode
	// Out is the Markdown file to write (BENCHMARKS.md); empty writes none.
	Out string
	// PostgresURL, if set, adds a PostgreSQL pass on that server: the bench works in
	// schemas of its own (created and dropped) in the URL's database.
	PostgresURL string
	// Exe runs the child processes (`espeks load`, `espeks serve`, `espeks bench
	// --raw-serve`); default: this executable. ExeEnv is added to their environment (the
	// smoke test re-executes the test binary as the command with it).
	Exe    string
	ExeEnv []string
	// WorkDir is where the temporary data goes (default os.TempDir()); Keep keeps it.
	WorkDir string
	Keep    bool
	// Progress receives a line per step (default: discarded).
	Progress io.Writer
	// Command is how the run is described in BENCHMARKS.md ("espeks bench").
	Command string
	// Profile takes the CPU profiles of missed targets in every mode (the full run
	// always does).
	Profile bool
}

// sizeSpec is one data set and the load put on it.
type sizeSpec struct {
	Name          string
	Staff         int // staff on the payroll: payslips = staff × months (+ supplementary runs)
	Months        int
	Suppliers     int
	HeavyPayments int // payments in one year to the one supplier of the eMaklum test
	Clients       int // concurrent clients of the page test (QUALITY.md: 64)
	Logins        int // logins in the login test (all Clients at once)
	ListClients   int // concurrent clients of the eMaklum test
	PageDur       time.Duration
	ListDur       time.Duration
	Startups      int // start-ups timed (the median is reported)
	ArgonHashes   int // raw argon2id hashes timed
	// PadTo, if above the payslips loaded, adds payslips without items (after the load
	// tests) until the database holds that many, for the page and start-up tests.
	PadTo int
}

type modeSpec struct {
	sizes  [2]sizeSpec
	pdfDur time.Duration
	// profileDur is the length of each CPU profile taken for a missed target (0: none).
	profileDur time.Duration
}

var modes = map[Mode]modeSpec{
	Full: {sizes: [2]sizeSpec{
		{Name: "small", Staff: 2000, Months: 12, Suppliers: 500, HeavyPayments: 1000, Clients: 64, Logins: 256,
			ListClients: 8, PageDur: 10 * time.Second, ListDur: 5 * time.Second, Startups: 3, ArgonHashes: 64},
		{Name: "large", Staff: 15000, Months: 12, Suppliers: 5000, HeavyPayments: 10000, Clients: 64, Logins: 256,
			ListClients: 8, PageDur: 10 * time.Second, ListDur: 5 * time.Second, Startups: 3, ArgonHashes: 64, PadTo: 1_000_000},
	}, pdfDur: 5 * time.Second, profileDur: 4 * time.Second},
	Quick: {sizes: [2]sizeSpec{
		{Name: "small", Staff: 200, Months: 12, Suppliers: 50, HeavyPayments: 100, Clients: 64, Logins: 64,
			ListClients: 8, PageDur: 2 * time.Second, ListDur: time.Second, Startups: 1, ArgonHashes: 16},
		{Name: "large", Staff: 1000, Months: 12, Suppliers: 250, HeavyPayments: 1000, Clients: 64, Logins: 64,
			ListClients: 8, PageDur: 2 * time.Second, ListDur: time.Second, Startups: 1, ArgonHashes: 16},
	}, pdfDur: 1500 * time.Millisecond, profileDur: 0},
	Tiny: {sizes: [2]sizeSpec{
		{Name: "small", Staff: 8, Months: 2, Suppliers: 3, HeavyPayments: 20, Clients: 4, Logins: 4,
			ListClients: 2, PageDur: 300 * time.Millisecond, ListDur: 200 * time.Millisecond, Startups: 1, ArgonHashes: 2},
		{Name: "large", Staff: 16, Months: 2, Suppliers: 5, HeavyPayments: 40, Clients: 4, Logins: 4,
			ListClients: 2, PageDur: 300 * time.Millisecond, ListDur: 200 * time.Millisecond, Startups: 1, ArgonHashes: 2},
	}, pdfDur: 200 * time.Millisecond, profileDur: 0},
}

// stateName is the state the data and the portal are about.
const stateName = "Melaka"

type runner struct {
	o       Options
	spec    modeSpec
	tmp     string
	profDir string
	files   [2]*dataFiles
	rep     *Report
	sample  *payslip.Payslip      // a loaded payslip, for the PDF test
	states  map[string]*sizeState // by "database/size", for the profiles
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.o.Progress, "bench %s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// Run measures everything and returns the report; it writes o.Out when set.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Mode == "" {
		o.Mode = Full
	}
	spec, ok := modes[o.Mode]
	if !ok {
		return nil, fmt.Errorf("unknown mode %q", o.Mode)
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Command == "" {
		o.Command = "espeks bench"
	}
	if o.Exe == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("find this executable for the child processes: %w", err)
		}
		o.Exe = exe
	}
	if o.WorkDir == "" {
		o.WorkDir = os.TempDir()
	}
	tmp, err := os.MkdirTemp(o.WorkDir, "espeks-bench-")
	if err != nil {
		return nil, err
	}
	if !o.Keep {
		defer os.RemoveAll(tmp)
	}
	if o.Profile && spec.profileDur == 0 {
		spec.profileDur = 2 * time.Second
	}
	r := &runner{o: o, spec: spec, tmp: tmp, states: map[string]*sizeState{}}
	if spec.profileDur > 0 {
		r.profDir = filepath.Join(o.WorkDir, "espeks-bench-profiles-"+time.Now().UTC().Format("20060102-150405"))
	}
	r.rep = &Report{Mode: o.Mode, Command: o.Command, Start: time.Now(), Machine: machineInfo(), LoadBefore: loadAvg(),
		ProfileDir: r.profDir}
	r.logf("mode %s, work directory %s", o.Mode, tmp)

	for i, s := range spec.sizes {
		f, err := writeData(filepath.Join(tmp, s.Name), s)
		if err != nil {
			return nil, fmt.Errorf("data %s: %w", s.Name, err)
		}
		r.files[i] = f
		r.logf("data %s: payroll %d rows (%s), payments %d rows, eMaklum supplier %d payments", s.Name, f.PayrollRows,
			mb(f.PayrollBytes), f.PaymentsRows, f.HeavyPayments)
	}

	targets := []*dbTarget{{Name: "SQLite", dir: filepath.Join(tmp, "sqlite")}}
	if o.PostgresURL != "" {
		targets = append(targets, &dbTarget{Name: "PostgreSQL", pgBase: o.PostgresURL, dir: filepath.Join(tmp, "postgres")})
	}
	for _, t := range targets {
		dr := &DBResult{Name: t.Name}
		r.rep.DBs = append(r.rep.DBs, dr)
		if err := t.init(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		dr.Info = t.info(ctx)
		for i := range spec.sizes {
			sr, err := r.runSize(ctx, t, i)
			if err != nil {
				t.cleanup(context.WithoutCancel(ctx))
				return nil, fmt.Errorf("%s %s: %w", t.Name, spec.sizes[i].Name, err)
			}
			dr.Sizes[i] = sr
		}
		if err := r.explainDB(ctx, t, dr); err != nil {
			r.logf("%s: profiling failed: %v", t.Name, err)
			dr.Notes = append(dr.Notes, "profiling failed: "+err.Error())
		}
		t.cleanup(context.WithoutCancel(ctx))
	}

	if err := r.pdfRates(ctx); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	// The PDF figure has no database: it is measured, and explained, once for all.
	if len(r.rep.DBs) > 0 && r.rep.DBs[0].Sizes[1] != nil && r.spec.profileDur > 0 {
		if ok, _ := r.rep.judge("PDF", r.rep.DBs[0].Sizes[1]); !ok {
			lines, err := r.explainPDF("pdf")
			if err != nil {
				lines = []string{"profiling failed: " + err.Error()}
			}
			for _, d := range r.rep.DBs {
				if d.Bounds == nil {
					d.Bounds = map[string][]string{}
				}
				d.Bounds["PDF"] = lines
			}
		}
	}
	r.rep.End = time.Now()
	r.rep.LoadAfter = loadAvg()
	if o.Out != "" {
		if err := os.WriteFile(o.Out, []byte(r.rep.Markdown()), 0o644); err != nil {
			return r.rep, err
		}
	}
	return r.rep, nil
}

// errSkip marks a measurement that could not be made on this machine.
var errSkip = errors.New("not measured")

// mb writes a size in decimal megabytes (and gigabytes), the units of QUALITY.md.
func mb(b int64) string {
	switch {
	case b >= 1e9:
		return fmt.Sprintf("%.2f GB", float64(b)/1e9)
	case b >= 10e6:
		return fmt.Sprintf("%.0f MB", float64(b)/1e6)
	default:
		return fmt.Sprintf("%.1f MB", float64(b)/1e6)
	}
}

func hashCap() int { return max(1, min(runtime.NumCPU(), runtime.GOMAXPROCS(0))) }

func trimLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
