package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want Prometheus text", ct)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func TestHandlerServesEveryFamily(t *testing.T) {
	ObserveRequest("GET /emaklum/{id}", 200, 30*time.Millisecond)
	ObserveRequest("GET /emaklum/{id}", 404, time.Millisecond)
	ObserveRequest("", 503, time.Millisecond)
	Login("ok")
	Login("invalid")
	Login("anything else") // counted as error, not a new series
	Lockout()
	Load("payroll", "ACCEPTED")
	Load("../../etc", "WHATEVER")
	Email("sent")
	Email("retry")

	var queries atomic.Int32
	h := Handler(func(context.Context) (map[string]int, error) {
		queries.Add(1)
		return map[string]int{"PENDING": 3, "SENDING": 0, "SENT": 7, "FAILED": 1}, nil
	})
	out := scrape(t, h)
	for _, want := range []string{
		`espeks_http_requests_total{route="GET /emaklum/{id}",status="2xx"}`,
		`espeks_http_requests_total{route="GET /emaklum/{id}",status="4xx"}`,
		`espeks_http_requests_total{route="unmatched",status="5xx"}`,
		`espeks_http_request_duration_seconds_bucket{route="GET /emaklum/{id}",le="0.05"}`,
		`espeks_logins_total{outcome="ok"}`,
		`espeks_logins_total{outcome="error"}`,
		`espeks_logins_total{outcome="source_blocked"} 0`,
		`espeks_lockouts_total`,
		`espeks_loads_total{kind="payroll",status="ACCEPTED"}`,
		`espeks_loads_total{kind="other",status="ERROR"}`,
		`espeks_loads_total{kind="payments",status="REJECTED"} 0`,
		`espeks_emails_total{outcome="sent"}`,
		`espeks_emails_total{outcome="failed"} 0`,
		`espeks_outbox_emails{status="PENDING"} 3`,
		`espeks_outbox_emails{status="FAILED"} 1`,
		`espeks_database_up 1`,
		`go_goroutines`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s", want)
		}
	}
	for _, bad := range []string{`anything else`, `../../etc`, `WHATEVER`} {
		if strings.Contains(out, bad) {
			t.Errorf("an unknown label value became a series: %s", bad)
		}
	}
	// The outbox count is cached: a second scrape right away does not query again.
	scrape(t, h)
	if n := queries.Load(); n != 1 {
		t.Errorf("outbox queried %d times for two scrapes within the cache time", n)
	}
}

func TestOutboxCacheAndDatabaseDown(t *testing.T) {
	now := time.Unix(1000, 0)
	fail := true
	calls := 0
	c := &outboxCollector{ttl: 10 * time.Second, now: func() time.Time { return now },
		counts: func(context.Context) (map[string]int, error) {
			calls++
			if fail {
				return nil, errors.New("connection refused")
			}
			return map[string]int{"PENDING": 2}, nil
		}}
	if _, err := c.get(); err == nil {
		t.Fatal("want the error")
	}
	fail = false
	now = now.Add(5 * time.Second)
	if _, err := c.get(); err == nil || calls != 1 {
		t.Errorf("within the TTL: err %v calls %d, want the cached error and one call", err, calls)
	}
	now = now.Add(6 * time.Second)
	if m, err := c.get(); err != nil || m["PENDING"] != 2 || calls != 2 {
		t.Errorf("after the TTL: %v %v calls %d", m, err, calls)
	}
}

func TestDatabaseDownScrapeStillAnswers(t *testing.T) {
	h := Handler(func(context.Context) (map[string]int, error) { return nil, errors.New("down") })
	out := scrape(t, h)
	if !strings.Contains(out, "espeks_database_up 0") || strings.Contains(out, "espeks_outbox_emails{") {
		t.Errorf("database down: want espeks_database_up 0 and no outbox figures:\n%s", grep(out, "espeks_"))
	}
	if !strings.Contains(out, "espeks_http_requests_total") && !strings.Contains(out, "espeks_logins_total") {
		t.Error("the other families are missing")
	}
}

func TestStatusClass(t *testing.T) {
	for in, want := range map[int]string{200: "2xx", 204: "2xx", 303: "3xx", 404: "4xx", 503: "5xx", 0: "other", 999: "other"} {
		if got := StatusClass(in); got != want {
			t.Errorf("StatusClass(%d) = %q, want %q", in, got, want)
		}
	}
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
