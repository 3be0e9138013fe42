package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/web"
)

// BenchmarkPayslipPage is the payslip page of a logged-in user, the whole middleware
// chain included, for profiling (go test -bench PayslipPage -cpuprofile …). The
// targets are measured by espeks bench, not here.
func BenchmarkPayslipPage(b *testing.B) {
	*web.CheckViews = false
	defer func() { *web.CheckViews = true }()
	e := apptest.Start(b, apptest.Options{})
	c, _ := loggedIn(b, e)
	loadPayroll(b, e, staffPayroll())
	list := c.Get("/epayslip?tahun=2026&bulan=3")
	href, ok := doc(b, list.Body).Find("tbody a").First().Attr("href")
	if !ok {
		b.Fatal("no payslip listed")
	}
	// Many clients at once, as in espeks bench: the CPU per page, not one round trip's
	// latency, is what the profile should show.
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if r := c.Get(href); r.StatusCode != http.StatusOK {
				b.Errorf("status %d", r.StatusCode)
				return
			}
		}
	})
}

// BenchmarkLoginWork is a successful login with argon2id made nearly free (the test
// parameters), so what it measures is everything a login does besides the hash.
func BenchmarkLoginWork(b *testing.B) {
	*web.CheckViews = false
	defer func() { *web.CheckViews = true }()
	e := apptest.Start(b, apptest.Options{})
	activeUser(b, e)
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		c := e.Client()
		for pb.Next() {
			r := c.Post("/log-masuk", url.Values{"login_id": {staffID}, "password": {staffPW2}})
			if r.StatusCode != http.StatusSeeOther {
				b.Errorf("status %d", r.StatusCode)
				return
			}
		}
	})
}
