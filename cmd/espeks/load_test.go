package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/dbtest"
	"github.com/espeks/espeks/internal/demo"
	"github.com/espeks/espeks/internal/i18n"
)

// loadDB is a database of the test's own with the settings that point the command
// (run, or the real binary) at it.
type loadDB struct {
	d       *db.DB
	url     string // PostgreSQL, or "" for SQLite
	dataDir string // SQLite's data directory
}

func newLoadDB(t *testing.T) loadDB {
	t.Helper()
	d, url := dbtest.OpenURL(t)
	ld := loadDB{d: d, url: url, dataDir: t.TempDir()}
	if url == "" {
		ld.dataDir = filepath.Dir(d.Path)
	}
	return ld
}

func (ld loadDB) getenv(k string) string {
	return map[string]string{"ESPEKS_DATABASE_URL": ld.url, "ESPEKS_DATA_DIR": ld.dataDir}[k]
}

// environ is the process environment for the binary: ours without any ESPEKS_
// setting, plus the database.
func (ld loadDB) environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ESPEKS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "ESPEKS_DATA_DIR="+ld.dataDir)
	if ld.url != "" {
		env = append(env, "ESPEKS_DATABASE_URL="+ld.url)
	}
	return env
}

func (ld loadDB) run(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errOut, ld.getenv)
	return code, out.String(), errOut.String()
}

// state is what a load can change, with a checksum of the money.
type state struct {
	Runs, Slips, Items, Payments, Lines, Loads, Accepted int
	ItemSum, NetSum                                      int64
}

func readState(t *testing.T, d *db.DB) state {
	t.Helper()
	ctx := context.Background()
	var s state
	for _, q := range []struct {
		dst any
		sql string
	}{
		{&s.Runs, `SELECT COUNT(*) FROM payroll_runs`},
		{&s.Slips, `SELECT COUNT(*) FROM payslips`},
		{&s.Items, `SELECT COUNT(*) FROM payslip_items`},
		{&s.Payments, `SELECT COUNT(*) FROM payments`},
		{&s.Lines, `SELECT COUNT(*) FROM payment_lines`},
		{&s.Loads, `SELECT COUNT(*) FROM loads`},
		{&s.Accepted, `SELECT COUNT(*) FROM loads WHERE status = 'ACCEPTED'`},
		{&s.ItemSum, `SELECT COALESCE(SUM(amount), 0) FROM payslip_items`},
		{&s.NetSum, `SELECT COALESCE(SUM(net_pay), 0) FROM payslips`},
	} {
		if err := d.Q(ctx).QueryRowContext(ctx, q.sql).Scan(q.dst); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	return s
}

const payrollHeader = "payroll_id,year,month,pay_date,ic_no,staff_no,name,position,grade,department_code,department_name,ptj_code,ptj_name,bank_name,bank_account,epf_no,socso_no,tax_no,item_code,item_name,category,amount\n"

// smallPayroll is a valid payroll file: 2 staff × 3 items of the given run.
func smallPayroll(payrollID string) string {
	var b strings.Builder
	b.WriteString(payrollHeader)
	for _, p := range []struct{ ic, no, name string }{{"800101-14-5007", "S0001", "Ahmad bin Ali"}, {"850615-10-5122", "S0002", "Siti binti Ismail"}} {
		for _, it := range []string{"0001,Gaji Pokok,BASIC,4500.00", "5002,KWSP,EPF,495.00", "9001,KWSP Majikan,EMPLOYER_EPF,585.00"} {
			fmt.Fprintf(&b, "%s,2025,12,2025-12-24,%s,%s,%s,Pegawai Tadbir,N41,JKR,Jabatan Kerja Raya,1001,\"JKR Melaka, Ibu Pejabat\",Maybank,112233445566,,,,%s\n",
				payrollID, p.ic, p.no, p.name, it)
		}
	}
	return b.String()
}

const smallPayments = `payee_id,payee_name,payment_no,payment_mode,payment_date,status,bank_name,bank_account,payment_amount,voucher_no,voucher_date,invoice_no,ptj_code,ptj_name,description,amount
201901012345,Syarikat Maju Jaya Sdn. Bhd.,EFT0001,EFT,2026-03-15,DIHANTAR,CIMB,800012345678,1500.00,V0001,2026-03-10,INV-88,1001,JKR Melaka,Bekalan alat tulis,1000.00
201901012345,Syarikat Maju Jaya Sdn. Bhd.,EFT0001,EFT,2026-03-15,DIHANTAR,CIMB,800012345678,1500.00,V0002,2026-03-11,,1001,JKR Melaka,Toner pencetak,500.00
800101-14-5007,Ahmad bin Ali,CEK000123,CEK,15/03/2026,DIKELUARKAN,,,250.00,V0003,12/03/2026,,1002,JPN Melaka,Tuntutan perjalanan,250.00
`

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadCommand is `espeks load` as an operator uses it.
func TestLoadCommand(t *testing.T) {
	ld := newLoadDB(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}

	good := writeTemp(t, "gaji-2025-12.csv", smallPayroll("2025-12-UTAMA"))
	code, stdout, stderr := ld.run("load", "payroll", good)
	if code != 0 || !strings.Contains(stdout, "Dimuatkan / Loaded: payroll, 6 baris / rows, 2 ditambah / added, 0 diganti / replaced") {
		t.Fatalf("good file: code %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	// Progress on a non-terminal: a line per quarter of each phase (a small file is
	// read in one go, so only 100% shows; TestLoadKill9 sees the quarters).
	for _, want := range []string{"100% menyemak / validating\n", "100% menulis / writing\n"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("progress %q missing from stderr %q", want, stderr)
		}
	}
	if s := readState(t, ld.d); s.Slips != 2 || s.Items != 6 || s.ItemSum != 2*(450000+49500+58500) {
		t.Errorf("after the load: %+v", s)
	}

	code, stdout, _ = ld.run("load", "payroll", good)
	if code != 0 || !strings.Contains(stdout, "Fail ini telah dimuatkan sebelum ini; tiada perubahan. / This file was loaded before; nothing changed.") {
		t.Errorf("same file again: code %d stdout %q", code, stdout)
	}

	code, stdout, stderr = ld.run("load", "payments", writeTemp(t, "bayaran.csv", smallPayments))
	if code != 0 || !strings.Contains(stdout, "Dimuatkan / Loaded: payments, 3 baris / rows, 2 ditambah / added") {
		t.Errorf("payments: code %d stdout %q stderr %q", code, stdout, stderr)
	}

	// A bad file: every error listed with line, column, value and both languages.
	before := readState(t, ld.d)
	bad := smallPayroll("2025-12-TAMBAHAN-1")
	bad = strings.Replace(bad, "5002,KWSP,EPF,495.00", "5002,KWSP,EPF,\"4,95.00\"", 1)                         // line 3
	bad = strings.Replace(bad, "9001,KWSP Majikan,EMPLOYER_EPF,585.00", "9001,KWSP Majikan,MAJIKAN,585.00", 1) // line 4
	code, stdout, stderr = ld.run("load", "payroll", writeTemp(t, "rosak.csv", bad))
	if code != 1 {
		t.Errorf("bad file: code %d, want 1", code)
	}
	for _, want := range []string{
		"Fail ditolak: 2 ralat; tiada apa-apa ditulis. / File refused: 2 error(s); nothing was written.",
		fmt.Sprintf("baris/line 3, lajur/column amount, nilai/value %q: %s / %s", "4,95.00",
			cat.M(i18n.Malay, i18n.Msg("money.format")), cat.M(i18n.English, i18n.Msg("money.format"))),
		fmt.Sprintf("baris/line 4, lajur/column category, nilai/value %q: %s / %s", "MAJIKAN",
			cat.M(i18n.Malay, i18n.Msg("load.code.category")), cat.M(i18n.English, i18n.Msg("load.code.category"))),
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stdout, "Dimuatkan") {
		t.Errorf("refused file reported as loaded: %q", stdout)
	}
	if after := readState(t, ld.d); after.Slips != before.Slips || after.Items != before.Items || after.ItemSum != before.ItemSum ||
		after.Loads != before.Loads+1 || after.Accepted != before.Accepted {
		t.Errorf("refused file: before %+v after %+v", before, after)
	}
	// Malay and English reasons are different texts (the catalogue really has both).
	if cat.M(i18n.Malay, i18n.Msg("money.format")) == cat.M(i18n.English, i18n.Msg("money.format")) {
		t.Error("money.format has the same text in both languages")
	}

	// A whole-file error: no column.
	code, _, stderr = ld.run("load", "payments", writeTemp(t, "kosong.csv", ""))
	if code != 1 || !strings.Contains(stderr, "baris/line 1: "+cat.M(i18n.Malay, i18n.Msg("load.empty"))) {
		t.Errorf("empty file: code %d stderr %q", code, stderr)
	}

	// A missing file is an error, not a refusal of its content.
	code, _, stderr = ld.run("load", "payroll", filepath.Join(t.TempDir(), "tiada.csv"))
	if code != 1 || !strings.Contains(stderr, "tiada.csv") {
		t.Errorf("missing file: code %d stderr %q", code, stderr)
	}

	// Usage errors exit 2.
	for _, args := range [][]string{{"load"}, {"load", "payroll"}, {"load", "gaji", good}, {"load", good}} {
		code, _, stderr := ld.run(args...)
		if code != 2 || !strings.Contains(stderr, "usage: espeks load payroll|payments FILE") {
			t.Errorf("%q: code %d stderr %q", args, code, stderr)
		}
	}
	code, _, stderr = ld.run("load", "payroll", good, "--no-such-flag")
	if code != 2 {
		t.Errorf("BUG an unknown flag is a usage error, want exit 2: code %d stderr %q (load.go: config.Load's flag error is not errUsage)", code, stderr)
	}
}

// moduleRoot walks up from the working directory to go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

func buildBinary(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
		if _, err := os.Stat(goBin); err != nil {
			goBin = "/usr/local/go/bin/go"
		}
	}
	bin := filepath.Join(t.TempDir(), "espeks")
	cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/espeks")
	cmd.Dir = moduleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestLoadKill9 kills `espeks load` with SIGKILL while it writes a large file: the
// database must be exactly as before the load, and the same load must then succeed
// (QUALITY.md, Reliability: loads).
func TestLoadKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and loads a large file")
	}
	start := time.Now()
	bin := buildBinary(t)
	t.Logf("build: %v", time.Since(start).Round(time.Millisecond))
	ld := newLoadDB(t)

	binary := func(args ...string) (int, string, string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = ld.environ()
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		if err != nil {
			code = -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
		}
		return code, out.String(), errOut.String()
	}

	// The state before: a small load.
	if code, stdout, stderr := binary("load", "payroll", writeTemp(t, "kecil.csv", smallPayroll("2025-12-UTAMA"))); code != 0 {
		t.Fatalf("small load: code %d\n%s\n%s", code, stdout, stderr)
	}
	before := readState(t, ld.d)
	if before.Slips != 2 || before.Accepted != 1 {
		t.Fatalf("before: %+v", before)
	}

	// A large file (one month of a big state's payroll).
	staffN := 20000
	if s, _ := strconv.Atoi(os.Getenv("ESPEKS_TEST_KILL_STAFF")); s > 0 {
		staffN = s
	}
	bigPath := filepath.Join(t.TempDir(), "gaji-besar.csv")
	f, err := os.Create(bigPath)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	rows, err := demo.WritePayroll(io.MultiWriter(f, h), demo.Options{Staff: staffN, Months: 1, EndYear: 2026, EndMonth: time.March, StateName: "Melaka"})
	if cerr := f.Close(); err != nil || cerr != nil {
		t.Fatalf("demo.WritePayroll: %v %v", err, cerr)
	}
	bigHash := hex.EncodeToString(h.Sum(nil))
	fi, _ := os.Stat(bigPath)
	t.Logf("big file: %d rows, %.1f MB (generated at %v)", rows, float64(fi.Size())/1e6, time.Since(start).Round(time.Millisecond))

	// Load it and kill the process once the write is a quarter done.
	cmd := exec.Command(bin, "load", "payroll", bigPath)
	cmd.Env = ld.environ()
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	loadStart := time.Now()
	var progress []string
	killed := false
	timer := time.AfterFunc(120*time.Second, func() { _ = cmd.Process.Kill() }) // never hang the test
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		line := sc.Text()
		progress = append(progress, fmt.Sprintf("%6.2fs %s", time.Since(loadStart).Seconds(), line))
		pct, label, ok := strings.Cut(strings.TrimSpace(line), "% ")
		n, err := strconv.Atoi(pct)
		if !killed && ok && err == nil && strings.HasPrefix(label, "menulis") && n >= 25 {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatalf("kill: %v", err)
			}
			killed = true
			progress = append(progress, fmt.Sprintf("%6.2fs SIGKILL", time.Since(loadStart).Seconds()))
		}
	}
	_ = cmd.Wait()
	timer.Stop()
	t.Logf("killed load:\n%s", strings.Join(progress, "\n"))
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !killed || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the load was not killed while writing (killed %v, state %v, stdout %q): make the file larger (ESPEKS_TEST_KILL_STAFF)",
			killed, cmd.ProcessState, stdout.String())
	}
	if strings.Contains(stdout.String(), "Dimuatkan") {
		t.Fatalf("the load finished before the kill: %q", stdout.String())
	}

	// Restart: open the database afresh, as the next process would.
	d2 := reopen(t, ld)
	if after := readState(t, d2); after != before {
		t.Errorf("after kill -9 the data differs from before the load:\nbefore %+v\nafter  %+v", before, after)
	}
	ctx := context.Background()
	var n int
	if err := d2.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM loads WHERE content_hash = $1 OR file_name = 'gaji-besar.csv'`, bigHash).Scan(&n); err != nil || n != 0 {
		t.Errorf("loads rows of the killed load: %d (%v)", n, err)
	}
	if ld.url == "" {
		var ok string
		if err := d2.Q(ctx).QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Errorf("integrity_check: %q %v", ok, err)
		}
	}
	d2.Close()

	// The same load again succeeds, whole.
	rerun := time.Now()
	code, out, errOut := binary("load", "payroll", bigPath)
	if code != 0 || !strings.Contains(out, "Dimuatkan / Loaded: payroll, "+strconv.Itoa(rows)+" baris / rows") {
		t.Fatalf("re-run: code %d\nstdout %q\nstderr %s", code, out, errOut)
	}
	t.Logf("re-run: %v; %s", time.Since(rerun).Round(time.Millisecond), strings.TrimSpace(out))
	final := readState(t, ld.d)
	if final.Items != before.Items+rows || final.Accepted != before.Accepted+1 || final.Slips <= before.Slips {
		t.Errorf("after the re-run: %+v (before %+v, %d rows)", final, before, rows)
	}
	var smallSlips int
	if err := ld.d.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM payslips WHERE payroll_id = '2025-12-UTAMA'`).Scan(&smallSlips); err != nil || smallSlips != 2 {
		t.Errorf("the earlier run's payslips: %d (%v)", smallSlips, err)
	}
	if err := ld.d.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM loads WHERE content_hash = $1 AND status = 'ACCEPTED'`, bigHash).Scan(&n); err != nil || n != 1 {
		t.Errorf("accepted loads of the big file: %d (%v)", n, err)
	}
	t.Logf("total %v", time.Since(start).Round(time.Millisecond))
}

// reopen opens the test database again through a new handle.
func reopen(t *testing.T, ld loadDB) *db.DB {
	t.Helper()
	var d *db.DB
	var err error
	if ld.url == "" {
		d, err = db.OpenSQLite(context.Background(), ld.d.Path)
	} else {
		d, err = db.Open(context.Background(), db.Options{URL: ld.url})
	}
	if err != nil {
		t.Fatal(err)
	}
	return d
}
