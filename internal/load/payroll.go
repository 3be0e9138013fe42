package load

import (
	"context"
	"io"
	"regexp"
	"strconv"

	"github.com/espeks/espeks/internal/money"
	"github.com/espeks/espeks/internal/payslip"
)

var payrollColumns = []column{
	{"payroll_id", true, 40}, {"year", true, 4}, {"month", true, 2}, {"pay_date", true, 10},
	{"ic_no", true, 20}, {"staff_no", true, 20}, {"name", true, 150}, {"position", true, 100},
	{"grade", true, 20}, {"department_code", true, 20}, {"department_name", true, 150},
	{"ptj_code", true, 20}, {"ptj_name", true, 150}, {"bank_name", true, 60}, {"bank_account", true, 30},
	{"epf_no", false, 20}, {"socso_no", false, 20}, {"tax_no", false, 20},
	{"item_code", true, 20}, {"item_name", true, 100}, {"category", true, 20}, {"amount", true, 20},
}

// headerColumns are the columns that describe the payslip rather than the item: they
// must be the same on every row of one payslip.
var payrollHeader = payrollHeaderCols[:]

var payrollHeaderCols = [...]string{"payroll_id", "year", "month", "pay_date", "ic_no", "staff_no", "name",
	"position", "grade", "department_code", "department_name", "ptj_code", "ptj_name", "bank_name",
	"bank_account", "epf_no", "socso_no", "tax_no"}

var payrollIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_/-]*$`)

var categories = func() map[string]bool {
	m := map[string]bool{}
	for c := range payslip.Categories {
		m[c] = true
	}
	return m
}()

// slip is what validation learns about one payslip (one payroll_id + ic_no). A 1 GB
// payroll file has some 180,000 of them, held until the write, so it is kept small:
// one 64-bit hash of the whole header decides whether a row's header matches, and a
// 32-bit hash per column only names the column that differs.
type slip struct {
	id                           int64
	firstLine                    int
	header                       fnv
	columns                      [len(payrollHeaderCols)]uint32
	income, deductions, employer money.Sen
	items                        int
	written                      bool
}

// run is one payroll_id: its period must be the same on every row.
type run struct {
	id        int64
	period    fnv
	firstLine int
	replaced  int
}

// payrollFile holds what validation learned, for the write.
type payrollFile struct {
	hash  string // SHA-256 of the validated bytes
	slips map[string]*slip
	order []string // payslip keys in order of first appearance
	runs  map[string]*run
	rows  int
}

func slipKey(payrollID, ic string) string { return payrollID + "\x00" + ic }

// validatePayroll reads the whole file once, checking every rule of DATA.md that a
// single file can break.
func validatePayroll(r io.Reader, errs *Errors) *payrollFile {
	t := openTable(r, payrollColumns, errs)
	if t == nil {
		return nil
	}
	f := &payrollFile{slips: map[string]*slip{}, runs: map[string]*run{}}
	for t.next(errs) {
		f.rows++
		before := errs.Len()
		pid := t.text(payrollColumns[0], errs)
		if pid != "" && !payrollIDPattern.MatchString(pid) {
			errs.add(t.line, "payroll_id", pid, "load.payroll_id.format")
		}
		year := t.integer("year", 2000, 2100, errs)
		month := t.integer("month", 1, 12, errs)
		payDate := t.date("pay_date", errs)
		ic := t.idNumber("ic_no", true, errs)
		for _, c := range payrollColumns[5:18] {
			if c.name != "pay_date" && c.name != "ic_no" {
				t.text(c, errs)
			}
		}
		t.text(payrollColumns[18], errs)
		t.text(payrollColumns[19], errs)
		cat := t.oneOf("category", categories, errs)
		amt := t.amount("amount", errs)
		if errs.Len() > before {
			continue // a row with a bad cell cannot be checked against its payslip
		}
		period := fnvOffset.add(strconv.Itoa(year)).add(strconv.Itoa(month)).add(payDate.String())
		rn, ok := f.runs[pid]
		if !ok {
			f.runs[pid] = &run{period: period, firstLine: t.line}
		} else if rn.period != period {
			errs.add(t.line, "payroll_id", pid, "load.payroll.period_mismatch")
			continue
		}
		var cols [len(payrollHeaderCols)]uint32
		all := fnvOffset
		for i, c := range payrollHeader {
			v := t.get(c)
			switch c {
			case "ic_no":
				v = ic
			case "pay_date":
				v = payDate.String()
			}
			v = trim(v)
			all = all.add(v)
			col := fnvOffset.add(v)
			cols[i] = uint32(col ^ col>>32)
		}
		key := slipKey(pid, ic)
		s, ok := f.slips[key]
		if !ok {
			s = &slip{firstLine: t.line, header: all, columns: cols}
			f.slips[key] = s
			f.order = append(f.order, key)
		} else if s.header != all {
			i := 0
			for i < len(cols)-1 && cols[i] == s.columns[i] {
				i++ // a 32-bit collision on the differing column names the last one: still an error
			}
			errs.add(t.line, payrollHeader[i], trim(t.get(payrollHeader[i])), "load.payroll.header_mismatch")
			continue
		}
		s.items++
		switch payslip.Categories[cat] {
		case payslip.Income:
			s.income += amt
		case payslip.Deduction:
			s.deductions += amt
		case payslip.Contribution:
			s.employer += amt
		}
	}
	if f.rows == 0 && errs.Len() == 0 {
		errs.add(2, "", "", "load.no_rows")
	}
	return f
}

// writePayroll writes a validated file in the load's transaction: runs that were loaded
// before from another file are replaced whole, then payslips, then items.
func writePayroll(ctx context.Context, w writer, open func() (io.ReadCloser, error), f *payrollFile, loadID, now int64) (added, replaced int, err error) {
	for pid, rn := range f.runs {
		var old int
		if err := w.QueryRow(ctx, `SELECT COUNT(*) FROM payslips p JOIN payroll_runs r ON r.id = p.run_id WHERE r.payroll_id = $1`, pid).Scan(&old); err != nil {
			return 0, 0, err
		}
		if err := w.Exec(ctx, `DELETE FROM payroll_runs WHERE payroll_id = $1`, pid); err != nil {
			return 0, 0, err
		}
		rn.replaced = old
		replaced += old
		if err := w.QueryRow(ctx, `INSERT INTO payroll_runs (payroll_id, load_id, loaded_at) VALUES ($1, $2, $3) RETURNING id`,
			pid, loadID, now).Scan(&rn.id); err != nil {
			return 0, 0, err
		}
	}
	ids, err := w.AllocIDs(ctx, "payslips", len(f.order))
	if err != nil {
		return 0, 0, err
	}
	for i, key := range f.order {
		f.slips[key].id = ids[i]
	}
	// Payslips: the header of each payslip's first row, with the totals validation summed.
	if err := copyFromFile(ctx, w, open, f.hash, payrollColumns, "payslips", []string{"id", "public_id", "run_id", "payroll_id",
		"ic_no", "year", "month", "pay_date", "staff_no", "name", "position", "grade", "department_code",
		"department_name", "ptj_code", "ptj_name", "bank_name", "bank_account", "epf_no", "socso_no", "tax_no",
		"total_income", "total_deductions", "total_employer", "net_pay"},
		func(t *table, vals []any) (bool, error) {
			pid, ic := trim(t.get("payroll_id")), normalID(t.get("ic_no"))
			s := f.slips[slipKey(pid, ic)]
			if s == nil {
				return false, errFileChanged
			}
			if s.written {
				return false, nil
			}
			s.written = true
			year, _ := strconv.Atoi(trim(t.get("year")))
			month, _ := strconv.Atoi(trim(t.get("month")))
			payDate := isoDate(t.get("pay_date"))
			copy(vals, []any{s.id, publicID(), f.runs[pid].id, pid, ic, year, month, payDate,
				trim(t.get("staff_no")), trim(t.get("name")), trim(t.get("position")), trim(t.get("grade")),
				trim(t.get("department_code")), trim(t.get("department_name")), trim(t.get("ptj_code")),
				trim(t.get("ptj_name")), trim(t.get("bank_name")), trim(t.get("bank_account")),
				trim(t.get("epf_no")), trim(t.get("socso_no")), trim(t.get("tax_no")),
				int64(s.income), int64(s.deductions), int64(s.employer), int64(s.income - s.deductions)})
			return true, nil
		}); err != nil {
		return 0, 0, err
	}
	for _, s := range f.slips {
		s.items = 0 // reused as the line counter of the items pass
	}
	if err := copyFromFile(ctx, w, open, f.hash, payrollColumns, "payslip_items",
		[]string{"payslip_id", "line", "item_code", "item_name", "category", "amount"},
		func(t *table, vals []any) (bool, error) {
			s := f.slips[slipKey(trim(t.get("payroll_id")), normalID(t.get("ic_no")))]
			if s == nil {
				return false, errFileChanged
			}
			s.items++
			amt, _ := money.Parse(t.get("amount"))
			vals[0], vals[1], vals[2], vals[3] = s.id, s.items, trim(t.get("item_code")), trim(t.get("item_name"))
			vals[4], vals[5] = upper(t.get("category")), int64(amt)
			return true, nil
		}); err != nil {
		return 0, 0, err
	}
	return len(f.order), replaced, nil
}
