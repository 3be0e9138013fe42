package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/config"
)

// TestForcedPasswordChange: after activation the first login shows only Tukar Kata
// Laluan until the password is changed (PK 0101 step 4, PK 0105).
func TestForcedPasswordChange(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	registerActive(t, e)
	c := e.Client()
	if r := c.Login(staffID, staffPW); r.Header.Get("Location") != "/akaun/tukar-kata-laluan" {
		t.Fatalf("first login goes to %q", r.Header.Get("Location"))
	}
	for _, p := range []string{"/utama", "/pentadbir/pendaftaran"} {
		if r := c.Get(p); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/akaun/tukar-kata-laluan" {
			t.Errorf("%s: %d → %q", p, r.StatusCode, r.Header.Get("Location"))
		}
	}
	page := c.Get("/akaun/tukar-kata-laluan")
	if n := doc(t, page.Body).Find("nav.menu a").Length(); n != 1 {
		t.Errorf("menu has %d links during a forced change, want only Tukar Kata Laluan", n)
	}
	changeFirstPassword(t, c)
	if r := c.Get("/utama"); r.StatusCode != http.StatusOK {
		t.Errorf("home after change: %d", r.StatusCode)
	}
}

// TestChangePasswordRules: PK 0105 needs the current password and enforces the policy.
func TestChangePasswordRules(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	registerActive(t, e)
	c := e.Client()
	c.Login(staffID, staffPW)
	cases := []struct{ current, new, confirm, field, want string }{
		{"", staffPW2, staffPW2, "current", "wajib diisi"},
		{"salah sama sekali ini", staffPW2, staffPW2, "current", "tidak betul"},
		{staffPW, staffPW, staffPW, "new", "mesti berbeza"},
		{staffPW, "pendek", "pendek", "new", "sekurang-kurangnya 12"},
		{staffPW, "qwertyuiop123", "qwertyuiop123", "new", "terlalu biasa"},
		{staffPW, "siti punya kata laluan", "siti punya kata laluan", "new", "tidak boleh mengandungi"},
		{staffPW, strings.Repeat("x", 129), strings.Repeat("x", 129), "new", "paling banyak 128"},
		{staffPW, staffPW2, "lain", "confirm", "tidak sama"},
	}
	for _, tc := range cases {
		r := c.Post("/akaun/tukar-kata-laluan", url.Values{"current": {tc.current}, "new": {tc.new}, "confirm": {tc.confirm}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tc.want, r.StatusCode)
			continue
		}
		if got := text(t, r.Body, "#f-"+tc.field+"-error"); !strings.Contains(got, tc.want) {
			t.Errorf("error beside %s = %q, want %q", tc.field, got, tc.want)
		}
	}
	if ok, _ := e.App.Accounts.Hasher.Verify(context.Background(), user(t, e, staffID).PasswordHash, staffPW); !ok {
		t.Error("a refused change changed the password")
	}
}

// TestChangePasswordEndsOtherSessions: on success every other session ends, this
// browser gets a new token, and an email is sent.
func TestChangePasswordEndsOtherSessions(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	registerActive(t, e)
	a, b := e.Client(), e.Client()
	a.Login(staffID, staffPW)
	b.Login(staffID, staffPW)
	before := a.Cookie("espeks_session")
	changeFirstPassword(t, a)
	if after := a.Cookie("espeks_session"); after == "" || after == before {
		t.Error("session token not renewed at the password change")
	}
	if r := a.Get("/utama"); r.StatusCode != http.StatusOK {
		t.Errorf("the changing browser lost its session: %d", r.StatusCode)
	}
	if r := b.Get("/utama"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/log-masuk" {
		t.Errorf("other session still works: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	old := e.Client()
	old.HTTP.Jar.SetCookies(mustURL(e.URL), []*http.Cookie{{Name: "espeks_session", Value: before}})
	if r := old.Get("/utama"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("old token still works: %d", r.StatusCode)
	}
	if n := len(emailsTo(t, e, "siti@contoh.gov.my", "password_changed")); n != 1 {
		t.Errorf("%d password-changed emails", n)
	}
	if r := login(e.Client(), staffID, staffPW); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("old password still works: %d", r.StatusCode)
	}
	e.Client().Login(staffID, staffPW2)
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestSessionRotationAndLogout: each login gets a fresh token; Log Keluar ends the
// session on the server, so a copied cookie is worthless afterwards.
func TestSessionRotationAndLogout(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	registerActive(t, e)
	c := e.Client()
	c.Login(staffID, staffPW)
	changeFirstPassword(t, c)
	first := c.Cookie("espeks_session")
	c.Login(staffID, staffPW2)
	second := c.Cookie("espeks_session")
	if first == second || len(second) < 43 {
		t.Errorf("login did not issue a new 256-bit token: %q %q", first, second)
	}
	copied := e.Client()
	copied.HTTP.Jar.SetCookies(mustURL(e.URL), []*http.Cookie{{Name: "espeks_session", Value: second}})
	if r := c.Post("/log-keluar", nil); r.Header.Get("Location") != "/log-masuk?keluar=1" {
		t.Fatalf("logout → %q", r.Header.Get("Location"))
	}
	if r := copied.Get("/utama"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("session still valid on the server after logout: %d", r.StatusCode)
	}
}

// TestSessionTimeouts: 30 minutes idle or 12 hours in all end a session.
func TestSessionTimeouts(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	registerActive(t, e)
	c := e.Client()
	c.Login(staffID, staffPW)
	changeFirstPassword(t, c)
	e.Clock.Advance(29 * time.Minute)
	if r := c.Get("/utama"); r.StatusCode != http.StatusOK {
		t.Fatalf("29 minutes idle: %d", r.StatusCode)
	}
	e.Clock.Advance(30*time.Minute + time.Second)
	if r := c.Get("/utama"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("30 minutes idle: %d, want redirect to login", r.StatusCode)
	}

	c.Login(staffID, staffPW2)
	for i := 0; i < 12*3-1; i++ { // active every 20 minutes for just under 12 hours
		e.Clock.Advance(20 * time.Minute)
		if r := c.Get("/utama"); r.StatusCode != http.StatusOK {
			t.Fatalf("active session ended after %v", time.Duration(i+1)*20*time.Minute)
		}
	}
	e.Clock.Advance(20 * time.Minute)
	if r := c.Get("/utama"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("session outlived the 12-hour absolute timeout: %d", r.StatusCode)
	}
}

// TestSecureCookiesAndHeaders: headers on every page; on https the session cookie is
// Secure with the __Host- prefix and HSTS is sent.
func TestSecureCookiesAndHeaders(t *testing.T) {
	for _, https := range []bool{false, true} {
		e := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) {
			if https {
				c.BaseURL = "https://espeks.melaka.gov.my"
			}
		}})
		registerActive(t, e)
		r := e.Client().Post("/log-masuk", url.Values{"login_id": {staffID}, "password": {staffPW}})
		for _, p := range []apptest.Response{r, e.Client().Get("/log-masuk"), e.Client().Get("/tiada")} {
			h := p.Header
			want := map[string]string{
				"Content-Security-Policy": "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "same-origin",
				"Cache-Control":           "no-store",
			}
			for k, v := range want {
				if h.Get(k) != v {
					t.Errorf("https=%v %s = %q", https, k, h.Get(k))
				}
			}
			if (h.Get("Strict-Transport-Security") != "") != https {
				t.Errorf("https=%v HSTS = %q", https, h.Get("Strict-Transport-Security"))
			}
		}
		var cookie string
		for _, c := range r.Header.Values("Set-Cookie") {
			if strings.Contains(c, "espeks_session=") {
				cookie = c
			}
		}
		for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, attr) {
				t.Errorf("https=%v cookie %q lacks %s", https, cookie, attr)
			}
		}
		if https != (strings.HasPrefix(cookie, "__Host-espeks_session=") && strings.Contains(cookie, "Secure")) {
			t.Errorf("https=%v cookie %q", https, cookie)
		}
	}
}

// TestCSRF: state-changing requests from another site are refused.
func TestCSRF(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	registerActive(t, e)
	c := e.Client()
	c.Login(staffID, staffPW)
	form := url.Values{"current": {staffPW}, "new": {staffPW2}, "confirm": {staffPW2}}
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		r := c.Do(http.MethodPost, "/akaun/tukar-kata-laluan", form, h)
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("%v: status %d, want 403", h, r.StatusCode)
		}
	}
	if ok, _ := e.App.Accounts.Hasher.Verify(context.Background(), user(t, e, staffID).PasswordHash, staffPW); !ok {
		t.Error("a cross-site request changed the password")
	}
	if r := c.Do(http.MethodPost, "/log-keluar", nil, map[string]string{"Sec-Fetch-Site": "cross-site"}); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site logout: %d", r.StatusCode)
	}
}

// TestLimitsAndOddInput: oversized bodies get 413, unknown pages 404, nothing 500s.
func TestLimitsAndOddInput(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	big := url.Values{"name": {strings.Repeat("x", 100<<10)}}
	if r := e.Client().Post("/daftar", big); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("large body: %d, want 413", r.StatusCode)
	}
	for _, p := range []string{"/tiada", "/pentadbir/pendaftaran/abc/aktifkan", "/static/none.css"} {
		if r := e.Client().Get(p); r.StatusCode != http.StatusNotFound && r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: %d", p, r.StatusCode)
		}
	}
	odd := url.Values{"login_id": {"' OR 1=1 -- ¿"}, "password": {strings.Repeat("é", 5000)}}
	if r := e.Client().Post("/log-masuk", odd); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("odd login: %d", r.StatusCode)
	}
	for _, bad := range []string{"\x00abc", "\xff\xfe"} {
		if r := e.Client().Post("/log-masuk", url.Values{"login_id": {bad}, "password": {"x"}}); r.StatusCode != http.StatusBadRequest {
			t.Errorf("login with %q: %d, want 400", bad, r.StatusCode)
		}
	}
	r := e.Client().Post("/bahasa", url.Values{"lang": {"en"}, "next": {"//evil.example/"}})
	if loc := r.Header.Get("Location"); loc != "/" {
		t.Errorf("open redirect: %q", loc)
	}
}

// TestLanguageRemembered: the switch sets a cookie and every later page is in English.
func TestLanguageRemembered(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c := e.Client()
	if r := c.Get("/log-masuk"); !strings.Contains(r.Body, `<html lang="ms">`) || text(t, r.Body, "h1") != "Log Masuk" {
		t.Fatalf("default is not Malay")
	}
	r := c.Post("/bahasa", url.Values{"lang": {"en"}, "next": {"/log-masuk"}})
	if r.Header.Get("Location") != "/log-masuk" {
		t.Errorf("switch returns to %q", r.Header.Get("Location"))
	}
	if r := c.Get("/daftar"); !strings.Contains(r.Body, `<html lang="en">`) || text(t, r.Body, "h1") != "User Registration" {
		t.Errorf("language not remembered: %q", text(t, r.Body, "h1"))
	}
}
