package bench

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/app"
	"github.com/espeks/espeks/internal/config"
	"github.com/espeks/espeks/internal/identity"
	"github.com/espeks/espeks/internal/payslip"
)

// sizeState is what a data set's run keeps for the profiles taken afterwards.
type sizeState struct {
	app      instance
	users    []cred
	cookies  []string
	pages    []vegeta.Target // for the portal, with cookies
	supplier cred
	listURL  string // path and query of the eMaklum test
	pgMaster int
}

func (in instance) config() config.Config {
	cfg := config.Default()
	cfg.DataDir, cfg.DatabaseURL, cfg.StateName = in.DataDir, in.URL, stateName
	return cfg
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// runSize measures one data set on one database.
func (r *runner) runSize(ctx context.Context, t *dbTarget, i int) (*SizeResult, error) {
	s, f := r.spec.sizes[i], r.files[i]
	sr := &SizeResult{Spec: s, Files: f, HashCap: hashCap()}
	tag := t.Name + " " + s.Name
	in, err := t.newInstance(ctx, s.Name)
	if err != nil {
		return nil, err
	}

	r.logf("%s: espeks load payroll (%s rows, %s)", tag, commas(int64(f.PayrollRows)), mb(f.PayrollBytes))
	if sr.PayrollLoad, err = r.runLoad(ctx, in, "payroll", f.Payroll); err != nil {
		return nil, err
	}
	r.logf("%s: espeks load payments (%s rows)", tag, commas(int64(f.PaymentsRows)))
	if sr.PaymentsLoad, err = r.runLoad(ctx, in, "payments", f.Payments); err != nil {
		return nil, err
	}
	if sr.HeavyLoad, err = r.runLoad(ctx, in, "payments", f.Heavy); err != nil {
		return nil, err
	}

	raw, err := t.newInstance(ctx, s.Name+"_raw")
	if err != nil {
		return nil, err
	}
	r.logf("%s: raw payroll load", tag)
	if sr.PayrollRaw, err = r.runRawLoad(ctx, raw, "payroll", f.Payroll, false); err != nil {
		return nil, fmt.Errorf("raw payroll: %w", err)
	}
	r.logf("%s: raw payments load", tag)
	if sr.PaymentsRaw, err = r.runRawLoad(ctx, raw, "payments", f.Payments, false); err != nil {
		return nil, fmt.Errorf("raw payments: %w", err)
	}
	t.drop(ctx, raw)

	if s.PadTo > 0 {
		r.logf("%s: padding the payslips to %s", tag, commas(int64(s.PadTo)))
		if sr.Padded, sr.PadDur, err = padPayslips(ctx, in, f.Payslips, s.PadTo); err != nil {
			return nil, fmt.Errorf("padding: %w", err)
		}
	}

	r.logf("%s: settling the database (VACUUM ANALYZE or a WAL checkpoint)", tag)
	if err := settle(ctx, in); err != nil {
		return nil, fmt.Errorf("settle: %w", err)
	}

	st := &sizeState{app: in, pgMaster: t.pgMaster}
	if err := r.prepare(ctx, in, f, s, sr, st); err != nil {
		return nil, err
	}

	// The portal.
	srv, err := r.startServe(ctx, in)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	sr.FirstStartup = srv.Startup
	base := "http://" + srv.Addr

	// On PostgreSQL the connections opened during each test are counted (full run only:
	// each count waits a second for the server's statistics).
	conns := func() int64 {
		if r.o.Mode != Full {
			return -1
		}
		return t.sessions(ctx)
	}
	since := func(c0 int64) int64 {
		if c0 < 0 {
			return -1
		}
		if c1 := conns(); c1 >= c0 {
			return c1 - c0
		}
		return -1
	}

	r.logf("%s: login flood (%d logins, %d clients)", tag, s.Logins, s.Clients)
	// A warm-up, as the page tests have: a fresh server's first requests open its
	// database connections (on PostgreSQL a server process each, which prepares each
	// statement anew), and the target is the steady rate of logins. One login per
	// client, not counted.
	if _, _, err := loginFlood(ctx, base, st.users, s.Clients, s.Clients); err != nil {
		return nil, err
	}
	c0 := conns()
	sr.ArgonRate, sr.ArgonCPU = argonRate(s.ArgonHashes)
	_ = resetPeak(srv.pid())
	sr.Logins = max(s.Logins, len(st.users))
	before := snapCPU(t.pgMaster, srv.pid(), os.Getpid())
	if sr.LoginRate, st.cookies, err = loginFlood(ctx, base, st.users, sr.Logins, s.Clients); err != nil {
		return nil, err
	}
	var cores []float64
	sr.LoginCPU, cores = cpuCores(before, snapCPU(t.pgMaster, srv.pid(), os.Getpid()), "server", "bench (clients)")
	// The raw rate again after the flood, keeping the higher of the two: this shared
	// machine's speed drifts by a fifth within minutes, and the baseline should be the
	// best the hardware did, not a slow moment that flatters the ratio.
	if again, cpu := argonRate(s.ArgonHashes); again > sr.ArgonRate {
		sr.ArgonRate, sr.ArgonCPU = again, cpu
	}
	if len(cores) > 0 && sr.LoginRate > 0 {
		sr.LoginServerCPU = time.Duration(cores[0] / sr.LoginRate * float64(time.Second))
		sr.LoginOther = cores[len(cores)-1]
	}
	sr.LoginPeakRSS, _, _ = procStatus(srv.pid())
	sr.LoginConns = since(c0)
	sr.Sessions = len(st.cookies)

	// The page tests run on a server started afresh (sessions live in the database), so
	// the heap the login flood's 19 MiB hashes left behind is not taken for the memory
	// of serving pages; the login flood's own peak is reported beside it.
	if err := srv.stop(); err != nil {
		return nil, fmt.Errorf("espeks serve: %w", err)
	}
	if srv, err = r.startServe(ctx, in); err != nil {
		return nil, err
	}
	defer srv.stop()
	sr.Startups = append(sr.Startups, srv.Startup)
	base = "http://" + srv.Addr

	pages, rawPages, err := r.pageTargets(ctx, in, base, st)
	if err != nil {
		return nil, err
	}
	st.pages = pages
	if code, body, err := getOnce(ctx, pages[0].URL, pages[0].Header); err != nil || code != 200 || !strings.Contains(body, "<html") {
		return nil, fmt.Errorf("payslip page check: status %d, %v", code, err)
	}
	r.logf("%s: payslip page, %d clients, %s", tag, s.Clients, s.PageDur)
	if err := resetPeak(srv.pid()); err != nil {
		sr.Notes = append(sr.Notes, "the peak RSS could not be reset before the page test ("+err.Error()+"): serving memory is the peak since start-up")
	}
	c0 = conns()
	sr.Page = attack(ctx, pages, s.Clients, s.PageDur, t.pgMaster, srv.pid())
	sr.ServeRSS, _, _ = procStatus(srv.pid())
	sr.Page.NewConns = since(c0)
	sr.ServeMetrics = goMemMetrics(ctx, base)
	if sr.Page.OK == 0 {
		return nil, fmt.Errorf("payslip page: %w: %s", errNoOK, sr.Page.failures())
	}

	// eMaklum: the supplier with many payments, over several sessions.
	var listTargets []vegeta.Target
	for range s.ListClients {
		ck, err := login(ctx, newClient(1), base, st.supplier)
		if err != nil {
			return nil, err
		}
		listTargets = append(listTargets, vegeta.Target{Method: "GET", URL: base + st.listURL, Header: http.Header{"Cookie": {ck}}})
	}
	if code, body, err := getOnce(ctx, listTargets[0].URL, listTargets[0].Header); err != nil || code != 200 || !strings.Contains(body, "EFTB000000001") {
		return nil, fmt.Errorf("eMaklum page check: status %d, %v", code, err)
	}
	r.logf("%s: eMaklum list, %d clients, %s", tag, s.ListClients, s.ListDur)
	c0 = conns()
	sr.List = attack(ctx, listTargets, s.ListClients, s.ListDur, t.pgMaster, srv.pid())
	sr.List.NewConns = since(c0)
	if err := srv.stop(); err != nil {
		return nil, fmt.Errorf("espeks serve: %w", err)
	}

	// The bare handler.
	rs, err := r.startRawServer(ctx, in)
	if err != nil {
		return nil, err
	}
	sr.RawStartup = rs.Startup
	for k := range rawPages {
		rawPages[k].URL = "http://" + rs.Addr + rawPages[k].URL
	}
	r.logf("%s: bare handler, payslip and list", tag)
	_ = resetPeak(rs.pid())
	c0 = conns()
	sr.PageRaw = attack(ctx, rawPages, s.Clients, s.PageDur, t.pgMaster, rs.pid())
	sr.RawRSS, _, _ = procStatus(rs.pid())
	sr.PageRaw.NewConns = since(c0)
	rawList := []vegeta.Target{{Method: "GET", URL: "http://" + rs.Addr + "/m?" + strings.SplitN(st.listURL, "?", 2)[1],
		Header: http.Header{"X-Owner": {st.supplier.Owner}}}}
	if code, body, err := getOnce(ctx, rawList[0].URL, rawList[0].Header); err != nil || code != 200 {
		return nil, fmt.Errorf("bare list check: status %d, %v", code, err)
	} else {
		fmt.Sscan(body, &sr.ListCount)
	}
	sr.ListRaw = attack(ctx, rawList, s.ListClients, s.ListDur, t.pgMaster, rs.pid())
	if err := rs.stop(); err != nil {
		return nil, fmt.Errorf("bare handler: %w", err)
	}

	// Start-up with the loaded database.
	for range s.Startups {
		s2, err := r.startServe(ctx, in)
		if err != nil {
			return nil, err
		}
		sr.Startups = append(sr.Startups, s2.Startup)
		if err := s2.stop(); err != nil {
			return nil, err
		}
	}
	r.logf("%s: done: payroll %s rows/s (raw %s), page %s req/s p99 %s (bare %s req/s), login %.1f/s (argon2id %.1f/s)", tag,
		num(sr.PayrollLoad.rate()), num(sr.PayrollRaw.rate()), num(sr.Page.RPS), ms(sr.Page.P99), num(sr.PageRaw.RPS),
		sr.LoginRate, sr.ArgonRate)
	r.states[t.Name+"/"+s.Name] = st
	return sr, nil
}

// prepare counts what was loaded, creates the logins (active accounts with passwords
// hashed with the production parameters) and keeps a payslip for the PDF test.
func (r *runner) prepare(ctx context.Context, in instance, f *dataFiles, s sizeSpec, sr *SizeResult, st *sizeState) error {
	a, err := app.New(ctx, in.config(), app.Options{Logger: quietLogger()})
	if err != nil {
		return err
	}
	defer a.DB.Close()
	q := a.DB.Q(ctx)
	for _, c := range []struct {
		dst *int
		sql string
	}{{&sr.Payslips, `SELECT COUNT(*) FROM payslips`}, {&sr.Items, `SELECT COUNT(*) FROM payslip_items`},
		{&sr.Payments, `SELECT COUNT(*) FROM payments`}} {
		if err := q.QueryRowContext(ctx, c.sql).Scan(c.dst); err != nil {
			return err
		}
	}
	n := min(len(f.Staff), s.Clients)
	st.users = make([]cred, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for k := range n {
		p := f.Staff[k]
		st.users[k] = cred{LoginID: p.ID, Owner: normalOwner(p.ID), Password: randomPassword()}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			_, errs[k] = a.Accounts.CreateActive(ctx, account.Registration{UserType: string(account.Staff), LoginID: p.ID,
				Name: p.Name, Email: p.Email, Phone: p.Phone, Department: p.Department, StaffNo: p.StaffNo,
				Question: "ibu", Answer: "Aminah", Password: st.users[k].Password, Confirm: st.users[k].Password}, account.RoleUser)
		}()
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			return fmt.Errorf("account of %s: %w", st.users[k].LoginID, err)
		}
	}
	st.supplier = cred{LoginID: f.HeavyID, Owner: normalOwner(f.HeavyID), Password: randomPassword()}
	if _, err := a.Accounts.CreateActive(ctx, account.Registration{UserType: string(account.Supplier), LoginID: f.HeavyID,
		Name: f.HeavyName, Email: "akaun@pembekal-utama.com.my", Phone: "06-2821234", Question: "ibu", Answer: "Aminah",
		Password: st.supplier.Password, Confirm: st.supplier.Password}, account.RoleUser); err != nil {
		return fmt.Errorf("account of the supplier: %w", err)
	}
	st.listURL = fmt.Sprintf("/emaklum?mula=%d-01-01&akhir=%d-12-31", f.HeavyYear, f.HeavyYear)
	if r.sample == nil && n > 0 {
		ps := &payslip.Store{DB: a.DB}
		var id string
		if err := q.QueryRowContext(ctx, `SELECT p.public_id FROM payslips p WHERE p.ic_no = $1 ORDER BY
			(SELECT COUNT(*) FROM payslip_items i WHERE i.payslip_id = p.id) DESC, p.id LIMIT 1`, st.users[0].Owner).Scan(&id); err != nil {
			return fmt.Errorf("sample payslip: %w", err)
		}
		p, err := ps.Get(ctx, st.users[0].Owner, id)
		if err != nil {
			return fmt.Errorf("sample payslip: %w", err)
		}
		r.sample = &p
	}
	return nil
}

// pageTargets are every payslip of the logged-in staff, interleaved so that
// consecutive requests are of different users: for the portal (with the session
// cookie) and for the bare handler (with the owner; URL path only).
func (r *runner) pageTargets(ctx context.Context, in instance, base string, st *sizeState) (pages, raw []vegeta.Target, err error) {
	d, err := in.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer d.Close()
	ids := make([][]string, len(st.users))
	longest := 0
	for k, u := range st.users {
		rows, err := d.Q(ctx).QueryContext(ctx, `SELECT public_id FROM payslips WHERE ic_no = $1 ORDER BY year, month, payroll_id`, u.Owner)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, nil, err
			}
			ids[k] = append(ids[k], id)
		}
		rows.Close()
		if len(ids[k]) == 0 {
			return nil, nil, fmt.Errorf("no payslips of %s", u.LoginID)
		}
		longest = max(longest, len(ids[k]))
	}
	for j := range longest {
		for k, u := range st.users {
			id := ids[k][j%len(ids[k])]
			pages = append(pages, vegeta.Target{Method: "GET", URL: base + "/epayslip/" + id, Header: http.Header{"Cookie": {st.cookies[k]}}})
			raw = append(raw, vegeta.Target{Method: "GET", URL: "/p/" + id, Header: http.Header{"X-Owner": {u.Owner}}})
		}
	}
	return pages, raw, nil
}

func normalOwner(id string) string {
	n, err := identity.Parse(id)
	if err != nil {
		return normalizeID(id)
	}
	return n.String()
}

func randomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// goMemMetrics picks the Go runtime's memory figures out of the portal's /metrics.
func goMemMetrics(ctx context.Context, base string) string {
	code, body, err := getOnce(ctx, base+"/metrics", nil)
	if err != nil || code != 200 {
		return ""
	}
	want := map[string]string{"go_memstats_heap_inuse_bytes": "heap in use", "go_memstats_heap_sys_bytes": "heap obtained from the OS",
		"go_memstats_sys_bytes": "Go runtime total", "go_memstats_stack_inuse_bytes": "stacks", "process_resident_memory_bytes": "RSS now"}
	var parts []string
	for _, line := range strings.Split(body, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 {
			if label, ok := want[f[0]]; ok {
				v, err := strconv.ParseFloat(f[1], 64)
				if err == nil {
					parts = append(parts, label+" "+mb(int64(v)))
				}
			}
		}
		if len(f) == 2 && f[0] == "go_goroutines" {
			parts = append(parts, f[1]+" goroutines")
		}
	}
	return strings.Join(parts, ", ")
}
