// Package apptest starts a whole eSPEKS for tests: the real wiring (package app) on a
// fresh database from dbtest (SQLite, or PostgreSQL when the test script provides one),
// an adjustable clock, a real HTTP server on loopback and, when asked, a real SMTP
// server. HTTP scenario tests and browser tests share it.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/app"
	"github.com/espeks/espeks/internal/config"
	"github.com/espeks/espeks/internal/dbtest"
	"github.com/espeks/espeks/internal/mail/smtptest"
	"github.com/espeks/espeks/internal/password"
)

// Clock is a settable clock for lockouts and expiries: tests move time, never sleep.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at a fixed instant.
func NewClock() *Clock { return &Clock{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Env is a running eSPEKS.
type Env struct {
	T      testing.TB
	App    *app.App
	Server *httptest.Server
	Clock  *Clock
	SMTP   *smtptest.Server // nil unless Options.SMTP
	URL    string
}

// Options adjust the environment.
type Options struct {
	SMTP      bool                 // start a real SMTP server and send through it
	Configure func(*config.Config) // change settings before wiring
	// RealHashParams uses production argon2id parameters; by default tests use cheap
	// ones so a suite of many logins stays fast (the password package tests the real ones).
	RealHashParams bool
}

// CheapParams are argon2id parameters for tests only.
var CheapParams = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Start wires eSPEKS on a fresh database and serves it on a loopback port.
func Start(t testing.TB, o Options) *Env {
	t.Helper()
	e := &Env{T: t, Clock: NewClock()}
	e.Server = httptest.NewUnstartedServer(nil)
	e.URL = "http://" + e.Server.Listener.Addr().String()
	cfg := config.Default()
	cfg.BaseURL = e.URL
	cfg.StateName = "Melaka"
	if o.SMTP {
		e.SMTP = smtptest.Start(t)
		cfg.SMTPURL = e.SMTP.URL()
		cfg.SMTPFrom = "eSPEKS <no-reply@espeks.test>"
	}
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	params := &CheapParams
	if o.RealHashParams {
		params = nil
	}
	a, err := app.New(context.Background(), cfg, app.Options{
		Now: e.Clock.Now, DB: dbtest.Open(t), HashParams: params,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	e.App = a
	e.Server.Config.Handler = a.Handler
	e.Server.Start()
	t.Cleanup(e.Server.Close)
	if o.SMTP {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = a.Worker.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	return e
}

// Client returns a browser-like client with its own cookie jar that does not follow
// redirects, so tests see each 303 and its Location.
func (e *Env) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// Client is one browser.
type Client struct {
	env  *Env
	HTTP *http.Client
}

// Response is a read response.
type Response struct {
	*http.Response
	Body string
}

// Do sends a request with extra headers.
func (c *Client) Do(method, path string, form url.Values, header map[string]string) Response {
	c.env.T.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.env.URL+path, body)
	if err != nil {
		c.env.T.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.env.T.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.env.T.Fatal(err)
	}
	return Response{Response: res, Body: string(b)}
}

// Get fetches a page.
func (c *Client) Get(path string) Response { return c.Do(http.MethodGet, path, nil, nil) }

// Post submits a form the way a browser on this site does (same-origin).
func (c *Client) Post(path string, form url.Values) Response {
	return c.Do(http.MethodPost, path, form, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": c.env.URL})
}

// Cookie returns the value of a cookie the client holds for the site.
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.env.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// Admin creates an active Pentadbir with the given password.
func (e *Env) Admin(loginID, pw string) account.User {
	e.T.Helper()
	u, err := e.App.Accounts.CreateAdmin(context.Background(), account.NewAdmin{
		LoginID: loginID, Name: "Pentadbir Ujian", Email: "pentadbir@espeks.test", Password: pw})
	if err != nil {
		e.T.Fatal(err)
	}
	return u
}

// Login logs a client in and fails the test unless it succeeds.
func (c *Client) Login(loginID, pw string) Response {
	c.env.T.Helper()
	r := c.Post("/log-masuk", url.Values{"login_id": {loginID}, "password": {pw}})
	if r.StatusCode != http.StatusSeeOther {
		c.env.T.Fatalf("login %s: status %d", loginID, r.StatusCode)
	}
	return r
}

// MailSettled waits (up to 10 s) until the outbox has nothing pending or sending, so a
// test can count what the SMTP server received. It polls; nothing depends on how long
// delivery takes.
func (e *Env) MailSettled() {
	e.T.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		counts, err := e.App.Outbox.Counts(context.Background())
		if err != nil {
			e.T.Fatal(err)
		}
		if counts["PENDING"] == 0 && counts["SENDING"] == 0 {
			return
		}
		if time.Now().After(deadline) {
			e.T.Fatalf("outbox not delivered after 10s: %v", counts)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
