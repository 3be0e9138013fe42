package auth

import (
	"context"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/dbtest"
)

// TestLockLengthDoubles: 15 minutes, then 30, 60, … never more than the maximum.
func TestLockLengthDoubles(t *testing.T) {
	th := &Throttle{Limits: Limits{LockDuration: 15 * time.Minute, LockMax: 24 * time.Hour}}
	want := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour,
		8 * time.Hour, 16 * time.Hour, 24 * time.Hour, 24 * time.Hour}
	for i, w := range want {
		if got := th.lockLength(i + 1); got != w {
			t.Errorf("lock %d: %v, want %v", i+1, got, w)
		}
	}
	if got := th.lockLength(1000); got != 24*time.Hour {
		t.Errorf("lock 1000: %v", got)
	}
}

// TestThrottleCountsAtomically: failures from concurrent requests all count.
func TestThrottleCountsAtomically(t *testing.T) {
	d := dbtest.Open(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	th := &Throttle{DB: d, Now: func() time.Time { return now },
		Limits: Limits{Threshold: 50, LockDuration: time.Minute, LockMax: time.Hour, SourceMaxFailures: 1000, SourceWindow: time.Minute}}
	ctx := context.Background()
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		go func() {
			errs <- d.WithTx(ctx, func(ctx context.Context) error { _, err := th.Fail(ctx, "X", "1.2.3.4"); return err })
		}()
	}
	for i := 0; i < 20; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := d.Q(ctx).QueryRowContext(ctx, `SELECT failures FROM login_throttle WHERE login_id = 'X'`).Scan(&n); err != nil || n != 20 {
		t.Errorf("failures = %d (%v), want 20", n, err)
	}
	if err := th.Reset(ctx, "X"); err != nil {
		t.Fatal(err)
	}
	if until, err := th.LockedUntil(ctx, "X"); err != nil || !until.IsZero() {
		t.Errorf("after reset: %v %v", until, err)
	}
}
