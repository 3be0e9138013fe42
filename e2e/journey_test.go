package e2e

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/mail/smtptest"
)

const (
	adminID = "800101-14-5007"
	adminPW = "bilik server tingkat tiga"

	staffID    = "850101-14-5123"
	staffName  = "Siti Aminah binti Abu"
	staffEmail = "siti@contoh.gov.my"
	staffPW    = "kopi susu panas pagi"
	staffPW2   = "teh tarik kurang manis"
)

// TestRegistrationToLogoutJourney follows a member of staff from the landing page
// through PK 0101 registration (with one mistake on the form), the acknowledgement
// email, a refused login while pending, activation by the Pentadbir in another
// browser, the activation email, the forced first-login password change and its
// email, the home page (once in English) and Log Keluar. Every distinct page is
// checked with axe-core.
func TestRegistrationToLogoutJourney(t *testing.T) {
	requireBrowser(t) // skip (or fail) before starting anything
	e := apptest.Start(t, apptest.Options{SMTP: true})
	e.Admin(adminID, adminPW)
	b := startBrowser(t, e.URL)

	// a. Landing page → Daftar → the form, first with a mismatched confirmation.
	open(b, "/", mainLink("Daftar"))
	checkA11y(t, b.ctx, "landing")
	clickToPage(b, "Daftar on the landing page", mainLink("Daftar"), 200, chromedp.ID("f-login_id"))
	wantPath(t, b, "/daftar")
	wantText(t, b, chromedp.CSS("main h1"), "Pendaftaran Pengguna")
	checkA11y(t, b.ctx, "register")

	b.do("fill in the registration form",
		chromedp.Click(chromedp.ID("f-user_type-staff")),
		field("login_id", staffID),
		field("name", staffName),
		field("email", staffEmail),
		field("phone", "012-3456789"),
		field("department", "Jabatan Kewangan"),
		field("staff_no", "G12345"),
		chromedp.SetValue(chromedp.ID("f-question"), "ibu"),
		field("answer", "Fatimah"),
		field("password", staffPW),
		field("confirm", "kopi susu panas petang"), // not the same
	)
	clickToPage(b, "submit the form with a mismatched Sahkan Kata Laluan", mainButton("Hantar"), 422,
		chromedp.ID("f-confirm-error"))
	wantPath(t, b, "/daftar")
	wantText(t, b, chromedp.ID("f-confirm-error"), "Kata laluan yang disahkan tidak sama.")
	if n := get(b, "count the error messages", chromedp.Evaluate[int](
		`document.querySelectorAll('main .error-message').length`)); n != 1 {
		t.Errorf("register with a mismatched confirmation: %d error messages, want only the one beside Sahkan Kata Laluan", n)
	}
	confirm := get(b, "read #f-confirm's attributes", chromedp.Attributes(chromedp.ID("f-confirm")))
	if confirm["aria-invalid"] != "true" || !slices.Contains(strings.Fields(confirm["aria-describedby"]), "f-confirm-error") {
		t.Errorf("#f-confirm after the error: aria-invalid=%q aria-describedby=%q, want true and f-confirm-error",
			confirm["aria-invalid"], confirm["aria-describedby"])
	}
	for name, want := range map[string]string{
		"login_id": staffID, "name": staffName, "email": staffEmail, "phone": "012-3456789",
		"department": "Jabatan Kewangan", "staff_no": "G12345", "question": "ibu",
		// Secrets are never sent back.
		"password": "", "confirm": "", "answer": "",
	} {
		if got := value(b, chromedp.ID("f-"+name)); got != want {
			t.Errorf("register form after the error: %s = %q, want %q", name, got, want)
		}
	}
	if !get(b, "read the user type", chromedp.Evaluate[bool](`document.getElementById('f-user_type-staff').checked`)) {
		t.Error("register form after the error: Kakitangan is no longer chosen")
	}
	checkA11y(t, b.ctx, "register with errors")

	b.do("correct the passwords and the answer",
		field("answer", "Fatimah"), field("password", staffPW), field("confirm", staffPW))
	clickToPage(b, "submit the corrected form", mainButton("Hantar"), 200, chromedp.CSS("main .panel-success h1"))
	wantPath(t, b, "/daftar/diterima")
	wantText(t, b, chromedp.CSS("main h1"), "Pendaftaran diterima")
	checkA11y(t, b.ctx, "register done")

	// b. The acknowledgement email, in Malay and English.
	msgs := e.SMTP.WaitFor(t, staffEmail, 1)
	wantMail(t, msgs, 1, "Pendaftaran akaun eSPEKS diterima / eSPEKS account registration received",
		"Tuan/Puan "+staffName+",",
		"bagi ID Pengguna "+staffID+" telah diterima dan kini berstatus Menunggu Pengesahan",
		"Dear "+staffName+",",
		"Your registration for User ID "+staffID+" has been received and is now pending approval",
		e.URL+"/sahkan-emel?t=")

	// c. Not yet: the right password gets "Menunggu Pengesahan".
	clickToPage(b, "Log Masuk on the done page", mainLink("Log Masuk"), 200, chromedp.ID("f-login_id"))
	wantPath(t, b, "/log-masuk")
	checkA11y(t, b.ctx, "login")
	b.do("type the ID and password", field("login_id", staffID), field("password", staffPW))
	clickToPage(b, "log in while pending", mainButton("Log Masuk"), 403, chromedp.ID("login-error"))
	wantPath(t, b, "/log-masuk")
	if msg := text(b, chromedp.ID("login-error")); !strings.Contains(msg, "Menunggu Pengesahan") {
		t.Errorf("login while pending says %q, want it to mention Menunggu Pengesahan", msg)
	}
	wantNoMenu(t, b)
	checkA11y(t, b.ctx, "login with error (pending)")

	// d. The Pentadbir, at another computer, activates the registration.
	admin := b.newSession()
	open(admin, "/log-masuk", chromedp.ID("f-login_id"))
	admin.do("type the Pentadbir's ID and password", field("login_id", adminID), field("password", adminPW))
	clickToPage(admin, "Pentadbir logs in", mainButton("Log Masuk"), 200, chromedp.CSS("main dl.summary"))
	wantPath(t, admin, "/utama")
	clickToPage(admin, "menu Pendaftaran", menuLink("Pendaftaran"), 200, chromedp.ID("f-q"))
	wantPath(t, admin, "/pentadbir/pendaftaran")
	wantText(t, admin, chromedp.CSS("main h1"), "Pendaftaran Menunggu Pengesahan")
	row := `//main//table/tbody/tr[td[contains(normalize-space(.), ` + quoted(staffName) + `)]]`
	if got := strings.Join(strings.Fields(text(admin, chromedp.Search(row))), " "); !strings.Contains(got, staffID) ||
		!strings.Contains(got, staffEmail) || !strings.Contains(got, "Kakitangan") {
		t.Errorf("registration row %q: want the ID %s, the email and Kakitangan", got, staffID)
	}
	checkA11y(t, admin.ctx, "admin registrations")
	clickToPage(admin, "Aktifkan on Siti's row",
		chromedp.Search(row+`//button[normalize-space(.)='Aktifkan']`), 200, chromedp.CSS("main > .notice"))
	wantPath(t, admin, "/pentadbir/pendaftaran?ok=aktif")
	wantText(t, admin, chromedp.CSS("main > .notice"), "Akaun telah diaktifkan dan pengguna telah dimaklumkan melalui emel.")
	wantText(t, admin, chromedp.CSS("main .empty"), "Tiada pendaftaran yang menunggu.")
	checkA11y(t, admin.ctx, "admin registrations after activation")
	clickToPage(admin, "Pentadbir logs out", headerButton("Log Keluar"), 200, chromedp.CSS("main > .notice"))
	wantPath(t, admin, "/log-masuk?keluar=1")
	wantNoMenu(t, admin)
	admin.close()

	// e. The activation email.
	msgs = e.SMTP.WaitFor(t, staffEmail, 2)
	wantMail(t, msgs, 2, "Akaun eSPEKS telah diaktifkan / eSPEKS account activated",
		"Tuan/Puan "+staffName+",", "bagi ID Pengguna "+staffID+" telah diaktifkan oleh Pentadbir",
		"Dear "+staffName+",", "account for User ID "+staffID+" has been activated",
		e.URL+"/log-masuk")

	// f. The first login, from the email's link, must change the password first.
	link := regexp.MustCompile(`(?m)^\s*(` + regexp.QuoteMeta(e.URL) + `/log-masuk)\s*$`).FindStringSubmatch(msgs[1].Text)
	if link == nil {
		t.Fatalf("activation email has no line with the login link %s/log-masuk:\n%s", e.URL, msgs[1].Text)
	}
	b.do("open the login link of the email", chromedp.Navigate(link[1]), chromedp.WaitVisible(chromedp.ID("f-login_id")))
	b.do("type the ID and password", field("login_id", staffID), field("password", staffPW))
	clickToPage(b, "first login", mainButton("Log Masuk"), 200, chromedp.ID("f-current"))
	wantPath(t, b, "/akaun/tukar-kata-laluan")
	wantText(t, b, chromedp.CSS("main h1"), "Tukar Kata Laluan")
	wantMenuOnly(t, b, "Tukar Kata Laluan")
	if msg := text(b, chromedp.CSS("main .panel-warn")); !strings.Contains(msg, "Anda perlu menukar kata laluan") {
		t.Errorf("first login: the warning says %q, want Anda perlu menukar kata laluan …", msg)
	}
	checkA11y(t, b.ctx, "password change (first login)")
	b.do("fill in Tukar Kata Laluan",
		field("current", staffPW), field("new", staffPW2), field("confirm", staffPW2))
	clickToPage(b, "Hantar the new password", mainButton("Hantar"), 200, chromedp.CSS("main > .notice"))
	wantPath(t, b, "/akaun/tukar-kata-laluan?ok=1")
	wantText(t, b, chromedp.CSS("main > .notice"), "Kata laluan anda telah ditukar. Sesi lain anda telah ditamatkan.")
	wantMenuHas(t, b, "Utama", "Tukar Kata Laluan")
	checkA11y(t, b.ctx, "password changed")

	msgs = e.SMTP.WaitFor(t, staffEmail, 3)
	wantMail(t, msgs, 3, "Kata laluan eSPEKS telah ditukar / eSPEKS password changed",
		"Tuan/Puan "+staffName+",", "bagi ID Pengguna "+staffID+" telah ditukar pada",
		"Dear "+staffName+",", "account for User ID "+staffID+" was changed on")

	// g. Utama shows who is logged in.
	clickToPage(b, "menu Utama", menuLink("Utama"), 200, chromedp.CSS("main dl.summary"))
	wantPath(t, b, "/utama")
	wantText(t, b, chromedp.CSS("main h1"), "Selamat datang, "+staffName)
	wantText(t, b, chromedp.CSS("header .who"), staffName)
	checkA11y(t, b.ctx, "home")

	// h. The language switch, there and back.
	clickToPage(b, "English in the header", headerButton("English"), 200, chromedp.CSS(`html[lang="en"] main h1`))
	wantPath(t, b, "/utama")
	wantLang(t, b, "en")
	wantText(t, b, chromedp.CSS("main h1"), "Welcome, "+staffName)
	wantMenuHas(t, b, "Home", "Change Password")
	checkA11y(t, b.ctx, "home (English)")
	clickToPage(b, "Bahasa Melayu in the header", headerButton("Bahasa Melayu"), 200, chromedp.CSS(`html[lang="ms"] main h1`))
	wantPath(t, b, "/utama")
	wantLang(t, b, "ms")
	wantText(t, b, chromedp.CSS("main h1"), "Selamat datang, "+staffName)

	// g (continued). Log Keluar ends the session.
	clickToPage(b, "Log Keluar", headerButton("Log Keluar"), 200, chromedp.CSS("main > .notice"))
	wantPath(t, b, "/log-masuk?keluar=1")
	wantText(t, b, chromedp.CSS("main > .notice"), "Anda telah log keluar.")
	wantText(t, b, chromedp.CSS("main h1"), "Log Masuk")
	wantNoMenu(t, b)
	checkA11y(t, b.ctx, "login after logout")
	open(b, "/utama", chromedp.ID("f-login_id"))
	wantPath(t, b, "/log-masuk")
	wantNoMenu(t, b)

	if n := len(e.SMTP.For(staffEmail)); n != 3 {
		t.Errorf("%d emails to %s in the whole journey, want 3", n, staffEmail)
	}
}

// wantPath checks the path (and query) of the tab's URL.
func wantPath(t *testing.T, b *browser, want string) {
	t.Helper()
	if got := b.path(); got != want {
		t.Errorf("at %s, want %s", got, want)
	}
}

// wantLang checks the language the page declares (html[lang]).
func wantLang(t *testing.T, b *browser, want string) {
	t.Helper()
	if got := get(b, "read html[lang]", chromedp.Evaluate[string](`document.documentElement.lang`)); got != want {
		t.Errorf("html[lang] = %q, want %q", got, want)
	}
}

// wantText checks the whole visible text of an element, spaces collapsed.
func wantText[S chromedp.Selectable](t *testing.T, b *browser, sel S, want string) {
	t.Helper()
	if got := strings.Join(strings.Fields(text(b, sel)), " "); got != want {
		t.Errorf("%v says %q, want %q", sel, got, want)
	}
}

// menu is the labels of the main menu's links, in order.
func menu(b *browser) []string {
	b.t.Helper()
	return get(b, "read the menu", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('header nav.menu a')].map(a => a.textContent.trim())`))
}

// wantMenuOnly checks the main menu is exactly these links.
func wantMenuOnly(t *testing.T, b *browser, want ...string) {
	t.Helper()
	if got := menu(b); !slices.Equal(got, want) {
		t.Errorf("menu %q, want only %q", got, want)
	}
}

// wantMenuHas checks the main menu has these links (among others).
func wantMenuHas(t *testing.T, b *browser, want ...string) {
	t.Helper()
	got := menu(b)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("menu %q lacks %q", got, w)
		}
	}
}

// wantNoMenu checks that the page is a logged-out one: no menu, no Log Keluar.
func wantNoMenu(t *testing.T, b *browser) {
	t.Helper()
	if get(b, "look for the menu", chromedp.Evaluate[bool](
		`!!document.querySelector('header nav.menu, form[action="/log-keluar"]')`)) {
		t.Error("a logged-out page shows the menu or Log Keluar")
	}
}

// wantMail checks the n-th email to one address (and that it is the last one so far):
// its subject, and phrases of its body in both languages.
func wantMail(t *testing.T, msgs []smtptest.Message, n int, subject string, phrases ...string) {
	t.Helper()
	if len(msgs) != n {
		t.Errorf("%d emails so far, want %d", len(msgs), n)
		for _, m := range msgs {
			t.Logf("  email: %s", m.Subject)
		}
		if len(msgs) < n {
			return
		}
	}
	m := msgs[n-1]
	if m.Subject != subject {
		t.Errorf("email %d: subject %q, want %q", n, m.Subject, subject)
	}
	body := strings.Join(strings.Fields(m.Text), " ") // the template wraps lines
	for _, p := range phrases {
		if !strings.Contains(body, p) {
			t.Errorf("email %d (%s): body lacks %q:\n%s", n, m.Subject, p, m.Text)
		}
	}
}
