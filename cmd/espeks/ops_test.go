package main

// Fault tests with the real binary (issue 7, QUALITY.md Reliability): the SMTP server
// down then up, the database stopped then started, SIGTERM during a request, two
// processes on one PostgreSQL, and backup/restore. Each test builds nothing itself (the
// binary is built once per test binary), starts `espeks serve` on a free port and
// drives it over HTTP as a browser or an API client would. Nothing is timed: every wait
// polls a condition until a deadline.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/auth"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/dbtest"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/mail/smtptest"
)

// ---- the binary, built once ---------------------------------------------------

var (
	opsBinOnce sync.Once
	opsBinDir  string
	opsBin     string
	opsBinErr  error
)

// TestMain removes the binary built for the ops tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if opsBinDir != "" {
		os.RemoveAll(opsBinDir)
	}
	os.Exit(code)
}

// opsBinary builds ./cmd/espeks once per test binary (the same way as buildBinary).
func opsBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	root := moduleRoot(t)
	opsBinOnce.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			goBin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
			if _, err := os.Stat(goBin); err != nil {
				goBin = "/usr/local/go/bin/go"
			}
		}
		if opsBinDir, opsBinErr = os.MkdirTemp("", "espeks-ops-bin-"); opsBinErr != nil {
			return
		}
		bin := filepath.Join(opsBinDir, "espeks")
		cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/espeks")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			opsBinErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		opsBin = bin
	})
	if opsBinErr != nil {
		t.Fatal(opsBinErr)
	}
	return opsBin
}

// ---- environments -------------------------------------------------------------

// cleanEnv is this process's environment without any ESPEKS_ setting, plus kv.
func cleanEnv(kv ...string) []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "ESPEKS_") {
			env = append(env, e)
		}
	}
	return append(env, kv...)
}

// opsDB is the database of a test: ld's (SQLite in ld.dataDir, or a PostgreSQL schema).
func opsDB(t *testing.T) loadDB { return newLoadDB(t) }

// runBinary runs one espeks command to completion.
func runBinary(t *testing.T, env []string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(opsBinary(t), args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		err = <-done
		t.Fatalf("espeks %v did not finish within 60s", args)
	}
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatal(err)
		}
		code = ee.ExitCode()
	}
	return code, out.String(), errOut.String()
}

// ---- a running `espeks serve` -------------------------------------------------

// lockedBuffer collects a process's output from its two pipes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type server struct {
	t    *testing.T
	name string
	addr string
	base string
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
	err  error // the process's exit, once done is closed
}

func freePort(t *testing.T) int {
	t.Helper()
	p, err := freePortE()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func freePortE() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startServer runs `espeks serve` with env on a free port and waits until /healthz
// answers. It is stopped (SIGTERM, then SIGKILL) when the test ends.
func startServer(t *testing.T, name string, env []string) *server {
	t.Helper()
	opsBinary(t)
	s, err := startServerE(t, name, env)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startServerE is startServer that returns its failure, so that it may run on another
// goroutine than the test's. The binary must be built already.
func startServerE(t *testing.T, name string, env []string) (*server, error) {
	for try := 0; ; try++ {
		port, err := freePortE()
		if err != nil {
			return nil, err
		}
		s := &server{t: t, name: name, out: &lockedBuffer{}, done: make(chan struct{})}
		s.addr = fmt.Sprintf("127.0.0.1:%d", port)
		s.base = "http://" + s.addr
		s.cmd = exec.Command(opsBin, "serve")
		s.cmd.Env = append(append([]string{}, env...), "ESPEKS_ADDR="+s.addr, "ESPEKS_BASE_URL="+s.base)
		s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
		if err := s.cmd.Start(); err != nil {
			return nil, err
		}
		go func() { s.err = s.cmd.Wait(); close(s.done) }()
		t.Cleanup(func() {
			s.stop()
			if t.Failed() {
				t.Logf("%s log (last 60 lines):\n%s", s.name, tailLines(s.out.String(), 60))
			}
		})
		ok := poll(60*time.Second, func() bool {
			if s.exited() {
				return true
			}
			r, err := http.Get(s.base + "/healthz")
			if err != nil {
				return false
			}
			r.Body.Close()
			return r.StatusCode == http.StatusOK
		})
		if s.exited() {
			if strings.Contains(s.out.String(), "address already in use") && try < 3 {
				continue // the free port was taken meanwhile
			}
			return nil, fmt.Errorf("%s exited at start (%v):\n%s", name, s.err, s.out.String())
		}
		if !ok {
			return nil, fmt.Errorf("%s: /healthz did not answer within 60s:\n%s", name, s.out.String())
		}
		return s, nil
	}
}

func (s *server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM and waits for the exit (SIGKILL after 30 s); it returns the exit
// code (-1 when killed).
func (s *server) stop() int {
	if !s.exited() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	}
	return s.cmd.ProcessState.ExitCode()
}

type response struct {
	status int
	header http.Header
	body   string
}

var noRedirect = &http.Client{
	Timeout:       60 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// do sends a request as a browser of this site would: POST forms with
// Sec-Fetch-Site: same-origin, the session cookie if given, no redirects followed.
func (s *server) do(method, path string, form url.Values, session string) response {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "espeks_session", Value: session})
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s %s: %v", s.name, method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// tryGet is a GET that reports a connection error instead of failing the test.
func (s *server) tryGet(path, session string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		return 0, "", err
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "espeks_session", Value: session})
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), nil
}

// login logs in and returns the session cookie's value ("" when refused).
func (s *server) login(id, pw string) (response, string) {
	s.t.Helper()
	r := s.do(http.MethodPost, "/log-masuk", url.Values{"login_id": {id}, "password": {pw}}, "")
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "espeks_session" && c.Value != "" {
			return r, c.Value
		}
	}
	return r, ""
}

// metric reads one sample of the process's /metrics ("" when absent).
func (s *server) metric(sample string) string {
	s.t.Helper()
	r := s.do(http.MethodGet, "/metrics", nil, "")
	for _, line := range strings.Split(r.body, "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return ""
}

// poll calls f until it returns true or the deadline passes.
func poll(timeout time.Duration, f func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if f() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ---- people --------------------------------------------------------------------

const (
	adminID = "800101-14-5007"
	adminPW = "bilik server tingkat tiga"
	userPW  = "kopi panas di pagi isnin"
)

var names = []string{"Siti Aminah binti Abu", "Ahmad Faizal bin Omar", "Nurul Huda binti Salleh",
	"Mohd Rizal bin Hassan", "Lim Mei Ling", "Rajesh a/l Kumar", "Tan Wei Jie", "Farah binti Yusof"}

// registration is a valid PK 0101 form for person n (0…len(names)-1).
func registration(n int) url.Values {
	return url.Values{
		"user_type": {"KAKITANGAN"}, "login_id": {fmt.Sprintf("850101-14-%04d", 5101+n)}, "name": {names[n]},
		"email": {registrantEmail(n)}, "phone": {"012-3456789"}, "department": {"Jabatan Kewangan"},
		"staff_no": {fmt.Sprintf("G%05d", 20001+n)}, "question": {"ibu"}, "answer": {"Fatimah"},
		"password": {userPW}, "confirm": {userPW},
	}
}

func registrantEmail(n int) string { return fmt.Sprintf("pengguna%d@contoh.gov.my", n) }

func (s *server) register(n int) {
	s.t.Helper()
	if r := s.do(http.MethodPost, "/daftar", registration(n), ""); r.status != http.StatusSeeOther ||
		r.header.Get("Location") != "/daftar/diterima" {
		s.t.Fatalf("%s: register %d: status %d location %q\n%s", s.name, n, r.status, r.header.Get("Location"), tailLines(r.body, 20))
	}
}

func createAdmin(t *testing.T, env []string) {
	t.Helper()
	code, stdout, stderr := runBinary(t, env, adminPW+"\n", "admin", "create", "--id", adminID,
		"--name", "Pentadbir Operasi", "--email", "pentadbir@contoh.gov.my")
	if code != 0 {
		t.Fatalf("admin create: %d\n%s\n%s", code, stdout, stderr)
	}
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	var n int
	if err := d.Q(ctx).QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func catalogue(t *testing.T) *i18n.Catalogue {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// ---- SMTP down, then up ----------------------------------------------------------

// TestOpsMailOutage queues emails while the mail server refuses everything, then lets
// it recover: every queued email is delivered exactly once (QUALITY.md: the outbox
// survives SMTP outages).
func TestOpsMailOutage(t *testing.T) {
	ld := opsDB(t)
	smtp := smtptest.Start(t)
	smtp.SetFailing(true)
	s := startServer(t, "serve", append(ld.environ(), "ESPEKS_SMTP_URL="+smtp.URL(),
		"ESPEKS_MAIL_RETRY_BASE=300ms", "ESPEKS_MAIL_MAX_ATTEMPTS=30", "ESPEKS_LOG_LEVEL=debug"))

	const n = 4
	for i := range n {
		s.register(i)
	}
	// Every email was tried and refused: the server is down as far as eSPEKS can tell.
	var detail string
	if !poll(30*time.Second, func() bool {
		tried := count(t, ld.d, `SELECT COUNT(*) FROM outbox WHERE attempts >= 1 AND status = 'PENDING' AND last_error <> ''`)
		detail = fmt.Sprintf("%d of %d emails tried and refused", tried, n)
		return tried == n
	}) {
		t.Fatalf("while SMTP fails: %s", detail)
	}
	if got := len(smtp.Messages()); got != 0 {
		t.Fatalf("%d messages delivered while the server refused them", got)
	}
	if v := s.metric(`espeks_emails_total{outcome="retry"}`); v == "" || v == "0" {
		t.Errorf("espeks_emails_total retry = %q, want > 0", v)
	}

	smtp.SetFailing(false)
	if !poll(30*time.Second, func() bool {
		left := count(t, ld.d, `SELECT COUNT(*) FROM outbox WHERE status <> 'SENT'`)
		detail = fmt.Sprintf("%d emails not sent; %d messages received", left, len(smtp.Messages()))
		return left == 0
	}) {
		t.Fatalf("after SMTP recovered: %s", detail)
	}
	for i := range n {
		if got := len(smtp.For(registrantEmail(i))); got != 1 {
			t.Errorf("%s received %d emails, want exactly 1", registrantEmail(i), got)
		}
	}
	if got, rows := len(smtp.Messages()), count(t, ld.d, `SELECT COUNT(*) FROM outbox`); got != rows {
		t.Errorf("%d messages delivered for %d outbox rows", got, rows)
	}
	if v := s.metric(`espeks_emails_total{outcome="sent"}`); v != strconv.Itoa(n) {
		t.Errorf("espeks_emails_total sent = %q, want %d", v, n)
	}

	// The metrics and the request log of what happened.
	m := s.do(http.MethodGet, "/metrics", nil, "")
	if m.status != http.StatusOK || !strings.Contains(m.header.Get("Cache-Control"), "no-store") {
		t.Errorf("/metrics: status %d Cache-Control %q", m.status, m.header.Get("Cache-Control"))
	}
	for _, want := range []string{
		`espeks_http_requests_total{route="POST /daftar",status="3xx"} ` + strconv.Itoa(n),
		`espeks_http_request_duration_seconds_count{route="POST /daftar"} ` + strconv.Itoa(n),
		`espeks_outbox_emails{status="SENT"}`, `espeks_database_up 1`, `espeks_logins_total{outcome="ok"} 0`,
	} {
		if !strings.Contains(m.body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	s.do(http.MethodGet, "/log-masuk?keluar=1&rahsia=abc123", nil, "")
	if !poll(10*time.Second, func() bool { return strings.Contains(s.out.String(), `"pattern":"GET /log-masuk"`) }) {
		t.Fatalf("no debug request line for GET /log-masuk")
	}
	logs := s.out.String()
	if !regexp.MustCompile(`"msg":"request","method":"POST","pattern":"POST /daftar","status":303,"duration_ms":[0-9.]+`).MatchString(logs) {
		t.Errorf("no request line for POST /daftar in the log")
	}
	for _, secret := range []string{"rahsia", "abc123", userPW, "Fatimah"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
	if code := s.stop(); code != 0 {
		t.Errorf("exit code %d after SIGTERM", code)
	}
}

// ---- the database stopped, then started (PostgreSQL) --------------------------------

// ownPostgres is a throwaway PostgreSQL server of the test's own, which it may stop and
// start (the suite's shared server must stay up for the other tests).
type ownPostgres struct {
	bin, dir, data, sock string
	port                 int
}

const pgBin = "/usr/lib/postgresql/15/bin"

func startOwnPostgres(t *testing.T) *ownPostgres {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pgBin, "pg_ctl")); err != nil {
		t.Skipf("needs %s/pg_ctl to run a PostgreSQL server it can stop: %v", pgBin, err)
	}
	var uid, gid = -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("running as root needs the postgres system user (PostgreSQL refuses root): %v", err)
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
	}
	// /tmp, not t.TempDir(): a unix socket path must stay under ~100 bytes, and the
	// postgres user must be able to reach it.
	dir, err := os.MkdirTemp("/tmp", "espeks-ops-pg.")
	if err != nil {
		t.Fatal(err)
	}
	p := &ownPostgres{bin: pgBin, dir: dir, data: filepath.Join(dir, "data"), sock: filepath.Join(dir, "run"), port: freePort(t)}
	t.Cleanup(func() {
		if _, err := os.Stat(filepath.Join(p.data, "postmaster.pid")); err == nil {
			_ = p.ctl("-m", "immediate", "-w", "-t", "30", "stop")
		}
		os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		path string
		mode os.FileMode
	}{{p.data, 0o700}, {p.sock, 0o755}} {
		if err := os.Mkdir(d.path, d.mode); err != nil {
			t.Fatal(err)
		}
		if uid >= 0 {
			if err := os.Chown(d.path, uid, gid); err != nil {
				t.Fatal(err)
			}
		}
	}
	if out, err := p.asOwner("initdb", "-D", p.data, "-A", "trust", "-U", "postgres", "--no-instructions",
		"-E", "UTF8", "--locale=C.UTF-8").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	p.start(t)
	return p
}

func (p *ownPostgres) asOwner(prog string, args ...string) *exec.Cmd {
	path := filepath.Join(p.bin, prog)
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (p *ownPostgres) ctl(args ...string) error {
	out, err := p.asOwner("pg_ctl", append([]string{"-D", p.data}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %v: %v\n%s", args, err, out)
	}
	return nil
}

// start runs the server with PostgreSQL's durable defaults (fsync on): this test is
// about losing nothing.
func (p *ownPostgres) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -c listen_addresses='' -c unix_socket_directories='%s'", p.port, p.sock)
	if err := p.ctl("-l", filepath.Join(p.sock, "server.log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(p.sock, "server.log"))
		t.Fatalf("%v\nserver log:\n%s", err, tailLines(string(log), 30))
	}
}

// stop is a fast shutdown: sessions are ended, as when the server is restarted or
// fails over.
func (p *ownPostgres) stop(t *testing.T) {
	t.Helper()
	if err := p.ctl("-m", "fast", "-w", "-t", "60", "stop"); err != nil {
		t.Fatal(err)
	}
}

func (p *ownPostgres) url() string {
	return fmt.Sprintf("postgres://postgres@/postgres?host=%s&port=%d&sslmode=disable", p.sock, p.port)
}

// TestOpsDatabaseOutage stops the database under a running `espeks serve`: pages answer
// 503 with the clear page, /readyz 503, the process keeps running; once the database is
// back, everything answers again by itself and nothing made before is lost.
func TestOpsDatabaseOutage(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("PostgreSQL only (runs in scripts/test.sh's PostgreSQL pass): a SQLite database is a file " +
			"opened by the process itself, so it cannot be stopped or become unreachable the way a database server can")
	}
	opsBinary(t)
	pg := startOwnPostgres(t)
	env := cleanEnv("ESPEKS_DATA_DIR="+t.TempDir(), "ESPEKS_DATABASE_URL="+pg.url())
	s := startServer(t, "serve", env)
	createAdmin(t, env)
	_, session := s.login(adminID, adminPW)
	if session == "" {
		t.Fatal("admin login failed")
	}
	s.register(0)
	s.register(1)
	if r := s.do(http.MethodGet, "/utama", nil, session); r.status != http.StatusOK {
		t.Fatalf("/utama before: %d", r.status)
	}

	state := func() map[string]string {
		d, err := db.Open(context.Background(), db.Options{URL: pg.url()})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		return snapshot(t, d, "users", "audit_log", "sessions", "outbox_ids")
	}
	before := state()

	pg.stop(t)
	unavailable := catalogue(t).M(i18n.Malay, i18n.Msg("error.unavailable"))
	var code int
	var body string
	var err error
	if !poll(20*time.Second, func() bool {
		code, body, err = s.tryGet("/utama", session)
		return err == nil && code == http.StatusServiceUnavailable
	}) {
		t.Fatalf("GET /utama with the database stopped: %d %v\n%s", code, err, tailLines(body, 20))
	}
	if !strings.Contains(body, unavailable) {
		t.Errorf("the 503 page lacks %q:\n%s", unavailable, tailLines(body, 30))
	}
	if r := s.do(http.MethodPost, "/daftar", registration(2), ""); r.status != http.StatusServiceUnavailable ||
		!strings.Contains(r.body, unavailable) || r.header.Get("Retry-After") == "" {
		t.Errorf("POST /daftar with the database stopped: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if r := s.do(http.MethodPost, "/log-masuk", url.Values{"login_id": {adminID}, "password": {adminPW}}, ""); r.status != http.StatusServiceUnavailable {
		t.Errorf("POST /log-masuk with the database stopped: %d", r.status)
	}
	if r := s.do(http.MethodGet, "/readyz", nil, ""); r.status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database stopped: %d", r.status)
	}
	if r := s.do(http.MethodGet, "/healthz", nil, ""); r.status != http.StatusOK {
		t.Errorf("/healthz with the database stopped: %d (the process is alive)", r.status)
	}
	if v := s.metric("espeks_database_up"); v != "0" {
		t.Errorf("espeks_database_up = %q with the database stopped", v)
	}
	if s.exited() {
		t.Fatalf("the process exited with the database stopped: %v", s.err)
	}

	pg.start(t)
	if !poll(30*time.Second, func() bool {
		code, body, err = s.tryGet("/utama", session)
		if err != nil || code != http.StatusOK {
			return false
		}
		code, _, err = s.tryGet("/readyz", "")
		return err == nil && code == http.StatusOK
	}) {
		t.Fatalf("no recovery within 30s of the database's return: %d %v\n%s", code, err, tailLines(body, 20))
	}
	if s.exited() {
		t.Fatalf("the process exited: %v", s.err)
	}
	// Nothing lost, nothing half-written by the refused registration.
	after := state()
	for table, sum := range before {
		if after[table] != sum {
			t.Errorf("%s changed across the outage:\nbefore %s\nafter  %s", table, sum, after[table])
		}
	}
	// A quick restart, as in a failover, with the pool's connections still fresh: every
	// answer is a page or the 503 page, never a 500, until it serves again.
	for range 5 {
		s.do(http.MethodGet, "/utama", nil, session)
	}
	pg.stop(t)
	pg.start(t)
	seen := map[int]int{}
	if !poll(30*time.Second, func() bool {
		code, body, err = s.tryGet("/utama", session)
		seen[code]++
		return err == nil && code == http.StatusOK
	}) {
		t.Fatalf("no recovery after a quick restart: %d %v", code, err)
	}
	if seen[http.StatusInternalServerError] > 0 {
		t.Errorf("answers after a quick restart: %v; a broken connection must give 503, not 500", seen)
	}
	t.Logf("answers after a quick restart: %v", seen)

	// And it works as before: the refused registration goes through now.
	s.register(2)
	if _, session2 := s.login(adminID, adminPW); session2 == "" {
		t.Error("login after recovery failed")
	}
	if code := s.stop(); code != 0 {
		t.Errorf("exit code %d after SIGTERM", code)
	}
}

// snapshot is a count and a checksum of every row of each table, so two snapshots are
// equal exactly when the data is. "outbox_ids" is the outbox's ids and recipients only
// (its status moves as the worker sends).
func snapshot(t *testing.T, d *db.DB, tables ...string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	for _, table := range tables {
		q := "SELECT * FROM " + table
		if table == "outbox_ids" {
			q = "SELECT id, to_addr, template FROM outbox"
		}
		rows, err := d.Q(ctx).QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, v := range vals {
				if raw, ok := v.([]byte); ok {
					v = hex.EncodeToString(raw)
				}
				fmt.Fprintf(&b, "%v\x1f", v)
			}
			lines = append(lines, b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(lines) // tables without an id have no natural order
		h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		out[table] = fmt.Sprintf("%d rows, sha256 %x", len(lines), h[:8])
	}
	return out
}

// ---- SIGTERM during a request ---------------------------------------------------------

// TestOpsSIGTERMDuringRequest holds an API upload in flight, sends SIGTERM, and only
// then sends the rest of the file: the process stops accepting connections but
// finishes the request, which gets its normal answer, and then exits 0.
func TestOpsSIGTERMDuringRequest(t *testing.T) {
	ld := opsDB(t)
	env := ld.environ()
	s := startServer(t, "serve", env)
	createAdmin(t, env)
	ctx := context.Background()
	var adminUserID int64
	if err := ld.d.Q(ctx).QueryRowContext(ctx, `SELECT id FROM users WHERE login_id = $1`, "800101145007").Scan(&adminUserID); err != nil {
		t.Fatal(err)
	}
	key, err := (&auth.APIKeys{DB: ld.d, Now: time.Now}).Create(ctx, "ujian SIGTERM", adminUserID)
	if err != nil {
		t.Fatal(err)
	}

	body := []byte(smallPayroll("2025-12-UTAMA"))
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/muat/payroll?nama=gaji-2025-12.csv HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: text/csv\r\nContent-Length: %d\r\n\r\n", s.addr, key, len(body))
	half := len(body) / 2
	if _, err := conn.Write(body[:half]); err != nil {
		t.Fatal(err)
	}
	// The handler is running once it has made its temporary file and copied into it.
	upload := filepath.Join(ld.dataDir, "muat")
	if !poll(20*time.Second, func() bool {
		m, _ := filepath.Glob(filepath.Join(upload, "api-*.csv"))
		if len(m) != 1 {
			return false
		}
		fi, err := os.Stat(m[0])
		return err == nil && fi.Size() > 0
	}) {
		t.Fatal("the upload did not reach the handler")
	}

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown has begun: it said so, and the listener is closed.
	if !poll(20*time.Second, func() bool {
		return strings.Contains(s.out.String(), "shutting down: finishing requests in flight")
	}) {
		t.Fatalf("no shutdown after SIGTERM")
	}
	if !poll(20*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", s.addr, time.Second)
		if err != nil {
			return true
		}
		c.Close()
		return false
	}) {
		t.Error("still accepting connections after SIGTERM")
	}
	if s.exited() {
		t.Fatalf("exited with a request in flight: %v", s.err)
	}

	if _, err := conn.Write(body[half:]); err != nil {
		t.Fatalf("the rest of the upload: %v", err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to the request in flight: %v", err)
	}
	var got apiAnswer
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || got.Status != "ACCEPTED" || got.Rows != 6 || got.Added != 2 {
		t.Errorf("answer: %d %+v, want 201 ACCEPTED with 6 rows and 2 payslips", res.StatusCode, got)
	}
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		t.Fatal("did not exit within 30s of finishing the request")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	if !strings.Contains(s.out.String(), `"msg":"stopped"`) {
		t.Error(`no "stopped" log line`)
	}
	if n := count(t, ld.d, `SELECT COUNT(*) FROM payslips`); n != 2 {
		t.Errorf("%d payslips after the load, want 2", n)
	}
}

type apiAnswer struct {
	Status string `json:"status"`
	Rows   int    `json:"rows"`
	Added  int    `json:"added"`
}

// ---- two processes on one PostgreSQL ----------------------------------------------------

// TestOpsTwoProcesses runs two `espeks serve` on one PostgreSQL database: a session made
// on one works on the other (and ends on both), failed logins on both count towards one
// lock, and each outbox email is delivered once although both workers run.
func TestOpsTwoProcesses(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("PostgreSQL only (runs in scripts/test.sh's PostgreSQL pass): several processes share one database " +
			"only on PostgreSQL; SQLite is one process's file")
	}
	ld := opsDB(t)
	opsBinary(t)
	smtp := smtptest.Start(t)
	smtp.SetFailing(true)
	env := append(ld.environ(), "ESPEKS_SMTP_URL="+smtp.URL(), "ESPEKS_MAIL_RETRY_BASE=300ms", "ESPEKS_MAIL_MAX_ATTEMPTS=30")
	// Started together: both migrate the same empty schema at once (an advisory lock
	// lets one of them do it).
	var a, b *server
	var wg sync.WaitGroup
	wg.Add(2)
	var errA, errB error
	go func() { defer wg.Done(); a, errA = startServerE(t, "A", env) }()
	go func() { defer wg.Done(); b, errB = startServerE(t, "B", env) }()
	wg.Wait()
	if err := errors.Join(errA, errB); err != nil {
		t.Fatal(err)
	}
	createAdmin(t, env)

	// A session made on A works on B; logging out on B ends it on A too.
	_, session := a.login(adminID, adminPW)
	if session == "" {
		t.Fatal("login on A failed")
	}
	if r := b.do(http.MethodGet, "/pentadbir", nil, session); r.status != http.StatusOK || !strings.Contains(r.body, "Pentadbir Operasi") {
		t.Fatalf("A's session on B: %d", r.status)
	}
	if r := b.do(http.MethodPost, "/log-keluar", url.Values{}, session); r.status != http.StatusSeeOther {
		t.Fatalf("log out on B: %d", r.status)
	}
	if r := a.do(http.MethodGet, "/utama", nil, session); r.status != http.StatusSeeOther || r.header.Get("Location") != "/log-masuk" {
		t.Errorf("the session ended on B still works on A: %d %q", r.status, r.header.Get("Location"))
	}

	// Failed logins split between A and B lock the ID on both.
	cat := catalogue(t)
	invalid := cat.M(i18n.Malay, i18n.Msg("login.invalid"))
	locked, _, _ := strings.Cut(cat.M(i18n.Malay, i18n.Msg("login.locked", "Until", "")), ".")
	for i, s := range []*server{a, b, a, b, a} {
		r, sess := s.login(adminID, "salah kata laluan "+strconv.Itoa(i))
		want := invalid
		if i == 4 {
			want = locked
		}
		if sess != "" || r.status != http.StatusUnauthorized || !strings.Contains(r.body, want) {
			t.Fatalf("failed login %d on %s: status %d, want 401 with %q", i+1, s.name, r.status, want)
		}
	}
	for _, s := range []*server{a, b} {
		if r, sess := s.login(adminID, adminPW); sess != "" || r.status != http.StatusUnauthorized || !strings.Contains(r.body, locked) {
			t.Errorf("right password on %s while locked: status %d, session %v; want 401 %q", s.name, r.status, sess != "", locked)
		}
	}
	if n := count(t, ld.d, `SELECT COUNT(*) FROM audit_log WHERE event = 'login.lockout'`); n != 1 {
		t.Errorf("%d lockout audit records, want 1", n)
	}
	la, _ := strconv.Atoi(a.metric("espeks_lockouts_total"))
	lb, _ := strconv.Atoi(b.metric("espeks_lockouts_total"))
	if la+lb != 1 {
		t.Errorf("espeks_lockouts_total: A %d + B %d, want the one lock counted once", la, lb)
	}

	// Registrations through both while the mail server is down; then it recovers and
	// both workers deliver: each email exactly once.
	const n = 6
	for i := range n {
		[]*server{a, b}[i%2].register(i)
	}
	var detail string
	if !poll(30*time.Second, func() bool {
		tried := count(t, ld.d, `SELECT COUNT(*) FROM outbox WHERE attempts >= 1 AND status = 'PENDING'`)
		detail = fmt.Sprintf("%d of %d registration emails tried", tried, n)
		return tried >= n
	}) {
		t.Fatalf("while SMTP fails: %s", detail)
	}
	smtp.SetFailing(false)
	if !poll(30*time.Second, func() bool {
		left := count(t, ld.d, `SELECT COUNT(*) FROM outbox WHERE status <> 'SENT'`)
		detail = fmt.Sprintf("%d emails not sent", left)
		return left == 0
	}) {
		t.Fatalf("after SMTP recovered: %s", detail)
	}
	for i := range n {
		if got := len(smtp.For(registrantEmail(i))); got != 1 {
			t.Errorf("%s received %d emails, want exactly 1", registrantEmail(i), got)
		}
	}
	rows := count(t, ld.d, `SELECT COUNT(*) FROM outbox`)
	if got := len(smtp.Messages()); got != rows {
		t.Errorf("%d messages delivered for %d outbox rows", got, rows)
	}
	// More registrations now that mail flows: each process's worker is woken by its own.
	for i := n; i < len(names); i++ {
		[]*server{a, b}[i%2].register(i)
	}
	if !poll(30*time.Second, func() bool {
		left := count(t, ld.d, `SELECT COUNT(*) FROM outbox WHERE status <> 'SENT'`)
		detail = fmt.Sprintf("%d emails not sent", left)
		return left == 0
	}) {
		t.Fatalf("after more registrations: %s", detail)
	}
	for i := range names {
		if got := len(smtp.For(registrantEmail(i))); got != 1 {
			t.Errorf("%s received %d emails, want exactly 1", registrantEmail(i), got)
		}
	}
	rows = count(t, ld.d, `SELECT COUNT(*) FROM outbox`)
	if got := len(smtp.Messages()); got != rows {
		t.Errorf("%d messages delivered for %d outbox rows", got, rows)
	}
	sentA, _ := strconv.Atoi(a.metric(`espeks_emails_total{outcome="sent"}`))
	sentB, _ := strconv.Atoi(b.metric(`espeks_emails_total{outcome="sent"}`))
	if sentA+sentB != rows {
		t.Errorf("sent by A %d + by B %d, want %d", sentA, sentB, rows)
	}
	t.Logf("emails sent: A %d, B %d", sentA, sentB)
	for _, s := range []*server{a, b} {
		if code := s.stop(); code != 0 {
			t.Errorf("%s: exit code %d after SIGTERM", s.name, code)
		}
	}
}

// ---- backup and restore -----------------------------------------------------------------

// TestOpsBackupRestore makes data, takes `espeks backup` while `espeks serve` runs,
// damages the database, restores the copy as docs/operations.md says (stop, copy back,
// remove -wal/-shm, start) and finds the data identical.
func TestOpsBackupRestore(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) != "" {
		ld := opsDB(t)
		target := filepath.Join(t.TempDir(), "salinan.db")
		code, _, stderr := runBinary(t, ld.environ(), "", "backup", target)
		if code != 1 || !strings.Contains(stderr, "pg_dump") || !strings.Contains(stderr, "docs/operations.md") {
			t.Errorf("backup on PostgreSQL: code %d stderr %q, want 1 and the pg_dump advice", code, stderr)
		}
		if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a file was written on PostgreSQL: %v", err)
		}
		t.Skip("the restore itself is SQLite's (espeks backup); PostgreSQL's pg_dump/pg_basebackup restore is in docs/operations.md")
	}
	dataDir := t.TempDir()
	env := cleanEnv("ESPEKS_DATA_DIR=" + dataDir)
	s := startServer(t, "serve", env)
	createAdmin(t, env)
	for i := range 3 {
		s.register(i)
	}
	if _, sess := s.login(adminID, adminPW); sess == "" {
		t.Fatal("admin login failed")
	}
	s.login(adminID, "bukan kata laluan ini")
	if code, stdout, stderr := runBinary(t, env, "", "load", "payroll", writeTemp(t, "gaji.csv", smallPayroll("2025-12-UTAMA"))); code != 0 {
		t.Fatalf("load: %d %s %s", code, stdout, stderr)
	}
	tables := []string{"users", "audit_log", "payslips", "payslip_items", "loads", "sessions", "outbox_ids"}
	dbPath := filepath.Join(dataDir, db.FileName)
	state := func() map[string]string {
		d, err := db.OpenSQLite(context.Background(), dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		return snapshot(t, d, tables...)
	}

	// A backup while the portal writes: registrations go on beside it and all succeed,
	// and the copy is a whole database in a state the portal was in.
	busyFile := filepath.Join(t.TempDir(), "semasa-menulis.db")
	statuses := make(chan int, len(names))
	go func() {
		defer close(statuses)
		for i := 3; i < len(names); i++ {
			req, _ := http.NewRequest(http.MethodPost, s.base+"/daftar", strings.NewReader(registration(i).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			res, err := noRedirect.Do(req)
			if err != nil {
				statuses <- -1
				continue
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}
	}()
	code, stdout, stderr := runBinary(t, env, "", "backup", busyFile)
	if code != 0 {
		t.Fatalf("backup while writing: code %d\n%s\n%s", code, stdout, stderr)
	}
	for st := range statuses {
		if st != http.StatusSeeOther {
			t.Errorf("a registration beside the backup got %d", st)
		}
	}
	bd, err := db.OpenSQLite(context.Background(), busyFile)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, bd, `SELECT COUNT(*) FROM users`); n < 4 || n > 1+len(names) {
		t.Errorf("backup taken while writing has %d users, want between 4 and %d", n, 1+len(names))
	}
	bd.Close()

	before := state()

	backupFile := filepath.Join(t.TempDir(), "espeks-salinan.db")
	code, stdout, stderr = runBinary(t, env, "", "backup", backupFile)
	if code != 0 || !strings.Contains(stdout, "Backup written: "+backupFile) {
		t.Fatalf("backup: code %d\n%s\n%s", code, stdout, stderr)
	}
	if got := state(); !equalState(got, before) {
		t.Fatalf("the data changed during the backup (nothing was writing):\n%v\n%v", before, got)
	}
	fi, err := os.Stat(backupFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v mode %v, want 0600", err, fi.Mode())
	}
	sum := fileSum(t, backupFile)
	code, _, stderr = runBinary(t, env, "", "backup", backupFile)
	if code != 1 || !strings.Contains(stderr, "not overwritten") || fileSum(t, backupFile) != sum {
		t.Errorf("backup over an existing file: code %d stderr %q; the file must stay as it was", code, stderr)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(backupFile), ".*tmp*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}

	// Damage: what an operator's mistake or a bad disk might do.
	if code := s.stop(); code != 0 {
		t.Fatalf("stop: exit %d", code)
	}
	d, err := db.OpenSQLite(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TRIGGER audit_log_no_delete`,
		`DELETE FROM audit_log WHERE id % 2 = 0`,
		`UPDATE users SET email = 'rosak@contoh.gov.my'`,
		`DELETE FROM payslip_items`,
	} {
		if _, err := d.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	d.Close()
	if damaged := state(); equalState(damaged, before) {
		t.Fatal("the damage did not show")
	}

	// Restore (docs/operations.md): the service is stopped; copy the backup back as
	// DATA_DIR/espeks.db, remove the -wal and -shm files, start.
	restoreFile(t, backupFile, dbPath)
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	s2 := startServer(t, "serve after restore", env)
	if r := s2.do(http.MethodGet, "/readyz", nil, ""); r.status != http.StatusOK {
		t.Fatalf("/readyz after restore: %d %s", r.status, r.body)
	}
	if code := s2.stop(); code != 0 {
		t.Fatalf("stop: exit %d", code)
	}
	if after := state(); !equalState(after, before) {
		t.Errorf("restored data differs:\nbefore %v\nafter  %v", before, after)
	}
	s3 := startServer(t, "serve after restore", env)
	if _, sess := s3.login(adminID, adminPW); sess == "" {
		t.Error("admin login after restore failed")
	}
	d, err = db.OpenSQLite(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var ok string
	if err := d.Q(context.Background()).QueryRowContext(context.Background(), `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check after restore: %q %v", ok, err)
	}
	if _, err := d.Writer().Exec(`DELETE FROM audit_log WHERE id = 1`); err == nil {
		t.Error("the restored audit_log is not append-only (its trigger is missing)")
	}
}

func equalState(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// restoreFile copies src to dst through a temporary file and a rename.
func restoreFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	tmp := dst + ".restore"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Sync(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	if err := os.Rename(tmp, dst); err != nil {
		t.Fatal(err)
	}
}

// ---- behind a reverse proxy ---------------------------------------------------------------

// TestOpsTrustedProxies runs the portal as behind nginx: with ESPEKS_TRUSTED_PROXIES
// naming the proxy, the per-address throttle and the audit log see each client's own
// address (from X-Forwarded-For, right-most untrusted), so one client's failures do not
// block everyone behind the proxy; without it, the header is ignored.
func TestOpsTrustedProxies(t *testing.T) {
	ld := opsDB(t)
	code, _, stderr := runBinary(t, append(ld.environ(), "ESPEKS_TRUSTED_PROXIES=10.0.0.0/8,proksi"), "", "migrate")
	if code != 1 || !strings.Contains(stderr, "ESPEKS_TRUSTED_PROXIES") {
		t.Errorf("a bad ESPEKS_TRUSTED_PROXIES: code %d stderr %q, want 1 naming the variable", code, stderr)
	}
	s := startServer(t, "serve", append(ld.environ(), "ESPEKS_TRUSTED_PROXIES=127.0.0.1, ::1", "ESPEKS_SOURCE_MAX_FAILURES=3"))
	fail := func(s *server, xff string) int {
		req, err := http.NewRequest(http.MethodPost, s.base+"/log-masuk",
			strings.NewReader(url.Values{"login_id": {"850101-14-5999"}, "password": {"bukan ini"}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// Client 203.0.113.9 tries to pass for 198.51.100.7; the proxy appended its real address.
	for i := range 3 {
		if got := fail(s, "198.51.100.7, 203.0.113.9"); got != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, got)
		}
	}
	if got := fail(s, "198.51.100.7, 203.0.113.9"); got != http.StatusTooManyRequests {
		t.Errorf("the 4th failure from 203.0.113.9: %d, want 429", got)
	}
	if got := fail(s, "192.0.2.44"); got != http.StatusUnauthorized {
		t.Errorf("another client behind the same proxy: %d, want 401 (not blocked)", got)
	}
	sources := func() map[string]int {
		ctx := context.Background()
		rows, err := ld.d.Q(ctx).QueryContext(ctx, `SELECT source, COUNT(*) FROM audit_log WHERE event = 'login.failed' GROUP BY source`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[string]int{}
		for rows.Next() {
			var src string
			var n int
			if err := rows.Scan(&src, &n); err != nil {
				t.Fatal(err)
			}
			m[src] = n
		}
		return m
	}
	if got := sources(); got["203.0.113.9"] != 3 || got["192.0.2.44"] != 1 || got["198.51.100.7"] != 0 || got["127.0.0.1"] != 0 {
		t.Errorf("audited sources %v, want 203.0.113.9 ×3 and 192.0.2.44 ×1", got)
	}
	s.stop()

	// Without the setting the header means nothing: the connection's address counts.
	s2 := startServer(t, "serve without trusted proxies", ld.environ())
	if got := fail(s2, "192.0.2.45"); got != http.StatusUnauthorized {
		t.Fatalf("%d", got)
	}
	if got := sources(); got["192.0.2.45"] != 0 || got["127.0.0.1"] != 1 {
		t.Errorf("audited sources %v: X-Forwarded-For from an untrusted peer was believed", got)
	}
}
