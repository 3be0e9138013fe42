package load

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/payslip"
)

// The fuzzers feed arbitrary bytes to validation as a whole file (QUALITY.md: no input,
// however malformed, causes a panic), check the errors it reports, and — when it
// accepts the file — run the write pass against an in-memory writer and check that
// what would be written is what validation promised (one payslip per key, every item
// under its payslip, totals the sums of the items). Seeds: testdata/fuzz/<Name>/.

var (
	catOnce sync.Once
	cat     *i18n.Catalogue
)

func catalogue(t *testing.T) *i18n.Catalogue {
	catOnce.Do(func() {
		c, err := i18n.Load()
		if err != nil {
			panic(err)
		}
		cat = c
	})
	return cat
}

// checkErrors checks the properties every error list has.
func checkErrors(t *testing.T, b []byte, errs *Errors) {
	t.Helper()
	lines := bytes.Count(b, []byte("\n")) + 1
	if len(errs.List) > MaxErrors {
		t.Fatalf("%d errors listed, more than MaxErrors", len(errs.List))
	}
	if errs.Omitted > 0 && len(errs.List) != MaxErrors {
		t.Fatalf("%d omitted with only %d listed", errs.Omitted, len(errs.List))
	}
	for _, e := range errs.List {
		if e.Line < 1 || e.Line > lines+1 {
			t.Fatalf("error %+v: line outside the file's 1..%d", e, lines+1)
		}
		if e.Code == "" {
			t.Fatalf("error %+v without a code", e)
		}
		if !catalogue(t).Has(e.Code) {
			t.Fatalf("error %+v: code %q has no message in the catalogue", e, e.Code)
		}
		if len(e.Value) > 80 {
			t.Fatalf("error %+v: value longer than 80 bytes", e)
		}
	}
}

func noPanic(t *testing.T) {
	if p := recover(); p != nil {
		t.Fatalf("panic: %v\n%s", p, debug.Stack())
	}
}

func FuzzPayrollFile(f *testing.F) {
	f.Add(payrollFixture().csv())
	f.Add([]byte(strings.ReplaceAll(payrollFixture().str(), "\n", "\r\n")))
	f.Fuzz(func(t *testing.T, b []byte) {
		defer noPanic(t)
		errs := &Errors{}
		pf := validatePayroll(bytes.NewReader(b), errs)
		checkErrors(t, b, errs)
		if errs.Len() > 0 {
			return
		}
		if pf == nil || pf.rows == 0 || len(pf.order) == 0 {
			t.Fatalf("accepted with nothing in it: %+v", pf)
		}
		checkPayrollWrite(t, b, pf)
	})
}

func FuzzPaymentsFile(f *testing.F) {
	f.Add(paymentsFixture().csv())
	f.Fuzz(func(t *testing.T, b []byte) {
		defer noPanic(t)
		errs := &Errors{}
		mf := validatePayments(bytes.NewReader(b), errs)
		checkErrors(t, b, errs)
		if errs.Len() > 0 {
			return
		}
		if mf == nil || mf.rows == 0 || len(mf.order) == 0 {
			t.Fatalf("accepted with nothing in it: %+v", mf)
		}
		checkPaymentsWrite(t, b, mf)
	})
}

// checkPayrollWrite runs writePayroll on a fake writer and checks its rows.
func checkPayrollWrite(t *testing.T, b []byte, pf *payrollFile) {
	t.Helper()
	w := &fakeWriter{}
	pf.hash = sha256Hex(b)
	added, replaced, err := writePayroll(context.Background(), w, opener(b), pf, 1, 1)
	if err != nil || added != len(pf.order) || replaced != 0 {
		t.Fatalf("writePayroll: added %d replaced %d err %v (want %d payslips)", added, replaced, err, len(pf.order))
	}
	slips, items := w.rows["payslips"], w.rows["payslip_items"]
	if len(slips) != len(pf.order) || len(items) != pf.rows {
		t.Fatalf("wrote %d payslips and %d items; validation saw %d payslips in %d rows", len(slips), len(items), len(pf.order), pf.rows)
	}
	type totals struct{ income, deductions, employer, n int64 }
	byID := map[int64]*totals{}
	for _, s := range slips {
		id := s[0].(int64)
		if byID[id] != nil {
			t.Fatalf("payslip id %d written twice", id)
		}
		inc, ded, net := s[21].(int64), s[22].(int64), s[24].(int64)
		if net != inc-ded {
			t.Fatalf("payslip %v: net %d ≠ %d − %d", s[:5], net, inc, ded)
		}
		if ic := s[4].(string); len(ic) != 12 || strings.Trim(ic, "0123456789") != "" {
			t.Fatalf("payslip ic_no %q not normalised", ic)
		}
		byID[id] = &totals{}
	}
	for _, it := range items {
		tot := byID[it[0].(int64)]
		if tot == nil {
			t.Fatalf("item %v names no written payslip", it)
		}
		tot.n++
		if asInt(it[1]) != tot.n {
			t.Fatalf("item %v: line %v, want %d", it, it[1], tot.n)
		}
		amt := it[5].(int64)
		switch payslip.Categories[it[4].(string)] {
		case payslip.Income:
			tot.income += amt
		case payslip.Deduction:
			tot.deductions += amt
		case payslip.Contribution:
			tot.employer += amt
		default:
			t.Fatalf("item %v: category not in DATA.md", it)
		}
	}
	for _, s := range slips {
		tot := byID[s[0].(int64)]
		if tot.income != s[21].(int64) || tot.deductions != s[22].(int64) || tot.employer != s[23].(int64) || tot.n == 0 {
			t.Fatalf("payslip %v: totals %v/%v/%v, items sum to %+v", s[:5], s[21], s[22], s[23], *tot)
		}
	}
}

// checkPaymentsWrite runs writePayments (every payment new) on a fake writer.
func checkPaymentsWrite(t *testing.T, b []byte, mf *paymentsFile) {
	t.Helper()
	w := &fakeWriter{}
	mf.hash = sha256Hex(b)
	added, updated, err := writePayments(context.Background(), w, opener(b), mf, 1, 1)
	if err != nil || added != len(mf.order) || updated != 0 {
		t.Fatalf("writePayments: added %d updated %d err %v (want %d)", added, updated, err, len(mf.order))
	}
	pays, lines := w.rows["payments"], w.rows["payment_lines"]
	if len(pays) != len(mf.order) || len(lines) != mf.rows {
		t.Fatalf("wrote %d payments and %d lines; validation saw %d payments in %d rows", len(pays), len(lines), len(mf.order), mf.rows)
	}
	sums := map[int64]int64{}
	for _, p := range pays {
		if _, dup := sums[p[0].(int64)]; dup {
			t.Fatalf("payment id %v written twice", p[0])
		}
		sums[p[0].(int64)] = 0
	}
	for _, l := range lines {
		id := l[0].(int64)
		if _, ok := sums[id]; !ok {
			t.Fatalf("line %v names no written payment", l)
		}
		sums[id] += l[8].(int64)
	}
	for _, p := range pays {
		if sums[p[0].(int64)] != p[10].(int64) {
			t.Fatalf("payment %v: lines sum to %d, amount %v", p[:3], sums[p[0].(int64)], p[10])
		}
		if p[11].(string) == "" || p[3].(string) == "" {
			t.Fatalf("payment %v: empty fingerprint or payee", p[:4])
		}
	}
}

func asInt(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	}
	return -1
}

func opener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// fakeWriter is a writer that keeps what would be copied, and answers COUNT(*) with
// 0 and INSERT … RETURNING id with a fresh id.
type fakeWriter struct {
	rows   map[string][][]any
	nextID int64
}

func (w *fakeWriter) Exec(ctx context.Context, q string, args ...any) error { return nil }

func (w *fakeWriter) QueryRow(ctx context.Context, q string, args ...any) interface{ Scan(...any) error } {
	return fakeRow{w}
}

type fakeRow struct{ w *fakeWriter }

func (r fakeRow) Scan(dst ...any) error {
	for _, d := range dst {
		switch p := d.(type) {
		case *int:
			*p = 0
		case *int64:
			r.w.nextID++
			*p = r.w.nextID
		default:
			return fmt.Errorf("fake scan into %T", d)
		}
	}
	return nil
}

// Each finds no rows (no users to notify).
func (w *fakeWriter) Each(ctx context.Context, q string, args []any, fn func(scan func(...any) error) error) error {
	return nil
}

func (w *fakeWriter) AllocIDs(ctx context.Context, table string, n int) ([]int64, error) {
	ids := make([]int64, n)
	for i := range ids {
		w.nextID++
		ids[i] = w.nextID
	}
	return ids, nil
}

func (w *fakeWriter) Copy(ctx context.Context, table string, columns []string, src rowSource) (int64, error) {
	if w.rows == nil {
		w.rows = map[string][][]any{}
	}
	var n int64
	for src.Next() {
		vals, err := src.Values()
		if err != nil {
			return n, err
		}
		if len(vals) != len(columns) {
			return n, fmt.Errorf("%s: %d values for %d columns", table, len(vals), len(columns))
		}
		w.rows[table] = append(w.rows[table], slices.Clone(vals))
		n++
	}
	return n, src.Err()
}

// TestFakeWriterOnFixtures makes sure the fuzzers' oracle passes on the valid fixtures
// (so a fuzz failure is about the input, not the oracle).
func TestFakeWriterOnFixtures(t *testing.T) {
	for _, b := range [][]byte{payrollFixture().csv(), bigPayroll("X-1", 50, 7)} {
		errs := &Errors{}
		pf := validatePayroll(bytes.NewReader(b), errs)
		if errs.Len() != 0 {
			t.Fatalf("fixture refused: %+v", errs.List)
		}
		checkPayrollWrite(t, b, pf)
	}
	errs := &Errors{}
	b := paymentsFixture().csv()
	mf := validatePayments(bytes.NewReader(b), errs)
	if errs.Len() != 0 {
		t.Fatalf("fixture refused: %+v", errs.List)
	}
	checkPaymentsWrite(t, b, mf)
}

// TestErrorValueTruncation: a long value in an error is cut to 80 bytes without
// splitting a character (the value is shown in the browser and stored as JSON).
func TestErrorValueTruncation(t *testing.T) {
	errs := &Errors{}
	errs.add(2, "name", strings.Repeat("é", 151), "load.text.too_long")
	v := errs.List[0].Value
	if len(v) > 80 || !strings.HasSuffix(v, "...") || !strings.HasPrefix(v, "éé") {
		t.Errorf("value %q (%d bytes)", v, len(v))
	}
	if !utf8.ValidString(v) {
		t.Errorf("BUG errors.go (Errors.add): value[:77] splits a multi-byte character: %q is not valid UTF-8", v)
	}
	// Bank accounts are masked before anything else.
	errs.add(3, "bank_account", "1234567890", "load.payroll.header_mismatch")
	if v := errs.List[1].Value; v != "******7890" {
		t.Errorf("bank account shown as %q", v)
	}
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
