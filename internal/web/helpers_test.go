package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/mail"
)

const (
	adminID  = "800101-14-5007"
	adminPW  = "bilik server tingkat tiga"
	staffID  = "850101-14-5123"
	staffPW  = "kopi susu panas pagi"
	staffPW2 = "teh tarik kurang manis"
)

func validRegistration() url.Values {
	return url.Values{
		"user_type": {"KAKITANGAN"}, "login_id": {staffID}, "name": {"Siti Aminah binti Abu"},
		"email": {"siti@contoh.gov.my"}, "phone": {"012-3456789"}, "department": {"Jabatan Kewangan"},
		"staff_no": {"G12345"}, "question": {"ibu"}, "answer": {"Fatimah"},
		"password": {staffPW}, "confirm": {staffPW},
	}
}

func doc(t testing.TB, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func text(t testing.TB, body, selector string) string {
	t.Helper()
	return strings.TrimSpace(doc(t, body).Find(selector).Text())
}

// emails returns the outbox, newest first.
func emails(t testing.TB, e *apptest.Env) []mail.Entry {
	t.Helper()
	list, _, err := e.App.Outbox.List(context.Background(), "", 200, 0)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func emailsTo(t testing.TB, e *apptest.Env, to, template string) []mail.Entry {
	t.Helper()
	var out []mail.Entry
	for _, m := range emails(t, e) {
		if m.To == to && m.Template == template {
			out = append(out, m)
		}
	}
	return out
}

func user(t testing.TB, e *apptest.Env, loginID string) account.User {
	t.Helper()
	u, err := e.App.Accounts.Store.ByLoginID(context.Background(), strings.ReplaceAll(loginID, "-", ""))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// registerActive registers the standard staff member and has the Pentadbir activate them.
func registerActive(t testing.TB, e *apptest.Env) account.User {
	t.Helper()
	c := e.Client()
	if r := c.Post("/daftar", validRegistration()); r.StatusCode != 303 {
		t.Fatalf("register: %d", r.StatusCode)
	}
	admin := e.Admin(adminID, adminPW)
	u := user(t, e, staffID)
	if err := e.App.Accounts.Activate(context.Background(), admin, u.ID, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	return user(t, e, staffID)
}

// changeFirstPassword completes the forced change after the first login.
func changeFirstPassword(t testing.TB, c *apptest.Client) {
	t.Helper()
	r := c.Post("/akaun/tukar-kata-laluan", url.Values{"current": {staffPW}, "new": {staffPW2}, "confirm": {staffPW2}})
	if r.StatusCode != 303 {
		t.Fatalf("change password: %d %s", r.StatusCode, r.Body)
	}
}

func toRegistration(f url.Values) account.Registration {
	return account.Registration{UserType: f.Get("user_type"), LoginID: f.Get("login_id"), Name: f.Get("name"),
		Email: f.Get("email"), Phone: f.Get("phone"), Department: f.Get("department"), StaffNo: f.Get("staff_no"),
		Question: f.Get("question"), Answer: f.Get("answer"), Password: f.Get("password"), Confirm: f.Get("confirm")}
}
