package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/load"
)

const paymentsHeader = "payee_id,payee_name,payment_no,payment_mode,payment_date,status,bank_name,bank_account,payment_amount,voucher_no,voucher_date,invoice_no,ptj_code,ptj_name,description,amount\n"

func loadPayments(t *testing.T, e *apptest.Env, content string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bayaran.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := e.App.Loader.Load(context.Background(), load.Request{Kind: load.Payments, Path: path, FileName: "bayaran.csv", Via: "cli"})
	if err != nil || res.Status != load.Accepted {
		t.Fatalf("load: %v %+v", err, res.Errors.List)
	}
}

// staffPayments: an EFT on 1 March, a cheque on 31 March, an EFT on 1 April, another
// payee's EFT, and 30 small claims in February for paging.
func staffPayments(status string) string {
	var b strings.Builder
	b.WriteString(paymentsHeader)
	b.WriteString("850101-14-5123,Siti Aminah binti Abu,EFT0000000001,EFT,2026-03-01," + status + ",Maybank,114012345678,300.00,V0710001,2026-02-20,\"=HYPERLINK(\"\"x\"\")\",07100001,Perbendaharaan Negeri,Tuntutan perjalanan,100.00\n")
	b.WriteString("850101-14-5123,Siti Aminah binti Abu,EFT0000000001,EFT,2026-03-01," + status + ",Maybank,114012345678,300.00,V0710002,2026-02-21,INV-2026-0042,07100001,Perbendaharaan Negeri,Elaun lebih masa,200.00\n")
	b.WriteString("850101-14-5123,Siti Aminah binti Abu,CEK000123,CEK,31/03/2026,DIKELUARKAN,,,50.00,V0710003,2026-03-10,,07100001,Perbendaharaan Negeri,Bayaran balik,50.00\n")
	b.WriteString("850101-14-5123,Siti Aminah binti Abu,EFT0000000002,EFT,2026-04-01,DITERIMA,Maybank,114012345678,75.00,V0710004,2026-03-25,,07100001,Perbendaharaan Negeri,Tuntutan,75.00\n")
	b.WriteString("900215-10-5678,Ahmad bin Ismail,EFT0000000009,EFT,2026-03-15,DITERIMA,CIMB Bank,8001234567,999.00,V0710009,2026-03-01,,07100001,Perbendaharaan Negeri,Tuntutan,999.00\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "850101-14-5123,Siti Aminah binti Abu,EFT10000000%02d,EFT,2026-02-%02d,DITERIMA,Maybank,114012345678,1.00,V07200%02d,2026-02-01,,07100001,Perbendaharaan Negeri,Tuntutan kecil,1.00\n", i, min(i, 28), i)
	}
	return b.String()
}

func paymentRows(t *testing.T, body string) []string {
	var out []string
	doc(t, body).Find("tbody tr td:first-child").Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

// TestEMaklumRange: the range is inclusive at both ends; empty, reversed and invalid
// ranges are answered clearly; long lists page; the total covers every page.
func TestEMaklumRange(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, _ := loggedIn(t, e)
	loadPayments(t, e, staffPayments("DIHANTAR"))
	r := c.Get("/emaklum?mula=2026-03-01&akhir=31/03/2026")
	if got := paymentRows(t, r.Body); strings.Join(got, ",") != "EFT0000000001,CEK000123" {
		t.Errorf("March: %v", got)
	}
	if !strings.Contains(r.Body, "RM 350.00") {
		t.Errorf("total: %s", text(t, r.Body, "main"))
	}
	if got := paymentRows(t, c.Get("/emaklum?mula=2026-03-02&akhir=2026-03-30").Body); len(got) != 0 {
		t.Errorf("inside the ends: %v", got)
	}
	if r := c.Get("/emaklum?mula=2025-01-01&akhir=2025-01-31"); !strings.Contains(r.Body, "Tiada bayaran dalam tempoh ini") {
		t.Error("empty range not said")
	}
	for q, field := range map[string]string{"mula=2026-04-01&akhir=2026-03-01": "akhir", "mula=2026-02-30&akhir=2026-03-01": "mula",
		"mula=&akhir=2026-03-01": "mula", "mula=2026-01-01&akhir=esok": "akhir"} {
		r := c.Get("/emaklum?" + q)
		if r.StatusCode != http.StatusOK || text(t, r.Body, "#f-"+field+"-error") == "" {
			t.Errorf("%s: no error beside %s", q, field)
		}
	}
	page1 := c.Get("/emaklum?mula=2026-01-01&akhir=2026-12-31")
	if n := len(paymentRows(t, page1.Body)); n != 25 || !strings.Contains(page1.Body, "33 bayaran") || !strings.Contains(page1.Body, "RM 455.00") {
		t.Errorf("page 1: %d rows; %s", n, text(t, page1.Body, "p[role=status]"))
	}
	next, _ := doc(t, page1.Body).Find("a[rel=next]").Attr("href")
	if n := len(paymentRows(t, c.Get("/emaklum"+next).Body)); n != 8 {
		t.Errorf("page 2: %d rows (%s)", n, next)
	}
	if got := paymentRows(t, c.Get("/emaklum?mula=2026-01-01&akhir=2026-12-31&cari=INV-2026-0042").Body); strings.Join(got, ",") != "EFT0000000001" {
		t.Errorf("search by invoice: %v", got)
	}
	if got := paymentRows(t, c.Get("/emaklum?mula=2026-01-01&akhir=2026-12-31&cari=V0710004").Body); strings.Join(got, ",") != "EFT0000000002" {
		t.Errorf("search by voucher: %v", got)
	}
	if got := paymentRows(t, c.Get("/emaklum?mula=2026-01-01&akhir=2026-12-31&cari=V0710009").Body); len(got) != 0 {
		t.Errorf("search found another payee's payment: %v", got)
	}
}

// TestEMaklumCSV: the download holds the range and escapes formula cells.
func TestEMaklumCSV(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, _ := loggedIn(t, e)
	loadPayments(t, e, strings.Replace(staffPayments("DIHANTAR"), "EFT0000000002", "=cmd|calc", -1))
	r := c.Get("/emaklum/csv?mula=2026-03-01&akhir=2026-04-30")
	if r.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("headers: %v", r.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d rows (%v): %q", len(rows), err, r.Body)
	}
	if rows[0][0] != "No. Cek/EFT" || rows[3][0] != "'=cmd|calc" || rows[1][4] != "300.00" {
		t.Errorf("csv: %q", rows)
	}
}

// TestPaymentAccountCheck: an EFT shows its advice only after the right account number;
// a wrong one says so and counts toward the lock; a cheque needs no check; the status
// history shows when the status changed.
func TestPaymentAccountCheck(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, _ := loggedIn(t, e)
	loadPayments(t, e, staffPayments("DIHANTAR"))
	loadPayments(t, e, strings.Replace(staffPayments("DITERIMA"), "EFT0000000009,EFT,2026-03-15,DITERIMA", "EFT0000000009,EFT,2026-03-15,GAGAL", 1))
	list := c.Get("/emaklum?mula=2026-03-01&akhir=2026-03-31")
	eft, _ := doc(t, list.Body).Find("tbody a").First().Attr("href")
	cheque, _ := doc(t, list.Body).Find("tbody a").Eq(1).Attr("href")
	page := c.Get(eft)
	if strings.Contains(page.Body, "V0710001") || !strings.Contains(page.Body, "********5678") || strings.Contains(page.Body, "114012345678") {
		t.Fatal("advice shown before the check, or the account not masked")
	}
	r := c.Post(eft+"/semak", url.Values{"akaun": {"114012340000"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(t, r.Body, "#f-akaun-error"), "tidak sepadan") || strings.Contains(r.Body, "V0710001") {
		t.Fatalf("wrong account: %d", r.StatusCode)
	}
	r = c.Post(eft+"/semak", url.Values{"akaun": {"1140-1234-5678"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("right account: %d", r.StatusCode)
	}
	advice := text(t, c.Get(eft).Body, "article")
	for _, want := range []string{"V0710001", "V0710002", "INV-2026-0042", "Tuntutan perjalanan", "300.00", "Sejarah status", "Dihantar ke bank", "Diterima oleh bank"} {
		if !strings.Contains(advice, want) {
			t.Errorf("advice lacks %q", want)
		}
	}
	if !strings.Contains(text(t, c.Get(cheque).Body, "article"), "Bayaran balik") {
		t.Error("a cheque's advice needs no check")
	}
	other := e.Client()
	other.Login(staffID, staffPW2)
	if strings.Contains(other.Get(eft).Body, "V0710001") {
		t.Error("the check carried over to another session")
	}
	for i := 0; i < 5; i++ {
		other.Post(eft+"/semak", url.Values{"akaun": {"000"}})
	}
	if r := other.Post(eft+"/semak", url.Values{"akaun": {"114012345678"}}); !strings.Contains(text(t, r.Body, "#f-akaun-error"), "dikunci") {
		t.Errorf("five wrong account numbers did not lock: %s", text(t, r.Body, "#f-akaun-error"))
	}
	if r := login(e.Client(), staffID, staffPW2); !strings.Contains(text(t, r.Body, "#login-error"), "dikunci") {
		t.Error("the lock from account checks does not hold at login")
	}
	e.Clock.Advance(16 * time.Minute)
}

// TestPaymentAccess: another payee's payment is 404 like a missing one; suppliers see
// their own payments; no session goes to login.
func TestPaymentAccess(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, _ := loggedIn(t, e)
	loadPayments(t, e, staffPayments("DIHANTAR")+"201901012345,Syarikat Maju Jaya Sdn Bhd,EFT0000000777,EFT,2026-03-05,DITERIMA,RHB Bank,21234500001234,1500.00,V0710777,2026-03-01,INV-77,07100001,Perbendaharaan Negeri,Bekalan alat tulis,1500.00\n")
	var others string
	_ = e.App.DB.Q(context.Background()).QueryRowContext(context.Background(), `SELECT public_id FROM payments WHERE payment_no = 'EFT0000000777'`).Scan(&others)
	a, b := c.Get("/emaklum/"+others), c.Get("/emaklum/000000000000000000000000")
	if a.StatusCode != http.StatusNotFound || b.StatusCode != http.StatusNotFound || text(t, a.Body, "main") != text(t, b.Body, "main") {
		t.Errorf("another payee's payment: %d / %d", a.StatusCode, b.StatusCode)
	}
	for _, p := range []string{"/emaklum/" + others + "/pdf", "/emaklum/" + others + "?cetak=1"} {
		if r := c.Get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", p, r.StatusCode)
		}
	}
	if r := c.Post("/emaklum/"+others+"/semak", url.Values{"akaun": {"21234500001234"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("check on another's payment: %d", r.StatusCode)
	}
	sup := validRegistration()
	sup.Set("user_type", "PEMBEKAL")
	sup.Set("login_id", "201901012345")
	sup.Set("name", "Syarikat Maju Jaya Sdn Bhd")
	sup.Set("email", "akaun@majujaya.com.my")
	if _, err := e.App.Accounts.CreateActive(context.Background(), toRegistration(sup), "PENGGUNA"); err != nil {
		t.Fatal(err)
	}
	s := e.Client()
	s.Login("201901012345", staffPW)
	if got := paymentRows(t, s.Get("/emaklum?mula=2026-01-01&akhir=2026-12-31").Body); strings.Join(got, ",") != "EFT0000000777" {
		t.Errorf("supplier sees %v", got)
	}
	e.Clock.Advance(2 * 24 * time.Hour) // 4 March 2026: both months in the chart
	s.Login("201901012345", staffPW)
	home := s.Get("/utama")
	if !strings.Contains(text(t, home.Body, "main"), "EFT0000000777") || doc(t, home.Body).Find("svg.chart rect").Length() != 12 {
		t.Errorf("supplier home: %d %s", home.StatusCode, home.Body)
	}
	if r := e.Client().Get("/emaklum"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("no session: %d", r.StatusCode)
	}
}

// TestPaymentAdvicePDF: the advice PDF needs the account check like the page, and
// carries every voucher.
func TestPaymentAdvicePDF(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, _ := loggedIn(t, e)
	loadPayments(t, e, staffPayments("DIHANTAR"))
	eft, _ := doc(t, c.Get("/emaklum?mula=2026-03-01&akhir=2026-03-31").Body).Find("tbody a").First().Attr("href")
	if r := c.Get(eft + "/pdf"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("PDF before the check: %d", r.StatusCode)
	}
	c.Post(eft+"/semak", url.Values{"akaun": {"114012345678"}})
	r := c.Get(eft + "/pdf")
	if r.StatusCode != http.StatusOK || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("PDF: %d", r.StatusCode)
	}
	txt, err := pdfText(t, []byte(r.Body), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"EFT0000000001", "V0710001", "V0710002", "Tuntutan perjalanan", "300.00", "********5678"} {
		if !strings.Contains(txt, want) {
			t.Errorf("advice PDF lacks %q", want)
		}
	}
}
