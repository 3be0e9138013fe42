package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// childEnv is the environment of a child: ours without any ESPEKS_ setting (the bench
// decides the database), plus the run's and the instance's.
func (r *runner) childEnv(in instance, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ESPEKS_") {
			env = append(env, kv)
		}
	}
	env = append(env, r.o.ExeEnv...)
	env = append(env, "ESPEKS_STATE_NAME="+stateName, "ESPEKS_LOG_LEVEL=info")
	env = append(env, in.env()...)
	return append(env, extra...)
}

// procStatus reads VmHWM (peak RSS) and VmRSS of a live process, in bytes.
func procStatus(pid int) (hwm, rss int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmHWM":
			hwm = n << 10
		case "VmRSS":
			rss = n << 10
		}
	}
	if hwm == 0 {
		return 0, 0, errors.New("no VmHWM in /proc status")
	}
	return hwm, rss, nil
}

// resetPeak resets a process's VmHWM to its current RSS (Linux ≥ 4.0), so the next
// reading is the peak of what follows.
func resetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// runRawLoad runs the raw baseline of a load in a child process and measures it.
// With bare, into tables stripped of keys and indexes (see stripTables).
func (r *runner) runRawLoad(ctx context.Context, in instance, kind, path string, bare bool) (rawRun, error) {
	var rr rawRun
	args := []string{"bench", "--raw-load", kind}
	if bare {
		args = append(args, "--raw-bare")
	}
	out, peak, wall, err := r.runMeasured(ctx, in, append(args, path)...)
	if err != nil {
		return rr, err
	}
	var secs float64
	i := strings.Index(out, rawLoadDone)
	if i < 0 {
		return rr, fmt.Errorf("raw load: unexpected output %q", out)
	}
	if _, err := fmt.Sscanf(out[i+len(rawLoadDone):], " rows=%d seconds=%g", &rr.Rows, &secs); err != nil {
		return rr, fmt.Errorf("raw load: %v in %q", err, out)
	}
	rr.Dur = time.Duration(secs * float64(time.Second))
	rr.PeakRSS, rr.Wall = peak, wall
	return rr, nil
}

// loadRun is one `espeks load` child.
type loadRun struct {
	Rows     int
	Wall     time.Duration // process start to exit: what the operator waits for
	Reported time.Duration // the loader's own duration (before the commit)
	PeakRSS  int64
	Output   string
}

var loadedRE = regexp.MustCompile(`Loaded: \w+, (\d+) baris / rows, .*, (\S+) \(load \d+\)`)

// runLoad runs `espeks load KIND FILE` on the instance and measures it.
func (r *runner) runLoad(ctx context.Context, in instance, kind, path string) (loadRun, error) {
	var lr loadRun
	out, peak, wall, err := r.runMeasured(ctx, in, "load", kind, path)
	lr.Output, lr.PeakRSS, lr.Wall = out, peak, wall
	if err != nil {
		return lr, err
	}
	m := loadedRE.FindStringSubmatch(out)
	if m == nil {
		return lr, fmt.Errorf("espeks load %s: unexpected output %q", kind, out)
	}
	lr.Rows, _ = strconv.Atoi(m[1])
	lr.Reported, _ = time.ParseDuration(m[2])
	return lr, nil
}

// runMeasured runs the command with args to its end and returns its standard output,
// its peak RSS and its wall time. The peak RSS is the process's VmHWM, polled until it
// exits. (getrusage's maxrss of a child is no good here: on Linux it counts the
// parent's memory the child shared between fork and exec.)
func (r *runner) runMeasured(ctx context.Context, in instance, args ...string) (string, int64, time.Duration, error) {
	cmd := exec.CommandContext(ctx, r.o.Exe, args...)
	cmd.Env = r.childEnv(in)
	dieWithParent(cmd)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return "", 0, 0, err
	}
	var polled atomic.Int64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if hwm, _, err := procStatus(cmd.Process.Pid); err == nil && hwm > polled.Load() {
					polled.Store(hwm)
				}
			}
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	close(done)
	if err != nil {
		return out.String(), 0, wall, fmt.Errorf("espeks %s: %v\n%s\n%s", strings.Join(args, " "), err,
			trimLines(out.String(), 5), trimLines(errOut.String(), 20))
	}
	return out.String(), polled.Load(), wall, nil
}

// server is a child serving HTTP: `espeks serve` or the bare baseline.
type server struct {
	cmd  *exec.Cmd
	Addr string // host:port
	// Startup is the time from starting the process to the first 200 from ready.
	Startup time.Duration
	logs    *tail
	done    chan error

	stopOnce sync.Once
	stopErr  error
}

// tail keeps the end of a stream.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 64<<10 {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-32<<10:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// startServe starts `espeks serve` on the instance, on a free port, and waits until
// /readyz answers 200.
func (r *runner) startServe(ctx context.Context, in instance) (*server, error) {
	return r.startServer(ctx, in, []string{"serve"}, "/readyz", func(line string) string {
		var rec struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "eSPEKS ready" {
			return rec.Addr
		}
		return ""
	})
}

// startRawServer starts the bare baseline handler (`espeks bench --raw-serve`).
func (r *runner) startRawServer(ctx context.Context, in instance) (*server, error) {
	return r.startServer(ctx, in, []string{"bench", "--raw-serve"}, "/ready", func(line string) string {
		addr, ok := strings.CutPrefix(line, rawReady)
		if ok {
			return strings.TrimSpace(addr)
		}
		return ""
	})
}

func (r *runner) startServer(ctx context.Context, in instance, args []string, ready string, addrOf func(string) string) (*server, error) {
	cmd := exec.Command(r.o.Exe, args...)
	cmd.Env = r.childEnv(in, "ESPEKS_ADDR=127.0.0.1:0")
	dieWithParent(cmd)
	s := &server{cmd: cmd, logs: &tail{}, done: make(chan error, 1)}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		err := cmd.Wait()
		pw.Close()
		s.done <- err
	}()
	addrCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		found := false
		for sc.Scan() {
			line := sc.Text()
			s.logs.Write([]byte(line + "\n"))
			if !found {
				if a := addrOf(line); a != "" {
					found = true
					addrCh <- a
				}
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	fail := func(err error) (*server, error) {
		_ = cmd.Process.Kill()
		<-s.done
		return nil, fmt.Errorf("%s: %w\n%s", strings.Join(args, " "), err, trimLines(s.logs.String(), 20))
	}
	timeout := time.NewTimer(120 * time.Second)
	defer timeout.Stop()
	select {
	case s.Addr = <-addrCh:
	case err := <-s.done:
		s.done <- err
		return fail(fmt.Errorf("exited before it was ready: %v", err))
	case <-timeout.C:
		return fail(errors.New("not ready after 120 s"))
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		resp, err := client.Get("http://" + s.Addr + ready)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.Startup = time.Since(start)
				return s, nil
			}
		}
		select {
		case err := <-s.done:
			s.done <- err
			return fail(fmt.Errorf("exited before it was ready: %v", err))
		case <-timeout.C:
			return fail(errors.New("not ready after 120 s"))
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) url(path string) string { return "http://" + s.Addr + path }

// stop ends the server with SIGTERM (a graceful shutdown), or SIGKILL after 30 s. It
// may be called more than once.
func (s *server) stop() error {
	s.stopOnce.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-s.done:
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				s.stopErr = err
			}
		case <-time.After(30 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
			s.stopErr = errors.New("did not stop within 30 s of SIGTERM")
		}
	})
	return s.stopErr
}
