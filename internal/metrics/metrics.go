// Package metrics is eSPEKS's Prometheus instrumentation (QUALITY.md, Health): HTTP
// requests and latency by route, logins, lockouts, loads, emails sent and the outbox
// depth, served as Prometheus text at /metrics.
//
// Counters live on one private registry (never the global default one, so nothing a
// library registers leaks out). Packages record through the small functions below —
// auth, load and mail import this package; it imports none of them, nor web.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Label values of the counters, pre-created at zero so that rate() and absent-series
// alerts work from the first scrape.
var (
	LoginOutcomes = []string{"ok", "invalid", "locked", "source_blocked", "not_active", "error"}
	LoadKinds     = []string{"payroll", "payments"}
	LoadStatuses  = []string{"ACCEPTED", "REJECTED", "DUPLICATE", "ERROR"}
	EmailOutcomes = []string{"sent", "retry", "failed"}
)

var (
	registry = prometheus.NewRegistry()

	httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "espeks_http_requests_total",
		Help: "HTTP requests answered, by route pattern and status class (2xx, 3xx, 4xx, 5xx).",
	}, []string{"route", "status"})

	httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "espeks_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, by route pattern.",
		// Pages take milliseconds; uploads and PDF statements may take much longer.
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120},
	}, []string{"route"})

	logins = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "espeks_logins_total",
		Help: "Login attempts by outcome: ok, invalid, locked, source_blocked, not_active, error.",
	}, []string{"outcome"})

	lockouts = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "espeks_lockouts_total",
		Help: "IDs locked after too many failed logins.",
	})

	loads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "espeks_loads_total",
		Help: "SPEKS file loads by kind and outcome (ACCEPTED, REJECTED, DUPLICATE, ERROR).",
	}, []string{"kind", "status"})

	emails = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "espeks_emails_total",
		Help: "Outbox delivery attempts by outcome: sent, retry (failed, will be tried again), failed (gave up).",
	}, []string{"outcome"})
)

func init() {
	registry.MustRegister(httpRequests, httpDuration, logins, lockouts, loads, emails,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, o := range LoginOutcomes {
		logins.WithLabelValues(o)
	}
	for _, k := range LoadKinds {
		for _, s := range LoadStatuses {
			loads.WithLabelValues(k, s)
		}
	}
	for _, o := range EmailOutcomes {
		emails.WithLabelValues(o)
	}
}

// ObserveRequest records one answered request. route must be the pattern that served
// it (http.Request.Pattern, e.g. "GET /emaklum/{id}"), never the raw path: paths hold
// IDs, and each distinct label value is a new time series.
func ObserveRequest(route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	httpRequests.WithLabelValues(route, StatusClass(status)).Inc()
	httpDuration.WithLabelValues(route).Observe(d.Seconds())
}

// StatusClass is "2xx" for 200…299 and so on.
func StatusClass(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status/100) + "xx"
}

// Login records a login attempt's outcome (one of LoginOutcomes).
func Login(outcome string) { logins.WithLabelValues(oneOf(outcome, LoginOutcomes, "error")).Inc() }

// Lockout records an ID being locked.
func Lockout() { lockouts.Inc() }

// Load records a finished load: kind is payroll or payments, status one of LoadStatuses.
func Load(kind, status string) {
	loads.WithLabelValues(oneOf(kind, LoadKinds, "other"), oneOf(status, LoadStatuses, "ERROR")).Inc()
}

// Email records one delivery attempt of an outbox email (one of EmailOutcomes).
func Email(outcome string) { emails.WithLabelValues(oneOf(outcome, EmailOutcomes, "failed")).Inc() }

// oneOf keeps label values to a known set, whatever a caller passes.
func oneOf(v string, known []string, other string) string {
	for _, k := range known {
		if v == k {
			return v
		}
	}
	return other
}

// OutboxCounts returns the number of outbox emails by status (mail.Outbox.Counts).
type OutboxCounts func(ctx context.Context) (map[string]int, error)

// OutboxCacheTTL is how long the outbox counts are reused between scrapes: several
// Prometheus servers scraping every few seconds must not each run a COUNT.
const OutboxCacheTTL = 10 * time.Second

// Handler serves the metrics as Prometheus text. outbox, if not nil, adds the outbox
// depth (espeks_outbox_emails{status}) and espeks_database_up, from one query at most
// every OutboxCacheTTL.
//
// The answer shows operational figures only (no personal data), but there is no reason
// for the public to see it: docs/operations.md restricts /metrics at the reverse proxy.
func Handler(outbox OutboxCounts) http.Handler {
	local := prometheus.NewRegistry()
	if outbox != nil {
		local.MustRegister(&outboxCollector{counts: outbox, ttl: OutboxCacheTTL, now: time.Now})
	}
	return promhttp.HandlerFor(prometheus.Gatherers{registry, local}, promhttp.HandlerOpts{
		ErrorHandling: promhttp.ContinueOnError,
		Timeout:       10 * time.Second,
	})
}

var (
	outboxDesc = prometheus.NewDesc("espeks_outbox_emails",
		"Emails in the outbox by status (PENDING, SENDING, SENT, FAILED); refreshed at most every 10 s.",
		[]string{"status"}, nil)
	dbUpDesc = prometheus.NewDesc("espeks_database_up",
		"1 when the last outbox count (at most 10 s old) reached the database, else 0.", nil, nil)
)

// outboxCollector is the outbox depth: a GaugeFunc-like collector whose one query is
// cached, and which says the database is down instead of failing the whole scrape.
type outboxCollector struct {
	counts OutboxCounts
	ttl    time.Duration
	now    func() time.Time

	mu   sync.Mutex
	at   time.Time
	last map[string]int
	err  error
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxDesc
	ch <- dbUpDesc
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	counts, err := c.get()
	up := 1.0
	if err != nil {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(dbUpDesc, prometheus.GaugeValue, up)
	if err != nil {
		return // no figure rather than a stale or made-up one
	}
	for status, n := range counts {
		ch <- prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(n), status)
	}
}

func (c *outboxCollector) get() (map[string]int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && c.now().Sub(c.at) < c.ttl {
		return c.last, c.err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c.last, c.err = c.counts(ctx)
	c.at = c.now()
	return c.last, c.err
}
