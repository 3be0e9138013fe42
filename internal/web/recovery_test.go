package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/config"
)

// activeUser registers, activates and completes the first password change, so the
// account is in everyday use with password staffPW2.
func activeUser(t testing.TB, e *apptest.Env) {
	t.Helper()
	registerActive(t, e)
	c := e.Client()
	c.Login(staffID, staffPW)
	changeFirstPassword(t, c)
}

// askReset runs PK 0106 through the pages and returns the final response.
func askReset(t *testing.T, c *apptest.Client, id, method, answer, email string) apptest.Response {
	t.Helper()
	c.Post("/lupa-kata-laluan", url.Values{"login_id": {id}})
	return c.Post("/lupa-kata-laluan/hantar", url.Values{"login_id": {id}, "method": {method}, "answer": {answer}, "email": {email}})
}

// temps returns the temporary passwords emailed to the user so far, oldest first.
func temps(t *testing.T, e *apptest.Env) []string {
	t.Helper()
	e.MailSettled()
	var out []string
	for _, m := range e.SMTP.For("siti@contoh.gov.my") {
		if !strings.Contains(m.Subject, "sementara") {
			continue
		}
		found := ""
		for _, f := range strings.Fields(m.Text) {
			if len(f) == 16 && !strings.ContainsAny(f, ".,:/@()") {
				found = f
				break
			}
		}
		if found == "" {
			t.Fatalf("no temporary password in:\n%s", m.Text)
		}
		out = append(out, found)
	}
	return out
}

// lastTemp returns the newest temporary password, failing unless there are n in all.
func lastTemp(t *testing.T, e *apptest.Env, n int) string {
	t.Helper()
	got := temps(t, e)
	if len(got) != n {
		t.Fatalf("%d temporary passwords emailed, want %d", len(got), n)
	}
	return got[n-1]
}

// TestRecoveryRevealsNothing: the pages and their status are the same for an existing
// ID and an unknown one, for a right answer and a wrong one, a right email and a wrong
// one. The stand-in question for an unknown ID stays the same each time.
func TestRecoveryRevealsNothing(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	activeUser(t, e)
	var pages []string
	for _, tc := range []struct{ id, method, answer, email string }{
		{staffID, "jawapan", "Fatimah", ""},
		{staffID, "jawapan", "salah", ""},
		{staffID, "emel", "", "siti@contoh.gov.my"},
		{staffID, "emel", "", "lain@contoh.gov.my"},
		{"900215-10-5678", "jawapan", "Fatimah", ""},
		{"900215-10-5678", "emel", "", "siti@contoh.gov.my"},
		{"bukan id", "emel", "", "x@y.my"},
	} {
		r := askReset(t, e.Client(), tc.id, tc.method, tc.answer, tc.email)
		if r.StatusCode != http.StatusOK {
			t.Errorf("%+v: status %d", tc, r.StatusCode)
		}
		pages = append(pages, text(t, r.Body, "main"))
	}
	for i, p := range pages {
		if p != pages[0] {
			t.Errorf("page %d differs:\n%s\nvs\n%s", i, p, pages[0])
		}
	}
	if !strings.Contains(pages[0], "Jika butiran yang dimasukkan sepadan") {
		t.Errorf("confirmation text: %s", pages[0])
	}
	q := func(id string) string {
		return text(t, e.Client().Post("/lupa-kata-laluan", url.Values{"login_id": {id}}).Body, `label[for="f-answer"]`)
	}
	if a, b := q("900215-10-5678"), q("900215105678"); a == "" || a != b {
		t.Errorf("stand-in question not stable: %q vs %q", a, b)
	}
	if got := q(staffID); got != "Apakah nama sebenar ibu anda?" {
		t.Errorf("real question = %q", got)
	}
}

// TestTemporaryPasswordJourney: a right answer emails a temporary password; the current
// password keeps working until it is used; logging in with it opens only Tukar Kata
// Laluan and ends other sessions; it works once; after the change it is gone.
func TestTemporaryPasswordJourney(t *testing.T) {
	e := apptest.Start(t, apptest.Options{SMTP: true})
	activeUser(t, e)
	other := e.Client()
	other.Login(staffID, staffPW2)

	askReset(t, e.Client(), staffID, "jawapan", "  FATIMAH ", "")
	temp := lastTemp(t, e, 1)
	if u := user(t, e, staffID); u.MustChangePassword {
		t.Error("asking for a temporary password changed the account")
	}
	e.Client().Login(staffID, staffPW2) // the current password still works

	c := e.Client()
	if r := c.Login(staffID, temp); r.Header.Get("Location") != "/akaun/tukar-kata-laluan" {
		t.Fatalf("temporary login → %q", r.Header.Get("Location"))
	}
	for _, p := range []string{"/utama", "/akaun", "/akaun/profil"} {
		if r := c.Get(p); r.StatusCode != http.StatusSeeOther {
			t.Errorf("%s open to a temporary-password session: %d", p, r.StatusCode)
		}
	}
	if r := other.Get("/utama"); r.StatusCode != http.StatusSeeOther {
		t.Error("the reset did not end the other sessions")
	}
	if r := login(e.Client(), staffID, temp); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("temporary password worked twice: %d", r.StatusCode)
	}
	r := c.Post("/akaun/tukar-kata-laluan", url.Values{"current": {staffPW2}, "new": {"nasi lemak sambal sotong"}, "confirm": {"nasi lemak sambal sotong"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("the old password accepted as current in a temporary session: %d", r.StatusCode)
	}
	r = c.Post("/akaun/tukar-kata-laluan", url.Values{"current": {temp}, "new": {"nasi lemak sambal sotong"}, "confirm": {"nasi lemak sambal sotong"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change with the temporary password: %d %s", r.StatusCode, text(t, r.Body, ".error-message"))
	}
	if r := c.Get("/utama"); r.StatusCode != http.StatusOK {
		t.Errorf("home after the change: %d", r.StatusCode)
	}
	if r := login(e.Client(), staffID, staffPW2); r.StatusCode != http.StatusUnauthorized {
		t.Error("the old password still works after the change")
	}
	e.Client().Login(staffID, "nasi lemak sambal sotong")
}

// TestTemporaryPasswordExpires: a temporary password works for 60 minutes only, and a
// newer request replaces an older one.
func TestTemporaryPasswordExpires(t *testing.T) {
	e := apptest.Start(t, apptest.Options{SMTP: true})
	activeUser(t, e)
	askReset(t, e.Client(), staffID, "emel", "", "Siti@Contoh.gov.my")
	first := lastTemp(t, e, 1)
	askReset(t, e.Client(), staffID, "emel", "", "siti@contoh.gov.my")
	second := lastTemp(t, e, 2)
	if r := login(e.Client(), staffID, first); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("a replaced temporary password works: %d", r.StatusCode)
	}
	e.Clock.Advance(60*time.Minute + time.Second)
	if r := login(e.Client(), staffID, second); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("an expired temporary password works: %d", r.StatusCode)
	}
}

// TestRecoveryThrottled: wrong answers count toward the ID's lock like failed logins;
// a temporary password then still opens the locked ID (a successful reset unlocks);
// an address with too many failures gets 429.
func TestRecoveryThrottled(t *testing.T) {
	e := apptest.Start(t, apptest.Options{SMTP: true})
	activeUser(t, e)
	for i := 0; i < 5; i++ {
		askReset(t, e.Client(), staffID, "jawapan", "salah lagi", "")
	}
	if got := text(t, login(e.Client(), staffID, staffPW2).Body, "#login-error"); !strings.Contains(got, "dikunci") {
		t.Fatalf("five wrong answers did not lock the ID: %q", got)
	}
	askReset(t, e.Client(), staffID, "jawapan", "Fatimah", "")
	if got := temps(t, e); len(got) != 0 {
		t.Errorf("a locked ID was sent a temporary password")
	}
	e.Clock.Advance(16 * time.Minute)
	askReset(t, e.Client(), staffID, "jawapan", "Fatimah", "")
	temp := lastTemp(t, e, 1)
	for i := 0; i < 5; i++ {
		login(e.Client(), staffID, "salah sama sekali ini")
	}
	c := e.Client()
	if r := c.Login(staffID, temp); r.Header.Get("Location") != "/akaun/tukar-kata-laluan" {
		t.Fatalf("temporary password did not open the locked ID")
	}
	changeTo := "nasi lemak sambal sotong"
	c.Post("/akaun/tukar-kata-laluan", url.Values{"current": {temp}, "new": {changeTo}, "confirm": {changeTo}})
	e.Client().Login(staffID, changeTo) // unlocked

	for i := 0; i < 20; i++ {
		askReset(t, e.Client(), "900215-10-5678", "jawapan", "salah", "")
	}
	if r := askReset(t, e.Client(), "900215-10-5678", "jawapan", "salah", ""); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("address not throttled: %d", r.StatusCode)
	}
}

// TestRecoveryQuestionOff: with ESPEKS_RECOVERY_SECURITY_QUESTION=off only the email
// path exists; a right answer alone sends nothing.
func TestRecoveryQuestionOff(t *testing.T) {
	e := apptest.Start(t, apptest.Options{SMTP: true, Configure: func(c *config.Config) { c.RecoverySecurityQuestion = false }})
	activeUser(t, e)
	page := e.Client().Post("/lupa-kata-laluan", url.Values{"login_id": {staffID}})
	if doc(t, page.Body).Find("#f-answer").Length() != 0 {
		t.Error("the question step is shown although switched off")
	}
	askReset(t, e.Client(), staffID, "jawapan", "Fatimah", "")
	if got := temps(t, e); len(got) != 0 {
		t.Errorf("the answer alone sent a temporary password")
	}
	askReset(t, e.Client(), staffID, "emel", "", "siti@contoh.gov.my")
	lastTemp(t, e, 1)
}
