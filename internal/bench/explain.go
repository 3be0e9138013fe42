package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/espeks/espeks/internal/app"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/load"
	"github.com/espeks/espeks/internal/pdf"
)

// explainDB measures what bounds each target the large data set missed on a database:
// CPU profiles of the same work run in the bench process, and timings.
func (r *runner) explainDB(ctx context.Context, t *dbTarget, d *DBResult) error {
	if r.spec.profileDur <= 0 {
		return nil
	}
	d.Bounds = map[string][]string{}
	misses := r.rep.Misses(d)
	st := r.states[t.Name+"/"+r.spec.sizes[1].Name]
	if st == nil {
		return errors.New("no state of the large data set")
	}
	has := func(rows ...string) bool {
		for _, m := range misses {
			for _, row := range rows {
				if m == row {
					return true
				}
			}
		}
		return false
	}
	name := strings.ToLower(strings.Fields(t.Name)[0])
	var errs []error
	if has("payroll load", "load memory") {
		cpu, mem, err := r.explainLoad(ctx, t, name, load.Payroll, r.files[1].Payroll, r.files[1].PayrollRows, d.Sizes[1])
		errs = append(errs, err)
		if has("payroll load") {
			bare, err := r.bareBound(ctx, t, "payroll", r.files[1].Payroll, d.Sizes[1].PayrollRaw)
			errs = append(errs, err)
			d.Bounds["payroll load"] = append(append(rawBound(t, "payroll", d.Sizes[1].PayrollRaw), bare...), cpu...)
		}
		if has("load memory") {
			d.Bounds["load memory"] = mem
		}
	}
	if has("payments load") {
		cpu, _, err := r.explainLoad(ctx, t, name, load.Payments, r.files[1].Payments, r.files[1].PaymentsRows, d.Sizes[1])
		errs = append(errs, err)
		bare, err := r.bareBound(ctx, t, "payments", r.files[1].Payments, d.Sizes[1].PaymentsRaw)
		errs = append(errs, err)
		d.Bounds["payments load"] = append(append(rawBound(t, "payments", d.Sizes[1].PaymentsRaw), bare...), cpu...)
	}
	if has("payslip page") {
		lines, err := r.explainServe(ctx, st, name+"-page", r.spec.sizes[1].Clients, func(base string) ([]vegeta.Target, error) {
			return rebase(st.pages, base), nil
		})
		errs = append(errs, err)
		l := d.Sizes[1]
		d.Bounds["payslip page"] = append([]string{fmt.Sprintf("in the measured test (%s): %s; the bare handler's (%s req/s): %s",
			num(l.Page.RPS)+" req/s", orNone(l.Page.CPU)+connNote(l.Page.NewConns), num(l.PageRaw.RPS), orNone(l.PageRaw.CPU)+connNote(l.PageRaw.NewConns))},
			append(cpuBudget(l.Page, t.postgres()), lines...)...)
	}
	if has("serving memory") {
		d.Bounds["serving memory"] = r.memoryLines(d.Sizes[1])
	}
	if t.postgres() && has("payslip page") {
		lines, err := r.explainPostgres(ctx, t, st)
		errs = append(errs, err)
		d.Bounds["payslip page"] = append(d.Bounds["payslip page"], lines...)
	}
	if has("eMaklum list") {
		lines, err := r.explainList(ctx, st, name)
		errs = append(errs, err)
		l := d.Sizes[1]
		d.Bounds["eMaklum list"] = append([]string{fmt.Sprintf("in the measured test: %s", orNone(l.List.CPU)+connNote(l.List.NewConns))}, lines...)
	}
	if has("login") {
		lines, err := r.explainLogin(ctx, st, name, d.Sizes[1].ArgonRate)
		errs = append(errs, err)
		l := d.Sizes[1]
		d.Bounds["login"] = append([]string{fmt.Sprintf("in the measured flood `espeks serve` spent %s of CPU per login against %s per raw argon2id hash (%s)",
			ms(l.LoginServerCPU), ms(l.ArgonCPU), orNone(l.LoginCPU)+connNote(l.LoginConns))}, lines...)
	}
	if has("start-up") {
		lines, err := r.explainStartup(ctx, st)
		errs = append(errs, err)
		d.Bounds["start-up"] = lines
	}
	return errors.Join(errs...)
}

// explainLoad loads a file in the bench process under the CPU profiler, timing the
// validation and the write, sampling the Go heap, and taking a heap profile when the
// write begins (validation done: everything it keeps is live).
func (r *runner) explainLoad(ctx context.Context, t *dbTarget, name, kind, path string, rows int, s *SizeResult) (cpu, mem []string, err error) {
	in, err := t.newInstance(ctx, "profile_"+kind)
	if err != nil {
		return nil, nil, err
	}
	defer t.drop(ctx, in)
	a, err := app.New(ctx, in.config(), app.Options{Logger: quietLogger()})
	if err != nil {
		return nil, nil, err
	}
	defer a.DB.Close()
	r.logf("%s: profiling the %s load", t.Name, kind)
	var phaseStart = map[string]time.Time{}
	var peakHeap, peakSys atomic.Uint64
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		tk := time.NewTicker(20 * time.Millisecond)
		defer tk.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peakHeap.Load() {
				peakHeap.Store(ms.HeapInuse)
			}
			if ms.Sys > peakSys.Load() {
				peakSys.Store(ms.Sys)
			}
			select {
			case <-stop:
				close(sampled)
				return
			case <-tk.C:
			}
		}
	}()
	var heap *profile
	var heapErr error
	var heapPause time.Duration
	start := time.Now()
	var res load.Result
	prof, err := cpuProfile(r.profDir, "load-"+kind+"-"+name, func() error {
		var err error
		res, err = a.Loader.Load(ctx, load.Request{Kind: kind, Path: path, FileName: filepath.Base(path), Via: "cli", Source: "bench",
			Progress: func(phase string, done, total int64) {
				if _, ok := phaseStart[phase]; ok {
					return
				}
				phaseStart[phase] = time.Now()
				if phase == "tulis" {
					t0 := time.Now()
					runtime.GC()
					heap, heapErr = heapProfile(r.profDir, "heap-load-"+kind+"-"+name)
					heapPause = time.Since(t0)
				}
			}})
		return err
	})
	total := time.Since(start) - heapPause
	close(stop)
	<-sampled
	if err != nil {
		return nil, nil, err
	}
	if res.Status != load.Accepted {
		return nil, nil, fmt.Errorf("profiled load: %s", res.Status)
	}
	validate := phaseStart["tulis"].Sub(start)
	write := total - validate
	cpu = []string{fmt.Sprintf("the %s data set's %s file loaded in the bench process under the CPU profiler: %s rows in %s (%s rows/s): validation and hashing %s (%.0f%%), writing and commit %s (%.0f%%); "+
		"the raw baseline writes the same rows in %s",
		s.Spec.Name, kind, commas(int64(rows)), total.Round(time.Millisecond), num(float64(rows)/total.Seconds()), validate.Round(time.Millisecond),
		100*validate.Seconds()/total.Seconds(), write.Round(time.Millisecond), 100*write.Seconds()/total.Seconds(),
		rawDur(kind, s).Round(time.Millisecond))}
	cpu = append(cpu, prof.summary("CPU of the load", nil, 6))
	cpu = append(cpu, fmt.Sprintf("CPU under the database driver (%s): %.0f%%; under CSV reading and checking (internal/load outside the writes): %.0f%%; SHA-256: %.0f%%; GC: %.0f%%",
		driverName(t), 100*prof.cumShare(nil, driverPrefixes(t)...), 100*prof.cumShare(nil, "github.com/espeks/espeks/internal/load.validate"),
		100*prof.cumShare(nil, "crypto/sha256", "crypto/internal/fips140/sha256"), 100*prof.cumShare(nil, "runtime.gcBgMarkWorker", "runtime.gcAssistAlloc")))
	mem = []string{fmt.Sprintf("the peak RSS of `espeks load` was %s for the %s file of %s payslips (%s for the small file of %s), the raw load's %s: "+
		"the loader's memory grows with the file",
		mb(loadRSS(kind, s)), mb(fileSize(path)), commas(int64(s.Files.Payslips)), mb(loadRSS(kind, r.smallOf(t, s))), commas(int64(r.files[0].Payslips)), mb(s.PayrollRaw.PeakRSS))}
	mem = append(mem, fmt.Sprintf("the same load in the bench process: peak Go heap in use %s (all memory the Go runtime held %s)",
		mb(int64(peakHeap.Load())), mb(int64(peakSys.Load()))))
	if heapErr == nil && heap != nil {
		mem = append(mem, heap.heapSummary("live heap when validation ends and the write begins", 6, int64(s.Files.Payslips)))
	}
	return cpu, mem, nil
}

// smallOf is the small data set's result of the database s belongs to.
func (r *runner) smallOf(t *dbTarget, s *SizeResult) *SizeResult {
	for _, d := range r.rep.DBs {
		if d.Name == t.Name && d.Sizes[0] != nil {
			return d.Sizes[0]
		}
	}
	return s
}

func rawDur(kind string, s *SizeResult) time.Duration {
	if kind == load.Payroll {
		return s.PayrollRaw.Dur
	}
	return s.PaymentsRaw.Dur
}

func loadRSS(kind string, s *SizeResult) int64 {
	if kind == load.Payroll {
		return s.PayrollLoad.PeakRSS
	}
	return s.PaymentsLoad.PeakRSS
}

func driverName(t *dbTarget) string {
	if t.postgres() {
		return "pgx"
	}
	return "modernc.org/sqlite"
}

func driverPrefixes(t *dbTarget) []string {
	if t.postgres() {
		return []string{"github.com/jackc/pgx"}
	}
	return []string{"modernc.org/sqlite", "modernc.org/libc"}
}

// inProcessServer serves the portal on the large data set in the bench process.
func inProcessServer(ctx context.Context, in instance) (base string, stop func(), err error) {
	a, err := app.New(ctx, in.config(), app.Options{Logger: quietLogger()})
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.DB.Close()
		return "", nil, err
	}
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() {
		_ = srv.Close()
		a.DB.Close()
	}, nil
}

func rebase(targets []vegeta.Target, base string) []vegeta.Target {
	out := make([]vegeta.Target, len(targets))
	for i, t := range targets {
		u := t.URL
		if j := strings.Index(u, "://"); j >= 0 {
			if k := strings.IndexByte(u[j+3:], '/'); k >= 0 {
				u = u[j+3+k:]
			}
		}
		t.URL = base + u
		out[i] = t
	}
	return out
}

// explainServe runs the page test against the portal in the bench process under the
// CPU profiler and splits the CPU between the server, the load generator and the GC.
func (r *runner) explainServe(ctx context.Context, st *sizeState, name string, clients int, mk func(base string) ([]vegeta.Target, error)) ([]string, error) {
	base, stop, err := inProcessServer(ctx, st.app)
	if err != nil {
		return nil, err
	}
	defer stop()
	r.logf("profiling %s", name)
	targets, err := mk(base)
	if err != nil {
		return nil, err
	}
	var res attackResult
	before := snapCPU(st.pgMaster, os.Getpid())
	prof, err := cpuProfile(r.profDir, name, func() error {
		res = runAttack(ctx, targets, clients, r.spec.profileDur)
		return nil
	})
	split := cpuSplit(before, snapCPU(st.pgMaster, os.Getpid()), "bench process")
	if err != nil {
		return nil, err
	}
	if res.OK == 0 {
		return nil, fmt.Errorf("%s: %w: %s", name, errNoOK, res.failures())
	}
	lines := []string{fmt.Sprintf("the same test against the portal in the bench process (%s req/s, p99 %s; %s): "+
		"the server takes %.0f%% of the process's CPU samples, the load generator %.0f%%, background GC %.0f%%",
		num(res.RPS), ms(res.P99), split, 100*prof.cumShare(nil, "net/http.(*conn).serve"),
		100*prof.cumShare(nil, "github.com/tsenart/vegeta", "net/http.(*persistConn)", "net/http.(*Transport)"),
		100*prof.cumShare(nil, "runtime.gcBgMarkWorker"))}
	lines = append(lines, prof.summary("server side", serverSide, 7))
	lines = append(lines, fmt.Sprintf("within the server: HTML templates %.0f%%, session lookup %.0f%%, store query (database/sql and the driver) %.0f%%, writing the response %.0f%%",
		100*prof.cumShare(serverSide, "html/template", "text/template"),
		100*prof.cumShare(serverSide, "github.com/espeks/espeks/internal/auth.(*Sessions).Lookup"),
		100*prof.cumShare(serverSide, "github.com/espeks/espeks/internal/payslip.", "github.com/espeks/espeks/internal/payment."),
		100*prof.cumShare(serverSide, "net/http.(*response).Write", "net/http.(*chunkWriter)", "bufio.(*Writer).Flush")))
	return lines, nil
}

func (r *runner) explainList(ctx context.Context, st *sizeState, name string) ([]string, error) {
	return r.explainServe(ctx, st, name+"-emaklum", r.spec.sizes[1].ListClients, func(base string) ([]vegeta.Target, error) {
		var targets []vegeta.Target
		for range r.spec.sizes[1].ListClients {
			ck, err := login(ctx, newClient(1), base, st.supplier)
			if err != nil {
				return nil, err
			}
			targets = append(targets, vegeta.Target{Method: "GET", URL: base + st.listURL, Header: http.Header{"Cookie": {ck}}})
		}
		return targets, nil
	})
}

func (r *runner) explainLogin(ctx context.Context, st *sizeState, name string, argonRaw float64) ([]string, error) {
	base, stop, err := inProcessServer(ctx, st.app)
	if err != nil {
		return nil, err
	}
	defer stop()
	r.logf("profiling the login flood")
	s := r.spec.sizes[1]
	var rate float64
	before := snapCPU(st.pgMaster, os.Getpid())
	prof, err := cpuProfile(r.profDir, name+"-login", func() error {
		var err error
		rate, _, err = loginFlood(ctx, base, st.users, s.Logins, s.Clients)
		return err
	})
	split := cpuSplit(before, snapCPU(st.pgMaster, os.Getpid()), "bench process")
	if err != nil {
		return nil, err
	}
	// The portal hashes with internal/password/argon2id (x/crypto's code, its memory
	// pooled); the raw baseline with x/crypto itself.
	const argonPkg = "github.com/espeks/espeks/internal/password/argon2id"
	argon := prof.cumShare(nil, argonPkg)
	notArgon := func(stack []string) bool { return serverSide(stack) && !stackHas(stack, argonPkg) }
	return []string{
		fmt.Sprintf("the same flood against the portal in the bench process: %.1f logins/s (%s), against %.1f raw argon2id hashes/s measured in this run; "+
			"argon2id (in its own goroutines) takes %.0f%% of the CPU samples, the rest of the server's login work (form, sessions, audit, "+
			"throttle, database) %.0f%%, the clients %.0f%%, background GC %.0f%%",
			rate, split, argonRaw, 100*argon, 100*prof.cumShare(notArgon), 100*prof.cumShare(nil, "net/http.(*persistConn)", "net/http.(*Transport)", "net/http.(*Client)"),
			100*prof.cumShare(nil, "runtime.gcBgMarkWorker")),
		prof.summary("server side outside argon2id", notArgon, 6),
	}, nil
}

func (r *runner) explainStartup(ctx context.Context, st *sizeState) ([]string, error) {
	start := time.Now()
	d, err := st.app.open(ctx)
	if err != nil {
		return nil, err
	}
	opened := time.Since(start)
	t1 := time.Now()
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	migrated := time.Since(t1)
	t2 := time.Now()
	_, _ = d.SchemaCurrent(ctx)
	schema := time.Since(t2)
	t3 := time.Now()
	a, err := app.New(ctx, st.app.config(), app.Options{Logger: quietLogger(), DB: d})
	if err != nil {
		d.Close()
		return nil, err
	}
	wired := time.Since(t3)
	a.DB.Close()
	return []string{fmt.Sprintf("in the bench process: opening the database %s, migrations (none pending) %s, the /readyz schema check %s, "+
		"wiring the app (templates, catalogue, assets) %s; the rest of a start-up is the process itself (exec, runtime, package init)",
		ms(opened), ms(migrated), ms(schema), ms(wired))}, nil
}

func (r *runner) explainPDF(name string) ([]string, error) {
	p := r.sample
	m := pdf.Meta{StateName: stateName, PrintedAt: time.Now()}
	var rate float64
	prof, err := cpuProfile(r.profDir, name+"-pdf", func() error {
		var err error
		rate, err = parallelRate(r.spec.profileDur, func() error { _, err := pdf.Payslip(*p, m); return err })
		return err
	})
	if err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("%.0f PDFs/s under the profiler", rate), prof.summary("CPU", nil, 7),
		fmt.Sprintf("gopdf itself %.0f%% (font subsetting and compression %.0f%%), GC %.0f%%",
			100*prof.cumShare(nil, "github.com/signintech/gopdf"), 100*prof.cumShare(nil, "compress/flate", "github.com/signintech/gopdf.(*SubsetFontObj)"),
			100*prof.cumShare(nil, "runtime.gcBgMarkWorker"))}, nil
}

func (r *runner) memoryLines(s *SizeResult) []string {
	out := []string{fmt.Sprintf("peak RSS of `espeks serve` during the page test %s (a server started after the login flood, whose own peak was %s), the bare handler's %s",
		mb(s.ServeRSS), mb(s.LoginPeakRSS), mb(s.RawRSS))}
	if len(s.ServeMetrics) > 0 {
		out = append(out, "the server's own figures (/metrics) after the page test: "+s.ServeMetrics+
			"; the difference between the heap in use and the heap obtained from the OS is the garbage collector's headroom and memory not yet returned")
	}
	return out
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// rawBound says when even the raw baseline is below the target rate.
func rawBound(t *dbTarget, kind string, raw rawRun) []string {
	if raw.rate() >= targetLoadRate {
		return nil
	}
	how := "a prepared INSERT per row"
	if t.postgres() {
		how = "COPY"
	}
	return []string{fmt.Sprintf("even the raw baseline, %s of the same %s rows with nothing else, reaches only %s rows/s here: "+
		"%s rows/s is beyond this database on this machine, whatever the loader does", how, kind, num(raw.rate()), num(targetLoadRate))}
}

// cpuBudget turns a page test's CPU into CPU per page for each process that served it,
// and what QUALITY.md's page rate would take of the machine's cores at those costs: the
// bound when every process shares the one machine.
func cpuBudget(a attackResult, postgres bool) []string {
	if a.RPS <= 0 || len(a.Cores) < 2 {
		return nil
	}
	per := func(cores float64) time.Duration { // rounded to the µs it is printed in
		return time.Duration(math.Round(cores/a.RPS*1e6)) * time.Microsecond
	}
	names := []string{"the portal", "the load generator"}
	if postgres && len(a.Cores) >= 4 {
		names = append(names, "PostgreSQL")
	}
	var parts []string
	var sum float64
	for i, n := range names {
		parts = append(parts, fmt.Sprintf("%s %d µs", n, per(a.Cores[i]).Microseconds()))
		sum += a.Cores[i]
	}
	need := sum / a.RPS * targetPageRate
	return []string{fmt.Sprintf("CPU per page in the measured test: %s, %d µs in all; at that cost %s pages/s would need %.2f cores "+
		"of the machine's %d, before any idle time that a p99 of %s needs", strings.Join(parts, ", "),
		per(sum).Microseconds(), num(targetPageRate), need, runtime.NumCPU(), ms(targetPageP99))}
}

// bareBound measures the raw load again into bare copies of its tables (stripTables:
// no keys, indexes or checks), to show how much of the raw rate the schema's keys and
// indexes take: the part a loader cannot avoid while the portal needs them.
func (r *runner) bareBound(ctx context.Context, t *dbTarget, kind, path string, raw rawRun) ([]string, error) {
	if raw.rate() >= targetLoadRate || raw.rate() <= 0 {
		return nil, nil
	}
	r.logf("%s: raw %s load into bare tables", t.Name, kind)
	in, err := t.newInstance(ctx, "bare_"+kind)
	if err != nil {
		return nil, err
	}
	bare, err := r.runRawLoad(ctx, in, kind, path, true)
	if err != nil {
		return nil, err
	}
	if bare.rate() <= raw.rate() {
		return []string{fmt.Sprintf("the same raw load into bare copies of its tables (no primary key, index, unique or foreign key) "+
			"was no faster (%s rows/s): the keys and indexes do not bound it", num(bare.rate()))}, nil
	}
	return []string{fmt.Sprintf("the same raw load into bare copies of its tables (the same columns with no primary key, index, "+
		"unique or foreign key) writes %s rows/s: keeping the keys and indexes that the portal's lookups, its one-payslip-per-person "+
		"and one-payment-per-number rules and its opaque IDs need takes %.0f%% of the raw load's time",
		num(bare.rate()), 100*(1-raw.rate()/bare.rate()))}, nil
}

// explainPostgres measures what PostgreSQL itself costs a page: the bare payslip
// handler (payslip.Store.Get: one query a request) in the bench process, with the CPU
// of PostgreSQL's processes beside it, and the connections the pool closed on return
// (none, with its idle limit equal to its open limit).
func (r *runner) explainPostgres(ctx context.Context, t *dbTarget, st *sizeState) ([]string, error) {
	r.logf("PostgreSQL: its CPU per query")
	var raw []vegeta.Target
	owners := map[string]string{} // cookie → owner, to set the owner header
	for k, ck := range st.cookies {
		owners[ck] = st.users[k].Owner
	}
	for _, tg := range st.pages {
		u := tg.URL
		if i := strings.Index(u, "/epayslip/"); i >= 0 {
			u = "/p/" + u[i+len("/epayslip/"):]
		}
		raw = append(raw, vegeta.Target{Method: "GET", URL: u, Header: http.Header{"X-Owner": {owners[tg.Header.Get("Cookie")]}}})
	}
	d, err := st.app.open(ctx)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	base, stop, err := bareServer(d)
	if err != nil {
		return nil, err
	}
	defer stop()
	before := snapCPU(t.pgMaster, os.Getpid())
	res := runAttack(ctx, rebase(raw, base), r.spec.sizes[1].Clients, r.spec.profileDur)
	split, cores := cpuCores(before, snapCPU(t.pgMaster, os.Getpid()), "bench process")
	stats := d.Writer().Stats() // PostgreSQL: one pool for reads and writes
	out := []string{fmt.Sprintf("the bare payslip handler in the bench process: %s req/s, p99 %s (%s); %s connections closed on return to the pool (idle limit %d = open limit)",
		num(res.RPS), ms(res.P99), orNone(split), commas(stats.MaxIdleClosed), stats.MaxOpenConnections)}
	if len(cores) >= 2 && res.RPS > 0 {
		perQuery := time.Duration(cores[1] / res.RPS * float64(time.Second))
		out = append(out, fmt.Sprintf("PostgreSQL's own CPU per query: %d µs (a page of the portal runs two: the session with its user, and the payslip with its items), "+
			"so on 2 cores shared with the server and the load generator PostgreSQL alone would take %.2f cores at %s pages/s",
			perQuery.Microseconds(), 2*targetPageRate*perQuery.Seconds(), num(targetPageRate)))
	}
	return out, nil
}

// bareServer serves the bare handler on d in the bench process.
func bareServer(d *db.DB) (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: bareMux(d), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}
