package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/audit"
)

func login(c *apptest.Client, id, pw string) apptest.Response {
	return c.Post("/log-masuk", url.Values{"login_id": {id}, "password": {pw}})
}

// TestLoginOneMessage: a wrong password and an unknown ID get the same status and text.
func TestLoginOneMessage(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	registerActive(t, e)
	wrongPW := login(e.Client(), staffID, "salah sama sekali ini")
	unknown := login(e.Client(), "900215-10-5678", "salah sama sekali ini")
	garbage := login(e.Client(), "bukan-id", "salah sama sekali ini")
	for _, r := range []apptest.Response{wrongPW, unknown, garbage} {
		if r.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", r.StatusCode)
		}
		if got := text(t, r.Body, "#login-error"); got != "ID Pengguna atau Kata Laluan tidak sah." {
			t.Errorf("message %q", got)
		}
	}
	if text(t, wrongPW.Body, "main") != text(t, unknown.Body, "main") {
		t.Error("pages for a wrong password and an unknown ID differ")
	}
}

// TestLoginRefusedUntilActive: pending, rejected and suspended accounts are told why,
// but only after the right password.
func TestLoginRefusedUntilActive(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	e.Client().Post("/daftar", validRegistration())
	r := login(e.Client(), staffID, staffPW)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "Menunggu Pengesahan") {
		t.Errorf("pending: %d %q", r.StatusCode, text(t, r.Body, "#login-error"))
	}
	if r := login(e.Client(), staffID, "salah sama sekali ini"); strings.Contains(r.Body, "Menunggu") {
		t.Error("pending status revealed without the right password")
	}
	admin := e.Admin(adminID, adminPW)
	if err := e.App.Accounts.Reject(context.Background(), admin, user(t, e, staffID).ID, "No. Gaji tiada dalam rekod", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	r = login(e.Client(), staffID, staffPW)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "No. Gaji tiada dalam rekod") {
		t.Errorf("rejected: %d %q", r.StatusCode, text(t, r.Body, "#login-error"))
	}
	if c := e.Client(); c.Cookie("espeks_session") != "" {
		t.Error("session given to a rejected account")
	}
}

// TestLockout: five failures lock the ID for 15 minutes with a message saying until
// when; the right password does not open it early; the next lock lasts twice as long.
// An unknown ID locks the same way, so the lock does not reveal which IDs exist.
func TestLockout(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	registerActive(t, e)
	for _, id := range []string{staffID, "900215-10-5678"} {
		var last apptest.Response
		for i := 0; i < 5; i++ {
			last = login(e.Client(), id, "salah sama sekali ini")
		}
		if got := text(t, last.Body, "#login-error"); !strings.Contains(got, "dikunci") || !strings.Contains(got, "02/03/2026 09:15") {
			t.Errorf("%s: fifth failure says %q", id, got)
		}
	}
	if got := text(t, login(e.Client(), staffID, staffPW).Body, "#login-error"); !strings.Contains(got, "dikunci") {
		t.Errorf("right password during the lock: %q", got)
	}
	e.Clock.Advance(15*time.Minute + time.Second)
	login(e.Client(), staffID, "salah sama sekali ini") // lock expired: failures count again from zero
	for i := 0; i < 4; i++ {
		login(e.Client(), staffID, "salah sama sekali ini")
	}
	e.Clock.Advance(16 * time.Minute)
	if got := text(t, login(e.Client(), staffID, staffPW).Body, "#login-error"); !strings.Contains(got, "dikunci") {
		t.Errorf("second lock should last 30 minutes; after 16: %q", got)
	}
	e.Clock.Advance(15 * time.Minute)
	e.Client().Login(staffID, staffPW)

	events, err := e.App.Audit.Search(context.Background(), audit.Filter{Event: audit.Lockout, Subject: "850101145123"})
	if err != nil || len(events) != 2 {
		t.Errorf("lockout audit records = %d (%v), want 2", len(events), err)
	}
}

// TestLockoutResetBySuccess: failures below the threshold are forgotten after a success.
func TestLockoutResetBySuccess(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	registerActive(t, e)
	for i := 0; i < 4; i++ {
		login(e.Client(), staffID, "salah sama sekali ini")
	}
	e.Client().Login(staffID, staffPW)
	for i := 0; i < 4; i++ {
		login(e.Client(), staffID, "salah sama sekali ini")
	}
	e.Client().Login(staffID, staffPW)
}

// TestSourceThrottle: more than 20 failures from one address within 15 minutes, over
// any IDs, are answered 429 until the window passes.
func TestSourceThrottle(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	ids := []string{"900215-10-5678", "880808-08-1234", "750505-05-5055", "660606-06-6066", "770707-07-7077"}
	for i := 0; i < 20; i++ {
		if r := login(e.Client(), ids[i%len(ids)], "salah sama sekali ini"); r.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("429 after only %d failures", i)
		}
	}
	r := login(e.Client(), "990909-09-9099", "apa-apa sahaja")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d retry-after %q, want 429", r.StatusCode, r.Header.Get("Retry-After"))
	}
	e.Clock.Advance(15*time.Minute + time.Second)
	if r := login(e.Client(), "990909-09-9099", "apa-apa sahaja"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("after the window: %d, want 401", r.StatusCode)
	}
}

// TestHomeShowsLastLoginAndFailures: the home page shows the previous successful login
// and the failed attempts since.
func TestHomeShowsLastLoginAndFailures(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	registerActive(t, e)
	c := e.Client()
	c.Login(staffID, staffPW)
	changeFirstPassword(t, c)
	home := c.Get("/utama")
	if !strings.Contains(home.Body, "Ini log masuk pertama anda") || !strings.Contains(home.Body, "Siti Aminah binti Abu") {
		t.Errorf("first home page: %s", text(t, home.Body, "dl.summary"))
	}
	e.Clock.Advance(time.Hour)
	login(e.Client(), staffID, "salah sama sekali ini")
	login(e.Client(), staffID, "salah lagi sekali ini")
	c2 := e.Client()
	c2.Login(staffID, staffPW2)
	summary := text(t, c2.Get("/utama").Body, "dl.summary")
	if !strings.Contains(summary, "02/03/2026 09:00") || !strings.Contains(summary, "2") {
		t.Errorf("summary %q: want the previous login at 09:00 MYT and 2 failures", summary)
	}
}
