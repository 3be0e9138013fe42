package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/payment"
	"github.com/espeks/espeks/internal/payslip"
)

const rawReady = "espeks-bench-raw ready "

// RawServe is `espeks bench --raw-serve`, the page tests' baseline: a bare net/http
// handler in a process of its own that runs the same store queries as the portal's
// pages (payslip.Store.Get, payment.Store.List with the same retention limit) and
// writes the result as plain text: no sessions, no middleware, no templates. The owner
// comes in a header. The database is the one the environment names (ESPEKS_DATA_DIR or
// ESPEKS_DATABASE_URL); it listens on ESPEKS_ADDR and prints its address on out.
func RawServe(ctx context.Context, getenv func(string) string, out io.Writer) error {
	d, err := db.Open(ctx, db.Options{URL: getenv("ESPEKS_DATABASE_URL"), DataDir: getenv("ESPEKS_DATA_DIR")})
	if err != nil {
		return err
	}
	defer d.Close()
	mux := bareMux(d)
	addr := getenv("ESPEKS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintln(out, rawReady+ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// bareMux is the bare handler: /p/{id} is payslip.Store.Get, /m payment.Store.List, with
// the portal's default retention.
func bareMux(d *db.DB) *http.ServeMux {
	const retention = 7 // the default ESPEKS_RETENTION_YEARS
	slips := &payslip.Store{DB: d, Since: func() int { return time.Now().Year() - retention + 1 }}
	pays := &payment.Store{DB: d, Now: time.Now, Since: func() civil.Date {
		return civil.Date{Year: time.Now().Year() - retention + 1, Month: 1, Day: 1}
	}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ready", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ready\n")) })
	mux.HandleFunc("GET /p/{id}", func(w http.ResponseWriter, r *http.Request) {
		p, err := slips.Get(r.Context(), r.Header.Get("X-Owner"), r.PathValue("id"))
		if errors.Is(err, payslip.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "%s %s %04d-%02d %s\n%s %s %s %s\n", p.PayrollID, p.PublicID, p.Year, p.Month, p.PayDate,
			p.Name, p.ICNo, p.Position, p.Grade)
		for _, g := range [][]payslip.Item{p.Income, p.Deductions, p.Employer} {
			for _, it := range g {
				fmt.Fprintf(&b, "%s %s %s\n", it.Code, it.Name, it.Amount.Format())
			}
		}
		fmt.Fprintf(&b, "%s %s %s\n", p.TotalIncome.Format(), p.TotalDeductions.Format(), p.NetPay.Format())
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(b.Bytes())
	})
	mux.HandleFunc("GET /m", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		from, err1 := civil.Parse(q.Get("mula"))
		to, err2 := civil.Parse(q.Get("akhir"))
		if err1 != nil || err2 != nil {
			http.Error(w, "bad dates", http.StatusBadRequest)
			return
		}
		page, _ := strconv.Atoi(q.Get("hal"))
		page = max(page, 1)
		list, count, total, err := pays.List(r.Context(), r.Header.Get("X-Owner"),
			payment.Query{From: from, To: to, Limit: listPageSize, Offset: (page - 1) * listPageSize})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "%d %s\n", count, total.Format())
		for _, m := range list {
			fmt.Fprintf(&b, "%s %s %s %s %s\n", m.PaymentNo, m.PaymentDate, m.Mode, m.Status, m.Amount.Format())
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(b.Bytes())
	})
	return mux
}

// listPageSize is the eMaklum page's length (internal/web pageSize).
const listPageSize = 25
