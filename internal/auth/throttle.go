package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/espeks/espeks/internal/db"
)

// Limits are the throttling numbers (QUALITY.md: 5 failures lock an ID for 15 minutes,
// doubling up to 24 hours; more than 20 failures from one address in 15 minutes are
// answered 429 for 15 minutes).
type Limits struct {
	Threshold         int
	LockDuration      time.Duration
	LockMax           time.Duration
	SourceMaxFailures int
	SourceWindow      time.Duration
}

// Throttle keeps the failure counts. It is keyed by the login ID as typed (normalised),
// whether or not an account has it, so a locked unknown ID looks like a locked real one.
type Throttle struct {
	DB     *db.DB
	Now    func() time.Time
	Limits Limits
}

// LockedUntil returns when the ID's lock ends (zero when not locked).
func (t *Throttle) LockedUntil(ctx context.Context, loginID string) (time.Time, error) {
	var until int64
	err := t.DB.Q(ctx).QueryRowContext(ctx, `SELECT locked_until FROM login_throttle WHERE login_id = $1`, loginID).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && until <= db.Millis(t.Now())) {
		return time.Time{}, nil
	}
	return db.Time(until), err
}

// SourceBlocked reports whether the address made too many failed attempts within the
// window. Counting the window's rows (rather than a separate block flag) makes the
// block end by itself once old failures age out.
func (t *Throttle) SourceBlocked(ctx context.Context, source string) (bool, error) {
	var n int
	err := t.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM source_failures WHERE source = $1 AND at > $2`,
		source, db.Millis(t.Now().Add(-t.Limits.SourceWindow))).Scan(&n)
	return n >= t.Limits.SourceMaxFailures, err
}

// Fail records a failed attempt on loginID from source and returns the lock's end when
// this failure locked the ID (zero otherwise). Run it inside a transaction.
func (t *Throttle) Fail(ctx context.Context, loginID, source string) (time.Time, error) {
	now := t.Now()
	q := t.DB.Q(ctx)
	if err := t.FailSource(ctx, source); err != nil {
		return time.Time{}, err
	}
	// The upsert increments atomically, so concurrent failures on two processes both count.
	var failures, locks int
	err := q.QueryRowContext(ctx, `
		INSERT INTO login_throttle (login_id, failures, locks, locked_until, updated_at) VALUES ($1, 1, 0, 0, $2)
		ON CONFLICT (login_id) DO UPDATE SET failures = login_throttle.failures + 1, updated_at = $2
		RETURNING failures, locks`, loginID, db.Millis(now)).Scan(&failures, &locks)
	if err != nil || failures < t.Limits.Threshold {
		return time.Time{}, err
	}
	until := now.Add(t.lockLength(locks + 1))
	_, err = q.ExecContext(ctx, `UPDATE login_throttle SET failures = 0, locks = locks + 1, locked_until = $1 WHERE login_id = $2`,
		db.Millis(until), loginID)
	return until, err
}

// FailSource counts a failure against the address only: an attempt on an ID that is
// already locked still tells of someone guessing.
func (t *Throttle) FailSource(ctx context.Context, source string) error {
	_, err := t.DB.Q(ctx).ExecContext(ctx, `INSERT INTO source_failures (source, at) VALUES ($1, $2)`, source, db.Millis(t.Now()))
	return err
}

// lockLength doubles the lock for each lock in a row, up to the maximum.
func (t *Throttle) lockLength(lockNo int) time.Duration {
	d := t.Limits.LockDuration
	for i := 1; i < lockNo && d < t.Limits.LockMax; i++ {
		d *= 2
	}
	return min(d, t.Limits.LockMax)
}

// Reset clears an ID's failures and locks: after a successful login, a password reset
// through email, or a Pentadbir's unlock.
func (t *Throttle) Reset(ctx context.Context, loginID string) error {
	_, err := t.DB.Q(ctx).ExecContext(ctx, `DELETE FROM login_throttle WHERE login_id = $1`, loginID)
	return err
}

// Prune deletes address failures older than the window; the worker calls it now and then.
func (t *Throttle) Prune(ctx context.Context) error {
	_, err := t.DB.Q(ctx).ExecContext(ctx, `DELETE FROM source_failures WHERE at <= $1`,
		db.Millis(t.Now().Add(-t.Limits.SourceWindow)))
	return err
}
