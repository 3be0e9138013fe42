package payslip_test

import (
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/dbtest"
	"github.com/espeks/espeks/internal/demo"
	"github.com/espeks/espeks/internal/identity"
	"github.com/espeks/espeks/internal/load"
	"github.com/espeks/espeks/internal/money"
	"github.com/espeks/espeks/internal/payslip"
)

// expected is what the CSV files say, summed independently of the loader and the store.
type expected struct {
	slips map[string]*slipSums   // ic + payroll_id → sums
	ec    map[string]*payslip.EC // ic + year → EC figures
}

// slipSums is what a payslip's rows in the file add up to, and its items in file order
// ("code|name|amount", Pendapatan then Potongan then Caruman Majikan): Get must give
// them back whole and in that order.
type slipSums struct {
	income, deductions, employer money.Sen
	items                        [3][]string
}

func itemKey(code, name string, amt money.Sen) string { return code + "|" + name + "|" + amt.String() }

// blockOf numbers a category's block as in slipSums.items.
func blockOf(cat string) int {
	switch payslip.Categories[cat] {
	case payslip.Income:
		return 0
	case payslip.Deduction:
		return 1
	}
	return 2
}

var ecField = map[string]func(*payslip.EC) *money.Sen{
	"BASIC": func(e *payslip.EC) *money.Sen { return &e.B1a }, "OVERTIME": func(e *payslip.EC) *money.Sen { return &e.B1a },
	"BONUS": func(e *payslip.EC) *money.Sen { return &e.B1b }, "ALLOWANCE": func(e *payslip.EC) *money.Sen { return &e.B1c },
	"OTHER_INCOME": func(e *payslip.EC) *money.Sen { return &e.B1c }, "ALLOWANCE_EXEMPT": func(e *payslip.EC) *money.Sen { return &e.F },
	"GRATUITY": func(e *payslip.EC) *money.Sen { return &e.B1d }, "ARREARS": func(e *payslip.EC) *money.Sen { return &e.B2 },
	"PENSION": func(e *payslip.EC) *money.Sen { return &e.C }, "PCB": func(e *payslip.EC) *money.Sen { return &e.D1 },
	"CP38": func(e *payslip.EC) *money.Sen { return &e.D2 }, "ZAKAT": func(e *payslip.EC) *money.Sen { return &e.D3 },
	"EPF": func(e *payslip.EC) *money.Sen { return &e.E1 }, "SOCSO": func(e *payslip.EC) *money.Sen { return &e.E2 },
	"EIS": func(e *payslip.EC) *money.Sen { return &e.E2 },
}

func sumFile(t *testing.T, path string, exp *expected) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n, err := identity.ParseMyKad(rec[col["ic_no"]])
		if err != nil {
			t.Fatal(err)
		}
		ic, pid, year, cat := n.String(), rec[col["payroll_id"]], rec[col["year"]], rec[col["category"]]
		amt, err := money.Parse(rec[col["amount"]])
		if err != nil {
			t.Fatal(err)
		}
		s := exp.slips[ic+pid]
		if s == nil {
			s = &slipSums{}
			exp.slips[ic+pid] = s
		}
		switch payslip.Categories[cat] {
		case payslip.Income:
			s.income += amt
		case payslip.Deduction:
			s.deductions += amt
		case payslip.Contribution:
			s.employer += amt
		}
		b := blockOf(cat)
		s.items[b] = append(s.items[b], itemKey(strings.TrimSpace(rec[col["item_code"]]), strings.TrimSpace(rec[col["item_name"]]), amt))
		e := exp.ec[ic+year]
		if e == nil {
			e = &payslip.EC{}
			exp.ec[ic+year] = e
		}
		if fld, ok := ecField[cat]; ok {
			*fld(e) += amt
		}
	}
}

// TestTotalsAreExactSums is the exactness property of issue 5: for generated data, every
// payslip total and every Borang EC figure equals the sum of the loaded items, computed
// here straight from the CSV files.
func TestTotalsAreExactSums(t *testing.T) {
	d := dbtest.Open(t)
	now := func() time.Time { return time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) }
	loader := &load.Loader{DB: d, Audit: &audit.Log{DB: d, Now: now}, Now: now}
	o := demo.Options{Staff: 40, Suppliers: 1, Months: 14, EndYear: 2026, EndMonth: time.October, Seed: 7, StateName: "Melaka"}
	exp := &expected{slips: map[string]*slipSums{}, ec: map[string]*payslip.EC{}}
	dir := t.TempDir()
	start := time.Date(2025, time.September, 1, 0, 0, 0, 0, time.UTC)
	for m := 0; m < o.Months; m++ {
		mt := start.AddDate(0, m, 0)
		path := filepath.Join(dir, "gaji-"+mt.Format("2006-01")+".csv")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.WritePayrollMonth(f, o, mt.Year(), mt.Month()); err != nil {
			t.Fatal(err)
		}
		f.Close()
		res, err := loader.Load(context.Background(), load.Request{Kind: load.Payroll, Path: path, FileName: filepath.Base(path), Via: "cli"})
		if err != nil || res.Status != load.Accepted {
			t.Fatalf("load %s: %v %+v", path, err, res.Errors)
		}
		sumFile(t, path, exp)
	}
	store := &payslip.Store{DB: d}
	staff, _ := demo.People(o)
	checked, checkedEC := 0, 0
	ctx := context.Background()
	for _, p := range staff {
		n, err := identity.ParseMyKad(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		ic := n.String()
		for _, year := range []int{2025, 2026} {
			for month := 1; month <= 12; month++ {
				list, err := store.Month(ctx, ic, year, month)
				if err != nil {
					t.Fatal(err)
				}
				for _, sum := range list {
					ps, err := store.Get(ctx, ic, sum.PublicID)
					if err != nil {
						t.Fatal(err)
					}
					want := exp.slips[ic+ps.PayrollID]
					var inc, ded, emp money.Sen
					for _, it := range ps.Income {
						inc += it.Amount
					}
					for _, it := range ps.Deductions {
						ded += it.Amount
					}
					for _, it := range ps.Employer {
						emp += it.Amount
					}
					if want == nil || ps.TotalIncome != want.income || ps.TotalDeductions != want.deductions ||
						ps.TotalEmployer != want.employer || ps.NetPay != want.income-want.deductions ||
						inc != ps.TotalIncome || ded != ps.TotalDeductions || emp != ps.TotalEmployer || sum.NetPay != ps.NetPay {
						t.Fatalf("%s %s: totals %v/%v/%v net %v; items %v/%v/%v; file %+v",
							ic, ps.PayrollID, ps.TotalIncome, ps.TotalDeductions, ps.TotalEmployer, ps.NetPay, inc, ded, emp, want)
					}
					for b, got := range [3][]payslip.Item{ps.Income, ps.Deductions, ps.Employer} {
						var keys []string
						for _, it := range got {
							keys = append(keys, itemKey(it.Code, it.Name, it.Amount))
						}
						if !slices.Equal(keys, want.items[b]) {
							t.Fatalf("%s %s block %d: items %q, file order %q", ic, ps.PayrollID, b, keys, want.items[b])
						}
					}
					checked++
				}
			}
			ec, err := store.EC(ctx, ic, year, payslip.Employer{Name: "Perbendaharaan Negeri Melaka"})
			want := exp.ec[ic+strconv.Itoa(year)]
			if want == nil {
				if err != payslip.ErrNotFound {
					t.Errorf("%s %d: EC without payslips: %v", ic, year, err)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if ec.B1a != want.B1a || ec.B1b != want.B1b || ec.B1c != want.B1c || ec.B1d != want.B1d || ec.B2 != want.B2 ||
				ec.C != want.C || ec.D1 != want.D1 || ec.D2 != want.D2 || ec.D3 != want.D3 || ec.E1 != want.E1 ||
				ec.E2 != want.E2 || ec.F != want.F {
				t.Fatalf("%s %d: EC %+v, want sums %+v", ic, year, ec, want)
			}
			if ec.Name != p.Name || ec.ICNo != ic {
				t.Errorf("EC section A: %q %q", ec.Name, ec.ICNo)
			}
			checkedEC++
		}
	}
	if checked < o.Staff*o.Months || checkedEC < o.Staff*2 {
		t.Fatalf("checked only %d payslips and %d ECs", checked, checkedEC)
	}
	t.Logf("checked %d payslips and %d Borang EC exactly", checked, checkedEC)
}

// TestOwnerScoping: every store method answers only the owner's data.
func TestOwnerScoping(t *testing.T) {
	d := dbtest.Open(t)
	now := func() time.Time { return time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) }
	loader := &load.Loader{DB: d, Audit: &audit.Log{DB: d, Now: now}, Now: now}
	o := demo.Options{Staff: 2, Suppliers: 1, Months: 1, EndYear: 2026, EndMonth: time.October, Seed: 3}
	path := filepath.Join(t.TempDir(), "g.csv")
	f, _ := os.Create(path)
	if _, err := demo.WritePayrollMonth(f, o, 2026, time.October); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if res, err := loader.Load(context.Background(), load.Request{Kind: load.Payroll, Path: path, FileName: "g.csv", Via: "cli"}); err != nil || res.Status != load.Accepted {
		t.Fatalf("%v %+v", err, res)
	}
	staff, _ := demo.People(o)
	a, _ := identity.ParseMyKad(staff[0].ID)
	b, _ := identity.ParseMyKad(staff[1].ID)
	store := &payslip.Store{DB: d}
	ctx := context.Background()
	mine, err := store.Month(ctx, a.String(), 2026, 10)
	if err != nil || len(mine) == 0 {
		t.Fatalf("%v %v", mine, err)
	}
	if _, err := store.Get(ctx, b.String(), mine[0].PublicID); err != payslip.ErrNotFound {
		t.Errorf("another owner got the payslip: %v", err)
	}
	if _, err := store.Get(ctx, a.String(), "tiada"); err != payslip.ErrNotFound {
		t.Errorf("unknown id: %v", err)
	}
	old := &payslip.Store{DB: d, Since: func() int { return 2027 }}
	if _, err := old.Get(ctx, a.String(), mine[0].PublicID); err != payslip.ErrNotFound {
		t.Errorf("a payslip older than the retention is shown: %v", err)
	}
}
