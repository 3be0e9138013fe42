package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/identity"
)

// The column names exactly as DATA.md spells them.
var (
	wantPayrollHeader = "payroll_id,year,month,pay_date,ic_no,staff_no,name,position,grade,department_code,department_name,ptj_code,ptj_name,bank_name,bank_account,epf_no,socso_no,tax_no,item_code,item_name,category,amount"
	wantPaymentHeader = "payee_id,payee_name,payment_no,payment_mode,payment_date,status,bank_name,bank_account,payment_amount,voucher_no,voucher_date,invoice_no,ptj_code,ptj_name,description,amount"
	allCategories     = []string{"BASIC", "OVERTIME", "BONUS", "ALLOWANCE", "OTHER_INCOME", "ALLOWANCE_EXEMPT",
		"GRATUITY", "ARREARS", "PENSION", "PCB", "CP38", "ZAKAT", "EPF", "SOCSO", "EIS", "LOAN",
		"OTHER_DEDUCTION", "EMPLOYER_EPF", "EMPLOYER_SOCSO", "EMPLOYER_EIS"}
	incomeCategories = []string{"BASIC", "OVERTIME", "BONUS", "ALLOWANCE", "OTHER_INCOME", "ALLOWANCE_EXEMPT",
		"GRATUITY", "ARREARS", "PENSION"}
	deductionCategories = []string{"PCB", "CP38", "ZAKAT", "EPF", "SOCSO", "EIS", "LOAN", "OTHER_DEDUCTION"}
	allStatuses         = []string{"DIHANTAR", "DITERIMA", "GAGAL", "DIKELUARKAN", "DIBATALKAN"}
	allModes            = []string{"EFT", "CEK", "DRAF", "TT"}

	amountRE = regexp.MustCompile(`^-?[0-9]+\.[0-9]{2}$`)
	phoneRE  = regexp.MustCompile(`^(\+?60|0)[1-9][0-9]{7,9}$`) // as account.validateRegistration
)

// a moderately sized data set, big enough for every category and status
var mid = Options{Staff: 300, Suppliers: 60, Months: 12, StateName: "Melaka"}

func generate(t testing.TB, write func(io.Writer, Options) (int, error), o Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := write(&buf, o)
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(buf.Bytes(), []byte("\n")); n != lines-1 {
		t.Fatalf("returned %d rows, wrote %d lines after the header", n, lines-1)
	}
	return buf.Bytes()
}

// readAll parses a file with encoding/csv and returns the header and the
// records as maps by column name.
func readAll(t *testing.T, data []byte) (header []string, recs []map[string]string) {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	all, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header = all[0]
	for _, row := range all[1:] {
		m := make(map[string]string, len(header))
		for i, c := range header {
			m[c] = row[i]
		}
		recs = append(recs, m)
	}
	return header, recs
}

// sen parses an amount as integer sen, without floating point.
func sen(t *testing.T, s string) int64 {
	t.Helper()
	if !amountRE.MatchString(s) {
		t.Fatalf("amount %q is not a plain 2-decimal number", s)
	}
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	r, err1 := strconv.ParseInt(whole, 10, 64)
	c, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("amount %q: %v %v", s, err1, err2)
	}
	if neg {
		return -(r*100 + c)
	}
	return r*100 + c
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Parse("02/01/2006", s)
}

func TestDeterministic(t *testing.T) {
	o := Options{Staff: 40, Suppliers: 15, Months: 4, StateName: "Kelantan", Seed: 7}
	for name, write := range map[string]func(io.Writer, Options) (int, error){"payroll": WritePayroll, "payments": WritePayments} {
		a, b := generate(t, write, o), generate(t, write, o)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs differ", name)
		}
		o2 := o
		o2.Seed = 8
		if bytes.Equal(a, generate(t, write, o2)) {
			t.Errorf("%s: seeds 7 and 8 give the same file", name)
		}
	}
	var zero, one Options
	one.Seed = 1
	if s0, _ := People(zero); !slices.Equal(s0, func() []Person { s, _ := People(one); return s }()) {
		t.Error("Seed 0 is not the default seed 1")
	}
}

func TestPrefixProperty(t *testing.T) {
	small := Options{Staff: 10, Suppliers: 5, Months: 2, StateName: "Melaka"}
	big := small
	big.Staff, big.Suppliers = 1000, 200
	s1, p1 := People(small)
	s2, p2 := People(big)
	if !slices.Equal(s1, s2[:10]) || !slices.Equal(p1, p2[:5]) {
		t.Fatal("the first people change when the data set grows")
	}
	// The main run lists staff in order, so the small month is a prefix of the big one.
	var a, b bytes.Buffer
	if _, err := WritePayrollMonth(&a, small, 2026, time.October); err != nil {
		t.Fatal(err)
	}
	if _, err := WritePayrollMonth(&b, big, 2026, time.October); err != nil {
		t.Fatal(err)
	}
	var utama []byte
	for _, l := range bytes.SplitAfter(a.Bytes(), []byte("\n")) {
		if !bytes.Contains(l, []byte("TAMBAHAN")) {
			utama = append(utama, l...)
		}
	}
	if !bytes.HasPrefix(b.Bytes(), utama) {
		t.Error("the first staff's payslips change when the data set grows")
	}
}

func TestIdentityNumbers(t *testing.T) {
	staff, suppliers := People(Options{Staff: 20000, Suppliers: 5000, StateName: "Johor"})
	seen := map[string]bool{}
	unique := func(kind, v string) {
		if seen[kind+v] {
			t.Errorf("duplicate %s %q", kind, v)
		}
		seen[kind+v] = true
	}
	for _, p := range staff {
		n, err := identity.ParseMyKad(p.ID)
		if err != nil {
			t.Fatalf("staff %s %q: %v", p.ID, p.Name, err)
		}
		if n.Display() != p.ID {
			t.Errorf("ID %q is not in display form (%q)", p.ID, n.Display())
		}
		if y := 1900 + atoi(p.ID[:2]); y < 1965 && y != 1900 {
			t.Errorf("%s born %d", p.ID, y)
		}
		male := (p.ID[len(p.ID)-1]-'0')%2 == 1
		if strings.Contains(p.Name, " bin ") || strings.Contains(p.Name, " a/l ") {
			if !male {
				t.Errorf("%s %q: man with an even last digit", p.ID, p.Name)
			}
		}
		if strings.Contains(p.Name, " binti ") || strings.Contains(p.Name, " a/p ") {
			if male {
				t.Errorf("%s %q: woman with an odd last digit", p.ID, p.Name)
			}
		}
		if !regexp.MustCompile(`^G[0-9]{6}$`).MatchString(p.StaffNo) {
			t.Errorf("staff no %q", p.StaffNo)
		}
		if !phoneRE.MatchString(strings.NewReplacer("-", "", " ", "").Replace(p.Phone)) {
			t.Errorf("phone %q", p.Phone)
		}
		if p.Name == "" || p.Department == "" || !strings.Contains(p.Email, "@") {
			t.Errorf("incomplete %+v", p)
		}
		unique("id", n.String())
		unique("staff_no", p.StaffNo)
		unique("email", p.Email)
	}
	var companies, sole int
	for _, s := range suppliers {
		n, err := identity.Parse(s.ID)
		if err != nil {
			t.Fatalf("supplier %s %q: %v", s.ID, s.Name, err)
		}
		if want := map[bool]identity.Kind{true: identity.KindSSM, false: identity.KindMyKad}[s.Company]; n.Kind() != want {
			t.Errorf("supplier %s: kind %v, Company %v", s.ID, n.Kind(), s.Company)
		}
		if n.Display() != s.ID {
			t.Errorf("ID %q is not in display form (%q)", s.ID, n.Display())
		}
		if !phoneRE.MatchString(strings.NewReplacer("-", "", " ", "").Replace(s.Phone)) {
			t.Errorf("phone %q", s.Phone)
		}
		unique("id", n.String())
		unique("email", s.Email)
		if s.Company {
			companies++
		} else {
			sole++
		}
	}
	if sole == 0 || companies < 4*sole {
		t.Errorf("%d companies, %d sole proprietors", companies, sole)
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func TestPayrollFile(t *testing.T) {
	data := generate(t, WritePayroll, mid)
	if h, _, _ := bytes.Cut(data, []byte("\n")); string(h) != wantPayrollHeader {
		t.Fatalf("header %q", h)
	}
	_, recs := readAll(t, data)
	headerCols := strings.Split(wantPayrollHeader, ",")[:18]
	type slip struct {
		first      map[string]string
		items      int
		gross, ded int64
	}
	slips := map[string]*slip{}
	var order []string
	cats := map[string]int{}
	runs := map[string]bool{}
	idRE := regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-(UTAMA|TAMBAHAN-1)$`)
	for _, r := range recs {
		for _, c := range strings.Split(wantPayrollHeader, ",") {
			if r[c] == "" && c != "epf_no" && c != "socso_no" && c != "tax_no" {
				t.Fatalf("required %s empty: %v", c, r)
			}
		}
		key := r["payroll_id"] + "|" + r["ic_no"]
		s := slips[key]
		if s == nil {
			s = &slip{first: r}
			slips[key] = s
			order = append(order, key)
			m := idRE.FindStringSubmatch(r["payroll_id"])
			if m == nil || m[1] != r["year"] || atoi(m[2]) != atoi(r["month"]) {
				t.Fatalf("payroll_id %q for %s-%s", r["payroll_id"], r["year"], r["month"])
			}
			runs[m[3]] = true
			pay, err := time.Parse("2006-01-02", r["pay_date"])
			if err != nil || pay.Year() != atoi(r["year"]) || int(pay.Month()) != atoi(r["month"]) {
				t.Fatalf("pay_date %q: %v", r["pay_date"], err)
			}
			if m[3] == "UTAMA" && (pay.Day() < 20 || pay.Day() > 25) {
				t.Errorf("main run paid on %s", r["pay_date"])
			}
			n, err := identity.ParseMyKad(r["ic_no"])
			if err != nil {
				t.Fatalf("ic_no %q: %v", r["ic_no"], err)
			}
			if r["socso_no"] != n.String() {
				t.Errorf("socso_no %q for %q", r["socso_no"], r["ic_no"])
			}
		}
		for _, c := range headerCols {
			if r[c] != s.first[c] {
				t.Fatalf("payslip %s: %s is %q and %q", key, c, s.first[c], r[c])
			}
		}
		amt := sen(t, r["amount"])
		if amt <= 0 {
			t.Errorf("non-positive item %v", r)
		}
		s.items++
		cats[r["category"]]++
		switch {
		case slices.Contains(incomeCategories, r["category"]):
			s.gross += amt
		case slices.Contains(deductionCategories, r["category"]):
			s.ded += amt
		case !strings.HasPrefix(r["category"], "EMPLOYER_"):
			t.Fatalf("unknown category %q", r["category"])
		}
	}
	for _, c := range allCategories {
		if cats[c] == 0 {
			t.Errorf("category %s never appears", c)
		}
	}
	if !runs["UTAMA"] || !runs["TAMBAHAN-1"] {
		t.Errorf("runs %v", runs)
	}
	var utama, items, minItems, maxItems int
	minItems = 1000
	for _, k := range order {
		s := slips[k]
		if s.gross-s.ded <= 0 {
			t.Errorf("payslip %s: net pay %d sen", k, s.gross-s.ded)
		}
		if strings.HasSuffix(s.first["payroll_id"], "UTAMA") {
			utama++
			items += s.items
			minItems, maxItems = min(minItems, s.items), max(maxItems, s.items)
		}
	}
	if utama != mid.Staff*mid.Months {
		t.Errorf("%d main-run payslips, want %d", utama, mid.Staff*mid.Months)
	}
	avg := float64(items) / float64(utama)
	t.Logf("%d rows, %d payslips, %.1f items per main payslip (%d–%d)", len(recs), len(slips), avg, minItems, maxItems)
	if avg < 18 || avg > 28 {
		t.Errorf("%.1f items per payslip, want 18–28", avg)
	}
}

func TestPaymentsFile(t *testing.T) {
	data := generate(t, WritePayments, mid)
	if h, _, _ := bytes.Cut(data, []byte("\n")); string(h) != wantPaymentHeader {
		t.Fatalf("header %q", h)
	}
	_, recs := readAll(t, data)
	staff, _ := People(mid)
	staffIDs := map[string]bool{}
	for _, p := range staff {
		staffIDs[p.ID] = true
	}
	headerCols := strings.Split(wantPaymentHeader, ",")[:9]
	type payment struct {
		first map[string]string
		sum   int64
	}
	payments := map[string]*payment{}
	last := ""
	statuses, modes := map[string]int{}, map[string]int{}
	var dmy, claims, noInvoice int
	for _, r := range recs {
		for _, c := range strings.Split(wantPaymentHeader, ",") {
			optional := c == "invoice_no" || (c == "bank_name" || c == "bank_account") && r["payment_mode"] != "EFT"
			if r[c] == "" && !optional {
				t.Fatalf("required %s empty: %v", c, r)
			}
		}
		no := r["payment_no"]
		p := payments[no]
		if p == nil {
			p = &payment{first: r}
			payments[no] = p
			statuses[r["status"]]++
			modes[r["payment_mode"]]++
			if _, err := identity.Parse(r["payee_id"]); err != nil {
				t.Fatalf("payee_id %q: %v", r["payee_id"], err)
			}
			if staffIDs[r["payee_id"]] {
				claims++
			}
			if _, err := time.Parse("2006-01-02", r["payment_date"]); err != nil {
				t.Fatalf("payment_date %q", r["payment_date"])
			}
		} else if no != last {
			t.Fatalf("payment_no %s used by two payments", no)
		}
		last = no
		for _, c := range headerCols {
			if r[c] != p.first[c] {
				t.Fatalf("payment %s: %s is %q and %q", no, c, p.first[c], r[c])
			}
		}
		p.sum += sen(t, r["amount"])
		if _, err := parseDate(r["voucher_date"]); err != nil {
			t.Fatalf("voucher_date %q", r["voucher_date"])
		}
		if strings.Contains(r["voucher_date"], "/") {
			dmy++
		}
		if r["invoice_no"] == "" {
			noInvoice++
		}
		if !strings.HasPrefix(r["voucher_no"], "V"+r["ptj_code"]) {
			t.Errorf("voucher_no %q for PTJ %q", r["voucher_no"], r["ptj_code"])
		}
	}
	for no, p := range payments {
		if total := sen(t, p.first["payment_amount"]); total != p.sum {
			t.Errorf("payment %s: lines add up to %d sen, payment_amount %d", no, p.sum, total)
		}
	}
	for _, s := range allStatuses {
		if statuses[s] == 0 {
			t.Errorf("status %s never appears", s)
		}
	}
	for _, m := range allModes {
		if modes[m] == 0 {
			t.Errorf("mode %s never appears", m)
		}
	}
	t.Logf("%d rows, %d payments, %d staff claims, statuses %v, modes %v, %d DD/MM/YYYY dates, %d without invoice",
		len(recs), len(payments), claims, statuses, modes, dmy, noInvoice)
	if claims == 0 || noInvoice == 0 {
		t.Error("no staff claims or no line without an invoice")
	}
	if dmy == 0 || dmy*10 > len(recs) {
		t.Errorf("%d of %d voucher dates DD/MM/YYYY, want a small fraction", dmy, len(recs))
	}
	if !bytes.Contains(data, []byte(`""`)) || !bytes.Contains(data, []byte(`, `)) {
		t.Error("no quoted quotes or commas: quoting is not exercised")
	}
}

// WritePayroll is the header and the months of WritePayrollMonth.
func TestPayrollIsMonths(t *testing.T) {
	o := Options{Staff: 30, Months: 7, EndYear: 2026, EndMonth: time.February, Seed: 3}
	all := generate(t, WritePayroll, o)
	var want bytes.Buffer
	want.WriteString(wantPayrollHeader + "\n")
	total := 0
	for k := range o.Months {
		ym := time.Date(2025, time.August+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
		var buf bytes.Buffer
		n, err := WritePayrollMonth(&buf, o, ym.Year(), ym.Month())
		if err != nil {
			t.Fatal(err)
		}
		total += n
		_, body, _ := bytes.Cut(buf.Bytes(), []byte("\n"))
		want.Write(body)
	}
	if !bytes.Equal(all, want.Bytes()) {
		t.Error("WritePayroll differs from its months")
	}
	if rows := bytes.Count(all, []byte("\n")) - 1; rows != total {
		t.Errorf("%d rows, months give %d", rows, total)
	}
	if _, err := WritePayrollMonth(io.Discard, o, 2026, 13); err == nil {
		t.Error("month 13 accepted")
	}
	if _, err := WritePayroll(io.Discard, Options{EndMonth: 13}); err == nil {
		t.Error("EndMonth 13 accepted")
	}
}

func TestQuoting(t *testing.T) {
	for _, s := range []string{"", "plain", "a,b", `say "hi"`, "two\nlines", "cr\r", " lead", "\ttab", `\.`,
		"trail ", "Larut, Matang dan Selama", "Nur 'Ain", "ünï"} {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		w.Write([]string{s, "x"})
		w.Flush()
		got := append(appendField(nil, s), ",x\n"...)
		if string(got) != want.String() {
			t.Errorf("%q: got %q, encoding/csv %q", s, got, want.String())
		}
	}
}

// errWriter fails after n bytes.
type errWriter struct{ n int }

func (w *errWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, io.ErrShortWrite
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	o := Options{Staff: 2000, Suppliers: 500}
	for _, write := range []func(io.Writer, Options) (int, error){WritePayroll, WritePayments} {
		if _, err := write(&errWriter{n: 1 << 20}, o); err == nil {
			t.Error("write error not returned")
		}
	}
}

// memWriter discards what it is given and records the largest live heap.
type memWriter struct {
	bytes int64
	peak  uint64
	calls int
}

func (w *memWriter) Write(p []byte) (int, error) {
	w.bytes += int64(len(p))
	if w.calls++; w.calls%16 == 0 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		w.peak = max(w.peak, m.HeapAlloc)
	}
	return len(p), nil
}

func TestStreamsInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a million rows")
	}
	runtime.GC() // start from the live heap, not earlier tests' garbage
	w := &memWriter{}
	rows, err := WritePayroll(w, Options{Staff: 60000, Months: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows, %d MB, peak heap %d MB", rows, w.bytes>>20, w.peak>>20)
	if rows < 1_000_000 {
		t.Errorf("only %d rows", rows)
	}
	if w.peak > 64<<20 {
		t.Errorf("heap reached %d MB while streaming", w.peak>>20)
	}
}

func benchmarkRows(b *testing.B, write func(io.Writer, Options) (int, error), o Options) {
	b.ReportAllocs()
	b.ResetTimer()
	rows, err := write(io.Discard, o)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
}

// BenchmarkWritePayroll writes about b.N payroll rows (one month of b.N/20 staff).
func BenchmarkWritePayroll(b *testing.B) {
	benchmarkRows(b, WritePayroll, Options{Staff: max(1, b.N/20), Months: 1, StateName: "Melaka"})
}

// BenchmarkWritePayments writes about b.N payment rows.
func BenchmarkWritePayments(b *testing.B) {
	benchmarkRows(b, WritePayments, Options{Suppliers: max(1, b.N/4), Staff: max(1, b.N/4), Months: 1, StateName: "Melaka"})
}

func Example() {
	staff, suppliers := People(Options{Staff: 2, Suppliers: 2, StateName: "Melaka"})
	fmt.Println(len(staff), len(suppliers))
	// Output: 2 2
}
