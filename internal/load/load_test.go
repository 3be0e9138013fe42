package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/payslip"
)

// replaceLine rewrites one physical line (1 = the header) of a file.
func replaceLine(content string, line int, f func(string) string) []byte {
	lines := strings.SplitAfter(content, "\n")
	lines[line-1] = f(lines[line-1])
	return []byte(strings.Join(lines, ""))
}

func ce(line int, column, value, code string) CellError {
	return CellError{Line: line, Column: column, Value: value, Code: code}
}

// rejectCase is one rule of DATA.md broken by a small file.
type rejectCase struct {
	name    string
	kind    string
	content []byte
	want    []CellError // the exact list, in order
	omitted int
	bug     string // set when the expectation fails today because of a known loader bug
}

func rejectCases() []rejectCase {
	p, f := payrollFixture(), paymentsFixture()
	ps, fs := p.str(), f.str()
	upperHeader := p.clone()
	for i, h := range upperHeader.header {
		upperHeader.header[i] = strings.ToUpper(h)
	}
	renamed := p.clone()
	renamed.header[renamed.col("ic_no")] = "ic_num"
	extraField := p.clone()
	extraField.rows[1] = append(extraField.rows[1], "x")
	shortLine := f.clone()
	shortLine.rows[2] = shortLine.rows[2][:len(shortLine.rows[2])-1]

	var many []rejectCase
	{
		b := bigPayrollAmount("2026-03-UTAMA", 200, 5, "12.345")
		var want []CellError
		for line := 2; line < 2+MaxErrors; line++ {
			want = append(want, ce(line, "amount", "12.345", "money.decimals"))
		}
		many = append(many, rejectCase{name: "1000 bad rows: 200 listed, 800 counted", kind: Payroll, content: b, want: want, omitted: 800,
			bug: "validatePayroll/validatePayments stop reading at MaxErrors (`for !errs.Full() && t.next(errs)`), so Omitted counts only the overflow of the last row read, not the rest of the file"})
	}

	cases := []rejectCase{
		// CSV structure and RFC 4180 quoting.
		{name: "bare quote in an unquoted field", kind: Payroll,
			content: []byte(strings.Replace(ps, "S0001,Ahmad bin Ali", `S0001,Ahmad "Mat bin Ali`, 1)),
			want:    []CellError{ce(2, "", "", "load.csv.malformed")}},
		{name: "text after a closing quote", kind: Payroll,
			content: replaceLine(ps, 9, func(s string) string { return strings.Replace(s, ",Siti Nurhaliza", `,"Siti" Nurhaliza`, 1) }),
			want:    []CellError{ce(9, "", "", "load.csv.malformed")}},
		{name: "unterminated quote on the last line", kind: Payroll,
			content: replaceLine(ps, 11, func(s string) string { return strings.Replace(s, ",Siti Nurhaliza", `,"Siti Nurhaliza`, 1) }),
			want:    []CellError{ce(11, "", "", "load.csv.malformed")}},
		{name: "broken quote in the first field of a row", kind: Payroll,
			content: replaceLine(ps, 3, func(s string) string { return `2026-03-"UTAMA` + strings.TrimPrefix(s, "2026-03-UTAMA") }),
			want:    []CellError{ce(3, "", "", "load.csv.malformed")},
			bug:     "csvfile.go (table.next): t.r.FieldPos(0) panics when the row's first field is malformed (no field position recorded)"},
		{name: "unterminated quote in the first field of the last row", kind: Payments,
			content: replaceLine(fs, 4, func(s string) string { return `"` + s }),
			want:    []CellError{ce(4, "", "", "load.csv.malformed")},
			bug:     "csvfile.go (table.next): t.r.FieldPos(0) panics when the row's first field is malformed (no field position recorded)"},
		{name: "unreadable header", kind: Payroll,
			content: []byte(strings.Replace(ps, "payroll_id,year", `payroll_id,ye"ar`, 1)),
			want:    []CellError{ce(1, "", "", "load.header.unreadable")}},
		{name: "extra field on a line", kind: Payroll, content: extraField.csv(),
			want: []CellError{ce(3, "", "", "load.csv.field_count")}},
		{name: "missing field on a line", kind: Payments, content: shortLine.csv(),
			want: []CellError{ce(4, "", "", "load.csv.field_count")}},
		{name: "empty file", kind: Payroll, content: nil, want: []CellError{ce(1, "", "", "load.empty")}},
		{name: "empty file (payments)", kind: Payments, content: []byte(""), want: []CellError{ce(1, "", "", "load.empty")}},
		{name: "only a BOM and blank lines", kind: Payroll, content: []byte("\xEF\xBB\xBF\n\n"), want: []CellError{ce(1, "", "", "load.empty")}},
		{name: "header only", kind: Payroll, content: []byte(strings.Join(payrollCols, ",") + "\n"),
			want: []CellError{ce(2, "", "", "load.no_rows")}},
		{name: "header only (payments)", kind: Payments, content: []byte(strings.Join(paymentCols, ",") + "\r\n"),
			want: []CellError{ce(2, "", "", "load.no_rows")}},

		// The header.
		{name: "unknown column", kind: Payroll, content: p.addCol("catatan", "x").csv(),
			want: []CellError{ce(1, "catatan", "catatan", "load.header.unknown")}},
		{name: "misspelt column: unknown and missing", kind: Payroll, content: renamed.csv(),
			want: []CellError{ce(1, "ic_num", "ic_num", "load.header.unknown"), ce(1, "ic_no", "", "load.header.missing")}},
		{name: "duplicate column (case-insensitive)", kind: Payroll, content: upperHeader.addCol("amount", "1.00").csv(),
			want: []CellError{ce(1, "amount", "amount", "load.header.duplicate")}},
		{name: "missing required column", kind: Payroll, content: p.drop("bank_account").csv(),
			want: []CellError{ce(1, "bank_account", "", "load.header.missing")}},
		{name: "missing required column (payments)", kind: Payments, content: f.drop("payment_amount").csv(),
			want: []CellError{ce(1, "payment_amount", "", "load.header.missing")}},

		// Required cells.
		{name: "empty staff_no", kind: Payroll, content: p.set(3, "staff_no", "").csv(),
			want: []CellError{ce(3, "staff_no", "", "load.required")}},
		{name: "blank name (spaces only)", kind: Payroll, content: p.set(4, "name", "   ").csv(),
			want: []CellError{ce(4, "name", "", "load.required")}},
		{name: "empty item_code", kind: Payroll, content: p.set(5, "item_code", "").csv(),
			want: []CellError{ce(5, "item_code", "", "load.required")}},
		{name: "empty year", kind: Payroll, content: p.set(5, "year", "").csv(),
			want: []CellError{ce(5, "year", "", "load.required")}},
		{name: "empty category", kind: Payroll, content: p.set(5, "category", "").csv(),
			want: []CellError{ce(5, "category", "", "load.required")}},
		{name: "empty amount", kind: Payroll, content: p.set(5, "amount", "").csv(),
			want: []CellError{ce(5, "amount", "", "money.empty")}},
		{name: "empty ic_no", kind: Payroll, content: p.set(5, "ic_no", "").csv(),
			want: []CellError{ce(5, "ic_no", "", "identity.empty")}},
		{name: "empty pay_date", kind: Payroll, content: p.set(5, "pay_date", "").csv(),
			want: []CellError{ce(5, "pay_date", "", "date.empty")}},
		{name: "empty description (payments)", kind: Payments, content: f.set(4, "description", "").csv(),
			want: []CellError{ce(4, "description", "", "load.required")}},
		{name: "empty voucher_no (payments)", kind: Payments, content: f.set(4, "voucher_no", " ").csv(),
			want: []CellError{ce(4, "voucher_no", "", "load.required")}},

		// Amounts.
		{name: "amount with a thousands separator", kind: Payroll, content: p.set(2, "amount", "4,500.00").csv(),
			want: []CellError{ce(2, "amount", "4,500.00", "money.format")}},
		{name: "amount with a currency sign", kind: Payroll, content: p.set(4, "amount", "RM120.50").csv(),
			want: []CellError{ce(4, "amount", "RM120.50", "money.format")}},
		{name: "amount with 3 decimals", kind: Payroll, content: p.set(4, "amount", "120.505").csv(),
			want: []CellError{ce(4, "amount", "120.505", "money.decimals")}},
		{name: "amount with letters", kind: Payroll, content: p.set(4, "amount", "12O.50").csv(),
			want: []CellError{ce(4, "amount", "12O.50", "money.format")}},
		{name: "amount with a decimal comma", kind: Payroll, content: p.set(4, "amount", "120,50").csv(),
			want: []CellError{ce(4, "amount", "120,50", "money.format")}},
		{name: "amount too large", kind: Payroll, content: p.set(4, "amount", "12345678901.00").csv(),
			want: []CellError{ce(4, "amount", "12345678901.00", "money.range")}},
		{name: "payment_amount with a thousands separator", kind: Payments, content: f.set(4, "payment_amount", "1,250.00").csv(),
			want: []CellError{ce(4, "payment_amount", "1,250.00", "money.format")}},
		{name: "line amount with a currency sign", kind: Payments, content: f.set(4, "amount", "RM250.00").csv(),
			want: []CellError{ce(4, "amount", "RM250.00", "money.format")}},

		// Dates.
		{name: "31 February", kind: Payroll, content: p.set(4, "pay_date", "31/02/2026").csv(),
			want: []CellError{ce(4, "pay_date", "31/02/2026", "date.invalid")}},
		{name: "month 13", kind: Payroll, content: p.set(4, "pay_date", "2026-13-01").csv(),
			want: []CellError{ce(4, "pay_date", "2026-13-01", "date.invalid")}},
		{name: "YYYY/MM/DD", kind: Payroll, content: p.set(4, "pay_date", "2026/03/01").csv(),
			want: []CellError{ce(4, "pay_date", "2026/03/01", "date.format")}},
		{name: "bad payment_date", kind: Payments, content: f.set(4, "payment_date", "32/03/2026").csv(),
			want: []CellError{ce(4, "payment_date", "32/03/2026", "date.invalid")}},
		{name: "bad voucher_date", kind: Payments, content: f.set(4, "voucher_date", "2026.03.12").csv(),
			want: []CellError{ce(4, "voucher_date", "2026.03.12", "date.format")}},

		// Identity numbers.
		{name: "MyKad with month 13", kind: Payroll, content: p.set(2, "ic_no", "801301-14-5007").csv(),
			want: []CellError{ce(2, "ic_no", "801301-14-5007", "identity.date")}},
		{name: "MyKad with place code 00", kind: Payroll, content: p.set(2, "ic_no", "800101-00-5007").csv(),
			want: []CellError{ce(2, "ic_no", "800101-00-5007", "identity.place")}},
		{name: "MyKad too short", kind: Payroll, content: p.set(2, "ic_no", "80010114500").csv(),
			want: []CellError{ce(2, "ic_no", "80010114500", "identity.format")}},
		{name: "SSM number in ic_no", kind: Payroll, content: p.set(2, "ic_no", "201901012345").csv(),
			want: []CellError{ce(2, "ic_no", "201901012345", "identity.not_mykad")}},
		{name: "bad payee_id", kind: Payments, content: f.set(4, "payee_id", "12345").csv(),
			want: []CellError{ce(4, "payee_id", "12345", "identity.format")}},

		// Codes and integers.
		{name: "unknown category", kind: Payroll, content: p.set(5, "category", "SALARY").csv(),
			want: []CellError{ce(5, "category", "SALARY", "load.code.category")}},
		{name: "year before 2000", kind: Payroll, content: p.set(2, "year", "1999").csv(),
			want: []CellError{ce(2, "year", "1999", "load.integer.year")}},
		{name: "year not a number", kind: Payroll, content: p.set(2, "year", "2O26").csv(),
			want: []CellError{ce(2, "year", "2O26", "load.integer.year")}},
		{name: "month 13 (column)", kind: Payroll, content: p.set(2, "month", "13").csv(),
			want: []CellError{ce(2, "month", "13", "load.integer.month")}},
		{name: "month 0", kind: Payroll, content: p.set(2, "month", "0").csv(),
			want: []CellError{ce(2, "month", "0", "load.integer.month")}},
		{name: "payroll_id with spaces", kind: Payroll, content: p.set(2, "payroll_id", "2026 03 UTAMA").csv(),
			want: []CellError{ce(2, "payroll_id", "2026 03 UTAMA", "load.payroll_id.format")}},
		{name: "unknown status", kind: Payments, content: f.set(4, "status", "DIBAYAR").csv(),
			want: []CellError{ce(4, "status", "DIBAYAR", "load.code.status")}},
		{name: "unknown payment_mode", kind: Payments, content: f.set(4, "payment_mode", "TUNAI").csv(),
			want: []CellError{ce(4, "payment_mode", "TUNAI", "load.code.payment_mode")}},

		// Text cells.
		{name: "control character in a name", kind: Payroll, content: p.set(2, "name", "Ahmad\x07bin Ali").csv(),
			want: []CellError{ce(2, "name", "Ahmad\x07bin Ali", "load.text.control")}},
		{name: "newline inside a quoted item_name", kind: Payroll, content: p.set(7, "item_name", "Gaji\nPokok").csv(),
			want: []CellError{ce(7, "item_name", "Gaji\nPokok", "load.text.control")}},
		{name: "tab in a description", kind: Payments, content: f.set(4, "description", "Tuntutan\tperjalanan").csv(),
			want: []CellError{ce(4, "description", "Tuntutan\tperjalanan", "load.text.control")}},
		{name: "invalid UTF-8", kind: Payroll, content: p.set(2, "position", "Pegawai \xff Tadbir").csv(),
			want: []CellError{ce(2, "position", "", "load.text.encoding")}},
		{name: "name too long", kind: Payroll, content: p.set(2, "name", strings.Repeat("a", 151)).csv(),
			want: []CellError{ce(2, "name", strings.Repeat("a", 77)+"...", "load.text.too_long")}},

		// One payslip: its header columns agree on all its rows; one run: one period.
		{name: "different bank_account on a payslip's second row", kind: Payroll,
			content: p.set(3, "bank_account", "999988887777").csv(),
			want:    []CellError{ce(3, "bank_account", "********7777", "load.payroll.header_mismatch")},
			bug:     "validatePayroll: load.payroll.header_mismatch is added with column \"\" and value \"\" (only a hash of the header is kept)"},
		{name: "different name on a payslip's third row", kind: Payroll,
			content: p.set(9, "name", "Siti Nurhaliza").csv(),
			want:    []CellError{ce(9, "name", "Siti Nurhaliza", "load.payroll.header_mismatch")},
			bug:     "validatePayroll: load.payroll.header_mismatch is added with column \"\" and value \"\" (only a hash of the header is kept)"},
		{name: "different pay_date within one payroll_id", kind: Payroll,
			content: p.set(8, "pay_date", "2026-03-28").csv(),
			want:    []CellError{ce(8, "payroll_id", "2026-03-UTAMA", "load.payroll.period_mismatch")}},
		{name: "different month within one payroll_id", kind: Payroll,
			content: p.set(11, "month", "4").csv(),
			want:    []CellError{ce(11, "payroll_id", "2026-03-UTAMA", "load.payroll.period_mismatch")}},

		// One payment: header columns agree, lines add up.
		{name: "lines not adding up to payment_amount", kind: Payments, content: f.set(3, "amount", "400.00").csv(),
			want: []CellError{ce(2, "payment_amount", "1500.00", "load.payment.sum_mismatch")}},
		{name: "single line not matching payment_amount", kind: Payments, content: f.set(4, "amount", "250.01").csv(),
			want: []CellError{ce(4, "payment_amount", "250.00", "load.payment.sum_mismatch")}},
		{name: "different bank_account within a payment", kind: Payments, content: f.set(3, "bank_account", "800012349999").csv(),
			want: []CellError{ce(3, "bank_account", "********9999", "load.payment.header_mismatch")},
			bug:  "validatePayments: load.payment.header_mismatch names no column/value, and the skipped line then causes a false load.payment.sum_mismatch"},
		{name: "different status within a payment", kind: Payments, content: f.set(3, "status", "DITERIMA").csv(),
			want: []CellError{ce(3, "status", "DITERIMA", "load.payment.header_mismatch")},
			bug:  "validatePayments: load.payment.header_mismatch names no column/value, and the skipped line then causes a false load.payment.sum_mismatch"},
		{name: "bad cell on a payment's second line: no false sum error", kind: Payments, content: f.set(3, "voucher_date", "30/02/2026").csv(),
			want: []CellError{ce(3, "voucher_date", "30/02/2026", "date.invalid")},
			bug:  "validatePayments: sum_mismatch is reported for a payment one of whose lines was skipped for a cell error"},
		{name: "EFT without bank account", kind: Payments, content: f.set(4, "payment_mode", "EFT").csv(),
			want: []CellError{ce(4, "bank_name", "", "load.payment.bank_required"), ce(4, "bank_account", "", "load.payment.bank_required")}},
		{name: "EFT with a bank name but no account", kind: Payments,
			content: f.set(2, "bank_account", "").set(3, "bank_account", "").csv(),
			want:    []CellError{ce(2, "bank_account", "", "load.payment.bank_required"), ce(3, "bank_account", "", "load.payment.bank_required")}},

		// Several errors in one row are all listed, in column order.
		{name: "every bad cell of a row is listed", kind: Payroll,
			content: p.set(6, "year", "20x6").set(6, "amount", "1.234").set(6, "category", "GAJI").csv(),
			want: []CellError{ce(6, "year", "20x6", "load.integer.year"), ce(6, "category", "GAJI", "load.code.category"),
				ce(6, "amount", "1.234", "money.decimals")}},
	}
	return append(cases, many...)
}

// TestRejectedFiles breaks each rule of DATA.md with a small file: the load is refused
// with exactly the expected errors, nothing is written, and the refusal is recorded
// and audited.
func TestRejectedFiles(t *testing.T) {
	l, d := newLoader(t)
	// Data already there, so "nothing written" also means "nothing changed".
	mustAccept(t, l, Payroll, "gaji-2026-03.csv", payrollFixture().csv())
	mustAccept(t, l, Payments, "bayaran-2026-03.csv", paymentsFixture().csv())
	ctx := context.Background()

	for i, tc := range rejectCases() {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, d)
			loadsBefore := countWhere(t, d, `SELECT COUNT(*) FROM loads`)
			auditBefore := countWhere(t, d, `SELECT COUNT(*) FROM audit_log WHERE event = $1`, audit.DataLoad)
			name := fmt.Sprintf("bad-%02d.csv", i)

			res, err := doLoad(t, l, tc.kind, name, tc.content)
			if err != nil {
				t.Fatalf("Load: %v (bug: %s)", err, tc.bug)
			}
			if res.Status != Rejected {
				t.Fatalf("status %s, want REJECTED (errors %+v)", res.Status, res.Errors.List)
			}
			if !slices.Equal(res.Errors.List, tc.want) || res.Errors.Omitted != tc.omitted {
				msg := fmt.Sprintf("errors:\n got %s (omitted %d)\nwant %s (omitted %d)",
					fmtErrs(res.Errors.List), res.Errors.Omitted, fmtErrs(tc.want), tc.omitted)
				if tc.bug != "" {
					msg = "BUG " + tc.bug + "\n" + msg
				}
				t.Error(msg)
			}
			for _, e := range res.Errors.List {
				if e.Line < 1 || e.Code == "" {
					t.Errorf("error without a line or code: %+v", e)
				}
			}
			if res.Added != 0 || res.Replaced != 0 || res.Updated != 0 {
				t.Errorf("result claims writes: %+v", res)
			}

			if after := snapshot(t, d); after != before {
				t.Errorf("a refused file changed the data:\nbefore %+v\nafter  %+v", before, after)
			}
			if n := countWhere(t, d, `SELECT COUNT(*) FROM loads`); n != loadsBefore+1 {
				t.Errorf("loads rows %d → %d, want one more", loadsBefore, n)
			}
			r := loadByID(t, d, res.LoadID)
			if r.Status != Rejected || r.Kind != tc.kind || r.FileName != name || r.Hash != sha(tc.content) ||
				r.Via != "cli" || r.Added != 0 || r.Replaced != 0 || r.Rows != int64(res.Rows) || r.CreatedAt != db.Millis(testNow) {
				t.Errorf("loads row %+v (result %+v)", r, res)
			}
			var stored Errors
			if err := json.Unmarshal([]byte(r.Errors), &stored); err != nil || len(stored.List) != len(res.Errors.List) ||
				stored.Omitted != res.Errors.Omitted || (len(stored.List) > 0 && stored.List[0].Code != res.Errors.List[0].Code) {
				t.Errorf("loads.errors = %q (%v), want the result's errors", r.Errors, err)
			}
			if n := countWhere(t, d, `SELECT COUNT(*) FROM audit_log WHERE event = $1`, audit.DataLoad); n != auditBefore+1 {
				t.Errorf("audit data.load rows %d → %d, want one more", auditBefore, n)
			}
			var outcome, detail string
			if err := d.Q(ctx).QueryRowContext(ctx, `SELECT outcome, detail FROM audit_log WHERE event = $1 ORDER BY id DESC LIMIT 1`,
				audit.DataLoad).Scan(&outcome, &detail); err != nil || outcome != audit.Failure || !strings.Contains(detail, Rejected) {
				t.Errorf("audit: outcome %q detail %q err %v", outcome, detail, err)
			}
		})
	}
}

func fmtErrs(list []CellError) string {
	if len(list) > 4 {
		return fmt.Sprintf("%s … (%d in all) … %s", fmtErrs(list[:2]), len(list), fmtErrs(list[len(list)-1:]))
	}
	var b strings.Builder
	for _, e := range list {
		fmt.Fprintf(&b, "{%d %q %q %s} ", e.Line, e.Column, e.Value, e.Code)
	}
	return b.String()
}

// TestAcceptedVariants: what the common rules allow loads, and means the same as the
// plain fixture.
func TestAcceptedVariants(t *testing.T) {
	p, f := payrollFixture(), paymentsFixture()
	upper := p.clone()
	for i, h := range upper.header {
		upper.header[i] = " " + strings.ToUpper(h) + " "
	}
	perm := make([]int, len(p.header))
	for i := range perm {
		perm[i] = (i*7 + 3) % len(perm) // 7 and 22 are coprime: a full shuffle
	}
	fperm := make([]int, len(f.header))
	for i := range fperm {
		fperm[i] = len(fperm) - 1 - i
	}
	fUpper := f.permute(fperm)
	for i, h := range fUpper.header {
		fUpper.header[i] = strings.ToUpper(h)
	}
	quoted := p.clone()
	for line := 2; line <= 6; line++ {
		quoted = quoted.set(line, "name", `Ahmad "Mat", bin Ali`)
	}

	cases := []struct {
		name    string
		kind    string
		content []byte
		check   func(t *testing.T, d *db.DB)
	}{
		{"fixture", Payroll, p.csv(), checkFixtureTotals},
		{"with a BOM", Payroll, append([]byte("\xEF\xBB\xBF"), p.csv()...), checkFixtureTotals},
		{"CRLF line ends", Payroll, []byte(strings.ReplaceAll(p.str(), "\n", "\r\n")), checkFixtureTotals},
		{"quoted name with a comma and a quote", Payroll, quoted.csv(), func(t *testing.T, d *db.DB) {
			checkFixtureTotals(t, d)
			if n := countWhere(t, d, `SELECT COUNT(*) FROM payslips WHERE name = $1`, `Ahmad "Mat", bin Ali`); n != 1 {
				t.Errorf("quoted name stored %d times", n)
			}
			if n := countWhere(t, d, `SELECT COUNT(*) FROM payslips WHERE ptj_name = 'JKR Melaka, Ibu Pejabat'`); n != 2 {
				t.Errorf("ptj_name with a comma stored %d times", n)
			}
		}},
		{"shuffled columns", Payroll, p.permute(perm).csv(), checkFixtureTotals},
		{"upper-case header names with spaces", Payroll, upper.csv(), checkFixtureTotals},
		{"optional columns absent", Payroll, p.drop("epf_no").drop("socso_no").drop("tax_no").csv(), checkFixtureTotals},
		{"DD/MM/YYYY pay_date", Payroll, p.setAll("pay_date", "27/03/2026").csv(), func(t *testing.T, d *db.DB) {
			checkFixtureTotals(t, d)
			if n := countWhere(t, d, `SELECT COUNT(*) FROM payslips WHERE pay_date = '2026-03-27'`); n != 2 {
				t.Errorf("pay_date not stored as 2026-03-27 (%d)", n)
			}
		}},
		{"both date forms for the same day in one payslip", Payroll, p.set(3, "pay_date", "27/3/2026").csv(), checkFixtureTotals},
		{"ic_no with and without dashes in one payslip", Payroll, p.set(4, "ic_no", "800101145007").set(8, "ic_no", " 850615 10 5122 ").csv(), checkFixtureTotals},
		{"lower-case category", Payroll, p.set(2, "category", "basic").csv(), func(t *testing.T, d *db.DB) {
			checkFixtureTotals(t, d)
			if n := countWhere(t, d, `SELECT COUNT(*) FROM payslip_items WHERE category = 'BASIC'`); n != 2 {
				t.Errorf("category not stored upper-case (%d BASIC)", n)
			}
		}},
		{"negative amount (an adjustment)", Payroll, p.set(5, "amount", "-495.00").csv(), func(t *testing.T, d *db.DB) {
			var ded, net int64
			ctx := context.Background()
			if err := d.Q(ctx).QueryRowContext(ctx, `SELECT total_deductions, net_pay FROM payslips WHERE ic_no = '800101145007'`).Scan(&ded, &net); err != nil {
				t.Fatal(err)
			}
			if ded != 12050-49500 || net != 480000-(12050-49500) {
				t.Errorf("deductions %d net %d", ded, net)
			}
		}},
		{"payments fixture (SSM payee)", Payments, f.csv(), checkPaymentsFixture},
		{"payments: old-style SSM payee", Payments, f.set(4, "payee_id", "123456-a").csv(), func(t *testing.T, d *db.DB) {
			if n := countWhere(t, d, `SELECT COUNT(*) FROM payments WHERE payee_id = '123456A'`); n != 1 {
				t.Errorf("old SSM payee not stored normalised")
			}
		}},
		{"payments: BOM, upper-case, reversed columns", Payments, append([]byte("\xEF\xBB\xBF"), fUpper.csv()...), checkPaymentsFixture},
		{"payments: DRAF and TT without a bank", Payments, f.set(4, "payment_mode", "draf").csv(), func(t *testing.T, d *db.DB) {
			if n := countWhere(t, d, `SELECT COUNT(*) FROM payments WHERE mode = 'DRAF'`); n != 1 {
				t.Errorf("DRAF not stored")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, d := newLoader(t)
			res := mustAccept(t, l, tc.kind, "ok.csv", tc.content)
			if res.Errors.Len() != 0 {
				t.Errorf("accepted with errors %+v", res.Errors)
			}
			tc.check(t, d)
		})
	}
}

// checkFixtureTotals checks the payroll fixture's two payslips as DATA.md defines them.
func checkFixtureTotals(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	rows, err := d.Q(ctx).QueryContext(ctx, `SELECT ic_no, total_income, total_deductions, total_employer, net_pay FROM payslips`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string][4]int64{}
	for rows.Next() {
		var ic string
		var v [4]int64
		if err := rows.Scan(&ic, &v[0], &v[1], &v[2], &v[3]); err != nil {
			t.Fatal(err)
		}
		got[ic] = v
	}
	if fmt.Sprint(got) != fmt.Sprint(fixtureTotals) {
		t.Errorf("payslips (ic → income, deductions, employer, net):\n got %v\nwant %v", got, fixtureTotals)
	}
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payslip_items`); n != 10 {
		t.Errorf("%d items, want 10", n)
	}
}

func checkPaymentsFixture(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	type pay struct {
		payee, mode, date, status, bank, account string
		amount                                   int64
		lines                                    int
		lineSum                                  int64
	}
	want := map[string]pay{
		"EFT0001":   {"201901012345", "EFT", "2026-03-15", "DIHANTAR", "CIMB", "800012345678", 150000, 2, 150000},
		"CEK000123": {"800101145007", "CEK", "2026-03-15", "DIKELUARKAN", "", "", 25000, 1, 25000},
	}
	rows, err := d.Q(ctx).QueryContext(ctx, `SELECT p.payment_no, p.payee_id, p.mode, p.payment_date, p.status, p.bank_name,
		p.bank_account, p.amount, COUNT(l.line), SUM(l.amount) FROM payments p JOIN payment_lines l ON l.payment_id = p.id
		GROUP BY p.payment_no, p.payee_id, p.mode, p.payment_date, p.status, p.bank_name, p.bank_account, p.amount`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]pay{}
	for rows.Next() {
		var no string
		var p pay
		if err := rows.Scan(&no, &p.payee, &p.mode, &p.date, &p.status, &p.bank, &p.account, &p.amount, &p.lines, &p.lineSum); err != nil {
			t.Fatal(err)
		}
		got[no] = p
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("payments:\n got %v\nwant %v", got, want)
	}
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payment_lines WHERE voucher_date = '2026-03-12' AND voucher_no = 'V0003'`); n != 1 {
		t.Errorf("voucher_date DD/MM/YYYY not stored as ISO")
	}
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payment_status_history h JOIN payments p ON p.id = h.payment_id
		WHERE h.status = p.status`); n != 2 {
		t.Errorf("status history: %d opening rows, want 2", n)
	}
}

// TestPayrollLoad checks what a valid payroll file writes.
func TestPayrollLoad(t *testing.T) {
	l, d := newLoader(t)
	ctx := context.Background()
	content := payrollFixture().csv()
	res := mustAccept(t, l, Payroll, "gaji-2026-03.csv", content)
	if res.Rows != 10 || res.Added != 2 || res.Replaced != 0 || res.Updated != 0 || res.LoadID == 0 {
		t.Errorf("result %+v", res)
	}
	checkFixtureTotals(t, d)

	// Totals are the sums of the stored items by block, and net = income − deductions.
	rows, err := d.Q(ctx).QueryContext(ctx, `SELECT p.ic_no, p.total_income, p.total_deductions, p.total_employer, p.net_pay,
		i.category, i.amount FROM payslips p JOIN payslip_items i ON i.payslip_id = p.id`)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]*[4]int64{}
	stored := map[string][4]int64{}
	for rows.Next() {
		var ic, cat string
		var tot [4]int64
		var amt int64
		if err := rows.Scan(&ic, &tot[0], &tot[1], &tot[2], &tot[3], &cat, &amt); err != nil {
			t.Fatal(err)
		}
		stored[ic] = tot
		if sums[ic] == nil {
			sums[ic] = &[4]int64{}
		}
		switch payslip.Categories[cat] {
		case payslip.Income:
			sums[ic][0] += amt
		case payslip.Deduction:
			sums[ic][1] += amt
		case payslip.Contribution:
			sums[ic][2] += amt
		default:
			t.Errorf("stored category %q is not in DATA.md", cat)
		}
	}
	rows.Close()
	for ic, s := range sums {
		s[3] = s[0] - s[1]
		if *s != stored[ic] {
			t.Errorf("%s: stored totals %v, sums of items %v", ic, stored[ic], *s)
		}
	}

	// Payslip header, normalised.
	var ic, pid, payDate, ptj, account, epf, publicID, runPID string
	var year, month int
	var runLoad int64
	if err := d.Q(ctx).QueryRowContext(ctx, `SELECT p.ic_no, p.payroll_id, p.year, p.month, p.pay_date, p.ptj_name, p.bank_account,
		p.epf_no, p.public_id, r.payroll_id, r.load_id FROM payslips p JOIN payroll_runs r ON r.id = p.run_id WHERE p.staff_no = 'S0001'`).
		Scan(&ic, &pid, &year, &month, &payDate, &ptj, &account, &epf, &publicID, &runPID, &runLoad); err != nil {
		t.Fatal(err)
	}
	if ic != "800101145007" || pid != "2026-03-UTAMA" || year != 2026 || month != 3 || payDate != "2026-03-27" ||
		ptj != "JKR Melaka, Ibu Pejabat" || account != "112233445566" || epf != "12345678" || runPID != pid || runLoad != res.LoadID {
		t.Errorf("payslip: ic %q pid %q %d-%d %q ptj %q acct %q epf %q run %q/%d", ic, pid, year, month, payDate, ptj, account, epf, runPID, runLoad)
	}
	if len(publicID) < 16 || strings.Contains(publicID, ic) {
		t.Errorf("public_id %q is not opaque", publicID)
	}
	if n := countWhere(t, d, `SELECT COUNT(DISTINCT public_id) FROM payslips`); n != 2 {
		t.Errorf("%d distinct public IDs", n)
	}

	// Items with their line numbers, in file order.
	irows, err := d.Q(ctx).QueryContext(ctx, `SELECT i.line, i.item_code, i.item_name, i.category, i.amount FROM payslip_items i
		JOIN payslips p ON p.id = i.payslip_id WHERE p.ic_no = '850615105122' ORDER BY i.line`)
	if err != nil {
		t.Fatal(err)
	}
	var items []string
	for irows.Next() {
		var line int
		var code, name, cat string
		var amt int64
		if err := irows.Scan(&line, &code, &name, &cat, &amt); err != nil {
			t.Fatal(err)
		}
		items = append(items, fmt.Sprintf("%d %s %s %s %d", line, code, name, cat, amt))
	}
	irows.Close()
	want := []string{"1 0001 Gaji Pokok BASIC 320000", "2 0201 Elaun Perumahan ALLOWANCE 15000", "3 5002 KWSP EPF 35200",
		"4 5010 Zakat ZAKAT 5000", "5 9002 PERKESO Majikan EMPLOYER_SOCSO 6010"}
	if !slices.Equal(items, want) {
		t.Errorf("items:\n got %q\nwant %q", items, want)
	}

	// The load record and the audit.
	r := loadByID(t, d, res.LoadID)
	if r.Kind != Payroll || r.FileName != "gaji-2026-03.csv" || r.Hash != sha(content) || r.Status != Accepted ||
		r.Rows != 10 || r.Added != 2 || r.Replaced != 0 || r.Errors != "" || r.Via != "cli" || r.LoadedBy.Valid ||
		r.CreatedAt != db.Millis(testNow) {
		t.Errorf("loads row %+v", r)
	}
	var outcome, detail, actor string
	if err := d.Q(ctx).QueryRowContext(ctx, `SELECT outcome, detail, actor_login FROM audit_log WHERE event = $1`, audit.DataLoad).
		Scan(&outcome, &detail, &actor); err != nil {
		t.Fatal(err)
	}
	if outcome != audit.Success || !strings.Contains(detail, "payroll") || !strings.Contains(detail, Accepted) || actor != "cli" {
		t.Errorf("audit: %q %q %q", outcome, detail, actor)
	}
}

// TestDuplicateLoad: the same content again changes nothing and says so.
func TestDuplicateLoad(t *testing.T) {
	for _, kind := range []string{Payroll, Payments} {
		t.Run(kind, func(t *testing.T) {
			l, d := newLoader(t)
			content := payrollFixture().csv()
			if kind == Payments {
				content = paymentsFixture().csv()
			}
			first := mustAccept(t, l, kind, "a.csv", content)
			before := snapshot(t, d)
			res, err := doLoad(t, l, kind, "same-content-other-name.csv", content)
			if err != nil || res.Status != Duplicate || res.Added != 0 || res.Replaced != 0 || res.Updated != 0 || res.Errors.Len() != 0 {
				t.Fatalf("second load: %+v, %v", res, err)
			}
			if after := snapshot(t, d); after != before {
				t.Errorf("duplicate changed the data:\nbefore %+v\nafter  %+v", before, after)
			}
			r := loadByID(t, d, res.LoadID)
			if res.LoadID == first.LoadID || r.Status != Duplicate || r.Hash != sha(content) || r.FileName != "same-content-other-name.csv" || r.Kind != kind {
				t.Errorf("loads row %+v", r)
			}
			if n := countWhere(t, d, `SELECT COUNT(*) FROM audit_log WHERE event = $1`, audit.DataLoad); n != 2 {
				t.Errorf("%d data.load audit rows, want 2", n)
			}
			if n := countWhere(t, d, `SELECT COUNT(*) FROM audit_log WHERE event = $1 AND outcome = $2 AND detail LIKE '%DUPLICATE%'`,
				audit.DataLoad, audit.Failure); n != 1 {
				t.Errorf("duplicate not audited")
			}
			// A third time, still a duplicate.
			if res, err := doLoad(t, l, kind, "again.csv", content); err != nil || res.Status != Duplicate {
				t.Errorf("third load: %+v, %v", res, err)
			}
		})
	}
}

// TestPayrollReplace: a payroll_id loaded again from a different file replaces the
// run's payslips whole, and leaves other runs alone.
func TestPayrollReplace(t *testing.T) {
	l, d := newLoader(t)
	ctx := context.Background()
	extra := payrollSheet("2026-03-TAMBAHAN-1", "2026", "3", "2026-03-30", []staff{{
		"850615-10-5122", "S0002", "Siti Nurhaliza binti Ismail", "Pembantu Tadbir", "N19", "CIMB", "8000123456", "",
		[][3]string{{"0300 Bonus", "BONUS", "1000.00"}}}})
	mustAccept(t, l, Payroll, "tambahan.csv", extra.csv())
	first := mustAccept(t, l, Payroll, "utama.csv", payrollFixture().csv())

	s1 := fixtureStaff[0]
	s1.items = [][3]string{{"0001 Gaji Pokok", "BASIC", "4600.00"}, {"5001 PCB", "PCB", "130.00"}, {"5002 KWSP", "EPF", "506.00"}}
	newcomer := staff{"900202-05-5011", "S0003", "Kumar a/l Raju", "Juruteknik", "J29", "RHB", "2233", "", [][3]string{{"0001 Gaji Pokok", "BASIC", "2800.00"}}}
	correction := payrollSheet("2026-03-UTAMA", "2026", "3", "2026-03-27", []staff{s1, newcomer})
	res := mustAccept(t, l, Payroll, "utama-pembetulan.csv", correction.csv())
	if res.Replaced != 2 || res.Added != 2 || res.Rows != 4 {
		t.Errorf("result %+v, want replaced 2 added 2 rows 4", res)
	}
	if r := loadByID(t, d, res.LoadID); r.Replaced != 2 || r.Added != 2 || r.Status != Accepted {
		t.Errorf("loads row %+v", r)
	}
	// The run now holds exactly the correction's payslips and items.
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payslips WHERE payroll_id = '2026-03-UTAMA'`); n != 2 {
		t.Errorf("%d UTAMA payslips, want 2", n)
	}
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payslip_items i JOIN payslips p ON p.id = i.payslip_id WHERE p.payroll_id = '2026-03-UTAMA'`); n != 4 {
		t.Errorf("%d UTAMA items, want 4", n)
	}
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payslip_items`); n != 5 {
		t.Errorf("%d items in all, want 5 (old items must be gone)", n)
	}
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payslip_items WHERE payslip_id NOT IN (SELECT id FROM payslips)`); n != 0 {
		t.Errorf("%d orphan items", n)
	}
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payslips WHERE payroll_id = '2026-03-UTAMA' AND ic_no = '850615105122'`); n != 0 {
		t.Errorf("a payslip missing from the correction survived")
	}
	var net int64
	var runLoad int64
	if err := d.Q(ctx).QueryRowContext(ctx, `SELECT p.net_pay, r.load_id FROM payslips p JOIN payroll_runs r ON r.id = p.run_id
		WHERE p.payroll_id = '2026-03-UTAMA' AND p.ic_no = '800101145007'`).Scan(&net, &runLoad); err != nil {
		t.Fatal(err)
	}
	if net != 460000-13000-50600 || runLoad != res.LoadID || runLoad == first.LoadID {
		t.Errorf("corrected payslip net %d run load %d", net, runLoad)
	}
	// The other run is untouched.
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payslips WHERE payroll_id = '2026-03-TAMBAHAN-1'`); n != 1 {
		t.Errorf("TAMBAHAN run lost its payslip")
	}
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payroll_runs`); n != 2 {
		t.Errorf("%d runs, want 2", n)
	}
}

// TestPaymentsLoad checks what a valid payments file writes.
func TestPaymentsLoad(t *testing.T) {
	l, d := newLoader(t)
	content := paymentsFixture().csv()
	res := mustAccept(t, l, Payments, "bayaran.csv", content)
	if res.Rows != 3 || res.Added != 2 || res.Updated != 0 || res.Replaced != 0 {
		t.Errorf("result %+v", res)
	}
	checkPaymentsFixture(t, d)
	if r := loadByID(t, d, res.LoadID); r.Kind != Payments || r.Hash != sha(content) || r.Rows != 3 || r.Added != 2 || r.Status != Accepted {
		t.Errorf("loads row %+v", r)
	}
	if n := countWhere(t, d, `SELECT COUNT(*) FROM payments WHERE load_id = $1`, res.LoadID); n != 2 {
		t.Errorf("payments.load_id not set")
	}
	if n := countWhere(t, d, `SELECT COUNT(*) FROM audit_log WHERE event = $1 AND outcome = $2`, audit.DataLoad, audit.Success); n != 1 {
		t.Errorf("accepted payments load not audited")
	}
}

// TestPaymentStatusChange: a later file carrying a payment with a new status changes
// the status and records it; lines stay as they were.
func TestPaymentStatusChange(t *testing.T) {
	l, d := newLoader(t)
	ctx := context.Background()
	f := paymentsFixture()
	mustAccept(t, l, Payments, "hantar.csv", f.csv())
	before := snapshot(t, d)

	later := f.set(2, "status", "DITERIMA").set(3, "status", "DITERIMA")
	res := mustAccept(t, l, Payments, "terima.csv", later.csv())
	if res.Updated != 1 || res.Added != 0 || res.Rows != 3 {
		t.Errorf("result %+v, want updated 1 added 0", res)
	}
	if r := loadByID(t, d, res.LoadID); r.Updated != 1 || r.Added != 0 {
		t.Errorf("loads row %+v", r)
	}
	after := snapshot(t, d)
	if after.Lines != before.Lines || after.LineSum != before.LineSum || after.Payments != before.Payments || after.History != before.History+1 {
		t.Errorf("before %+v\nafter  %+v", before, after)
	}
	if after.Statuses != "CEK000123=DIKELUARKAN,EFT0001=DITERIMA" {
		t.Errorf("statuses %s", after.Statuses)
	}
	history := func(no string) []string {
		rows, err := d.Q(ctx).QueryContext(ctx, `SELECT h.status FROM payment_status_history h JOIN payments p ON p.id = h.payment_id
			WHERE p.payment_no = $1 ORDER BY h.load_id`, no)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	if h := history("EFT0001"); !slices.Equal(h, []string{"DIHANTAR", "DITERIMA"}) {
		t.Errorf("EFT0001 history %v", h)
	}
	if h := history("CEK000123"); !slices.Equal(h, []string{"DIKELUARKAN"}) {
		t.Errorf("CEK000123 history %v", h)
	}

	// Then the bank fails it, in a file that also brings a new payment.
	newer := later.setAll("status", "GAGAL").set(4, "status", "DIKELUARKAN")
	newer.rows = append(newer.rows, []string{"123456-A", "Kedai Buku Ilmu", "CEK000124", "CEK", "2026-03-20", "DIKELUARKAN",
		"", "", "80.00", "V0004", "2026-03-18", "", "1001", "JKR Melaka", "Buku rujukan", "80.00"})
	res = mustAccept(t, l, Payments, "gagal.csv", newer.csv())
	if res.Updated != 1 || res.Added != 1 || res.Rows != 4 {
		t.Errorf("result %+v, want updated 1 added 1", res)
	}
	if h := history("EFT0001"); !slices.Equal(h, []string{"DIHANTAR", "DITERIMA", "GAGAL"}) {
		t.Errorf("EFT0001 history %v", h)
	}
	if h := history("CEK000124"); !slices.Equal(h, []string{"DIKELUARKAN"}) {
		t.Errorf("CEK000124 history %v", h)
	}
	if h := history("CEK000123"); !slices.Equal(h, []string{"DIKELUARKAN"}) {
		t.Errorf("an unchanged payment got history %v", h)
	}
}

// TestPaymentChanged: a payment loaded before may change only its status.
func TestPaymentChanged(t *testing.T) {
	l, d := newLoader(t)
	f := paymentsFixture()
	mustAccept(t, l, Payments, "asal.csv", f.csv())
	cases := []struct {
		name string
		s    sheet
		want []CellError
	}{
		{"line amount changed (and the total with it)", f.set(3, "amount", "400.00").set(2, "payment_amount", "1400.00").set(3, "payment_amount", "1400.00"),
			[]CellError{ce(2, "payment_no", "EFT0001", "load.payment.changed")}},
		{"line amount changed with a new status", f.setAll("status", "DITERIMA").set(4, "status", "DIKELUARKAN").set(3, "amount", "400.00").
			set(2, "payment_amount", "1400.00").set(3, "payment_amount", "1400.00"),
			[]CellError{ce(2, "payment_no", "EFT0001", "load.payment.changed")}},
		{"description changed", f.set(4, "description", "Tuntutan perjalanan (pindaan)"),
			[]CellError{ce(4, "payment_no", "CEK000123", "load.payment.changed")}},
		{"payee changed", f.set(4, "payee_id", "850615-10-5122"),
			[]CellError{ce(4, "payment_no", "CEK000123", "load.payment.changed")}},
		{"a line dropped", sheet{header: f.header, rows: [][]string{f.rows[0], f.rows[2]}}.set(2, "payment_amount", "1000.00"),
			[]CellError{ce(2, "payment_no", "EFT0001", "load.payment.changed")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, d)
			res, err := doLoad(t, l, Payments, "pindaan.csv", tc.s.csv())
			if err != nil || res.Status != Rejected {
				t.Fatalf("load: %+v, %v", res, err)
			}
			if !slices.Equal(res.Errors.List, tc.want) {
				t.Errorf("errors\n got %s\nwant %s", fmtErrs(res.Errors.List), fmtErrs(tc.want))
			}
			if after := snapshot(t, d); after != before {
				t.Errorf("changed data:\nbefore %+v\nafter  %+v", before, after)
			}
			if r := loadByID(t, d, res.LoadID); r.Status != Rejected || !strings.Contains(r.Errors, "load.payment.changed") {
				t.Errorf("loads row %+v", r)
			}
		})
	}
}

// TestConcurrentLoads: two loads of the same file at once give one load and one clear
// refusal, never a second copy.
func TestConcurrentLoads(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000-row file")
	}
	const staffN, items = 4000, 5
	content := bigPayroll("2026-03-UTAMA", staffN, items)
	path := writeFile(t, "besar.csv", content)
	for round := range 3 { // a few times: which goroutine wins, and how the other is refused, varies
		t.Run(fmt.Sprint(round), func(t *testing.T) { concurrentRound(t, path, staffN, items) })
	}
}

func concurrentRound(t *testing.T, path string, staffN, items int) {
	l, d := newLoader(t)
	type outcome struct {
		res Result
		err error
	}
	out := make([]outcome, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					out[i].err = fmt.Errorf("panic: %v", p)
				}
			}()
			<-start
			out[i].res, out[i].err = l.Load(context.Background(), Request{Kind: Payroll, Path: path, FileName: "besar.csv", Via: "cli"})
		}()
	}
	close(start)
	wg.Wait()

	accepted, refused := 0, 0
	for i, o := range out {
		switch {
		case o.err == nil && o.res.Status == Accepted:
			accepted++
		case errors.Is(o.err, ErrBusy), o.err == nil && o.res.Status == Duplicate:
			refused++
		default:
			t.Errorf("load %d: status %q, err %v (errors %+v)", i, o.res.Status, o.err, o.res.Errors)
		}
	}
	if accepted != 1 || refused != 1 {
		t.Errorf("%d accepted, %d refused; want one of each (%+v / %+v)", accepted, refused, out[0], out[1])
	}
	c := snapshot(t, d)
	if c.Slips != staffN || c.Items != staffN*items || c.Runs != 1 || c.Accepted != 1 {
		t.Errorf("after two concurrent loads: %+v, want %d payslips, %d items, one run, one accepted load", c, staffN, staffN*items)
	}
	t.Logf("outcomes: %s/%v, %s/%v", out[0].res.Status, out[0].err, out[1].res.Status, out[1].err)
}

// bigPayrollAmount is bigPayroll with every amount replaced.
func bigPayrollAmount(payrollID string, staffN, items int, amount string) []byte {
	lines := strings.Split(strings.TrimSuffix(string(bigPayroll(payrollID, staffN, items)), "\n"), "\n")
	for i := 1; i < len(lines); i++ {
		j := strings.LastIndexByte(lines[i], ',')
		lines[i] = lines[i][:j+1] + amount
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

// TestFileChangedDuringLoad: the file is read again for the write (Request.Path); if it
// is rewritten after validation (an export still being written, an operator copying a
// corrected file over it), what gets written must still be what was validated and
// hashed — or the load must fail with nothing written. Never a panic, and never
// payslip totals that are not the sums of their items.
//
// The cases run in a child process: on PostgreSQL a panic in the write pass happens
// inside pgx's COPY goroutine, where no recover can catch it, and would end the whole
// test binary.
func TestFileChangedDuringLoad(t *testing.T) {
	if os.Getenv("ESPEKS_LOAD_TEST_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFileChangedDuringLoad$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "ESPEKS_LOAD_TEST_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			var keep []string
			for _, line := range strings.Split(string(out), "\n") {
				if strings.Contains(line, "BUG") || strings.Contains(line, "panic") || strings.Contains(line, "--- FAIL") ||
					strings.Contains(line, "load.go:") || strings.Contains(line, "payroll.go:") || strings.Contains(line, "stored items") {
					keep = append(keep, line)
				}
			}
			t.Errorf("child test failed (%v):\n%s", err, strings.Join(keep, "\n"))
		}
		return
	}
	p := payrollFixture()
	cases := []struct {
		name    string
		changed []byte
	}{
		{"an amount changed", p.set(2, "amount", "9999.00").csv()},
		{"a new staff member", p.set(11, "ic_no", "900202-05-5011").set(11, "staff_no", "S0003").csv()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, d := newLoader(t)
			original := p.csv()
			path := writeFile(t, "gaji.csv", original)
			before := snapshot(t, d)
			rewritten := false
			req := Request{Kind: Payroll, Path: path, FileName: "gaji.csv", Via: "cli",
				Progress: func(phase string, done, total int64) {
					if phase == "tulis" && !rewritten {
						rewritten = true
						if err := os.WriteFile(path, tc.changed, 0o600); err != nil {
							t.Error(err)
						}
					}
				}}
			var res Result
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("panic: %v", p)
						t.Errorf("BUG loader.go (write pass, payroll.go writePayroll fill): Load panicked when the file changed after validation: %v", p)
					}
				}()
				res, err = l.Load(context.Background(), req)
			}()
			if !rewritten {
				t.Fatal("the file was never rewritten (no write phase?)")
			}
			if err != nil || res.Status == Rejected {
				if res.Status == Rejected && (len(res.Errors.List) != 1 || res.Errors.List[0].Code != "load.file_changed") {
					t.Errorf("refused with %+v, want load.file_changed", res.Errors.List)
				}
				if after := snapshot(t, d); after.Slips != before.Slips || after.Items != before.Items || after.ItemSum != before.ItemSum {
					t.Errorf("refused load (%v) changed the data:\nbefore %+v\nafter  %+v", err, before, after)
				}
				return
			}
			// Accepted: what is stored must be the validated file (the one hashed).
			ctx := context.Background()
			var bad int
			if err := d.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM payslips p WHERE p.total_income + p.total_deductions + p.total_employer
				<> (SELECT COALESCE(SUM(i.amount), 0) FROM payslip_items i WHERE i.payslip_id = p.id)`).Scan(&bad); err != nil {
				t.Fatal(err)
			}
			if bad != 0 {
				t.Errorf("BUG loader.go readAgain: the write pass re-reads the file without checking it is the one validated and hashed (%s): %d payslip(s) whose totals are not the sums of their items", res.Status, bad)
			}
			var sum int64
			if err := d.Q(ctx).QueryRowContext(ctx, `SELECT SUM(amount) FROM payslip_items`).Scan(&sum); err != nil || sum != 480000+61550+58500+335000+40200+6010 {
				t.Errorf("stored items sum to %d, not the validated file's amounts (%v)", sum, err)
			}
		})
	}
}
