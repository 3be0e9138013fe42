package mail

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestEnqueueJoinsTransaction(t *testing.T) {
	errRollback := errors.New("the cause failed")
	tests := []struct {
		name    string
		fnErr   error
		wantRow int
	}{
		{"rolled back", errRollback, 0},
		{"committed", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			err := f.db.WithTx(t.Context(), func(ctx context.Context) error {
				if err := f.outbox.Enqueue(ctx, "ali@example.com", AccountActivated, sample); err != nil {
					return err
				}
				return tt.fnErr
			})
			if !errors.Is(err, tt.fnErr) {
				t.Fatalf("WithTx = %v, want %v", err, tt.fnErr)
			}
			select {
			case <-f.outbox.Wake():
				t.Error("Enqueue inside a transaction woke the worker before the commit")
			default:
			}
			_, total, err := f.outbox.List(t.Context(), "", 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			if total != tt.wantRow {
				t.Errorf("%d rows, want %d", total, tt.wantRow)
			}
		})
	}
}

func TestEnqueueOutsideTransactionNotifies(t *testing.T) {
	f := setup(t)
	f.enqueue(t, "ali@example.com", AccountActivated)
	select {
	case <-f.outbox.Wake():
	default:
		t.Fatal("Enqueue outside a transaction did not wake the worker")
	}
	// Notify never blocks, however often it is called.
	for range 3 {
		f.outbox.Notify()
	}
	e := f.only(t)
	if e.To != "ali@example.com" || e.Template != AccountActivated || e.Status != StatusPending ||
		e.Attempts != 0 || e.LastError != "" || e.Secret ||
		!e.CreatedAt.Equal(f.clock.Now()) || !e.NextAttemptAt.Equal(f.clock.Now()) || !e.SentAt.IsZero() {
		t.Errorf("entry = %+v", e)
	}
	if !strings.HasPrefix(e.Subject, "Akaun eSPEKS telah diaktifkan / ") {
		t.Errorf("subject = %q", e.Subject)
	}
	if !strings.Contains(e.Body, sample.LoginID) {
		t.Errorf("body not stored: %q", e.Body)
	}
}

func TestEnqueueRefuses(t *testing.T) {
	f := setup(t)
	tests := []struct{ name, to, template string }{
		{"no recipient", "", AccountActivated},
		{"not an address", "ali", AccountActivated},
		{"header injection", "ali@example.com\r\nBcc: x@example.com", AccountActivated},
		{"two recipients", "a@example.com, b@example.com", AccountActivated},
		{"unknown template", "ali@example.com", "no_such"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := f.outbox.Enqueue(t.Context(), tt.to, tt.template, sample); err == nil {
				t.Error("no error")
			}
		})
	}
	if _, total, _ := f.outbox.List(t.Context(), "", 10, 0); total != 0 {
		t.Errorf("%d rows written", total)
	}
}

func TestListGetCounts(t *testing.T) {
	f := setup(t)
	ctx := t.Context()
	f.enqueue(t, "a@example.com", RegistrationReceived)
	f.clock.Add(time.Second)
	f.enqueue(t, "b@example.com", TemporaryPassword)
	f.clock.Add(time.Second)
	f.enqueue(t, "c@example.com", PasswordChanged)
	f.runOnce(t, 3)
	f.clock.Add(time.Second)
	f.enqueue(t, "d@example.com", AccountRejected)

	all, total, err := f.outbox.List(ctx, "", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 4 || len(all) != 4 {
		t.Fatalf("List all: %d of %d", len(all), total)
	}
	for i, want := range []string{"d@example.com", "c@example.com", "b@example.com", "a@example.com"} {
		if all[i].To != want {
			t.Errorf("List[%d].To = %s, want %s (newest first)", i, all[i].To, want)
		}
	}

	page, total, err := f.outbox.List(ctx, StatusSent, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || len(page) != 2 || page[0].To != "b@example.com" || page[1].To != "a@example.com" {
		t.Errorf("List(SENT, 2, 1) = %d entries of %d: %+v", len(page), total, page)
	}

	counts, err := f.outbox.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{StatusPending: 1, StatusSending: 0, StatusSent: 3, StatusFailed: 0}
	for s, n := range want {
		if counts[s] != n {
			t.Errorf("Counts[%s] = %d, want %d", s, counts[s], n)
		}
	}

	// The secret body is hidden from the Pentadbir, in the list and in the detail.
	for _, e := range all {
		if e.Template != TemporaryPassword {
			if e.Secret || e.Body == SecretPlaceholder {
				t.Errorf("%s: non-secret body hidden", e.Template)
			}
			continue
		}
		if !e.Secret || e.Body != SecretPlaceholder {
			t.Errorf("List shows the secret body: %q", e.Body)
		}
		got, err := f.outbox.Get(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Body != SecretPlaceholder || strings.Contains(got.Body, sample.TempPassword) {
			t.Errorf("Get shows the secret body: %q", got.Body)
		}
		if got.Status != StatusSent || got.Attempts != 1 || !got.SentAt.Equal(f.clock.Now().Add(-time.Second)) {
			t.Errorf("sent entry = %+v", got)
		}
	}
	// ... but the email itself carried it.
	if m := f.srv.WaitFor(t, "b@example.com", 1); !strings.Contains(m[0].Text, sample.TempPassword) {
		t.Errorf("temporary password not in the sent email:\n%s", m[0].Text)
	}

	if _, err := f.outbox.Get(ctx, 999999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(missing) = %v, want ErrNotFound", err)
	}
}

func TestRetryErrors(t *testing.T) {
	f := setup(t)
	f.enqueue(t, "a@example.com", AccountActivated)
	e := f.only(t)
	if err := f.outbox.Retry(t.Context(), e.ID); !errors.Is(err, ErrNotFailed) {
		t.Errorf("Retry(pending) = %v, want ErrNotFailed", err)
	}
	if err := f.outbox.Retry(t.Context(), e.ID+1000); !errors.Is(err, ErrNotFound) {
		t.Errorf("Retry(missing) = %v, want ErrNotFound", err)
	}
}
