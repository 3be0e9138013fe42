package mail

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/dbtest"
	"github.com/espeks/espeks/internal/mail/smtptest"
)

// clock is the injected time: tests move it instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 12, 6, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// logBuffer is a concurrency-safe buffer for captured slog output.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newLogger(b *logBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type fixture struct {
	db     *db.DB
	outbox *Outbox
	clock  *clock
	srv    *smtptest.Server
	logs   *logBuffer
	worker *Worker
}

const testFrom = "eSPEKS <noreply@espeks.test>"

func setup(t *testing.T) *fixture {
	t.Helper()
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: dbtest.Open(t), clock: newClock(), srv: smtptest.Start(t), logs: &logBuffer{}}
	f.outbox = NewOutbox(f.db, r, f.clock.Now)
	f.worker = f.newWorker(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", f.logs.String())
		}
	})
	return f
}

func (f *fixture) newWorker(t *testing.T) *Worker {
	t.Helper()
	s, err := NewSMTPSender(f.srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	return &Worker{
		DB: f.db, Outbox: f.outbox, Sender: s, From: testFrom, Now: f.clock.Now,
		Logger: newLogger(f.logs),
	}
}

func (f *fixture) enqueue(t *testing.T, to, template string) {
	t.Helper()
	if err := f.outbox.Enqueue(t.Context(), to, template, sample); err != nil {
		t.Fatal(err)
	}
}

// only returns the single entry in the outbox.
func (f *fixture) only(t *testing.T) Entry {
	t.Helper()
	list, total, err := f.outbox.List(t.Context(), "", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(list) != 1 {
		t.Fatalf("outbox has %d entries (%d listed), want 1", total, len(list))
	}
	return list[0]
}

func (f *fixture) runOnce(t *testing.T, wantSent int) {
	t.Helper()
	n, err := f.worker.RunOnce(t.Context())
	if n != wantSent {
		t.Fatalf("RunOnce sent %d (error %v), want %d", n, err, wantSent)
	}
}
