package e2e

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/mail/smtptest"
)

const (
	staffPW3      = "nasi lemak sambal sotong"
	staffName2    = "Siti Aminah binti Abu Bakar"
	staffPhone2   = "019-876 5432"
	staffPhone2DB = "0198765432" // as the portal keeps it: digits only
	staffEmail2   = "siti.baru@contoh.gov.my"
	wrongAnswer   = "Khadijah"
)

// TestForgottenPasswordAndProfileJourney follows a member of staff whose account is in
// everyday use (set up without the browser) through PK 0106 Lupa Kata Laluan: the ID,
// the security question (once with a wrong answer, which gets the very same page), the
// temporary password by email, the current password still working in another browser,
// the login with the temporary password that opens only Tukar Kata Laluan, the change
// and a login with the new password. Then PK 0107 Kemaskini Profil: Nama and No.
// Telefon, an email change refused without Kata Laluan Semasa and accepted with it,
// the account's email unchanged until the link sent to the new address is confirmed in
// the browser, the old address told, and Akaun listing the events. Every distinct page
// is checked with axe-core.
func TestForgottenPasswordAndProfileJourney(t *testing.T) {
	requireBrowser(t) // skip (or fail) before starting anything
	e := apptest.Start(t, apptest.Options{SMTP: true})
	activeStaff(t, e)
	// The set-up's three emails (received, activated, password changed) are in.
	e.SMTP.WaitFor(t, staffEmail, 3)
	b := startBrowser(t, e.URL)

	// a. PK 0106, first with a wrong answer: Log Masuk → Lupa Kata Laluan? → the ID →
	// the method page with the user's own question.
	wrongPage := askTemporaryPassword(t, b, wrongAnswer, true)
	e.MailSettled()
	if n := len(temporaryPasswords(t, e.SMTP.For(staffEmail))); n != 0 {
		t.Errorf("a wrong answer sent %d temporary password(s)", n)
	}

	// b. Again with the right answer (typed as a person might): the same page.
	rightPage := askTemporaryPassword(t, b, "  fatimah ", false)
	if rightPage != wrongPage {
		t.Errorf("the confirmation after a right answer differs from the one after a wrong answer:\n%s\nvs\n%s",
			rightPage, wrongPage)
	}

	// c. The temporary password, from the email the SMTP server received.
	msgs := e.SMTP.WaitFor(t, staffEmail, 4)
	wantMail(t, msgs, 4, "Kata laluan sementara eSPEKS / eSPEKS temporary password",
		"Tuan/Puan "+staffName+",", "Kata laluan sementara bagi akaun eSPEKS", "dengan ID Pengguna "+staffID+" ialah:",
		"Dear "+staffName+",", e.URL+"/log-masuk")
	temps := temporaryPasswords(t, msgs)
	if len(temps) != 1 {
		t.Fatalf("%d temporary passwords emailed, want 1", len(temps))
	}
	temp := temps[0]

	// d. Until it is used, the current password still works: in another browser.
	other := b.newSession()
	open(other, "/log-masuk", chromedp.ID("f-login_id"))
	other.do("type the ID and the current password", field("login_id", staffID), field("password", staffPW2))
	clickToPage(other, "log in with the current password", mainButton("Log Masuk"), 200, chromedp.CSS("main dl.summary"))
	wantPath(t, other, "/utama")
	clickToPage(other, "Log Keluar in the other browser", headerButton("Log Keluar"), 200, chromedp.CSS("main > .notice"))
	wantPath(t, other, "/log-masuk?keluar=1")
	wantNoMenu(t, other)
	other.close()

	// e. The temporary password opens only Tukar Kata Laluan.
	b.do("type the ID and the temporary password", field("login_id", staffID), field("password", temp))
	clickToPage(b, "log in with the temporary password", mainButton("Log Masuk"), 200, chromedp.ID("f-current"))
	wantPath(t, b, "/akaun/tukar-kata-laluan")
	wantText(t, b, chromedp.CSS("main h1"), "Tukar Kata Laluan")
	wantText(t, b, chromedp.CSS("main .panel-warn"),
		"Anda log masuk dengan kata laluan sementara. Masukkannya sebagai Kata Laluan Semasa dan pilih kata laluan baru.")
	wantMenuOnly(t, b, "Tukar Kata Laluan")
	checkA11y(t, b.ctx, "password change (temporary password)")
	b.do("fill in Tukar Kata Laluan with the temporary password as Kata Laluan Semasa",
		field("current", temp), field("new", staffPW3), field("confirm", staffPW3))
	clickToPage(b, "Hantar the new password", mainButton("Hantar"), 200, chromedp.CSS("main > .notice"))
	wantPath(t, b, "/akaun/tukar-kata-laluan?ok=1")
	wantText(t, b, chromedp.CSS("main > .notice"), "Kata laluan anda telah ditukar. Sesi lain anda telah ditamatkan.")
	wantMenuHas(t, b, "Utama", "Akaun", "Profil", "Tukar Kata Laluan")
	msgs = e.SMTP.WaitFor(t, staffEmail, 5)
	wantMail(t, msgs, 5, "Kata laluan eSPEKS telah ditukar / eSPEKS password changed",
		"bagi ID Pengguna "+staffID+" telah ditukar pada")
	for _, pw := range []string{temp, staffPW2} {
		if r := e.Client().Post("/log-masuk", url.Values{"login_id": {staffID}, "password": {pw}}); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("after the change, an old password (temporary: %v) still logs in: HTTP %d", pw == temp, r.StatusCode)
		}
	}

	// f. Log Keluar, and in again with the new password.
	clickToPage(b, "Log Keluar", headerButton("Log Keluar"), 200, chromedp.CSS("main > .notice"))
	wantPath(t, b, "/log-masuk?keluar=1")
	b.do("type the ID and the new password", field("login_id", staffID), field("password", staffPW3))
	clickToPage(b, "log in with the new password", mainButton("Log Masuk"), 200, chromedp.CSS("main dl.summary"))
	wantPath(t, b, "/utama")
	wantText(t, b, chromedp.CSS("main h1"), "Selamat datang, "+staffName)

	// g. PK 0107: Nama and No. Telefon change without a password.
	clickToPage(b, "menu Profil", menuLink("Profil"), 200, chromedp.ID("f-name"))
	wantPath(t, b, "/akaun/profil")
	wantText(t, b, chromedp.CSS("main h1"), "Kemaskini Profil")
	for name, want := range map[string]string{
		"name": staffName, "email": staffEmail, "phone": "0123456789", "department": "Jabatan Kewangan",
		"question": "ibu", "answer": "", "current": "",
	} {
		if got := value(b, chromedp.ID("f-"+name)); got != want {
			t.Errorf("profile form: %s = %q, want %q", name, got, want)
		}
	}
	checkA11y(t, b.ctx, "profile")
	b.do("change Nama and No. Telefon", retype("phone", staffPhone2), retype("name", staffName2))
	clickToPage(b, "Hantar the profile", mainButton("Hantar"), 200, chromedp.CSS("main > .notice"))
	wantPath(t, b, "/akaun/profil?ok=1")
	wantText(t, b, chromedp.CSS("main > .notice"), "Profil anda telah dikemaskini.")
	for name, want := range map[string]string{"name": staffName2, "phone": staffPhone2DB, "email": staffEmail} {
		if got := value(b, chromedp.ID("f-"+name)); got != want {
			t.Errorf("profile form after saving: %s = %q, want %q", name, got, want)
		}
	}
	wantText(t, b, chromedp.CSS("header .who"), staffName2)

	// h. A new Emel needs Kata Laluan Semasa.
	b.do("change Emel, without Kata Laluan Semasa", retype("email", staffEmail2))
	clickToPage(b, "Hantar the new email without the password", mainButton("Hantar"), 422, chromedp.ID("f-current-error"))
	wantPath(t, b, "/akaun/profil")
	wantText(t, b, chromedp.ID("f-current-error"),
		"Masukkan Kata Laluan Semasa untuk menukar emel atau soalan keselamatan.")
	if n := get(b, "count the error messages", chromedp.Evaluate[int](
		`document.querySelectorAll('main .error-message').length`)); n != 1 {
		t.Errorf("profile without Kata Laluan Semasa: %d error messages, want only the one beside it", n)
	}
	cur := get(b, "read #f-current's attributes", chromedp.Attributes(chromedp.ID("f-current")))
	if cur["aria-invalid"] != "true" || !strings.Contains(" "+cur["aria-describedby"]+" ", " f-current-error ") {
		t.Errorf("#f-current after the error: aria-invalid=%q aria-describedby=%q, want true and f-current-error",
			cur["aria-invalid"], cur["aria-describedby"])
	}
	if got := value(b, chromedp.ID("f-email")); got != staffEmail2 {
		t.Errorf("profile form after the error: email = %q, want %q kept", got, staffEmail2)
	}
	checkA11y(t, b.ctx, "profile with error")
	b.do("type Kata Laluan Semasa", field("current", staffPW3))
	clickToPage(b, "Hantar the new email with the password", mainButton("Hantar"), 200, chromedp.CSS("main > .notice"))
	wantPath(t, b, "/akaun/profil?ok=emel")
	wantText(t, b, chromedp.CSS("main > .notice"),
		"Profil disimpan. Pautan pengesahan telah dihantar ke emel baharu; emel akaun akan ditukar selepas pautan itu diklik.")

	// i. Until the link is followed, the account keeps its email.
	clickToPage(b, "menu Akaun", menuLink("Akaun"), 200, chromedp.CSS("main dl.summary"))
	wantPath(t, b, "/akaun")
	if got := accountEmail(b); got != staffEmail {
		t.Errorf("Akaun before the confirmation shows the email %q, want still %q", got, staffEmail)
	}

	// j. The link sent to the new address, confirmed in the browser.
	msgs = e.SMTP.WaitFor(t, staffEmail2, 1)
	wantMail(t, msgs, 1, "Pengesahan alamat emel eSPEKS / eSPEKS email address confirmation",
		"Tuan/Puan "+staffName2+",", "bagi ID Pengguna "+staffID+" kepada alamat emel ini",
		"Dear "+staffName2+",", e.URL+"/sahkan-emel?t=")
	link := regexp.MustCompile(`(?m)^\s*(` + regexp.QuoteMeta(e.URL) + `/sahkan-emel\?t=\S+)\s*$`).FindStringSubmatch(msgs[0].Text)
	if link == nil {
		t.Fatalf("confirmation email has no line with the link %s/sahkan-emel?t=…:\n%s", e.URL, msgs[0].Text)
	}
	b.do("open the link of the email", chromedp.Navigate(link[1]), chromedp.WaitVisible(mainButton("Sahkan Emel")))
	wantText(t, b, chromedp.CSS("main h1"), "Pengesahan Emel")
	if msg := text(b, chromedp.CSS("main")); !strings.Contains(msg, "Tekan butang di bawah untuk mengesahkan alamat emel anda.") {
		t.Errorf("confirm-email page says %q, want the instruction to press the button", msg)
	}
	checkA11y(t, b.ctx, "confirm email")
	clickToPage(b, "Sahkan Emel", mainButton("Sahkan Emel"), 200, chromedp.CSS("main .panel-success"))
	wantPath(t, b, "/sahkan-emel")
	wantText(t, b, chromedp.CSS("main .panel-success"), "Alamat emel akaun anda telah ditukar. Emel lama telah dimaklumkan.")
	checkA11y(t, b.ctx, "confirm email done")

	// k. The old address is told, naming the new one.
	msgs = e.SMTP.WaitFor(t, staffEmail, 6)
	wantMail(t, msgs, 6, "Alamat emel akaun eSPEKS telah ditukar / eSPEKS account email address changed",
		"Tuan/Puan "+staffName2+",", "bagi ID Pengguna "+staffID+" telah ditukar kepada "+staffEmail2+".",
		"Dear "+staffName2+",", "has been changed to "+staffEmail2+".")

	// l. Akaun: the new email and the security events.
	open(b, "/utama", menuLink("Akaun"))
	clickToPage(b, "menu Akaun", menuLink("Akaun"), 200, chromedp.CSS("main dl.summary"))
	wantPath(t, b, "/akaun")
	wantText(t, b, chromedp.CSS("main h1"), "Akaun")
	if got := accountEmail(b); got != staffEmail2 {
		t.Errorf("Akaun after the confirmation shows the email %q, want %q", got, staffEmail2)
	}
	events := get(b, "read the security events", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('main table tbody tr')].map(tr => tr.cells[1].textContent.trim() + ' | ' + tr.cells[2].textContent.trim())`))
	for _, want := range []string{
		"Emel ditukar | Berjaya",
		"Pertukaran emel diminta | Berjaya",
		"Profil dikemaskini | Berjaya",
		"Kata laluan ditukar | Berjaya",
		"Log masuk dengan kata laluan sementara | Berjaya",
		"Kata laluan sementara dihantar | Berjaya",
		"Lupa Kata Laluan: butiran tidak sepadan | Gagal",
	} {
		if !slices.Contains(events, want) {
			t.Errorf("Akaun's security events lack %q:\n  %s", want, strings.Join(events, "\n  "))
		}
	}
	if len(events) > 0 && events[0] != "Emel ditukar | Berjaya" {
		t.Errorf("Akaun's newest security event is %q, want Emel ditukar", events[0])
	}
	checkA11y(t, b.ctx, "account")

	e.MailSettled()
	if n := len(e.SMTP.For(staffEmail)); n != 6 {
		t.Errorf("%d emails to %s in the whole journey, want 6", n, staffEmail)
	}
	if n := len(e.SMTP.For(staffEmail2)); n != 1 {
		t.Errorf("%d emails to %s in the whole journey, want 1", n, staffEmail2)
	}
}

// activeStaff registers the staff member through the portal's HTTP API, has a
// Pentadbir activate the account and completes the forced first password change, all
// without the browser: the account is then in everyday use with password staffPW2.
func activeStaff(t *testing.T, e *apptest.Env) {
	t.Helper()
	c := e.Client()
	if r := c.Post("/daftar", url.Values{
		"user_type": {"KAKITANGAN"}, "login_id": {staffID}, "name": {staffName},
		"email": {staffEmail}, "phone": {"012-3456789"}, "department": {"Jabatan Kewangan"},
		"staff_no": {"G12345"}, "question": {"ibu"}, "answer": {"Fatimah"},
		"password": {staffPW}, "confirm": {staffPW},
	}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("set-up: register: HTTP %d", r.StatusCode)
	}
	admin := e.Admin(adminID, adminPW)
	u, err := e.App.Accounts.Store.ByLoginID(context.Background(), strings.ReplaceAll(staffID, "-", ""))
	if err != nil {
		t.Fatalf("set-up: find the registration: %v", err)
	}
	if err := e.App.Accounts.Activate(context.Background(), admin, u.ID, "127.0.0.1"); err != nil {
		t.Fatalf("set-up: activate: %v", err)
	}
	if r := c.Login(staffID, staffPW); r.Header.Get("Location") != "/akaun/tukar-kata-laluan" {
		t.Fatalf("set-up: first login went to %q, want /akaun/tukar-kata-laluan", r.Header.Get("Location"))
	}
	if r := c.Post("/akaun/tukar-kata-laluan", url.Values{
		"current": {staffPW}, "new": {staffPW2}, "confirm": {staffPW2},
	}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("set-up: first password change: HTTP %d", r.StatusCode)
	}
}

// askTemporaryPassword runs PK 0106 in the browser from Log Masuk, answering the
// security question with answer, and returns the text of the confirmation page once
// it has checked it; OK then leads back to Log Masuk. The pages are checked with axe
// when checkPages is set.
func askTemporaryPassword(t *testing.T, b *browser, answer string, checkPages bool) string {
	t.Helper()
	open(b, "/log-masuk", mainLink("Lupa Kata Laluan?"))
	clickToPage(b, "Lupa Kata Laluan? on Log Masuk", mainLink("Lupa Kata Laluan?"), 200, chromedp.ID("f-login_id"))
	wantPath(t, b, "/lupa-kata-laluan")
	wantText(t, b, chromedp.CSS("main h1"), "Lupa Kata Laluan")
	if checkPages {
		checkA11y(t, b.ctx, "forgotten password: ID")
	}
	b.do("type the ID", field("login_id", staffID))
	clickToPage(b, "Hantar the ID", mainButton("Hantar"), 200, chromedp.ID("f-answer"))
	wantPath(t, b, "/lupa-kata-laluan")
	wantText(t, b, chromedp.CSS(`main label[for="f-answer"]`), "Apakah nama sebenar ibu anda?")
	wantText(t, b, chromedp.CSS(`main label[for="f-method-jawapan"]`), "Jawab Soalan Keselamatan")
	if checkPages {
		checkA11y(t, b.ctx, "forgotten password: method")
	}
	b.do("choose Jawab Soalan Keselamatan and type the answer",
		chromedp.Click(chromedp.CSS(`main label[for="f-method-jawapan"]`)), field("answer", answer))
	if !get(b, "read the method", chromedp.Evaluate[bool](`document.getElementById('f-method-jawapan').checked`)) {
		t.Error("Jawab Soalan Keselamatan is not chosen after clicking it")
	}
	clickToPage(b, "Hantar the answer", mainButton("Hantar"), 200, chromedp.CSS("main .panel-success"))
	wantPath(t, b, "/lupa-kata-laluan/hantar")
	wantText(t, b, chromedp.CSS("main h1"), "Permintaan diterima")
	page := strings.Join(strings.Fields(text(b, chromedp.CSS("main"))), " ")
	if !strings.Contains(page, "Jika butiran yang dimasukkan sepadan, kata laluan sementara telah dihantar ke emel berdaftar anda.") {
		t.Errorf("confirmation page says %q, want Jika butiran yang dimasukkan sepadan …", page)
	}
	if checkPages {
		checkA11y(t, b.ctx, "forgotten password: sent")
	}
	clickToPage(b, "OK on the confirmation", mainLink("OK"), 200, chromedp.ID("f-password"))
	wantPath(t, b, "/log-masuk")
	wantNoMenu(t, b)
	return page
}

// tempLine is the line of a temporary-password email that holds only the password.
var tempLine = regexp.MustCompile(`(?m)^[ \t]+(\S{16})[ \t]*$`)

// temporaryPasswords returns the temporary password of each temporary-password email
// (subject with "sementara") among msgs, oldest first. The Malay and English parts of
// an email must give the same one.
func temporaryPasswords(t *testing.T, msgs []smtptest.Message) []string {
	t.Helper()
	var out []string
	for _, m := range msgs {
		if !strings.Contains(m.Subject, "sementara") {
			continue
		}
		found := tempLine.FindAllStringSubmatch(m.Text, -1)
		if len(found) == 0 {
			t.Fatalf("no 16-character temporary password on a line of its own in:\n%s", m.Text)
		}
		for _, f := range found[1:] {
			if f[1] != found[0][1] {
				t.Errorf("the temporary-password email gives two passwords, %q and %q", found[0][1], f[1])
			}
		}
		out = append(out, found[0][1])
	}
	return out
}

// retype replaces the value of the labelled input #f-<name>: it empties it, then types
// s key by key.
func retype(name, s string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Clear(chromedp.ID("f-"+name)), field(name, s))
}

// accountEmail is the Emel shown in the summary of the Akaun page.
func accountEmail(b *browser) string {
	b.t.Helper()
	return text(b, chromedp.Search(`//main//dl[contains(@class,'summary')]//div[dt[normalize-space(.)='Emel']]/dd`))
}
