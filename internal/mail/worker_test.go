package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/db"
)

func TestWorkerDelivers(t *testing.T) {
	f := setup(t)
	f.enqueue(t, "siti@example.com", RegistrationReceived)
	f.runOnce(t, 1)

	msgs := f.srv.WaitFor(t, "siti@example.com", 1)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	_, wantBody, _, _ := mustRenderer(t).Render(RegistrationReceived, sample)
	if m.Subject != "Pendaftaran akaun eSPEKS diterima / eSPEKS account registration received" {
		t.Errorf("subject = %q", m.Subject)
	}
	if m.Text != wantBody {
		t.Errorf("body differs from the rendered one:\n%s", m.Text)
	}
	if ms, en := strings.Index(m.Text, "Tuan/Puan"), strings.Index(m.Text, "Dear"); ms < 0 || en < 0 || ms > en {
		t.Errorf("Malay text not before the English one:\n%s", m.Text)
	}
	if m.From != "noreply@espeks.test" || m.Header.Get("From") != `"eSPEKS" <noreply@espeks.test>` {
		t.Errorf("from = %q, header %q", m.From, m.Header.Get("From"))
	}
	if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "utf-8") {
		t.Errorf("Content-Type = %q", ct)
	}
	if cte := m.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
		t.Errorf("Content-Transfer-Encoding = %q", cte)
	}
	if m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", m.Header.Get("Auto-Submitted"))
	}

	e := f.only(t)
	if e.Status != StatusSent || e.Attempts != 1 || !e.SentAt.Equal(f.clock.Now()) || e.LastError != "" {
		t.Errorf("entry after sending = %+v", e)
	}
	f.runOnce(t, 0) // nothing left
	if n := len(f.srv.Messages()); n != 1 {
		t.Errorf("server received %d messages, want 1", n)
	}
	if logs := f.logs.String(); !strings.Contains(logs, "email sent") || strings.Contains(logs, sample.Link) {
		t.Errorf("log does not say sent, or shows the body:\n%s", logs)
	}
}

func mustRenderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWorkerRetriesAfterOutage(t *testing.T) {
	f := setup(t)
	f.enqueue(t, "ali@example.com", TemporaryPassword)
	f.srv.SetFailing(true)
	f.runOnce(t, 0)

	e := f.only(t)
	if e.Status != StatusPending || e.Attempts != 1 || !e.NextAttemptAt.After(f.clock.Now()) {
		t.Fatalf("after a failure: %+v, want PENDING, 1 attempt, next attempt in the future", e)
	}
	if !e.NextAttemptAt.Equal(f.clock.Now().Add(30 * time.Second)) {
		t.Errorf("next attempt at %v, want now + 30 s", e.NextAttemptAt)
	}
	if !strings.Contains(e.LastError, "451") || strings.Contains(e.LastError, sample.TempPassword) {
		t.Errorf("last error = %q", e.LastError)
	}

	// Not due yet: nothing is attempted, even with the server back.
	f.srv.SetFailing(false)
	f.clock.Add(29 * time.Second)
	f.runOnce(t, 0)
	if e := f.only(t); e.Attempts != 1 {
		t.Errorf("attempted before it was due: %+v", e)
	}

	f.clock.Add(time.Second)
	f.runOnce(t, 1)
	f.runOnce(t, 0)
	if got := f.srv.WaitFor(t, "ali@example.com", 1); len(got) != 1 || len(f.srv.Messages()) != 1 {
		t.Fatalf("server received %d messages, want exactly 1", len(f.srv.Messages()))
	}
	if e := f.only(t); e.Status != StatusSent || e.Attempts != 2 {
		t.Errorf("after the retry: %+v", e)
	}
	if logs := f.logs.String(); strings.Contains(logs, sample.TempPassword) {
		t.Errorf("log shows the temporary password:\n%s", logs)
	}
}

func TestWorkerGivesUpThenRetry(t *testing.T) {
	f := setup(t)
	f.worker.MaxAttempts = 3
	f.enqueue(t, "ali@example.com", AccountActivated)
	f.srv.SetFailing(true)
	for i := 1; i <= 3; i++ {
		f.runOnce(t, 0)
		e := f.only(t)
		wantStatus := StatusPending
		if i == 3 {
			wantStatus = StatusFailed
		}
		if e.Status != wantStatus || e.Attempts != i {
			t.Fatalf("after failure %d: status %s attempts %d, want %s %d", i, e.Status, e.Attempts, wantStatus, i)
		}
		f.clock.Add(time.Hour)
	}
	f.runOnce(t, 0) // a FAILED row is not attempted again
	if e := f.only(t); e.Attempts != 3 || e.Status != StatusFailed {
		t.Fatalf("failed row attempted again: %+v", e)
	}
	if c, _ := f.outbox.Counts(t.Context()); c[StatusFailed] != 1 {
		t.Errorf("Counts = %v", c)
	}

	id := f.only(t).ID
	if err := f.outbox.Retry(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	e := f.only(t)
	if e.Status != StatusPending || e.Attempts != 0 || !e.NextAttemptAt.Equal(f.clock.Now()) {
		t.Fatalf("after Retry: %+v", e)
	}
	f.srv.SetFailing(false)
	f.runOnce(t, 1)
	if e := f.only(t); e.Status != StatusSent || e.Attempts != 1 {
		t.Errorf("after retry and send: %+v", e)
	}
	f.srv.WaitFor(t, "ali@example.com", 1)
}

func TestWorkerBackoffSchedule(t *testing.T) {
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{0, 30 * time.Second}, {1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute},
		{4, 4 * time.Minute}, {7, 32 * time.Minute}, {8, time.Hour}, {9, time.Hour}, {1000, time.Hour},
	}
	for _, tt := range tests {
		if got := DefaultBackoff(tt.attempt); got != tt.want {
			t.Errorf("DefaultBackoff(%d) = %v, want %v", tt.attempt, got, tt.want)
		}
	}
}

func TestWorkerReclaimsStaleClaims(t *testing.T) {
	tests := []struct {
		name         string
		claimedUntil time.Duration // relative to now
		attempts     int
		wantSent     int
		wantStatus   string
	}{
		{"lease expired", -time.Millisecond, 1, 1, StatusSent},
		{"lease ends now", 0, 1, 1, StatusSent},
		{"lease still held", time.Minute, 1, 0, StatusSending},
		{"crashed on its last attempt", -time.Millisecond, DefaultMaxAttempts, 0, StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			f.enqueue(t, "ali@example.com", AccountActivated)
			id := f.only(t).ID
			if _, err := f.db.Writer().ExecContext(t.Context(),
				`UPDATE outbox SET status = 'SENDING', attempts = $1, claimed_until = $2 WHERE id = $3`,
				tt.attempts, db.Millis(f.clock.Now().Add(tt.claimedUntil)), id); err != nil {
				t.Fatal(err)
			}
			f.runOnce(t, tt.wantSent)
			e := f.only(t)
			if e.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s (%+v)", e.Status, tt.wantStatus, e)
			}
			if n := len(f.srv.Messages()); n != tt.wantSent {
				t.Errorf("server received %d, want %d", n, tt.wantSent)
			}
		})
	}
}

func TestTwoWorkersDeliverEachOnce(t *testing.T) {
	f := setup(t)
	const n = 30
	for i := range n {
		f.enqueue(t, fmt.Sprintf("user%02d@example.com", i), PasswordChanged)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		w := f.newWorker(t)
		w.BatchSize = 3 // small batches, so the two workers interleave
		wg.Go(func() {
			for {
				sent, err := w.RunOnce(context.Background())
				if err != nil {
					errs <- err
					return
				}
				if sent > w.BatchSize {
					errs <- fmt.Errorf("one RunOnce sent %d, more than its batch of %d", sent, w.BatchSize)
					return
				}
				if sent == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// One worker may stop while the other still holds rows; finish them.
	for {
		sent, err := f.worker.RunOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if sent == 0 {
			break
		}
	}

	msgs := f.srv.Messages()
	if len(msgs) != n {
		t.Errorf("server received %d messages, want %d", len(msgs), n)
	}
	seen := map[string]int{}
	for _, m := range msgs {
		seen[strings.Join(m.To, ",")]++
	}
	for i := range n {
		to := fmt.Sprintf("user%02d@example.com", i)
		if seen[to] != 1 {
			t.Errorf("%s received %d times, want 1", to, seen[to])
		}
	}
	c, err := f.outbox.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if c[StatusSent] != n {
		t.Errorf("Counts = %v, want %d SENT", c, n)
	}
	list, _, err := f.outbox.List(t.Context(), StatusSent, n, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if e.Attempts != 1 {
			t.Errorf("%s: %d attempts, want 1", e.To, e.Attempts)
		}
	}
}

// blockingSender holds each Send until released, to test shutdown without timing.
type blockingSender struct {
	started chan string
	release chan struct{}
	mu      sync.Mutex
	sent    []string
}

func (s *blockingSender) Send(_ context.Context, m Envelope) error {
	s.started <- m.To
	<-s.release
	s.mu.Lock()
	s.sent = append(s.sent, m.To)
	s.mu.Unlock()
	return nil
}

func TestRunFinishesInFlightOnShutdown(t *testing.T) {
	f := setup(t)
	for _, to := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		f.enqueue(t, to, AccountActivated)
	}
	s := &blockingSender{started: make(chan string, 1), release: make(chan struct{})}
	w := &Worker{Outbox: f.outbox, Sender: s, Now: f.clock.Now, Logger: newLogger(f.logs), PollInterval: time.Hour}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	if to := <-s.started; to != "a@example.com" {
		t.Fatalf("first send to %s", to)
	}
	cancel()         // SIGTERM while the first email is being sent
	close(s.release) // the send completes
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if len(s.sent) != 1 {
		t.Fatalf("sent %v, want only the one in flight", s.sent)
	}
	list, _, err := f.outbox.List(t.Context(), "", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		want := Entry{Status: StatusPending, Attempts: 0}
		if e.To == "a@example.com" {
			want = Entry{Status: StatusSent, Attempts: 1}
		}
		if e.Status != want.Status || e.Attempts != want.Attempts {
			t.Errorf("%s: %s with %d attempts, want %s with %d", e.To, e.Status, e.Attempts, want.Status, want.Attempts)
		}
	}
}

func TestRunWakesOnNotify(t *testing.T) {
	f := setup(t)
	f.worker.PollInterval = time.Hour // only Notify can wake it in time
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.worker.Run(ctx) }()

	// Inside a transaction: the caller notifies after the commit.
	err := f.db.WithTx(t.Context(), func(ctx context.Context) error {
		return f.outbox.Enqueue(ctx, "a@example.com", AccountActivated, sample)
	})
	if err != nil {
		t.Fatal(err)
	}
	f.outbox.Notify()
	f.srv.WaitFor(t, "a@example.com", 1)

	// Outside one, Enqueue notifies by itself.
	f.enqueue(t, "b@example.com", AccountActivated)
	f.srv.WaitFor(t, "b@example.com", 1)

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
}

func TestLogSender(t *testing.T) {
	r := mustRenderer(t)
	tests := []struct {
		template   string
		wantInLog  []string
		notInLog   []string
		wantSecret bool
	}{
		{TemporaryPassword, []string{"ali@example.com", "Kata laluan sementara eSPEKS", SecretPlaceholder},
			[]string{sample.TempPassword, "Tuan/Puan"}, true},
		{AccountRejected, []string{"ali@example.com", "tidak diluluskan", sample.Reason}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			subject, body, secret, err := r.Render(tt.template, sample)
			if err != nil {
				t.Fatal(err)
			}
			if secret != tt.wantSecret {
				t.Fatalf("secret = %v", secret)
			}
			var buf logBuffer
			s := LogSender{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
			if err := s.Send(t.Context(), Envelope{From: testFrom, To: "ali@example.com", Subject: subject, Body: body, Secret: secret}); err != nil {
				t.Fatal(err)
			}
			logs := buf.String()
			for _, w := range tt.wantInLog {
				if !strings.Contains(logs, w) {
					t.Errorf("log lacks %q:\n%s", w, logs)
				}
			}
			for _, w := range tt.notInLog {
				if strings.Contains(logs, w) {
					t.Errorf("log contains %q:\n%s", w, logs)
				}
			}
		})
	}
}

func TestWorkerWithLogSenderHidesSecret(t *testing.T) {
	f := setup(t)
	f.worker.Sender = LogSender{Logger: f.worker.Logger}
	f.enqueue(t, "ali@example.com", TemporaryPassword)
	f.enqueue(t, "ali@example.com", PasswordChanged)
	f.runOnce(t, 2)
	logs := f.logs.String()
	if strings.Contains(logs, sample.TempPassword) {
		t.Errorf("log shows the temporary password:\n%s", logs)
	}
	if !strings.Contains(logs, sample.When) {
		t.Errorf("log lacks the non-secret body:\n%s", logs)
	}
}

func TestErrorText(t *testing.T) {
	body := "Tuan/Puan,\n\n    " + sample.TempPassword + "\n\nok\n"
	long := strings.Repeat("é", 600)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"plain", errors.New("451 4.3.0 try later"), "451 4.3.0 try later"},
		{"quotes the body", fmt.Errorf("550 rejected: %s", sample.TempPassword), "550 rejected: […]"},
		{"multi-line", errors.New("a\r\nb\tc"), "a b c"},
		{"long", errors.New(long), strings.Repeat("é", maxErrorLen-1) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errorText(tt.err, body); got != tt.want {
				t.Errorf("errorText = %q, want %q", got, tt.want)
			}
		})
	}
}
