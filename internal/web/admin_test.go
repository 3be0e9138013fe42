package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/audit"
)

func adminClient(t *testing.T, e *apptest.Env) (*apptest.Client, account.User) {
	admin := e.Admin(adminID, adminPW)
	c := e.Client()
	c.Login(adminID, adminPW)
	return c, admin
}

// TestAdminRoutesNeedRole: every Pentadbir route sends the anonymous to the login page
// and answers an ordinary user 404.
func TestAdminRoutesNeedRole(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	u := registerActive(t, e)
	staff := e.Client()
	staff.Login(staffID, staffPW)
	changeFirstPassword(t, staff)
	routes := []struct{ method, path string }{
		{"GET", "/pentadbir"},
		{"GET", "/pentadbir/pendaftaran"},
		{"POST", fmt.Sprintf("/pentadbir/pendaftaran/%d/aktifkan", u.ID)},
		{"POST", fmt.Sprintf("/pentadbir/pendaftaran/%d/tolak", u.ID)},
		{"GET", "/pentadbir/emel"},
		{"GET", "/pentadbir/emel/1"},
		{"GET", "/pentadbir/muat"},
		{"POST", "/pentadbir/muat"},
		{"GET", "/pentadbir/muat/1"},
		{"GET", "/pentadbir/kunci-api"},
		{"POST", "/pentadbir/kunci-api"},
		{"POST", "/pentadbir/kunci-api/1/batal"},
	}
	for _, rt := range routes {
		post := func(c *apptest.Client) apptest.Response {
			if rt.method == "POST" {
				return c.Post(rt.path, url.Values{"reason": {"x"}})
			}
			return c.Get(rt.path)
		}
		if r := post(e.Client()); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/log-masuk" {
			t.Errorf("anonymous %s %s: %d %q", rt.method, rt.path, r.StatusCode, r.Header.Get("Location"))
		}
		if r := post(staff); r.StatusCode != http.StatusNotFound {
			t.Errorf("staff %s %s: %d, want 404", rt.method, rt.path, r.StatusCode)
		}
	}
	if !strings.Contains(staff.Get("/utama").Body, "Siti") || strings.Contains(staff.Get("/utama").Body, "/pentadbir") {
		t.Error("the staff menu shows Pentadbir links")
	}
}

// TestActivateAndReject: the Pentadbir sees pending registrations with search, activates
// one and rejects another with a reason; each user is emailed, each decision audited.
func TestActivateAndReject(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	e.Client().Post("/daftar", validRegistration())
	other := validRegistration()
	other.Set("login_id", "900215-10-5678")
	other.Set("name", "Ahmad bin Ismail")
	other.Set("email", "ahmad@contoh.gov.my")
	e.Client().Post("/daftar", other)
	c, admin := adminClient(t, e)

	list := c.Get("/pentadbir/pendaftaran")
	if n := doc(t, list.Body).Find("tbody tr").Length(); n != 2 {
		t.Fatalf("%d pending rows, want 2", n)
	}
	if !strings.Contains(list.Body, "850101-14-5123") || !strings.Contains(list.Body, "belum disahkan") {
		t.Error("list lacks the formatted ID or the email-confirmation state")
	}
	for q, want := range map[string]int{"ahmad": 1, "900215-10": 1, "contoh.gov.my": 2, "tiada-siapa": 0, "%": 0} {
		r := c.Get("/pentadbir/pendaftaran?q=" + url.QueryEscape(q))
		if n := doc(t, r.Body).Find("tbody tr").Length(); n != want {
			t.Errorf("search %q: %d rows, want %d", q, n, want)
		}
	}

	siti, ahmad := user(t, e, staffID), user(t, e, "900215-10-5678")
	r := c.Post(fmt.Sprintf("/pentadbir/pendaftaran/%d/aktifkan", siti.ID), nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("activate: %d", r.StatusCode)
	}
	if !strings.Contains(c.Get(r.Header.Get("Location")).Body, "telah diaktifkan") {
		t.Error("no confirmation after activation")
	}
	if u := user(t, e, staffID); u.Status != account.Active || !u.MustChangePassword {
		t.Errorf("after activation: %+v", u)
	}
	if n := len(emailsTo(t, e, "siti@contoh.gov.my", "account_activated")); n != 1 {
		t.Errorf("%d activation emails", n)
	}
	// A second decision on the same registration changes nothing.
	if r := c.Post(fmt.Sprintf("/pentadbir/pendaftaran/%d/tolak", siti.ID), url.Values{"reason": {"lewat"}}); !strings.Contains(r.Header.Get("Location"), "ok=sudah") {
		t.Errorf("second decision: %q", r.Header.Get("Location"))
	}
	if user(t, e, staffID).Status != account.Active {
		t.Error("a decided registration was changed")
	}

	r = c.Post(fmt.Sprintf("/pentadbir/pendaftaran/%d/tolak", ahmad.ID), url.Values{"reason": {"  "}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(t, r.Body, fmt.Sprintf("#reason-%d-error", ahmad.ID)), "Nyatakan sebab") {
		t.Errorf("reject without reason: %d", r.StatusCode)
	}
	c.Post(fmt.Sprintf("/pentadbir/pendaftaran/%d/tolak", ahmad.ID), url.Values{"reason": {"Bukan kakitangan negeri"}})
	if u := user(t, e, "900215-10-5678"); u.Status != account.Rejected || u.RejectionReason != "Bukan kakitangan negeri" {
		t.Errorf("after rejection: %+v", u)
	}
	rej := emailsTo(t, e, "ahmad@contoh.gov.my", "account_rejected")
	if len(rej) != 1 || !strings.Contains(rej[0].Body, "Bukan kakitangan negeri") {
		t.Errorf("rejection emails: %+v", rej)
	}
	for _, tc := range []struct {
		id    int64
		event string
	}{{siti.ID, audit.Activate}, {ahmad.ID, audit.Reject}} {
		events, _ := e.App.Audit.ForSubject(context.Background(), tc.id, 10)
		if len(events) == 0 || events[0].Type != tc.event || events[0].ActorID != admin.ID || events[0].Source == "" {
			t.Errorf("audit of %s: %+v", tc.event, events)
		}
	}
	if n := doc(t, c.Get("/pentadbir/pendaftaran").Body).Find("tbody tr").Length(); n != 0 {
		t.Errorf("%d rows still pending", n)
	}
	if r := c.Post("/pentadbir/pendaftaran/999999/aktifkan", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown registration: %d", r.StatusCode)
	}
}

// TestOutboxPage: without SMTP the Pentadbir reads emails on the outbox page.
func TestOutboxPage(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	e.Client().Post("/daftar", validRegistration())
	c, _ := adminClient(t, e)
	r := c.Get("/pentadbir/emel")
	if !strings.Contains(r.Body, "siti@contoh.gov.my") || !strings.Contains(r.Body, "Tiada pelayan SMTP") {
		t.Fatalf("outbox page lacks the email or the no-SMTP notice: %d %s", r.StatusCode, r.Body)
	}
	href, _ := doc(t, r.Body).Find("tbody a").First().Attr("href")
	msg := c.Get(href)
	if !strings.Contains(msg.Body, "Pendaftaran") || !strings.Contains(text(t, msg.Body, "pre.email-body"), "sahkan-emel") {
		t.Errorf("message page: %s", text(t, msg.Body, "main"))
	}
}
