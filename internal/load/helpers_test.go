package load

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/dbtest"
)

// testNow is the loader's fixed clock.
var testNow = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

// newLoader returns a Loader on a fresh, migrated database of the test's own (SQLite,
// or PostgreSQL when ESPEKS_TEST_DATABASE_URL is set).
func newLoader(t testing.TB) (*Loader, *db.DB) {
	t.Helper()
	d := dbtest.Open(t)
	now := func() time.Time { return testNow }
	return &Loader{DB: d, Audit: &audit.Log{DB: d, Now: now}, Now: now}, d
}

// sheet is a CSV file as cells, so a test case can break one cell of a valid fixture.
type sheet struct {
	header []string
	rows   [][]string // rows[0] is file line 2
}

var payrollCols = []string{"payroll_id", "year", "month", "pay_date", "ic_no", "staff_no", "name", "position",
	"grade", "department_code", "department_name", "ptj_code", "ptj_name", "bank_name", "bank_account",
	"epf_no", "socso_no", "tax_no", "item_code", "item_name", "category", "amount"}

var paymentCols = []string{"payee_id", "payee_name", "payment_no", "payment_mode", "payment_date", "status",
	"bank_name", "bank_account", "payment_amount", "voucher_no", "voucher_date", "invoice_no", "ptj_code",
	"ptj_name", "description", "amount"}

// staff is one payslip of the payroll fixture.
type staff struct {
	ic, no, name, position, grade, bank, account, epf string
	items                                             [][3]string // item_code+name, category, amount
}

var fixtureStaff = []staff{
	{"800101-14-5007", "S0001", "Ahmad bin Ali", "Pegawai Tadbir", "N41", "Maybank", "112233445566", "12345678",
		[][3]string{{"0001 Gaji Pokok", "BASIC", "4500.00"}, {"0210 ITKA", "ALLOWANCE_EXEMPT", "300.00"},
			{"5001 PCB", "PCB", "120.50"}, {"5002 KWSP", "EPF", "495.00"}, {"9001 KWSP Majikan", "EMPLOYER_EPF", "585.00"}}},
	{"850615-10-5122", "S0002", "Siti Nurhaliza binti Ismail", "Pembantu Tadbir", "N19", "CIMB", "8000123456", "",
		[][3]string{{"0001 Gaji Pokok", "BASIC", "3200.00"}, {"0201 Elaun Perumahan", "ALLOWANCE", "150.00"},
			{"5002 KWSP", "EPF", "352.00"}, {"5010 Zakat", "ZAKAT", "50.00"}, {"9002 PERKESO Majikan", "EMPLOYER_SOCSO", "60.10"}}},
}

// Expected totals of the fixture's payslips, in sen (worked out by hand from the table
// above and DATA.md's blocks).
var fixtureTotals = map[string][4]int64{ // ic → income, deductions, employer, net
	"800101145007": {480000, 61550, 58500, 418450},
	"850615105122": {335000, 40200, 6010, 294800},
}

// payrollFixture is a valid payroll file: one run 2026-03-UTAMA, 2 staff × 5 items,
// lines 2–6 the first payslip and 7–11 the second. The PTJ name holds a comma, so the
// file needs RFC 4180 quoting to load.
func payrollFixture() sheet {
	return payrollSheet("2026-03-UTAMA", "2026", "3", "2026-03-27", fixtureStaff)
}

func payrollSheet(payrollID, year, month, payDate string, people []staff) sheet {
	s := sheet{header: slices.Clone(payrollCols)}
	for _, p := range people {
		for _, it := range p.items {
			code, name, _ := strings.Cut(it[0], " ")
			s.rows = append(s.rows, []string{payrollID, year, month, payDate, p.ic, p.no, p.name, p.position,
				p.grade, "JKR", "Jabatan Kerja Raya", "1001", "JKR Melaka, Ibu Pejabat", p.bank, p.account,
				p.epf, "", "", code, name, it[1], it[2]})
		}
	}
	return s
}

// paymentsFixture is a valid payments file: EFT0001 (an SSM-numbered company, EFT,
// lines 2 and 3 adding up to 1500.00) and CEK000123 (a person, cheque, line 4, dates
// in the DD/MM/YYYY form).
func paymentsFixture() sheet {
	return sheet{header: slices.Clone(paymentCols), rows: [][]string{
		{"201901012345", "Syarikat Maju Jaya Sdn. Bhd.", "EFT0001", "EFT", "2026-03-15", "DIHANTAR", "CIMB",
			"800012345678", "1500.00", "V0001", "2026-03-10", "INV-88", "1001", "JKR Melaka", "Bekalan alat tulis", "1000.00"},
		{"201901012345", "Syarikat Maju Jaya Sdn. Bhd.", "EFT0001", "EFT", "2026-03-15", "DIHANTAR", "CIMB",
			"800012345678", "1500.00", "V0002", "2026-03-11", "", "1001", "JKR Melaka", "Toner pencetak", "500.00"},
		{"800101-14-5007", "Ahmad bin Ali", "CEK000123", "CEK", "15/03/2026", "DIKELUARKAN", "", "",
			"250.00", "V0003", "12/03/2026", "", "1002", "JPN Melaka", "Tuntutan perjalanan", "250.00"},
	}}
}

func (s sheet) clone() sheet {
	c := sheet{header: slices.Clone(s.header)}
	for _, r := range s.rows {
		c.rows = append(c.rows, slices.Clone(r))
	}
	return c
}

func (s sheet) col(name string) int {
	i := slices.Index(s.header, name)
	if i < 0 {
		panic("no column " + name)
	}
	return i
}

// set returns a copy with the cell of file line `line` (2 = first data row) in column
// col replaced by v.
func (s sheet) set(line int, col, v string) sheet {
	c := s.clone()
	c.rows[line-2][c.col(col)] = v
	return c
}

// setAll sets a column on every row.
func (s sheet) setAll(col, v string) sheet {
	c := s.clone()
	for _, r := range c.rows {
		r[c.col(col)] = v
	}
	return c
}

// drop returns a copy without the column.
func (s sheet) drop(col string) sheet {
	c := s.clone()
	i := c.col(col)
	c.header = slices.Delete(c.header, i, i+1)
	for j, r := range c.rows {
		c.rows[j] = slices.Delete(r, i, i+1)
	}
	return c
}

// addCol returns a copy with one more column (header h, value v on every row).
func (s sheet) addCol(h, v string) sheet {
	c := s.clone()
	c.header = append(c.header, h)
	for j := range c.rows {
		c.rows[j] = append(c.rows[j], v)
	}
	return c
}

// permute returns a copy with the columns in the order given by perm.
func (s sheet) permute(perm []int) sheet {
	c := sheet{header: make([]string, len(perm))}
	for i, p := range perm {
		c.header[i] = s.header[p]
	}
	for _, r := range s.rows {
		nr := make([]string, len(perm))
		for i, p := range perm {
			nr[i] = r[p]
		}
		c.rows = append(c.rows, nr)
	}
	return c
}

// csv is the sheet as an RFC 4180 file (LF line ends).
func (s sheet) csv() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(s.header)
	_ = w.WriteAll(s.rows)
	return b.Bytes()
}

func (s sheet) str() string { return string(s.csv()) }

// writeFile writes b to a new file in the test's temporary directory.
func writeFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// doLoad runs one load of content as a file called name. A panic in the loader is a
// test failure (with its stack), not the end of the whole test binary.
func doLoad(t testing.TB, l *Loader, kind, name string, content []byte) (res Result, err error) {
	t.Helper()
	path := writeFile(t, name, content)
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("BUG: Load(%s %s) panicked: %v\n%s", kind, name, p, debug.Stack())
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return l.Load(context.Background(), Request{Kind: kind, Path: path, FileName: name, Via: "cli", Source: "test"})
}

// mustAccept loads content and fails the test unless it is accepted.
func mustAccept(t testing.TB, l *Loader, kind, name string, content []byte) Result {
	t.Helper()
	res, err := doLoad(t, l, kind, name, content)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	if res.Status != Accepted {
		t.Fatalf("load %s: status %s, errors %+v (omitted %d)", name, res.Status, res.Errors.List, res.Errors.Omitted)
	}
	return res
}

// counts is everything a load can change, to prove a refused one changed nothing.
type counts struct {
	Runs, Slips, Items, Payments, Lines, History, Accepted int
	ItemSum, LineSum, NetSum, PaymentSum                   int64
	Statuses                                               string
}

func snapshot(t testing.TB, d *db.DB) counts {
	t.Helper()
	var c counts
	ctx := context.Background()
	q := func(dst any, sqlText string) {
		if err := d.Q(ctx).QueryRowContext(ctx, sqlText).Scan(dst); err != nil {
			t.Fatalf("%s: %v", sqlText, err)
		}
	}
	q(&c.Runs, `SELECT COUNT(*) FROM payroll_runs`)
	q(&c.Slips, `SELECT COUNT(*) FROM payslips`)
	q(&c.Items, `SELECT COUNT(*) FROM payslip_items`)
	q(&c.Payments, `SELECT COUNT(*) FROM payments`)
	q(&c.Lines, `SELECT COUNT(*) FROM payment_lines`)
	q(&c.History, `SELECT COUNT(*) FROM payment_status_history`)
	q(&c.Accepted, `SELECT COUNT(*) FROM loads WHERE status = 'ACCEPTED'`)
	q(&c.ItemSum, `SELECT COALESCE(SUM(amount), 0) FROM payslip_items`)
	q(&c.LineSum, `SELECT COALESCE(SUM(amount), 0) FROM payment_lines`)
	q(&c.NetSum, `SELECT COALESCE(SUM(net_pay), 0) FROM payslips`)
	q(&c.PaymentSum, `SELECT COALESCE(SUM(amount), 0) FROM payments`)
	rows, err := d.Q(ctx).QueryContext(ctx, `SELECT payment_no, status FROM payments ORDER BY payment_no`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var st []string
	for rows.Next() {
		var no, s string
		if err := rows.Scan(&no, &s); err != nil {
			t.Fatal(err)
		}
		st = append(st, no+"="+s)
	}
	c.Statuses = strings.Join(st, ",")
	return c
}

// loadRow is one row of the loads table.
type loadRow struct {
	Kind, FileName, Hash, Status, Errors, Via  string
	Rows, Added, Replaced, Updated, DurationMS int64
	CreatedAt                                  int64
	LoadedBy                                   sql.NullInt64
}

func loadByID(t testing.TB, d *db.DB, id int64) loadRow {
	t.Helper()
	var r loadRow
	ctx := context.Background()
	if err := d.Q(ctx).QueryRowContext(ctx, `SELECT kind, file_name, content_hash, status, errors, via, row_count, added,
		replaced, updated, duration_ms, created_at, loaded_by FROM loads WHERE id = $1`, id).Scan(&r.Kind, &r.FileName,
		&r.Hash, &r.Status, &r.Errors, &r.Via, &r.Rows, &r.Added, &r.Replaced, &r.Updated, &r.DurationMS,
		&r.CreatedAt, &r.LoadedBy); err != nil {
		t.Fatalf("loads row %d: %v", id, err)
	}
	return r
}

func countWhere(t testing.TB, d *db.DB, sqlText string, args ...any) int {
	t.Helper()
	var n int
	ctx := context.Background()
	if err := d.Q(ctx).QueryRowContext(ctx, sqlText, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sqlText, err)
	}
	return n
}

// bigPayroll writes a valid payroll file of staffN staff × items rows, one run.
func bigPayroll(payrollID string, staffN, items int) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(payrollCols, ",") + "\n")
	cats := []string{"BASIC", "ALLOWANCE", "ALLOWANCE_EXEMPT", "OVERTIME", "EPF", "PCB", "SOCSO", "EIS", "EMPLOYER_EPF", "EMPLOYER_SOCSO"}
	for i := range staffN {
		// A valid MyKad: born 1 Jan 1970 + i days (mod 28 per month), place 14.
		ic := fmt.Sprintf("%02d%02d%02d-14-%04d", 70+(i/336)%30, 1+(i/28)%12, 1+i%28, i%10000)
		for j := range items {
			fmt.Fprintf(&b, "%s,2026,3,2026-03-27,%s,S%06d,Pekerja %d,Pembantu Tadbir,N19,JKR,Jabatan Kerja Raya,1001,JKR Melaka,Maybank,1122%08d,,,,%04d,Item %d,%s,%d.%02d\n",
				payrollID, ic, i, i, i, j, j, cats[j%len(cats)], 100+i%900, j)
		}
	}
	return b.Bytes()
}
