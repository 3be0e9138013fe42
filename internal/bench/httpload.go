package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// cred is a login of the bench's users.
type cred struct {
	LoginID  string // as typed (display form)
	Owner    string // normalised, as stored in the statements
	Password string
}

func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: 0, DisableCompression: true,
			IdleConnTimeout: 90 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// login posts Log Masuk like a browser (same-origin form post) and returns the session
// cookie ("name=value").
func login(ctx context.Context, c *http.Client, base string, u cred) (string, error) {
	form := url.Values{"login_id": {u.LoginID}, "password": {u.Password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/log-masuk", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/utama" {
		return "", fmt.Errorf("login %s: status %d, location %q", u.LoginID, resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, ck := range resp.Cookies() {
		if strings.HasSuffix(ck.Name, "espeks_session") && ck.Value != "" {
			return ck.Name + "=" + ck.Value, nil
		}
	}
	return "", fmt.Errorf("login %s: no session cookie", u.LoginID)
}

// loginFlood logs in total times with conc clients at once, cycling through users; it
// returns the rate and the last session cookie of each user.
func loginFlood(ctx context.Context, base string, users []cred, total, conc int) (rate float64, cookies []string, err error) {
	c := newClient(conc)
	defer c.CloseIdleConnections()
	cookies = make([]string, len(users))
	var next atomic.Int64
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				u := i % len(users)
				ck, err := login(ctx, c, base, users[u])
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil {
					cookies[u] = ck
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return 0, nil, firstErr
	}
	return float64(total) / elapsed.Seconds(), cookies, nil
}

// attackResult is what a load test measured.
type attackResult struct {
	Requests, OK int
	RPS          float64 // 200 answers per second
	P50, P99     time.Duration
	Elapsed      time.Duration
	Codes        map[uint16]int
	Errors       []string
	CPU          string    // how the CPU was shared during the test
	Cores        []float64 // cores used: the server, the load generator, [PostgreSQL,] the rest
	NewConns     int64     // PostgreSQL connections opened during the test (-1: not counted)
	Other        float64   // cores used by the rest of the machine during the test
}

func (a attackResult) failures() string {
	if a.OK == a.Requests {
		return ""
	}
	var codes []string
	for c, n := range a.Codes {
		if c != 200 {
			codes = append(codes, fmt.Sprintf("%d×%d", n, c))
		}
	}
	sort.Strings(codes)
	s := fmt.Sprintf("%d of %d requests failed (%s)", a.Requests-a.OK, a.Requests, strings.Join(codes, ", "))
	if len(a.Errors) > 0 {
		s += ": " + a.Errors[0]
	}
	return s
}

// attack runs a closed-loop load: workers clients, each sending its next request as
// soon as the previous answer is read, for dur after a warm-up, cycling through the
// targets (a target carries its session cookie).
// The server's CPU and the bench's are measured during the timed part.
func attack(ctx context.Context, targets []vegeta.Target, workers int, dur time.Duration, pgMaster, serverPID int) attackResult {
	if warm := dur / 5; warm > 0 {
		runAttack(ctx, targets, workers, warm)
	}
	before := snapCPU(pgMaster, serverPID, os.Getpid())
	res := runAttack(ctx, targets, workers, dur)
	var cores []float64
	res.CPU, cores = cpuCores(before, snapCPU(pgMaster, serverPID, os.Getpid()), "server", "bench (load generator)")
	res.Cores = cores
	if len(cores) > 0 {
		res.Other = cores[len(cores)-1]
	}
	return res
}

func runAttack(ctx context.Context, targets []vegeta.Target, workers int, dur time.Duration) attackResult {
	var i atomic.Uint64
	targeter := func(t *vegeta.Target) error {
		*t = targets[int((i.Add(1)-1)%uint64(len(targets)))]
		return nil
	}
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(workers)), vegeta.MaxWorkers(uint64(workers)),
		vegeta.Connections(workers), vegeta.KeepAlive(true), vegeta.Redirects(vegeta.NoFollow), vegeta.MaxBody(0),
		vegeta.Timeout(60*time.Second))
	res := attackResult{Codes: map[uint16]int{}, NewConns: -1}
	var lat []time.Duration
	var first, last time.Time
	stop := context.AfterFunc(ctx, func() { atk.Stop() })
	defer stop()
	for r := range atk.Attack(targeter, vegeta.Rate{Freq: 0}, dur, "bench") {
		res.Requests++
		res.Codes[r.Code]++
		if first.IsZero() || r.Timestamp.Before(first) {
			first = r.Timestamp
		}
		if end := r.Timestamp.Add(r.Latency); end.After(last) {
			last = end
		}
		if r.Code == 200 && r.Error == "" {
			res.OK++
			lat = append(lat, r.Latency)
		} else if r.Error != "" && len(res.Errors) < 3 && !slices.Contains(res.Errors, r.Error) {
			res.Errors = append(res.Errors, r.Error)
		}
	}
	res.Elapsed = last.Sub(first)
	if res.Elapsed > 0 {
		res.RPS = float64(res.OK) / res.Elapsed.Seconds()
	}
	slices.Sort(lat)
	res.P50, res.P99 = quantile(lat, 0.50), quantile(lat, 0.99)
	return res
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// getOnce fetches a URL with a cookie and returns the body (a check that the test hits
// what it means to).
func getOnce(ctx context.Context, rawURL string, hdr http.Header) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return 0, "", err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := newClient(1).Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

var errNoOK = errors.New("no request answered 200")
