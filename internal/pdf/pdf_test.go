package pdf

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signintech/gopdf"

	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/money"
	"github.com/espeks/espeks/internal/payment"
	"github.com/espeks/espeks/internal/payslip"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.txt")

// printedAt is 15/04/2026 09:30 in Malaysia.
var printedAt = time.Date(2026, 4, 15, 1, 30, 0, 0, time.UTC)

func meta() Meta { return Meta{StateName: "Melaka", PrintedAt: printedAt} }

func date(y, m, d int) civil.Date {
	return civil.Of(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC))
}

func item(code, name, cat string, sen int64) payslip.Item {
	return payslip.Item{Code: code, Name: name, Category: cat, Amount: money.Sen(sen)}
}

const fullAccount = "1122334455667788"

func samplePayslip() payslip.Payslip {
	p := payslip.Payslip{
		PublicID:       "ps_01",
		PayrollID:      "2026-03-UTAMA",
		Year:           2026,
		Month:          3,
		PayDate:        date(2026, 3, 25),
		ICNo:           "850312045123",
		StaffNo:        "G0012345",
		Name:           "NUR AISYAH BINTI MOHD RAZALI",
		Position:       "Penolong Pegawai Tadbir",
		Grade:          "N29",
		DepartmentCode: "1201",
		DepartmentName: "Jabatan Kewangan dan Perbendaharaan Negeri",
		PTJCode:        "120101",
		PTJName:        "Bahagian Perakaunan",
		BankName:       "Bank Islam Malaysia Berhad",
		BankAccount:    fullAccount,
		EPFNo:          "19876543",
		SOCSONo:        "850312045123",
		TaxNo:          "IG 2345678-09",
		Income: []payslip.Item{
			item("0001", "Gaji Pokok", "BASIC", 412345),
			item("0002", "Bayaran Lebih Masa", "OVERTIME", 24560),
			item("0101", "Imbuhan Tetap Perumahan (ITP)", "ALLOWANCE_EXEMPT", 30000),
			item("0102", "Bantuan Sara Hidup (BSH)", "ALLOWANCE_EXEMPT", 30000),
			item("0103", "Imbuhan Tetap Khidmat Awam (ITKA)", "ALLOWANCE_EXEMPT", 16000),
			item("0201", "Elaun Pemangkuan", "ALLOWANCE", 15000),
			item("0202", "Elaun Memangku Tugas Ketua Unit Perakaunan dan Kewangan", "ALLOWANCE", 12050),
			item("0301", "Tunggakan Gaji 2025", "ARREARS", 8820),
		},
		Deductions: []payslip.Item{
			item("4001", "KWSP", "EPF", 50225),
			item("4002", "PERKESO", "SOCSO", 1975),
			item("4003", "SIP", "EIS", 790),
			item("4101", "Potongan Cukai Bulanan (PCB)", "PCB", 18735),
			item("4102", "Zakat Pendapatan", "ZAKAT", 11250),
			item("4201", "Pinjaman Perumahan LPPSA", "LOAN", 123456),
			item("4202", "Koperasi Kakitangan Kerajaan Negeri Melaka Berhad", "OTHER_DEDUCTION", 25000),
			item("4203", "Takaful Keluarga", "OTHER_DEDUCTION", 8500),
			item("4204", "Yuran Kesatuan", "OTHER_DEDUCTION", 1000),
		},
		Employer: []payslip.Item{
			item("9001", "KWSP Majikan", "EMPLOYER_EPF", 59350),
			item("9002", "PERKESO Majikan", "EMPLOYER_SOCSO", 6905),
			item("9003", "SIP Majikan", "EMPLOYER_EIS", 790),
		},
	}
	total(&p)
	return p
}

func total(p *payslip.Payslip) {
	p.TotalIncome, p.TotalDeductions, p.TotalEmployer = 0, 0, 0
	for _, it := range p.Income {
		p.TotalIncome += it.Amount
	}
	for _, it := range p.Deductions {
		p.TotalDeductions += it.Amount
	}
	for _, it := range p.Employer {
		p.TotalEmployer += it.Amount
	}
	p.NetPay = p.TotalIncome - p.TotalDeductions
}

func sampleEC() payslip.EC {
	return payslip.EC{
		Year:           2025,
		Payslips:       13,
		Name:           "NUR AISYAH BINTI MOHD RAZALI",
		ICNo:           "850312045123",
		StaffNo:        "G0012345",
		Position:       "Penolong Pegawai Tadbir",
		Grade:          "N29",
		TaxNo:          "IG 2345678-09",
		EPFNo:          "19876543",
		SOCSONo:        "850312045123",
		DepartmentName: "Jabatan Kewangan dan Perbendaharaan Negeri",
		PTJCode:        "120101",
		PTJName:        "Bahagian Perakaunan",
		Employer: payslip.Employer{
			Name:    "Perbendaharaan Negeri Melaka",
			Address: "Aras 3, Blok Temenggong, Seri Negeri, Hang Tuah Jaya, 75450 Ayer Keroh, Melaka",
			Number:  "E 0123456-7",
		},
		B1a: 4981245,
		B1b: 205000,
		B1c: 327060,
		B1d: 0,
		B2:  8820,
		C:   0,
		D1:  224820,
		D2:  0,
		D3:  135000,
		E1:  602700,
		E2:  33180,
		F:   912000,
	}
}

func samplePayment() payment.Payment {
	return payment.Payment{
		PublicID:    "pay_01",
		PaymentNo:   "EFT26031500123",
		PayeeID:     "201901012345",
		PayeeName:   "SYARIKAT MAJU JAYA BINAAN SDN. BHD.",
		Mode:        "EFT",
		PaymentDate: date(2026, 3, 15),
		Status:      "DITERIMA",
		BankName:    "Maybank",
		BankAccount: fullAccount,
		Amount:      1234567 + 450000 + 8990,
		Lines: []payment.Line{
			{VoucherNo: "BV26-000871", VoucherDate: date(2026, 3, 2), InvoiceNo: "INV-2026-0142",
				PTJCode: "120101", PTJName: "Bahagian Perakaunan",
				Description: "Kerja-kerja penyelenggaraan bumbung dan sistem perparitan Bangunan Seri Negeri Blok Bendahara fasa 2",
				Amount:      1234567},
			{VoucherNo: "BV26-000872", VoucherDate: date(2026, 3, 3), InvoiceNo: "INV-2026-0150",
				PTJCode: "130201", PTJName: "Jabatan Kerja Raya Negeri Melaka",
				Description: "Bekalan alat tulis pejabat", Amount: 450000},
			{VoucherNo: "BV26-000890", VoucherDate: date(2026, 3, 9), InvoiceNo: "",
				PTJCode: "120101", PTJName: "Bahagian Perakaunan",
				Description: "Bayaran balik deposit tender", Amount: 8990},
		},
		History: []payment.StatusChange{
			{Status: "DIHANTAR", At: time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)},
			{Status: "DITERIMA", At: time.Date(2026, 3, 16, 1, 15, 0, 0, time.UTC)},
		},
	}
}

// ---- tools -------------------------------------------------------------------------------

// needTool skips the test when a poppler tool is missing, unless ESPEKS_E2E is set, in which
// case a missing tool is a failure.
func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("ESPEKS_E2E") != "" {
			t.Fatalf("%s is not installed (poppler-utils) and ESPEKS_E2E is set", name)
		}
		t.Skipf("%s is not installed (poppler-utils)", name)
	}
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// run runs a poppler tool on the PDF b and returns its standard output.
func run(t *testing.T, b []byte, tool string, args ...string) (string, error) {
	t.Helper()
	needTool(t, tool)
	f := writeTemp(t, b)
	var out, errb bytes.Buffer
	cmd := exec.Command(tool, append(args, f, "-")...)
	if tool == "pdfinfo" {
		cmd = exec.Command(tool, append(args, f)...)
	}
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s: %v: %s", tool, err, errb.String())
	}
	return out.String(), nil
}

func mustRun(t *testing.T, b []byte, tool string, args ...string) string {
	t.Helper()
	s, err := run(t, b, tool, args...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var spaces = regexp.MustCompile(`[ \t]+`)

// normalise trims each line, collapses runs of blanks and drops empty lines and form feeds.
func normalise(s string) string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\f", "\n"), "\n") {
		l = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n") + "\n"
}

// flat is the text with all white space collapsed to single spaces.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func pages(t *testing.T, b []byte, args ...string) int {
	t.Helper()
	info := mustRun(t, b, "pdfinfo", args...)
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo has no Pages line:\n%s", info)
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

type sample struct {
	name   string
	render func(Meta) ([]byte, error)
}

var samples = []sample{
	{"payslip", func(m Meta) ([]byte, error) { return Payslip(samplePayslip(), m) }},
	{"ec", func(m Meta) ([]byte, error) { return EC(sampleEC(), m) }},
	{"advice", func(m Meta) ([]byte, error) { return PaymentAdvice(samplePayment(), m) }},
}

func render(t *testing.T, s sample, m Meta) []byte {
	t.Helper()
	b, err := s.render(m)
	if err != nil {
		t.Fatalf("%s: %v", s.name, err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%s: not a PDF", s.name)
	}
	return b
}

// ---- tests -------------------------------------------------------------------------------

func TestGolden(t *testing.T) {
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			b := render(t, s, meta())
			got := normalise(mustRun(t, b, "pdftotext", "-layout"))
			path := filepath.Join("testdata", "golden", s.name+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s: extracted text differs from %s (rerun with -update if intended)\n--- got\n%s\n--- want\n%s",
					s.name, path, got, want)
			}
		})
	}
}

// TestReadingOrder checks that, without -layout, the words of each line come out in order
// (in particular that wrapped item names read as one phrase).
func TestReadingOrder(t *testing.T) {
	b := render(t, samples[0], meta())
	txt := flat(mustRun(t, b, "pdftotext"))
	for _, want := range []string{
		"Kerajaan Negeri Melaka PENYATA GAJI / PAYSLIP",
		"Elaun Memangku Tugas Ketua Unit Perakaunan dan Kewangan",
		"Koperasi Kakitangan Kerajaan Negeri Melaka Berhad",
		"GAJI BERSIH / NET PAY",
		"Penyata ini dijana oleh komputer. Tiada tandatangan diperlukan.",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text does not contain %q:\n%s", want, txt)
		}
	}
}

func TestPayslipContent(t *testing.T) {
	p := samplePayslip()
	b := render(t, samples[0], meta())
	txt := flat(mustRun(t, b, "pdftotext", "-raw"))
	lay := flat(mustRun(t, b, "pdftotext", "-layout"))
	for _, group := range [][]payslip.Item{p.Income, p.Deductions, p.Employer} {
		for _, it := range group {
			if !strings.Contains(txt, it.Code+" "+it.Name) {
				t.Errorf("item %s %q not in the text", it.Code, it.Name)
			}
			if !strings.Contains(lay, it.Amount.Format()) {
				t.Errorf("amount %s of %s not in the text", it.Amount.Format(), it.Code)
			}
		}
	}
	for _, want := range []string{
		"Kerajaan Negeri Melaka", "PENYATA GAJI / PAYSLIP", "2026-03-UTAMA", "Mac 2026",
		"850312-04-5123", "NUR AISYAH BINTI MOHD RAZALI", "N29", "25/03/2026",
		"Jumlah Pendapatan / Total Earnings " + p.TotalIncome.Format(),
		"Jumlah Potongan / Total Deductions " + p.TotalDeductions.Format(),
		"GAJI BERSIH / NET PAY RM " + p.NetPay.Format(),
		"Tarikh dicetak / Printed: 15/04/2026 09:30", "Halaman / Page 1/1",
	} {
		// wrapped values read whole in content order (-raw), aligned rows in -layout
		if !strings.Contains(lay, want) && !strings.Contains(txt, want) {
			t.Errorf("text does not contain %q", want)
		}
	}
}

func TestECContent(t *testing.T) {
	e := sampleEC()
	b := render(t, samples[1], meta())
	txt := flat(mustRun(t, b, "pdftotext", "-layout"))
	raw := flat(mustRun(t, b, "pdftotext", "-raw"))
	for _, want := range []string{
		"BORANG EC — PENYATA SARAAN TAHUNAN / STATEMENT OF REMUNERATION", "Tahun / Year: 2025",
		"Gaji kasar, upah, gaji cuti, lebih masa", "49,812.45",
		"JUMLAH / TOTAL " + e.TotalB().Format(), "Pencen", "Potongan cukai bulanan (PCB)",
		"Arahan potongan CP38", "Zakat melalui potongan gaji", "KWSP (bahagian pekerja)",
		"PERKESO / SIP", "9,120.00", "Perbendaharaan Negeri Melaka", "E 0123456-7",
		"120101 Bahagian Perakaunan", "Bilangan slip gaji dijumlahkan / Number of payslips summed: 13",
		"NUR AISYAH BINTI MOHD RAZALI", "850312-04-5123",
		"Aras 3, Blok Temenggong, Seri Negeri, Hang Tuah Jaya, 75450 Ayer Keroh, Melaka",
	} {
		if !strings.Contains(txt, want) && !strings.Contains(raw, want) {
			t.Errorf("text does not contain %q", want)
		}
	}
}

func TestAdviceContent(t *testing.T) {
	p := samplePayment()
	b := render(t, samples[2], meta())
	raw := flat(mustRun(t, b, "pdftotext", "-raw"))
	lay := flat(mustRun(t, b, "pdftotext", "-layout"))
	for _, l := range p.Lines {
		for _, want := range []string{l.VoucherNo, l.VoucherDate.Display(), l.Amount.Format()} {
			if !strings.Contains(lay, want) {
				t.Errorf("line %s: %q not in the text", l.VoucherNo, want)
			}
		}
		if !strings.Contains(raw, l.Description) {
			t.Errorf("description %q not in the text", l.Description)
		}
	}
	for _, want := range []string{
		"NASIHAT PEMBAYARAN / PAYMENT ADVICE", "EFT26031500123", "201901012345",
		"Diterima oleh bank", "Dihantar ke bank", "15/03/2026 10:00", "16/03/2026 09:15",
		"Sejarah status / Status history", "Jumlah / Total (RM) " + p.Amount.Format(),
	} {
		if !strings.Contains(lay, want) {
			t.Errorf("text does not contain %q", want)
		}
	}
}

func TestAccountMasked(t *testing.T) {
	masked := payslip.MaskAccount(fullAccount)
	for _, s := range samples {
		b := render(t, s, meta())
		if s.name != "ec" {
			txt := mustRun(t, b, "pdftotext", "-layout")
			if !strings.Contains(txt, masked) {
				t.Errorf("%s: masked account %s not shown", s.name, masked)
			}
			if strings.Contains(txt, fullAccount) || strings.Contains(flat(txt), fullAccount) {
				t.Errorf("%s: full account number in the text", s.name)
			}
		}
		if bytes.Contains(b, []byte(fullAccount)) {
			t.Errorf("%s: full account number in the PDF bytes", s.name)
		}
	}
}

func TestOnePage(t *testing.T) {
	for _, s := range samples {
		if n := pages(t, render(t, s, meta())); n != 1 {
			t.Errorf("%s: %d pages, want 1", s.name, n)
		}
	}
	// a payslip with 30 items still fits
	p := samplePayslip()
	for len(p.Income)+len(p.Deductions)+len(p.Employer) < 30 {
		n := len(p.Income)
		p.Income = append(p.Income, item(fmt.Sprintf("05%02d", n), "Elaun Tambahan Khas", "ALLOWANCE", int64(1000+n)))
	}
	total(&p)
	b, err := Payslip(p, meta())
	if err != nil {
		t.Fatal(err)
	}
	if n := pages(t, b); n != 1 {
		t.Errorf("payslip with 30 items: %d pages, want 1", n)
	}
}

func TestAdviceManyLines(t *testing.T) {
	p := samplePayment()
	p.Lines, p.Amount = nil, 0
	for i := range 70 {
		l := payment.Line{
			VoucherNo: fmt.Sprintf("BV26-%06d", i), VoucherDate: date(2026, 3, 1+i%28),
			InvoiceNo: fmt.Sprintf("INV-%04d", i), PTJCode: "120101", PTJName: "Bahagian Perakaunan",
			Description: "Bekalan dan perkhidmatan penyelenggaraan bangunan pejabat kerajaan negeri",
			Amount:      money.Sen(10000 + i),
		}
		p.Lines = append(p.Lines, l)
		p.Amount += l.Amount
	}
	b, err := PaymentAdvice(p, meta())
	if err != nil {
		t.Fatal(err)
	}
	n := pages(t, b)
	if n < 2 {
		t.Fatalf("%d pages for 70 lines, want several", n)
	}
	txt := mustRun(t, b, "pdftotext", "-layout")
	for i := 1; i <= n; i++ {
		if !strings.Contains(txt, fmt.Sprintf("Halaman / Page %d/%d", i, n)) {
			t.Errorf("page %d/%d footer missing", i, n)
		}
	}
	if c := strings.Count(txt, "NASIHAT PEMBAYARAN / PAYMENT ADVICE"); c != n {
		t.Errorf("header on %d of %d pages", c, n)
	}
	if c := strings.Count(txt, "Tarikh Baucar"); c != n {
		t.Errorf("table heading on %d of %d pages", c, n)
	}
	for _, l := range p.Lines {
		if !strings.Contains(txt, l.VoucherNo) {
			t.Errorf("voucher %s missing", l.VoucherNo)
		}
	}
	if !strings.Contains(flat(txt), "Jumlah / Total (RM) "+p.Amount.Format()) {
		t.Error("total missing")
	}
}

// TestOddInputs renders empty, long and strange data: no error, no hang, and the page
// count stays sensible.
func TestOddInputs(t *testing.T) {
	long := strings.Repeat("Perkhidmatan penyelenggaraan bangunan ", 600)
	unbroken := strings.Repeat("X", 3000)

	empty := payslip.Payslip{PayrollID: "2026-03-TAMBAHAN-1", Year: 2026, Month: 3}
	if b, err := Payslip(empty, meta()); err != nil {
		t.Fatal(err)
	} else if txt := mustRun(t, b, "pdftotext", "-layout"); !strings.Contains(txt, "Tiada / None") ||
		!strings.Contains(txt, "Tambahan / Supplementary") {
		t.Errorf("empty payslip:\n%s", txt)
	}

	odd := samplePayslip()
	odd.Name = "NAMA\tDENGAN\nBARIS BARU \x00 " + unbroken
	odd.Income[0].Name = long
	if _, err := Payslip(odd, meta()); err != nil {
		t.Fatal(err)
	}

	many := samplePayslip()
	for i := range 120 {
		many.Deductions = append(many.Deductions, item(fmt.Sprintf("7%03d", i), "Potongan Lain", "OTHER_DEDUCTION", 100))
	}
	total(&many)
	b, err := Payslip(many, meta())
	if err != nil {
		t.Fatal(err)
	}
	n := pages(t, b)
	txt := mustRun(t, b, "pdftotext", "-layout")
	if n < 2 || strings.Count(txt, "PENYATA GAJI / PAYSLIP") != n || strings.Count(txt, "POTONGAN / DEDUCTIONS") != n {
		t.Errorf("payslip of 140 items: %d pages, headers not repeated:\n%s", n, txt)
	}
	if !strings.Contains(flat(txt), "GAJI BERSIH / NET PAY RM "+many.NetPay.Format()) {
		t.Error("net pay missing from the long payslip")
	}

	cheque := samplePayment()
	cheque.Mode, cheque.Status, cheque.BankName, cheque.BankAccount = "CEK", "DIKELUARKAN", "", ""
	cheque.PayeeID = "123456A" // old SSM company number
	cheque.History = cheque.History[:1]
	cheque.Lines = []payment.Line{{VoucherNo: "BV1", Description: long + unbroken, Amount: 5}}
	cheque.Amount = 5
	b, err = PaymentAdvice(cheque, meta())
	if err != nil {
		t.Fatal(err)
	}
	txt = mustRun(t, b, "pdftotext", "-layout")
	for _, want := range []string{"Cek", "Dikeluarkan", "123456-A", "…"} {
		if !strings.Contains(txt, want) {
			t.Errorf("cheque advice lacks %q", want)
		}
	}
	if strings.Contains(txt, "Sejarah status") {
		t.Error("a single status shows a history")
	}

	none := samplePayment()
	none.Lines, none.Status = nil, "SOMETHING"
	if _, err := PaymentAdvice(none, meta()); err != nil {
		t.Fatal(err)
	}
	if _, err := EC(payslip.EC{Year: 2025}, meta()); err != nil {
		t.Fatal(err)
	}
}

func TestEncrypted(t *testing.T) {
	const password = "850312045123"
	m := meta()
	m.Password = password
	for _, s := range samples {
		b := render(t, s, m)
		info := mustRun(t, b, "pdfinfo", "-upw", password)
		if !regexp.MustCompile(`(?m)^Encrypted:\s+yes`).MatchString(info) {
			t.Errorf("%s: pdfinfo does not say Encrypted: yes:\n%s", s.name, info)
		}
		if _, err := run(t, b, "pdftotext"); err == nil {
			t.Errorf("%s: pdftotext read the encrypted PDF without the password", s.name)
		}
		if _, err := run(t, b, "pdftotext", "-upw", "wrong-password"); err == nil {
			t.Errorf("%s: pdftotext read the encrypted PDF with a wrong password", s.name)
		}
		txt := mustRun(t, b, "pdftotext", "-layout", "-upw", password)
		if !strings.Contains(txt, "Kerajaan Negeri Melaka") {
			t.Errorf("%s: decrypted text lacks the header:\n%s", s.name, txt)
		}
		if n := pages(t, b, "-upw", password); n != 1 {
			t.Errorf("%s: %d pages", s.name, n)
		}
		if bytes.Contains(b, []byte(password)) {
			t.Errorf("%s: the password is in the PDF bytes", s.name)
		}
	}
}

func TestMetaRequired(t *testing.T) {
	if _, err := Payslip(samplePayslip(), Meta{}); err == nil {
		t.Error("no error without a state name")
	}
}

// TestConcurrent renders documents in parallel (run with -race): the parsed fonts are
// shared between documents.
func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 24)
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := meta()
			if i%3 == 0 {
				m.Password = "850312045123"
			}
			if _, err := samples[i%3].render(m); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{monthYear(3, 2026), "Mac 2026"},
		{monthYear(8, 2025), "Ogos 2025"},
		{monthYear(12, 2025), "Disember 2025"},
		{myKad("850312045123"), "850312-04-5123"},
		{myKad("12345"), "12345"},
		{statusWord("GAGAL"), "Gagal diproses bank"},
		{statusWord("DIBATALKAN"), "Dibatalkan"},
		{statusWord("DIKELUARKAN"), "Dikeluarkan"},
		{modeWord("CEK"), "Cek"},
		{localTime(time.Date(2026, 1, 2, 16, 4, 0, 0, time.UTC)), "03/01/2026 00:04"},
		{clean("a\nb\tc"), "a b c"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// ---- benchmarks --------------------------------------------------------------------------

// reportRate reports PDFs/s (wall clock, all of GOMAXPROCS) and PDFs per CPU-second (the
// process's user+system time, GC included), which does not depend on other load on the
// machine: on an otherwise idle machine PDFs/s ≈ GOMAXPROCS × PDFs/cpu-s.
func reportRate(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "PDFs/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "PDFs/cpu-s")
	}
}

// BenchmarkPayslip renders the sample payslip on all CPUs and reports PDFs per second.
func BenchmarkPayslip(b *testing.B) {
	p, m := samplePayslip(), meta()
	if _, err := Payslip(p, m); err != nil { // parse the fonts outside the timing
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := Payslip(p, m); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRate(b, cpuTime()-cpu0)
}

// BenchmarkPayslipRaw is the PDF library's own rate for a page of the same content: the
// same strings written at fixed positions with the same shared fonts, no layout logic. It
// is the yardstick of QUALITY.md ("≥ 80% of the PDF library's raw rate").
func BenchmarkPayslipRaw(b *testing.B) {
	fc, err := loadFonts()
	if err != nil {
		b.Fatal(err)
	}
	p := samplePayslip()
	var strs []string
	strs = append(strs, "Kerajaan Negeri Melaka", "PENYATA GAJI / PAYSLIP", p.PayrollID, p.Name,
		p.ICNo, p.Position, p.Grade, p.DepartmentName, p.PTJName, p.BankName, p.MaskedAccount(),
		p.EPFNo, p.SOCSONo, p.TaxNo, p.StaffNo, "Penyata ini dijana oleh komputer. Tiada tandatangan diperlukan.")
	for _, g := range [][]payslip.Item{p.Income, p.Deductions, p.Employer} {
		for _, it := range g {
			strs = append(strs, it.Code, it.Name, it.Amount.Format())
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			g := &gopdf.GoPdf{}
			g.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: *gopdf.PageSizeA4})
			if err := g.AddTTFFontFromFontContainer(famRegular, fc); err != nil {
				b.Error(err)
				return
			}
			if err := g.AddTTFFontFromFontContainer(famBold, fc); err != nil {
				b.Error(err)
				return
			}
			g.AddPage()
			for i, s := range strs {
				fam := famRegular
				if i%5 == 0 {
					fam = famBold
				}
				_ = g.SetFont(fam, "", 8)
				g.SetXY(40+float64(i%3)*170, 40+float64(i/3)*14)
				if err := g.Cell(nil, s); err != nil {
					b.Error(err)
					return
				}
			}
			if _, err := g.GetBytesPdfReturnErr(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRate(b, cpuTime()-cpu0)
}
