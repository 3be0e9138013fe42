package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/audit"
)

func profileForm(u account.User) url.Values {
	return url.Values{"name": {u.Name}, "email": {u.Email}, "phone": {u.Phone}, "department": {u.Department},
		"question": {u.SecurityQuestion}}
}

func loggedIn(t testing.TB, e *apptest.Env) (*apptest.Client, account.User) {
	t.Helper()
	activeUser(t, e)
	c := e.Client()
	c.Login(staffID, staffPW2)
	return c, user(t, e, staffID)
}

// TestProfileUpdate: Nama, No. Telefon, Jabatan and the notification choice change with
// no password; the change is audited and shown on the form.
func TestProfileUpdate(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, u := loggedIn(t, e)
	f := profileForm(u)
	f.Set("name", "Siti Aminah binti Abu Bakar")
	f.Set("phone", "+60 19-876 5432")
	f.Set("department", "Perbendaharaan Negeri")
	f.Set("notify", "1")
	r := c.Post("/akaun/profil", f)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %s", r.StatusCode, text(t, r.Body, ".error-message"))
	}
	got := user(t, e, staffID)
	if got.Name != "Siti Aminah binti Abu Bakar" || got.Phone != "+60198765432" || got.Department != "Perbendaharaan Negeri" || !got.NotifyEmail {
		t.Errorf("profile = %+v", got)
	}
	page := c.Get(r.Header.Get("Location"))
	if !strings.Contains(page.Body, "telah dikemaskini") {
		t.Error("no confirmation")
	}
	if v, _ := doc(t, page.Body).Find("#f-notify").Attr("checked"); v != "checked" && !strings.Contains(page.Body, `id="f-notify" name="notify" value="1" checked`) {
		t.Error("notify box not checked")
	}
	events, _ := e.App.Audit.Search(t.Context(), audit.Filter{Event: audit.ProfileUpdate, Subject: u.LoginID})
	if len(events) != 1 || events[0].Detail != "name,phone,department,notify" {
		t.Errorf("audit = %+v", events)
	}
}

// TestProfileNoMassAssignment: role, status, ID, user type and email flags posted with
// the form change nothing.
func TestProfileNoMassAssignment(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, u := loggedIn(t, e)
	f := profileForm(u)
	for k, v := range map[string]string{"role": "PENTADBIR", "status": "DIGANTUNG", "login_id": "900215-10-5678",
		"user_type": "PEMBEKAL", "id": "1", "must_change_password": "1", "email_confirmed_at": "0", "staff_no": "X1"} {
		f.Set(k, v)
	}
	if r := c.Post("/akaun/profil", f); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", r.StatusCode)
	}
	got := user(t, e, staffID)
	if got.Role != account.RoleUser || got.Status != account.Active || got.LoginID != u.LoginID || got.Type != account.Staff ||
		got.StaffNo != u.StaffNo || got.MustChangePassword {
		t.Errorf("a posted extra field changed the account: %+v", got)
	}
	if r := c.Get("/pentadbir/pendaftaran"); r.StatusCode != http.StatusNotFound {
		t.Errorf("user became Pentadbir: %d", r.StatusCode)
	}
}

// TestProfileValidation: wrong fields are named; email and question changes need the
// current password.
func TestProfileValidation(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, u := loggedIn(t, e)
	cases := []struct {
		set             map[string]string
		field, contains string
	}{
		{map[string]string{"name": ""}, "name", "wajib diisi"},
		{map[string]string{"phone": "abc"}, "phone", "tidak sah"},
		{map[string]string{"email": "bukan-emel"}, "email", "Emel tidak sah"},
		{map[string]string{"email": "baru@contoh.gov.my"}, "current", "Kata Laluan Semasa"},
		{map[string]string{"email": "baru@contoh.gov.my", "current": "salah sama sekali"}, "current", "tidak betul"},
		{map[string]string{"question": "sekolah", "current": staffPW2}, "answer", "wajib diisi"},
		{map[string]string{"question": "sekolah", "answer": "SK Bukit"}, "current", "Kata Laluan Semasa"},
		{map[string]string{"question": "tiada"}, "question", "Pilih satu"},
	}
	for _, tc := range cases {
		f := profileForm(u)
		for k, v := range tc.set {
			f.Set(k, v)
		}
		r := c.Post("/akaun/profil", f)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%v: status %d", tc.set, r.StatusCode)
			continue
		}
		if got := text(t, r.Body, "#f-"+tc.field+"-error"); !strings.Contains(got, tc.contains) {
			t.Errorf("%v: error beside %s = %q", tc.set, tc.field, got)
		}
		if v, _ := doc(t, r.Body).Find("#f-current").Attr("value"); v != "" {
			t.Error("the current password was echoed")
		}
	}
	if got := user(t, e, staffID); got.Email != u.Email || got.SecurityQuestion != u.SecurityQuestion {
		t.Error("a refused form changed the account")
	}
}

// TestEmailChange: a new email is confirmed by a single-use, expiring link sent to the
// new address; the old address is told; until then nothing changes.
func TestEmailChange(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, u := loggedIn(t, e)
	f := profileForm(u)
	f.Set("email", "siti.baru@contoh.gov.my")
	f.Set("current", staffPW2)
	r := c.Post("/akaun/profil", f)
	if r.StatusCode != http.StatusSeeOther || !strings.Contains(c.Get(r.Header.Get("Location")).Body, "Pautan pengesahan telah dihantar") {
		t.Fatalf("status %d", r.StatusCode)
	}
	if got := user(t, e, staffID); got.Email != "siti@contoh.gov.my" {
		t.Fatal("email changed before confirmation")
	}
	link := func() string {
		m := emailsTo(t, e, "siti.baru@contoh.gov.my", "email_change_confirm")
		if len(m) == 0 {
			t.Fatal("no confirmation email to the new address")
		}
		i := strings.Index(m[0].Body, e.URL+"/sahkan-emel?t=")
		return strings.Fields(m[0].Body[i+len(e.URL+"/sahkan-emel?t="):])[0]
	}
	token := link()
	anon := e.Client() // the link works in a browser that is not logged in
	if r := anon.Post("/sahkan-emel", url.Values{"t": {token}}); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "telah ditukar") {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	if got := user(t, e, staffID); got.Email != "siti.baru@contoh.gov.my" || got.EmailConfirmedAt.IsZero() {
		t.Errorf("after confirmation: %q", got.Email)
	}
	old := emailsTo(t, e, "siti@contoh.gov.my", "email_changed_old")
	if len(old) != 1 || !strings.Contains(old[0].Body, "siti.baru@contoh.gov.my") {
		t.Errorf("old address told: %+v", old)
	}
	if r := anon.Post("/sahkan-emel", url.Values{"t": {token}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("link used twice: %d", r.StatusCode)
	}

	// A second change whose link expires.
	u = user(t, e, staffID)
	f = profileForm(u)
	f.Set("email", "lagi.baru@contoh.gov.my")
	f.Set("current", staffPW2)
	c.Post("/akaun/profil", f)
	m := emailsTo(t, e, "lagi.baru@contoh.gov.my", "email_change_confirm")
	i := strings.Index(m[0].Body, "/sahkan-emel?t=")
	token = strings.Fields(m[0].Body[i+len("/sahkan-emel?t="):])[0]
	e.Clock.Advance(24*time.Hour + time.Second)
	if r := anon.Post("/sahkan-emel", url.Values{"t": {token}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("expired link: %d", r.StatusCode)
	}
	if got := user(t, e, staffID); got.Email != "siti.baru@contoh.gov.my" {
		t.Errorf("expired link changed the email to %q", got.Email)
	}
}

// TestQuestionChange: the security question and answer change with the current password.
func TestQuestionChange(t *testing.T) {
	e := apptest.Start(t, apptest.Options{SMTP: true})
	c, u := loggedIn(t, e)
	f := profileForm(u)
	f.Set("question", "sekolah")
	f.Set("answer", "SK Bukit Baru")
	f.Set("current", staffPW2)
	if r := c.Post("/akaun/profil", f); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %s", r.StatusCode, text(t, r.Body, ".error-message"))
	}
	askReset(t, e.Client(), staffID, "jawapan", "Fatimah", "")
	if got := temps(t, e); len(got) != 0 {
		t.Error("the old answer still works")
	}
	askReset(t, e.Client(), staffID, "jawapan", "sk bukit baru", "")
	lastTemp(t, e, 1)
}

// TestSecurityEvents: Akaun lists the user's own recent security events.
func TestSecurityEvents(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	activeUser(t, e)
	login(e.Client(), staffID, "salah sama sekali ini")
	c := e.Client()
	c.Login(staffID, staffPW2)
	page := text(t, c.Get("/akaun").Body, "table")
	for _, want := range []string{"Log masuk gagal", "Kata laluan ditukar", "Akaun diaktifkan", "Log masuk", "Gagal", "Berjaya"} {
		if !strings.Contains(page, want) {
			t.Errorf("security events lack %q:\n%s", want, page)
		}
	}
	other := validRegistration()
	other.Set("login_id", "900215-10-5678")
	other.Set("email", "ahmad@contoh.gov.my")
	e.Client().Post("/daftar", other)
	if strings.Contains(c.Get("/akaun").Body, "900215") {
		t.Error("another user's events are shown")
	}
}
