package web_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/load"
)

const payrollHeader = "payroll_id,year,month,pay_date,ic_no,staff_no,name,position,grade,department_code,department_name,ptj_code,ptj_name,bank_name,bank_account,epf_no,socso_no,tax_no,item_code,item_name,category,amount\n"

func slipRows(pid, year, month, date, ic, name string, items [][3]string) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(pid + "," + year + "," + month + "," + date + "," + ic + ",G12345," + name +
			",Penolong Akauntan,W29,KEW,Jabatan Kewangan,07100001,Perbendaharaan Negeri,Maybank,114012345678,12345678,850101145123,SG1234567890," +
			it[0] + "," + it[1] + "," + it[2] + "\n")
	}
	return b.String()
}

// loadPayroll loads a payroll file through the real loader.
func loadPayroll(t testing.TB, e *apptest.Env, content string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gaji.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := e.App.Loader.Load(context.Background(), load.Request{Kind: load.Payroll, Path: path, FileName: "gaji.csv", Via: "cli"})
	if err != nil || res.Status != load.Accepted {
		t.Fatalf("load: %v %+v", err, res.Errors)
	}
}

func staffPayroll() string {
	items := [][3]string{{"0001", "Gaji Pokok", "3500.00"}, {"1101", "Imbuhan Tetap Khidmat Awam", "160.00"}, {"2001", "KWSP", "385.00"},
		{"2101", "PCB", "42.50"}}
	cats := []string{"BASIC", "ALLOWANCE_EXEMPT", "EPF", "PCB"}
	for i := range items {
		items[i][2] = cats[i] + "," + items[i][2]
	}
	other := [][3]string{{"0001", "Gaji Pokok", "BASIC,9000.00"}}
	arrears := [][3]string{{"0501", "Tunggakan Gaji", "ARREARS,250.00"}}
	return payrollHeader +
		slipRows("2026-03-UTAMA", "2026", "3", "2026-03-25", "850101-14-5123", "Siti Aminah binti Abu", items) +
		slipRows("2026-03-TAMBAHAN-1", "2026", "3", "2026-03-30", "850101-14-5123", "Siti Aminah binti Abu", arrears) +
		slipRows("2026-02-UTAMA", "2026", "2", "2026-02-25", "850101-14-5123", "Siti Aminah binti Abu", items) +
		slipRows("2026-03-UTAMA", "2026", "3", "2026-03-25", "900215-10-5678", "Ahmad bin Ismail", other)
}

// TestEPayslip: Tahun + Bulan lists the month's payslips (main and supplementary); the
// payslip shows its blocks and exact totals with the account masked; print view has no
// menu; everything is no-store.
func TestEPayslip(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, _ := loggedIn(t, e)
	loadPayroll(t, e, staffPayroll())
	list := c.Get("/epayslip?tahun=2026&bulan=3")
	if list.StatusCode != http.StatusOK {
		t.Fatalf("list: %d", list.StatusCode)
	}
	links := doc(t, list.Body).Find("tbody a")
	if links.Length() != 2 || !strings.Contains(text(t, list.Body, "tbody"), "2026-03-TAMBAHAN-1") {
		t.Fatalf("%d payslips listed: %s", links.Length(), text(t, list.Body, "tbody"))
	}
	href, _ := links.First().Attr("href")
	if strings.Contains(href, "850101") {
		t.Errorf("identity number in a URL: %s", href)
	}
	slip := c.Get(href)
	body := text(t, slip.Body, "article")
	for _, want := range []string{"Siti Aminah binti Abu", "850101-14-5123", "Gaji Pokok", "3,500.00", "Jumlah Pendapatan", "3,660.00",
		"Jumlah Potongan", "427.50", "Gaji Bersih", "RM 3,232.50", "********5678", "Mac 2026", "Pendapatan", "Potongan", "Caruman Majikan"} {
		if !strings.Contains(body, want) {
			t.Errorf("payslip lacks %q", want)
		}
	}
	if strings.Contains(slip.Body, "114012345678") {
		t.Error("the full account number is on the page")
	}
	if slip.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", slip.Header.Get("Cache-Control"))
	}
	print := c.Get(href + "?cetak=1")
	if doc(t, print.Body).Find("nav.menu").Length() != 0 || !strings.Contains(print.Body, "Gaji Bersih") {
		t.Error("print view shows the menu or lacks the payslip")
	}
	empty := c.Get("/epayslip?tahun=2026&bulan=7")
	if !strings.Contains(empty.Body, "Tiada penyata gaji bagi bulan ini") {
		t.Error("no message for an empty month")
	}
	if r := c.Get("/epayslip?tahun=abc&bulan=13"); !strings.Contains(r.Body, "Pilih tahun yang sah") || !strings.Contains(r.Body, "Pilih bulan yang sah") {
		t.Error("bad year/month not named")
	}
}

// TestEEC: the Borang EC of a year sums that year's payslips by category.
func TestEEC(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, _ := loggedIn(t, e)
	loadPayroll(t, e, staffPayroll())
	if r := c.Get("/eec?tahun=2026"); !strings.Contains(r.Body, `href="/eec/2026"`) {
		t.Fatalf("no link to the 2026 EC: %s", text(t, r.Body, "main"))
	}
	ec := text(t, c.Get("/eec/2026").Body, "article")
	for _, want := range []string{"B1(a)", "7,000.00", "B2", "250.00", "Jumlah B", "7,250.00", "D1", "85.00", "E1", "770.00",
		"F.", "320.00", "Perbendaharaan Negeri Melaka", "Dijumlahkan daripada 3 penyata"} {
		if !strings.Contains(ec, want) {
			t.Errorf("EC lacks %q:\n%s", want, ec)
		}
	}
	if r := c.Get("/eec/2019"); r.StatusCode != http.StatusNotFound {
		t.Errorf("EC of a year without payslips: %d", r.StatusCode)
	}
}

// TestStatementAccess: another user's payslip is 404 like a missing one and is audited;
// suppliers never see ePayslip or eEC; no session goes to login.
func TestStatementAccess(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, u := loggedIn(t, e)
	loadPayroll(t, e, staffPayroll())
	var otherID string
	if err := e.App.DB.Q(context.Background()).QueryRowContext(context.Background(),
		`SELECT public_id FROM payslips WHERE ic_no = '900215105678'`).Scan(&otherID); err != nil {
		t.Fatal(err)
	}
	others := c.Get("/epayslip/" + otherID)
	missing := c.Get("/epayslip/000000000000000000000000")
	if others.StatusCode != http.StatusNotFound || missing.StatusCode != http.StatusNotFound || text(t, others.Body, "main") != text(t, missing.Body, "main") {
		t.Errorf("another's payslip: %d, missing: %d", others.StatusCode, missing.StatusCode)
	}
	if r := c.Get("/epayslip/" + otherID + "/pdf"); r.StatusCode != http.StatusNotFound {
		t.Errorf("another's PDF: %d", r.StatusCode)
	}
	events, _ := e.App.Audit.Search(context.Background(), audit.Filter{Event: audit.AccessDenied})
	if len(events) < 2 || events[0].ActorID != u.ID {
		t.Errorf("attempts not audited: %+v", events)
	}
	if r := e.Client().Get("/epayslip/" + otherID); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/log-masuk" {
		t.Errorf("no session: %d", r.StatusCode)
	}

	sup := validRegistration()
	sup.Set("user_type", "PEMBEKAL")
	sup.Set("login_id", "201901012345")
	sup.Set("email", "syarikat@contoh.com.my")
	sup.Del("department")
	sup.Del("staff_no")
	if _, err := e.App.Accounts.CreateActive(context.Background(), toRegistration(sup), "PENGGUNA"); err != nil {
		t.Fatal(err)
	}
	s := e.Client()
	s.Login("201901012345", staffPW)
	for _, p := range []string{"/epayslip", "/eec", "/eec/2026", "/epayslip/" + otherID} {
		if r := s.Get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("supplier %s: %d", p, r.StatusCode)
		}
	}
	if home := s.Get("/utama"); strings.Contains(home.Body, "/epayslip") || strings.Contains(home.Body, "/eec") {
		t.Error("the supplier's menu offers ePayslip/eEC")
	}
}

// TestStaffHomeChart: the home page shows the latest payslip and a 12-month chart with
// its numbers as a table.
func TestStaffHomeChart(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, _ := loggedIn(t, e)
	loadPayroll(t, e, staffPayroll())
	e.Clock.Advance(30 * 24 * 3600 * 1e9) // into April 2026, so March is in the last 12 months
	c.Login(staffID, staffPW2)
	home := c.Get("/utama")
	d := doc(t, home.Body)
	if d.Find("svg.chart rect").Length() != 12 || d.Find("details table tbody tr").Length() != 12 {
		t.Fatalf("chart bars %d, table rows %d", d.Find("svg.chart rect").Length(), d.Find("details table tbody tr").Length())
	}
	table := text(t, home.Body, "details table")
	if !strings.Contains(table, "3,482.50") || !strings.Contains(table, "3,232.50") {
		t.Errorf("chart table: %s", table)
	}
	if !strings.Contains(text(t, home.Body, "main"), "RM 250.00") && !strings.Contains(text(t, home.Body, "main"), "RM 3,232.50") {
		t.Errorf("no latest payslip: %s", text(t, home.Body, "main"))
	}
}

// TestLoadNotifications: users who opted in get one email per load that adds payslips
// or payments for them; others get none.
func TestLoadNotifications(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, u := loggedIn(t, e)
	f := profileForm(u)
	f.Set("notify", "1")
	if r := c.Post("/akaun/profil", f); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("opt in: %d", r.StatusCode)
	}
	other := validRegistration()
	other.Set("login_id", "900215-10-5678")
	other.Set("email", "ahmad@contoh.gov.my")
	if _, err := e.App.Accounts.CreateActive(context.Background(), toRegistration(other), "PENGGUNA"); err != nil {
		t.Fatal(err)
	}
	loadPayroll(t, e, staffPayroll()) // three payslips for Siti, one for Ahmad (not opted in)
	mails := emailsTo(t, e, "siti@contoh.gov.my", "statement_loaded")
	if len(mails) != 1 || !strings.Contains(mails[0].Body, "(3)") {
		t.Fatalf("payroll notifications to Siti: %+v", mails)
	}
	if n := len(emailsTo(t, e, "ahmad@contoh.gov.my", "statement_loaded")); n != 0 {
		t.Errorf("Ahmad did not opt in but got %d", n)
	}
	loadPayments(t, e, staffPayments("DIHANTAR"))
	mails = emailsTo(t, e, "siti@contoh.gov.my", "statement_loaded")
	if len(mails) != 2 || !strings.Contains(mails[0].Body, "33 bayaran") {
		t.Errorf("payment notification: %+v", mails)
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext (installed by scripts/test.sh).
func pdfText(t *testing.T, b []byte, password string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("ESPEKS_E2E") == "1" {
			t.Fatal("pdftotext missing although scripts/test.sh installs poppler-utils")
		}
		t.Skip("pdftotext not installed; scripts/test.sh installs it")
	}
	path := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-layout"}
	if password != "" {
		args = append(args, "-upw", password)
	}
	out, err := exec.Command("pdftotext", append(args, path, "-")...).CombinedOutput()
	return string(out), err
}

// TestStatementPDFs: the payslip and EC PDFs download with no-store, carry the same
// figures as the pages, and are encrypted with the ID number when the user chose that.
func TestStatementPDFs(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, u := loggedIn(t, e)
	loadPayroll(t, e, staffPayroll())
	list := c.Get("/epayslip?tahun=2026&bulan=3")
	href, _ := doc(t, list.Body).Find("tbody a").First().Attr("href")
	r := c.Get(href + "/pdf")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("pdf: %d %v", r.StatusCode, r.Header)
	}
	txt, err := pdfText(t, []byte(r.Body), "")
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, txt)
	}
	for _, want := range []string{"Siti Aminah binti Abu", "Gaji Pokok", "3,500.00", "3,232.50", "********5678"} {
		if !strings.Contains(txt, want) {
			t.Errorf("payslip PDF lacks %q", want)
		}
	}
	if strings.Contains(txt, "114012345678") {
		t.Error("the full account number is in the PDF")
	}
	ec := c.Get("/eec/2026/pdf")
	if txt, err := pdfText(t, []byte(ec.Body), ""); err != nil || !strings.Contains(txt, "7,250.00") {
		t.Errorf("EC PDF: %v %s", err, txt)
	}
	f := profileForm(u)
	f.Set("pdf_encrypt", "1")
	c.Post("/akaun/profil", f)
	if !strings.Contains(c.Get(href).Body, "dilindungi kata laluan") {
		t.Error("the page does not say what the PDF password is")
	}
	enc := c.Get(href + "/pdf")
	if _, err := pdfText(t, []byte(enc.Body), ""); err == nil {
		t.Error("an encrypted PDF opened without the password")
	}
	if txt, err := pdfText(t, []byte(enc.Body), "850101145123"); err != nil || !strings.Contains(txt, "Gaji Pokok") {
		t.Errorf("encrypted PDF with the ID as password: %v", err)
	}
}
