package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/load"
)

const (
	supplierID    = "201901012345"
	supplierName  = "Syarikat Maju Jaya Sdn Bhd"
	supplierEmail = "akaun@majujaya.com.my"
	supplierPW    = "gudang besar tepi sungai"
	supplierAcct  = "21234500001234" // the account the EFT was credited to
)

// TestPayslipAndECJourney follows a member of staff whose account is active (set up
// without the browser, as for the sample data) and whose payroll for February and
// March 2026 (a main and a supplementary run in March) is loaded: Utama with the latest
// payslip and the 12-month chart (and its numbers in a table), PK 0103 ePayslip (Tahun
// and Bulan, the month's two payslips, the full payslip with its exact totals and a
// masked account, its PDF, its print view) and PK 0104 eEC (the Borang EC of 2026 with
// the sums of the three payslips by section, and its print view). Every distinct page
// is checked with axe-core.
func TestPayslipAndECJourney(t *testing.T) {
	requireBrowser(t) // skip (or fail) before starting anything
	e := apptest.Start(t, apptest.Options{})
	if _, err := e.App.Accounts.CreateActive(context.Background(), account.Registration{
		UserType: string(account.Staff), LoginID: staffID, Name: staffName, Email: staffEmail,
		Phone: "012-3456789", Department: "Jabatan Kewangan", StaffNo: "G12345",
		Question: "ibu", Answer: "Fatimah", Password: staffPW, Confirm: staffPW,
	}, account.RoleUser); err != nil {
		t.Fatalf("set-up: create the active staff account: %v", err)
	}
	loadFile(t, e, load.Payroll, "gaji.csv", staffPayroll())
	// 10 April 2026, 09:00 in Malaysia: every pay date is past, and the chart's 12
	// months (May 2025 to April 2026) hold February and March.
	e.Clock.Advance(39 * 24 * time.Hour)
	b := startBrowser(t, e.URL)
	watchPrint(b)

	// a. Log in: no forced password change, straight to Utama.
	open(b, "/log-masuk", chromedp.ID("f-login_id"))
	b.do("type the ID and password", field("login_id", staffID), field("password", staffPW))
	clickToPage(b, "log in", mainButton("Log Masuk"), 200, chromedp.CSS("main dl.summary"))
	wantPath(t, b, "/utama")
	wantText(t, b, chromedp.CSS("main h1"), "Selamat datang, "+staffName)
	wantMenuHas(t, b, "Utama", "eMaklum", "ePayslip", "eEC", "Akaun", "Profil", "Tukar Kata Laluan")

	// b. The latest payslip (the supplementary run, paid on 30 March) and the chart.
	wantText(t, b, chromedp.CSS("#latest-title"), "Penyata gaji terkini")
	latest := collapse(text(b, chromedp.CSS(`main section[aria-labelledby="latest-title"]`)))
	for _, want := range []string{"RM 250.00", "Gaji Bersih · Mac 2026 · Tarikh Bayaran 30/03/2026", "Lihat penyata gaji"} {
		if !strings.Contains(latest, want) {
			t.Errorf("Utama's latest payslip says %q, want %q in it", latest, want)
		}
	}
	wantText(t, b, chromedp.CSS("#chart-title"), "Gaji bersih 12 bulan terakhir")
	if n := get(b, "count the bars", chromedp.Evaluate[int](`document.querySelectorAll('main svg.chart rect').length`)); n != 12 {
		t.Errorf("the chart has %d bars, want 12", n)
	}
	bars := get(b, "read the bars' titles", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('main svg.chart rect')].map(r => r.textContent.trim())`))
	if len(bars) == 12 && (bars[9] != "Feb 26: RM 3,515.25" || bars[10] != "Mac 26: RM 3,765.25" || bars[11] != "Apr 26: RM 0.00") {
		t.Errorf("the chart's last bars are %q, want Feb 26: RM 3,515.25, Mac 26: RM 3,765.25, Apr 26: RM 0.00", bars[9:])
	}
	if get(b, "is the chart's table shown before asking", chromedp.Evaluate[bool](
		`document.querySelector('main details').open`)) {
		t.Error("the chart's table is open before Lihat angka dalam jadual is pressed")
	}
	b.do("expand Lihat angka dalam jadual",
		chromedp.Click(chromedp.Search(`//main//details/summary[normalize-space(.)='Lihat angka dalam jadual']`)),
		chromedp.WaitVisible(chromedp.CSS("main details table")))
	wantRows(t, b, "the chart's table", "main details table tr", [][]string{
		{"Bulan/Tahun", "Gaji Bersih (RM)"},
		{"Mei 25", "0.00"}, {"Jun 25", "0.00"}, {"Jul 25", "0.00"}, {"Ogo 25", "0.00"}, {"Sep 25", "0.00"},
		{"Okt 25", "0.00"}, {"Nov 25", "0.00"}, {"Dis 25", "0.00"}, {"Jan 26", "0.00"},
		{"Feb 26", "3,515.25"}, {"Mac 26", "3,765.25"}, {"Apr 26", "0.00"},
	})
	wantText(t, b, chromedp.Search(`//main//details//tr[td[1][normalize-space(.)='Mac 26']]/td[2]`), "3,765.25")
	checkA11y(t, b.ctx, "staff home with chart (table open)")

	// c. ePayslip: Tahun 2026, Bulan Mac → the month's two payslips.
	clickToPage(b, "menu ePayslip", menuLink("ePayslip"), 200, chromedp.ID("f-bulan"))
	wantPath(t, b, "/epayslip")
	wantText(t, b, chromedp.CSS("main h1"), "ePayslip: Penyata Gaji")
	if y, m := value(b, chromedp.ID("f-tahun")), value(b, chromedp.ID("f-bulan")); y != "2026" || m != "4" {
		t.Errorf("ePayslip form starts at Tahun %q Bulan %q, want 2026 and 4 (this month)", y, m)
	}
	checkA11y(t, b.ctx, "ePayslip form")
	b.do("choose Tahun 2026 and Bulan Mac",
		chromedp.SetValue(chromedp.ID("f-tahun"), "2026"), chromedp.SetValue(chromedp.ID("f-bulan"), "3"))
	if got := get(b, "read the chosen Bulan", chromedp.Evaluate[string](
		`document.getElementById('f-bulan').selectedOptions[0].textContent.trim()`)); got != "Mac" {
		t.Errorf("Bulan shows %q, want Mac", got)
	}
	clickToPage(b, "Hantar Tahun and Bulan", mainButton("Hantar"), 200, chromedp.CSS("main table tbody tr"))
	wantPath(t, b, "/epayslip?tahun=2026&bulan=3")
	wantText(t, b, chromedp.CSS("main table caption"), "Penyata gaji bulan ini")
	wantRows(t, b, "the month's payslips", "main table tr", [][]string{
		{"Bulan/Tahun", "Gaji (utama/tambahan)", "Tarikh Bayaran", "Gaji Bersih", "Penyata Gaji"},
		{"Mac 2026", "2026-03-UTAMA", "25/03/2026", "3,515.25", "Penyata Gaji"},
		{"Mac 2026", "2026-03-TAMBAHAN-1", "30/03/2026", "250.00", "Penyata Gaji"},
	})
	checkA11y(t, b.ctx, "ePayslip list")

	// d. The main run's payslip.
	clickToPage(b, "Penyata Gaji on the main run",
		chromedp.Search(`//main//table/tbody/tr[td[normalize-space(.)='2026-03-UTAMA']]//a[normalize-space(.)='Penyata Gaji']`),
		200, chromedp.CSS("main article.statement"))
	slipPath := b.path()
	if !strings.HasPrefix(slipPath, "/epayslip/") || strings.Contains(slipPath, "850101") {
		t.Errorf("the payslip is at %s, want /epayslip/<id> without the No. KP", slipPath)
	}
	wantText(t, b, chromedp.CSS("main h1"), "Penyata Gaji")
	wantText(t, b, chromedp.CSS("main .statement-ref"), "Mac 2026 · 2026-03-UTAMA")
	wantMeta(t, b, map[string]string{
		"Nama": staffName, "No. KP": staffID, "No. Gaji": "G12345", "Jawatan": "Penolong Akauntan", "Gred": "W29",
		"Jabatan/PTJ": "Jabatan Kewangan / Perbendaharaan Negeri (07100001)", "Bulan/Tahun": "Mac 2026",
		"Tarikh Bayaran": "25/03/2026", "Bank dan No. Akaun": "Maybank ********5678",
		"No. KWSP": "12345678", "No. PERKESO": "850101145123", "No. Cukai": "SG1234567890",
	})
	wantSlipBlocks(t, b)
	wantText(t, b, chromedp.CSS("main .statement-net"), "Gaji Bersih RM 3,515.25")
	wantNotInPage(t, b, "the payslip", "114012345678", "1140123")
	wantFitsCard(t, b, "the payslip")
	checkA11y(t, b.ctx, "payslip")

	// e. Its PDF, fetched with the browser's session.
	wantPDF(t, b, mainLink("Muat turun PDF"), slipPath+"/pdf")

	// f. Cetak: the print view, without the menu, still the whole payslip.
	clickToPage(b, "Cetak on the payslip", mainLink("Cetak"), 200, chromedp.CSS("main article.statement"))
	wantPath(t, b, slipPath+"?cetak=1")
	wantPrintView(t, b)
	wantText(t, b, chromedp.CSS("main .statement-net"), "Gaji Bersih RM 3,515.25")
	wantSlipBlocks(t, b)
	checkA11y(t, b.ctx, "payslip print view")
	clickToPage(b, "Kembali on the print view", mainLink("Kembali"), 200, menuLink("eEC"))
	wantPath(t, b, slipPath)

	// g. eEC: Tahun 2026 → the Borang EC.
	clickToPage(b, "menu eEC", menuLink("eEC"), 200, chromedp.ID("f-tahun"))
	wantPath(t, b, "/eec")
	wantText(t, b, chromedp.CSS("main h1"), "eEC: Borang EC")
	checkA11y(t, b.ctx, "eEC form")
	b.do("choose Tahun 2026", chromedp.SetValue(chromedp.ID("f-tahun"), "2026"))
	ecLink := chromedp.Search(`//main//a[strong[normalize-space(.)='Borang EC 2026']]`)
	clickToPage(b, "Hantar Tahun", mainButton("Hantar"), 200, ecLink)
	wantPath(t, b, "/eec?tahun=2026")
	checkA11y(t, b.ctx, "eEC form with the year's EC")
	clickToPage(b, "open Borang EC 2026", ecLink, 200, chromedp.CSS("main table.ec-table"))
	wantPath(t, b, "/eec/2026")
	wantText(t, b, chromedp.CSS("main h1"), "Borang EC 2026")
	wantEC(t, b)
	wantFitsCard(t, b, "the Borang EC")
	checkA11y(t, b.ctx, "Borang EC")

	// h. Its print view.
	clickToPage(b, "Cetak on the Borang EC", mainLink("Cetak"), 200, chromedp.CSS("main table.ec-table"))
	wantPath(t, b, "/eec/2026?cetak=1")
	wantPrintView(t, b)
	wantEC(t, b)
	checkA11y(t, b.ctx, "Borang EC print view")
}

// TestEMaklumJourney follows a supplier (set up without the browser) whose payments
// came in two SPEKS files: an EFT settling two vouchers, sent to the bank in the
// first file and received by it in the second; a cheque; and 30 small EFTs. Utama with
// the recent payments and the payments-per-month chart, then PK 0102 eMaklum: Tarikh
// Mula and Tarikh Akhir, the list with its total over every page, the pager, the CSV
// link, a search by No. Invois, the EFT's account check (a wrong No. Akaun first),
// its advice with every voucher and the status history, the print view, and the
// cheque's advice, which needs no check. Every distinct page is checked with axe-core.
func TestEMaklumJourney(t *testing.T) {
	requireBrowser(t) // skip (or fail) before starting anything
	e := apptest.Start(t, apptest.Options{})
	if _, err := e.App.Accounts.CreateActive(context.Background(), account.Registration{
		UserType: string(account.Supplier), LoginID: supplierID, Name: supplierName, Email: supplierEmail,
		Phone: "03-8888 1234", Question: "ibu", Answer: "Fatimah", Password: supplierPW, Confirm: supplierPW,
	}, account.RoleUser); err != nil {
		t.Fatalf("set-up: create the active supplier account: %v", err)
	}
	// The EFT goes to the bank on 5 March and is loaded on 6 March (09:00 in
	// Malaysia); the bank's receipt comes in the file of 9 March.
	e.Clock.Advance(4 * 24 * time.Hour)
	if res := loadFile(t, e, load.Payments, "bayaran-1.csv", supplierPayments("DIHANTAR")); res.Added != 33 {
		t.Fatalf("set-up: first payments file added %d payments, want 33", res.Added)
	}
	e.Clock.Advance(3 * 24 * time.Hour)
	if res := loadFile(t, e, load.Payments, "bayaran-2.csv", supplierPayments("DITERIMA")); res.Added != 0 || res.Updated != 1 {
		t.Fatalf("set-up: second payments file added %d and updated %d payments, want 0 and 1", res.Added, res.Updated)
	}
	e.Clock.Advance(32 * 24 * time.Hour) // 10 April 2026
	b := startBrowser(t, e.URL)
	watchPrint(b)

	// a. Log in: Utama with the recent payments and the chart.
	open(b, "/log-masuk", chromedp.ID("f-login_id"))
	b.do("type the SSM number and password", field("login_id", supplierID), field("password", supplierPW))
	clickToPage(b, "log in", mainButton("Log Masuk"), 200, chromedp.CSS("main dl.summary"))
	wantPath(t, b, "/utama")
	wantText(t, b, chromedp.CSS("main h1"), "Selamat datang, "+supplierName)
	wantMenuOnly(t, b, "Utama", "eMaklum", "Akaun", "Profil", "Tukar Kata Laluan")
	wantText(t, b, chromedp.CSS("#recent-pay-title"), "Bayaran terkini")
	wantRows(t, b, "Utama's recent payments", `main section[aria-labelledby="recent-pay-title"] tr`, [][]string{
		{"No. Cek/EFT", "Tarikh Bayaran", "Status", "Amaun (RM)"},
		{"CEK000456", "20/03/2026", "Dikeluarkan", "250.00"},
		{"EFT0000000101", "05/03/2026", "Diterima oleh bank", "1,500.00"},
		{"EFT1000000030", "28/02/2026", "Diterima oleh bank", "10.00"},
		{"EFT1000000029", "28/02/2026", "Diterima oleh bank", "10.00"},
		{"EFT1000000028", "28/02/2026", "Diterima oleh bank", "10.00"},
	})
	wantText(t, b, chromedp.CSS("#paychart-title"), "Bayaran diterima sebulan, 12 bulan terakhir")
	if n := get(b, "count the bars", chromedp.Evaluate[int](`document.querySelectorAll('main svg.chart rect').length`)); n != 12 {
		t.Errorf("the payments chart has %d bars, want 12", n)
	}
	b.do("expand Lihat angka dalam jadual",
		chromedp.Click(chromedp.Search(`//main//details/summary[normalize-space(.)='Lihat angka dalam jadual']`)),
		chromedp.WaitVisible(chromedp.CSS("main details table")))
	wantRows(t, b, "the payments chart's table", "main details table tbody tr", [][]string{
		{"Mei 25", "0.00"}, {"Jun 25", "0.00"}, {"Jul 25", "0.00"}, {"Ogo 25", "0.00"}, {"Sep 25", "0.00"},
		{"Okt 25", "0.00"}, {"Nov 25", "0.00"}, {"Dis 25", "0.00"}, {"Jan 26", "0.00"},
		{"Feb 26", "300.00"}, {"Mac 26", "1,750.00"}, {"Apr 26", "0.00"},
	})
	checkA11y(t, b.ctx, "supplier home with chart (table open)")

	// b. eMaklum: Tarikh Mula and Tarikh Akhir → 32 payments on two pages.
	clickToPage(b, "menu eMaklum", menuLink("eMaklum"), 200, chromedp.ID("f-mula"))
	wantPath(t, b, "/emaklum")
	wantText(t, b, chromedp.CSS("main h1"), "eMaklum: Maklumat Bayaran")
	if from, to := value(b, chromedp.ID("f-mula")), value(b, chromedp.ID("f-akhir")); from != "2026-01-01" || to != "2026-04-10" {
		t.Errorf("eMaklum form starts at %q to %q, want 2026-01-01 to 2026-04-10 (this year so far)", from, to)
	}
	checkA11y(t, b.ctx, "eMaklum form")
	// The inputs are type=date: their value is YYYY-MM-DD whatever the locale shows.
	b.do("fill in Tarikh Mula and Tarikh Akhir",
		chromedp.SetValue(chromedp.ID("f-mula"), "2026-02-01"), chromedp.SetValue(chromedp.ID("f-akhir"), "2026-03-31"))
	clickToPage(b, "Hantar the dates", mainButton("Hantar"), 200, chromedp.CSS("main table tbody tr"))
	wantPath(t, b, "/emaklum?mula=2026-02-01&akhir=2026-03-31&cari=")
	wantText(t, b, chromedp.CSS("main p[role=status]"), "32 bayaran · Jumlah: RM 2,050.00 · Muat turun CSV")
	wantRows(t, b, "the list's total", "main table tfoot tr", [][]string{{"Jumlah (semua halaman)", "2,050.00"}})
	page1 := paymentNos(b)
	if len(page1) != 25 || page1[0] != "EFT1000000001" || page1[24] != "EFT1000000025" {
		t.Errorf("page 1 lists %d payments %q, want the 25 from EFT1000000001 to EFT1000000025", len(page1), page1)
	}
	wantText(t, b, chromedp.CSS("main nav.pager span"), "Halaman 1")
	csvHref := get(b, "read the CSV link", chromedp.Evaluate[string](
		`document.querySelector('main p[role=status] a').getAttribute('href')`))
	if csvHref != "/emaklum/csv?akhir=2026-03-31&mula=2026-02-01" {
		t.Errorf("Muat turun CSV links to %q, want /emaklum/csv?akhir=2026-03-31&mula=2026-02-01", csvHref)
	}
	csv := fetchInPage(b, csvHref)
	if csv.Status != 200 || !strings.HasPrefix(csv.Type, "text/csv") || csv.Cache != "no-store" ||
		!strings.HasPrefix(csv.Head, "No. Cek/EFT,Tarikh Bayaran,Cara Bayaran,Status,Amaun (RM)") {
		t.Errorf("Muat turun CSV answers %+v, want 200 text/csv, no-store, the header row first", csv)
	}
	checkA11y(t, b.ctx, "eMaklum results")

	clickToPage(b, "Seterusnya on the pager", chromedp.Search(`//main//nav[contains(@class,'pager')]//a[@rel='next']`),
		200, chromedp.Search(`//main//nav[contains(@class,'pager')]//a[@rel='prev']`))
	wantPath(t, b, "/emaklum?akhir=2026-03-31&hal=2&mula=2026-02-01")
	wantText(t, b, chromedp.CSS("main nav.pager span"), "Halaman 2")
	if got := paymentNos(b); strings.Join(got, ",") != "EFT1000000026,EFT1000000027,EFT1000000028,EFT1000000029,EFT1000000030,EFT0000000101,CEK000456" {
		t.Errorf("page 2 lists %q, want the last 5 small EFTs, EFT0000000101 and CEK000456", got)
	}
	wantText(t, b, chromedp.CSS("main p[role=status]"), "32 bayaran · Jumlah: RM 2,050.00 · Muat turun CSV")
	checkA11y(t, b.ctx, "eMaklum results page 2")
	clickToPage(b, "Sebelumnya on the pager", chromedp.Search(`//main//nav[contains(@class,'pager')]//a[@rel='prev']`),
		200, chromedp.Search(`//main//nav[contains(@class,'pager')]//a[@rel='next']`))
	wantPath(t, b, "/emaklum?akhir=2026-03-31&hal=1&mula=2026-02-01")
	if got := paymentNos(b); !reflect.DeepEqual(got, page1) {
		t.Errorf("back on page 1: %q, want %q", got, page1)
	}

	// c. Search by a No. Invois: only the EFT that settled it.
	if from, to := value(b, chromedp.ID("f-mula")), value(b, chromedp.ID("f-akhir")); from != "2026-02-01" || to != "2026-03-31" {
		t.Errorf("after paging the form shows %q to %q, want the dates kept", from, to)
	}
	b.do("type the No. Invois", field("cari", "INV-2026-0102"))
	clickToPage(b, "Hantar the search", mainButton("Hantar"), 200, chromedp.CSS("main table tbody tr"))
	wantPath(t, b, "/emaklum?mula=2026-02-01&akhir=2026-03-31&cari=INV-2026-0102")
	wantRows(t, b, "the search's result", "main table tbody tr", [][]string{
		{"EFT0000000101", "05/03/2026", "EFT", "Diterima oleh bank", "1,500.00"},
	})
	wantText(t, b, chromedp.CSS("main p[role=status]"), "1 bayaran · Jumlah: RM 1,500.00 · Muat turun CSV")
	if get(b, "look for the pager", chromedp.Evaluate[bool](`!!document.querySelector('main nav.pager')`)) {
		t.Error("a one-row result shows a pager")
	}

	// d. The EFT asks for No. Akaun first: a wrong one, then the right one.
	clickToPage(b, "open EFT0000000101", mainLink("EFT0000000101"), 200, chromedp.ID("f-akaun"))
	eftPath := b.path()
	if !strings.HasPrefix(eftPath, "/emaklum/") {
		t.Errorf("the payment is at %s, want /emaklum/<id>", eftPath)
	}
	wantText(t, b, chromedp.CSS("main h1"), "Nasihat Pembayaran")
	wantText(t, b, chromedp.CSS(`main label[for="f-akaun"]`), "No. Akaun")
	wantText(t, b, chromedp.CSS("main form p:first-child"),
		"Untuk melihat butiran bayaran ini, masukkan nombor akaun bank yang dikreditkan (**********1234).")
	wantNoAdvice(t, b, "before the check")
	wantNotInPage(t, b, "the account check page", supplierAcct, "V0710101", "INV-2026-0101")
	checkA11y(t, b.ctx, "payment account check")

	b.do("type a wrong No. Akaun", field("akaun", "21234500009999"))
	clickToPage(b, "Semak a wrong No. Akaun", mainButton("Semak"), 422, chromedp.ID("f-akaun-error"))
	wantPath(t, b, eftPath+"/semak")
	wantText(t, b, chromedp.ID("f-akaun-error"),
		"No. Akaun tidak sepadan. Cubaan yang gagal dikira seperti log masuk yang gagal.")
	akaun := get(b, "read #f-akaun's attributes", chromedp.Attributes(chromedp.ID("f-akaun")))
	if akaun["aria-invalid"] != "true" || !strings.Contains(" "+akaun["aria-describedby"]+" ", " f-akaun-error ") {
		t.Errorf("#f-akaun after the error: aria-invalid=%q aria-describedby=%q, want true and f-akaun-error",
			akaun["aria-invalid"], akaun["aria-describedby"])
	}
	if got := value(b, chromedp.ID("f-akaun")); got != "" {
		t.Errorf("the wrong No. Akaun %q is sent back in the field", got)
	}
	wantNoAdvice(t, b, "after a wrong No. Akaun")
	checkA11y(t, b.ctx, "payment account check with error")

	b.do("type the right No. Akaun, as printed on a bank statement", retype("akaun", "2123-4500-001234"))
	clickToPage(b, "Semak the right No. Akaun", mainButton("Semak"), 200, chromedp.CSS("main table.advice"))
	wantPath(t, b, eftPath)
	if get(b, "look for the check form", chromedp.Evaluate[bool](`!!document.getElementById('f-akaun')`)) {
		t.Error("the advice still asks for No. Akaun")
	}
	wantEFTAdvice(t, b)
	wantNotInPage(t, b, "the advice", supplierAcct)
	wantFitsCard(t, b, "the advice")
	checkA11y(t, b.ctx, "payment advice")

	// e. Its print view.
	clickToPage(b, "Cetak on the advice", mainLink("Cetak"), 200, chromedp.CSS("main table.advice"))
	wantPath(t, b, eftPath+"?cetak=1")
	wantPrintView(t, b)
	wantEFTAdvice(t, b)
	checkA11y(t, b.ctx, "payment advice print view")
	clickToPage(b, "Kembali on the print view", mainLink("Kembali"), 200, chromedp.CSS("main table.advice"))
	wantPath(t, b, eftPath)

	// f. The cheque: back to eMaklum, find it by its No. Invois, and its advice shows
	// at once.
	clickToPage(b, "Kembali ke eMaklum", mainLink("« Kembali ke eMaklum"), 200, chromedp.ID("f-cari"))
	wantPath(t, b, "/emaklum")
	b.do("type the cheque's No. Invois", field("cari", "INV-2026-0103"))
	clickToPage(b, "Hantar the search", mainButton("Hantar"), 200, chromedp.CSS("main table tbody tr"))
	wantPath(t, b, "/emaklum?mula=2026-01-01&akhir=2026-04-10&cari=INV-2026-0103")
	wantRows(t, b, "the search's result", "main table tbody tr", [][]string{
		{"CEK000456", "20/03/2026", "Cek", "Dikeluarkan", "250.00"},
	})
	clickToPage(b, "open CEK000456", mainLink("CEK000456"), 200, chromedp.CSS("main article.statement"))
	if get(b, "look for the check form", chromedp.Evaluate[bool](`!!document.getElementById('f-akaun')`)) {
		t.Fatal("the cheque asks for No. Akaun")
	}
	b.do("wait for the cheque's advice", chromedp.WaitVisible(chromedp.CSS("main table.advice")))
	wantText(t, b, chromedp.CSS("main .statement-ref"), "Cek CEK000456")
	wantMeta(t, b, map[string]string{
		"Penerima": supplierName + " (" + supplierID + ")", "No. Cek/EFT": "CEK000456", "Tarikh Bayaran": "20/03/2026",
		"Cara Bayaran": "Cek", "Status": "Dikeluarkan", "Amaun (RM)": "RM 250.00",
	})
	wantRows(t, b, "the cheque's vouchers", "main table.advice tr", [][]string{
		{"No. Baucar", "Tarikh Baucar", "No. Invois/Bil", "PTJ", "Perihal", "Amaun (RM)"},
		{"V0710103", "10/03/2026", "INV-2026-0103", "Perbendaharaan Negeri (07100001)", "Penyelenggaraan penghawa dingin", "250.00"},
		{"Jumlah", "250.00"},
	})
	if get(b, "look for a status history", chromedp.Evaluate[bool](`!!document.querySelector('main ol.history')`)) {
		t.Error("the cheque, whose status never changed, shows a Sejarah status")
	}
	wantFitsCard(t, b, "the cheque's advice")
	checkA11y(t, b.ctx, "cheque advice")
}

// staffPayroll is a payroll file with the staff member's February and March 2026
// payslips (March has a main and a supplementary run) and another person's March
// payslip, which must never show.
func staffPayroll() string {
	const header = "payroll_id,year,month,pay_date,ic_no,staff_no,name,position,grade,department_code,department_name," +
		"ptj_code,ptj_name,bank_name,bank_account,epf_no,socso_no,tax_no,item_code,item_name,category,amount\n"
	rows := func(pid, year, month, date, ic, name string, items ...string) string {
		var sb strings.Builder
		for _, it := range items {
			sb.WriteString(pid + "," + year + "," + month + "," + date + "," + ic + ",G12345," + name +
				",Penolong Akauntan,W29,KEW,Jabatan Kewangan,07100001,Perbendaharaan Negeri,Maybank,114012345678,12345678," +
				"850101145123,SG1234567890," + it + "\n")
		}
		return sb.String()
	}
	slip := []string{
		"0001,Gaji Pokok,BASIC,3500.00",
		"1101,Imbuhan Tetap Khidmat Awam,ALLOWANCE_EXEMPT,160.00",
		"1201,Elaun Perumahan,ALLOWANCE,300.00",
		"2001,KWSP,EPF,385.00",
		"2002,PERKESO,SOCSO,17.25",
		"2101,PCB,PCB,42.50",
		"4001,KWSP Majikan,EMPLOYER_EPF,455.00",
		"4002,PERKESO Majikan,EMPLOYER_SOCSO,61.65",
	}
	return header +
		rows("2026-03-UTAMA", "2026", "3", "2026-03-25", staffID, staffName, slip...) +
		rows("2026-03-TAMBAHAN-1", "2026", "3", "2026-03-30", staffID, staffName, "0501,Tunggakan Gaji,ARREARS,250.00") +
		rows("2026-02-UTAMA", "2026", "2", "2026-02-25", staffID, staffName, slip...) +
		rows("2026-03-UTAMA", "2026", "3", "2026-03-25", "900215-10-5678", "Ahmad bin Ismail", "0001,Gaji Pokok,BASIC,9000.00")
}

// supplierPayments is a payments file for the supplier: the EFT with two vouchers
// (with the given status), a cheque, 30 small EFTs in February, and another payee's
// EFT, which must never show.
func supplierPayments(eftStatus string) string {
	var sb strings.Builder
	sb.WriteString("payee_id,payee_name,payment_no,payment_mode,payment_date,status,bank_name,bank_account,payment_amount," +
		"voucher_no,voucher_date,invoice_no,ptj_code,ptj_name,description,amount\n")
	pay := func(no, mode, date, status, bank, acct, total, voucher, vdate, invoice, desc, amount string) {
		fmt.Fprintf(&sb, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,07100001,Perbendaharaan Negeri,%s,%s\n",
			supplierID, supplierName, no, mode, date, status, bank, acct, total, voucher, vdate, invoice, desc, amount)
	}
	pay("EFT0000000101", "EFT", "2026-03-05", eftStatus, "RHB Bank", supplierAcct, "1500.00",
		"V0710101", "2026-02-20", "INV-2026-0101", "Bekalan alat tulis", "1000.00")
	pay("EFT0000000101", "EFT", "2026-03-05", eftStatus, "RHB Bank", supplierAcct, "1500.00",
		"V0710102", "2026-02-25", "INV-2026-0102", "Bekalan toner pencetak", "500.00")
	pay("CEK000456", "CEK", "2026-03-20", "DIKELUARKAN", "", "", "250.00",
		"V0710103", "2026-03-10", "INV-2026-0103", "Penyelenggaraan penghawa dingin", "250.00")
	for i := 1; i <= 30; i++ {
		pay(fmt.Sprintf("EFT10000000%02d", i), "EFT", fmt.Sprintf("2026-02-%02d", min(i, 28)), "DITERIMA", "RHB Bank",
			supplierAcct, "10.00", fmt.Sprintf("V07201%02d", i), "2026-02-01", fmt.Sprintf("INV-S-%02d", i), "Bekalan kecil", "10.00")
	}
	sb.WriteString("850101-14-5123,Siti Aminah binti Abu,EFT0000000009,EFT,2026-03-15,DITERIMA,Maybank,114012345678,999.00," +
		"V0710009,2026-03-01,INV-2026-0102,07100001,Perbendaharaan Negeri,Tuntutan,999.00\n")
	return sb.String()
}

// loadFile loads a SPEKS file through the real loader, as the command line does, and
// fails the test unless it is accepted.
func loadFile(t *testing.T, e *apptest.Env, kind, name, content string) load.Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := e.App.Loader.Load(context.Background(), load.Request{Kind: kind, Path: path, FileName: name, Via: "cli"})
	if err != nil || res.Status != load.Accepted {
		var errs any
		if res.Errors != nil {
			errs = res.Errors.List
		}
		t.Fatalf("set-up: load %s: %v, status %s, errors %+v", name, err, res.Status, errs)
	}
	return res
}

// watchPrint counts, in every page the tab opens from now on, the calls of
// window.print(), still calling the browser's own: the print views call it when they
// have loaded (headless Chromium prints nothing).
func watchPrint(b *browser) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `(() => {
			const print = window.print;
			window.__espeksPrints = 0;
			window.print = function () { window.__espeksPrints++; return print.apply(this, arguments); };
		})();`,
	}); err != nil {
		b.t.Fatalf("watch window.print: %v", err)
	}
}

// wantPrintView checks that the page is a print view: no masthead, no menu, no Log
// Keluar, no footer; its script has shown the Cetak button and opened the print dialog
// once. The statement fits in its card on the screen and on paper, where nothing but
// the statement is printed.
func wantPrintView(t *testing.T, b *browser) {
	t.Helper()
	wantNoMenu(t, b)
	if get(b, "look for the page's frame", chromedp.Evaluate[bool](
		`!!document.querySelector('header.masthead, footer.site-footer, .skip-link')`)) {
		t.Error("the print view shows the masthead, the footer or the skip link")
	}
	if !get(b, "read body.print-view", chromedp.Evaluate[bool](`document.body.classList.contains('print-view')`)) {
		t.Error("the print view's body lacks class print-view")
	}
	b.do("wait for the print view's script", chromedp.WaitVisible(chromedp.ID("print-button")))
	wantText(t, b, chromedp.ID("print-button"), "Cetak")
	if n := get(b, "count the print dialogs", chromedp.Poll[int](`window.__espeksPrints > 0 && window.__espeksPrints`,
		chromedp.WithPollingTimeout(5*time.Second))); n != 1 {
		t.Errorf("the print view called window.print() %d times, want once", n)
	}
	wantFitsCard(t, b, "the print view")

	media(b, "print")
	defer media(b, "")
	if shown := get(b, "read what prints besides the statement", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('main > :not(article)')].filter(e => e.getClientRects().length > 0).map(e => e.outerHTML)`)); len(shown) > 0 {
		t.Errorf("the print view prints more than the statement: %q", shown)
	}
	wantFitsCard(t, b, "the print view on paper")
}

// media emulates a CSS media type in the tab ("print"), or ends the emulation ("").
func media(b *browser, typ string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: typ}); err != nil {
		b.t.Fatalf("emulate media %q: %v", typ, err)
	}
}

// wantFitsCard checks that nothing in the statement's card (article.statement) sticks
// out of it: a table wider than the card runs over its border and is cut off on paper.
func wantFitsCard(t *testing.T, b *browser, what string) {
	t.Helper()
	out := get(b, "measure the statement", chromedp.Evaluate[[]string](`(() => {
		const article = document.querySelector('main article.statement'), card = article.getBoundingClientRect();
		const out = e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < card.left - 0.5 || r.right > card.right + 0.5); };
		// Content that scrolls inside a box of its own (.table-wrap) stays in the card.
		const scrolls = e => { for (let p = e.parentElement; p && p !== article; p = p.parentElement) {
			if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
		return [...document.querySelectorAll('main article.statement *')].filter(e => out(e) && !out(e.parentElement) && !scrolls(e)).map(e => {
			const r = e.getBoundingClientRect();
			return e.outerHTML.slice(0, 80) + '… spans ' + Math.round(r.left) + '–' + Math.round(r.right) +
				'px, the card ' + Math.round(card.left) + '–' + Math.round(card.right) + 'px';
		});
	})()`))
	if len(out) > 0 {
		t.Errorf("%s: the statement runs out of its card: %q", what, out)
	}
}

// wantSlipBlocks checks the payslip's three blocks, every row and total exact.
func wantSlipBlocks(t *testing.T, b *browser) {
	t.Helper()
	got := get(b, "read the payslip's blocks", chromedp.Evaluate[map[string][][]string](
		`Object.fromEntries([...document.querySelectorAll('main section.statement-block')].map(s => [
			s.querySelector('h2').textContent.trim(),
			[...s.querySelectorAll('tr')].map(tr => [...tr.cells].map(c => c.textContent.replace(/\s+/g, ' ').trim()))]))`))
	head := []string{"Kod", "Perkara", "Amaun (RM)"}
	want := map[string][][]string{
		"Pendapatan": {head,
			{"0001", "Gaji Pokok", "3,500.00"}, {"1101", "Imbuhan Tetap Khidmat Awam", "160.00"}, {"1201", "Elaun Perumahan", "300.00"},
			{"Jumlah Pendapatan", "3,960.00"}},
		"Potongan": {head,
			{"2001", "KWSP", "385.00"}, {"2002", "PERKESO", "17.25"}, {"2101", "PCB", "42.50"},
			{"Jumlah Potongan", "444.75"}},
		"Caruman Majikan": {head,
			{"4001", "KWSP Majikan", "455.00"}, {"4002", "PERKESO Majikan", "61.65"},
			{"Jumlah Caruman Majikan", "516.65"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the payslip's blocks are\n  %q\nwant\n  %q", got, want)
	}
}

// wantEC checks the Borang EC of 2026: section A, the table of sections B to F with the
// sums of the three payslips, and the employer.
func wantEC(t *testing.T, b *browser) {
	t.Helper()
	wantText(t, b, chromedp.CSS("main .statement-ref"), "Penyata Saraan daripada Penggajian bagi tahun berakhir 31 Disember 2026")
	headings := get(b, "read the EC's headings", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('main article h2')].map(h => h.textContent.trim())`))
	if !reflect.DeepEqual(headings, []string{"A. Butiran Pekerja", "Majikan"}) {
		t.Errorf("the EC's headings are %q, want A. Butiran Pekerja and Majikan", headings)
	}
	meta := get(b, "read the EC's details", chromedp.Evaluate[map[string]string](
		`Object.fromEntries([...document.querySelectorAll('main dl.statement-meta > div')].map(d => [
			d.querySelector('dt').textContent.trim(), d.querySelector('dd').textContent.replace(/\s+/g, ' ').trim()]))`))
	for k, v := range map[string]string{
		"Nama": staffName, "No. KP": staffID, "No. Cukai": "SG1234567890", "Jawatan": "Penolong Akauntan (W29)",
		"No. Gaji": "G12345", "No. KWSP": "12345678", "No. PERKESO": "850101145123",
		"Nama majikan": "Perbendaharaan Negeri Melaka", "Jabatan/PTJ": "Jabatan Kewangan / Perbendaharaan Negeri (07100001)",
	} {
		if meta[k] != v {
			t.Errorf("the EC's %s is %q, want %q", k, meta[k], v)
		}
	}
	wantRows(t, b, "the EC's table", "main table.ec-table tr", [][]string{
		{"Perkara", "Amaun (RM)"},
		{"B. Pendapatan penggajian, manfaat dan tempat kediaman"},
		{"B1(a) Gaji kasar, upah atau gaji cuti (termasuk gaji lebih masa)", "7,000.00"},
		{"B1(b) Fi, komisen atau bonus", "0.00"},
		{"B1(c) Elaun, perkuisit atau pemberian", "600.00"},
		{"B1(d) Ganjaran", "0.00"},
		{"B2 Tunggakan dan lain-lain bagi tahun terdahulu", "250.00"},
		{"Jumlah B", "7,850.00"},
		{"C. Pencen dan lain-lain"},
		{"C1 Pencen", "0.00"},
		{"D. Jumlah potongan"},
		{"D1 Potongan cukai bulanan (PCB)", "85.00"},
		{"D2 Arahan potongan CP38", "0.00"},
		{"D3 Zakat yang dibayar melalui potongan gaji", "0.00"},
		{"E. Caruman pekerja"},
		{"E1 Kumpulan Wang Simpanan Pekerja (KWSP), bahagian pekerja", "770.00"},
		{"E2 PERKESO dan Sistem Insurans Pekerjaan (SIP)", "34.50"},
		{"F. Elaun yang dikecualikan cukai"},
		{"Jumlah elaun, perkuisit dan pemberian yang dikecualikan cukai", "320.00"},
	})
	// Each section's heading (scope=rowgroup) heads its own row group, not every row
	// of the table after it, so a screen reader names the right section for a figure.
	if shared := get(b, "read the EC's row groups", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('main table.ec-table th[scope=rowgroup]')].filter(th =>
			th.closest('tbody, thead, tfoot').querySelectorAll('th[scope=rowgroup]').length > 1 ||
			th.closest('tr') !== th.closest('tbody, thead, tfoot').rows[0]).map(th => th.textContent.trim())`)); len(shared) > 0 {
		t.Errorf("the EC's section headings %q share one row group (<tbody>) with other sections: each section B–F needs its own <tbody>, its heading in the first row", shared)
	}
	wantText(t, b, chromedp.CSS("main article p.hint"), "Dijumlahkan daripada 3 penyata gaji tahun ini.")
	wantNotInPage(t, b, "the EC", "9,000.00", "Ahmad")
}

// wantEFTAdvice checks the EFT's full advice: the payment, both vouchers, the total and
// the status history, oldest first.
func wantEFTAdvice(t *testing.T, b *browser) {
	t.Helper()
	wantText(t, b, chromedp.CSS("main .statement-ref"), "EFT EFT0000000101")
	wantMeta(t, b, map[string]string{
		"Penerima": supplierName + " (" + supplierID + ")", "No. Cek/EFT": "EFT0000000101", "Tarikh Bayaran": "05/03/2026",
		"Cara Bayaran": "EFT", "Status": "Diterima oleh bank", "Dikreditkan ke": "RHB Bank **********1234",
		"Amaun (RM)": "RM 1,500.00",
	})
	wantText(t, b, chromedp.CSS("main table.advice caption"), "Baucar yang dijelaskan")
	wantRows(t, b, "the EFT's vouchers", "main table.advice tr", [][]string{
		{"No. Baucar", "Tarikh Baucar", "No. Invois/Bil", "PTJ", "Perihal", "Amaun (RM)"},
		{"V0710101", "20/02/2026", "INV-2026-0101", "Perbendaharaan Negeri (07100001)", "Bekalan alat tulis", "1,000.00"},
		{"V0710102", "25/02/2026", "INV-2026-0102", "Perbendaharaan Negeri (07100001)", "Bekalan toner pencetak", "500.00"},
		{"Jumlah", "1,500.00"},
	})
	wantText(t, b, chromedp.Search(`//main//article//h2[following-sibling::ol[contains(@class,'history')]]`), "Sejarah status")
	history := get(b, "read Sejarah status", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('main ol.history li')].map(li => li.textContent.replace(/\s+/g, ' ').trim())`))
	if want := []string{"06/03/2026 09:00: Dihantar ke bank", "09/03/2026 09:00: Diterima oleh bank"}; !reflect.DeepEqual(history, want) {
		t.Errorf("Sejarah status is %q, want %q", history, want)
	}
}

// wantNoAdvice checks that the payment page shows no voucher, total or history.
func wantNoAdvice(t *testing.T, b *browser, when string) {
	t.Helper()
	if get(b, "look for the advice", chromedp.Evaluate[bool](
		`!!document.querySelector('main table.advice, main ol.history') || !!document.querySelector('main a[href$="?cetak=1"], main a[href$="/pdf"]')`)) {
		t.Errorf("the EFT shows its advice, its print view or its PDF %s", when)
	}
}

// wantMeta checks the label → value pairs of the statement's details (dl.statement-meta).
func wantMeta(t *testing.T, b *browser, want map[string]string) {
	t.Helper()
	got := get(b, "read the statement's details", chromedp.Evaluate[map[string]string](
		`Object.fromEntries([...document.querySelectorAll('main dl.statement-meta > div')].map(d => [
			d.querySelector('dt').textContent.trim(), d.querySelector('dd').textContent.replace(/\s+/g, ' ').trim()]))`))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the statement's details are\n  %q\nwant\n  %q", got, want)
	}
}

// wantRows checks the rows sel (a CSS selector of tr elements) selects, as the text of
// their cells with spaces collapsed.
func wantRows(t *testing.T, b *browser, what, sel string, want [][]string) {
	t.Helper()
	got := get(b, "read "+what, chromedp.Evaluate[[][]string](fmt.Sprintf(
		`[...document.querySelectorAll(%s)].map(tr => [...tr.cells].map(c => c.textContent.replace(/\s+/g, ' ').trim()))`,
		strconv.Quote(sel))))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n  %q\nwant\n  %q", what, got, want)
	}
}

// paymentNos is the No. Cek/EFT column of the eMaklum list, in order.
func paymentNos(b *browser) []string {
	b.t.Helper()
	return get(b, "read the list", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('main table tbody tr td:first-child')].map(td => td.textContent.trim())`))
}

// wantNotInPage checks that none of the strings is anywhere in the page's HTML.
func wantNotInPage(t *testing.T, b *browser, what string, never ...string) {
	t.Helper()
	html := get(b, "read the page's HTML", chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	for _, s := range never {
		if strings.Contains(html, s) {
			t.Errorf("%s has %q in its HTML", what, s)
		}
	}
}

// fetched is what fetchInPage learns about a response.
type fetched struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	Cache  string `json:"cache"`
	Head   string `json:"head"` // the body's first bytes
}

// fetchInPage fetches a path of the portal from the page, with the browser's session
// cookie, as a click on a download link does.
func fetchInPage(b *browser, path string) fetched {
	b.t.Helper()
	return get(b, "fetch "+path, chromedp.Evaluate[fetched](fmt.Sprintf(`fetch(%s, {credentials: 'same-origin'}).then(async r => ({
		status: r.status, type: r.headers.get('content-type') || '', cache: r.headers.get('cache-control') || '',
		head: new TextDecoder('latin1').decode((await r.arrayBuffer()).slice(0, 60))}))`, strconv.Quote(path)),
		chromedp.EvalAwaitPromise))
}

// wantPDF checks that the link sel points at wantHref and that it answers a PDF that
// is never cached.
func wantPDF[S chromedp.Selectable](t *testing.T, b *browser, sel S, wantHref string) {
	t.Helper()
	href := get(b, "read the PDF link", chromedp.AttributeValue(sel, "href"))
	if !href.Exists || href.Value != wantHref {
		t.Errorf("Muat turun PDF links to %q, want %q", href.Value, wantHref)
		return
	}
	r := fetchInPage(b, href.Value)
	if r.Status != 200 || r.Type != "application/pdf" || r.Cache != "no-store" || !strings.HasPrefix(r.Head, "%PDF-") {
		t.Errorf("%s answers %d, Content-Type %q, Cache-Control %q, body %q…; want 200, application/pdf, no-store, %%PDF-",
			href.Value, r.Status, r.Type, r.Cache, r.Head)
	}
}

// collapse joins the words of s with single spaces.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
