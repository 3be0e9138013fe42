package mail

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/metrics"
)

// Worker defaults.
const (
	DefaultMaxAttempts  = 5
	DefaultPollInterval = 2 * time.Second
	DefaultBatchSize    = 20
	// DefaultLease is how long a claimed email stays claimed: a worker that dies while
	// sending leaves its rows in SENDING, and they are taken again once the lease ends.
	DefaultLease = 5 * time.Minute
	// maxErrorLen bounds the stored last_error, in characters.
	maxErrorLen = 500
	// sendTimeout bounds one Send call, whatever the sender.
	sendTimeout = 2*SMTPTimeout + 10*time.Second
)

// DefaultBackoff waits 30 s after the first failed attempt, then 1 min, 2 min, 4 min …,
// at most one hour.
func DefaultBackoff(attempt int) time.Duration {
	const first, limit = 30 * time.Second, time.Hour
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 8 { // 30 s << 7 is already beyond the limit
		return limit
	}
	return min(first<<(attempt-1), limit)
}

// Worker delivers the outbox: it claims due rows, sends them and records the outcome,
// retrying with backoff and giving up after MaxAttempts. Several workers (processes or
// goroutines) may run on one database: a row is claimed by one of them only.
// The zero value of every field but DB/Outbox and Sender means its default. A Worker's
// fields must not change once it runs.
type Worker struct {
	DB     *db.DB  // nil: the Outbox's database
	Outbox *Outbox // source of Wake; may be nil when DB is set
	Sender Sender
	// From is the sender address put on every Envelope; empty leaves it to the Sender.
	From         string
	Now          func() time.Time
	MaxAttempts  int
	Backoff      func(attempt int) time.Duration
	Logger       *slog.Logger
	PollInterval time.Duration
	BatchSize    int           // rows claimed at once (default 20)
	Lease        time.Duration // how long a claim holds (default 5 min)
}

func (w *Worker) db() *db.DB {
	if w.DB != nil {
		return w.DB
	}
	if w.Outbox != nil {
		return w.Outbox.db
	}
	return nil
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) maxAttempts() int {
	if w.MaxAttempts > 0 {
		return w.MaxAttempts
	}
	return DefaultMaxAttempts
}

func (w *Worker) backoff(attempt int) time.Duration {
	if w.Backoff != nil {
		return w.Backoff(attempt)
	}
	return DefaultBackoff(attempt)
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.Default()
}

func (w *Worker) batchSize() int {
	if w.BatchSize > 0 {
		return w.BatchSize
	}
	return DefaultBatchSize
}

func (w *Worker) lease() time.Duration {
	if w.Lease > 0 {
		return w.Lease
	}
	return DefaultLease
}

func (w *Worker) pollInterval() time.Duration {
	if w.PollInterval > 0 {
		return w.PollInterval
	}
	return DefaultPollInterval
}

// claimed is one row this worker holds in SENDING until claimedUntil.
type claimed struct {
	id            int64
	to, template  string
	subject, body string
	secret        bool
	attempts      int
	claimedUntil  int64
}

// dueCondition selects rows to send: pending and due, or left in SENDING by a worker whose
// lease ended (it crashed or was killed mid-send).
const dueCondition = `((status = 'PENDING' AND next_attempt_at <= $2)
	OR (status = 'SENDING' AND claimed_until <= $2))`

// claimSQLite claims a batch. The condition appears twice: the outer copy is what makes a
// claim safe whatever the inner SELECT saw. SQLite's single writer serialises claims.
const claimSQLite = `UPDATE outbox SET status = 'SENDING', claimed_until = $1, attempts = attempts + 1
WHERE ` + dueCondition + `
  AND id IN (SELECT id FROM outbox WHERE ` + dueCondition + ` ORDER BY id LIMIT $3)
RETURNING id, to_addr, template, subject, body, secret, attempts`

// claimPostgres claims a batch on PostgreSQL. The batch is chosen once (a MATERIALIZED
// CTE: a FOR UPDATE subquery under IN may be re-run per row and claim more than $3 rows)
// and skips rows another worker is claiming at this moment (SKIP LOCKED), so concurrent
// workers take disjoint batches instead of queueing on each other's rows. The repeated
// condition in the outer WHERE is re-checked by READ COMMITTED on a row that another
// transaction changed meanwhile, so a row claimed elsewhere is never claimed twice.
const claimPostgres = `WITH due AS MATERIALIZED (
  SELECT id FROM outbox WHERE ` + dueCondition + ` ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
UPDATE outbox SET status = 'SENDING', claimed_until = $1, attempts = attempts + 1
FROM due
WHERE outbox.id = due.id AND ` + dueCondition + `
RETURNING outbox.id, to_addr, template, subject, body, secret, attempts`

func claimQuery(d *db.DB) string {
	if d.Dialect == db.Postgres {
		return claimPostgres
	}
	return claimSQLite
}

// RunOnce claims the emails that are due (at most BatchSize), sends them one by one and
// records each outcome. It returns how many were sent. When ctx ends it finishes the email
// being sent, gives the rest of the batch back unsent and returns.
func (w *Worker) RunOnce(ctx context.Context) (sent int, err error) {
	sent, _, err = w.runOnce(ctx)
	return sent, err
}

func (w *Worker) runOnce(ctx context.Context) (sent, claimedN int, err error) {
	d := w.db()
	if d == nil || w.Sender == nil {
		return 0, 0, errors.New("mail: worker needs a database and a sender")
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	batch, err := w.claim(ctx, d)
	if err != nil {
		return 0, 0, err
	}
	// Status writes must happen even when ctx ends during a send (graceful shutdown).
	bg := context.WithoutCancel(ctx)
	var errs []error
	for i := range batch {
		if ctx.Err() != nil {
			errs = append(errs, w.release(bg, d, batch[i:]))
			break
		}
		ok, err := w.deliver(ctx, bg, d, &batch[i])
		if ok {
			sent++
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return sent, len(batch), errors.Join(errs...)
}

func (w *Worker) claim(ctx context.Context, d *db.DB) ([]claimed, error) {
	now := w.now()
	until := db.Millis(now.Add(w.lease()))
	var batch []claimed
	err := d.WithTx(ctx, func(ctx context.Context) error {
		batch = batch[:0]
		rows, err := d.Q(ctx).QueryContext(ctx, claimQuery(d), until, db.Millis(now), w.batchSize())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c := claimed{claimedUntil: until}
			if err := rows.Scan(&c.id, &c.to, &c.template, &c.subject, &c.body, &c.secret, &c.attempts); err != nil {
				return err
			}
			batch = append(batch, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("mail: claim outbox rows: %w", err)
	}
	slices.SortFunc(batch, func(a, b claimed) int { return cmp.Compare(a.id, b.id) })
	return batch, nil
}

// deliver sends one claimed email and records the outcome. ok is true when it was sent.
func (w *Worker) deliver(ctx, bg context.Context, d *db.DB, c *claimed) (ok bool, err error) {
	log := w.logger().With("id", c.id, "to", c.to, "template", c.template, "attempt", c.attempts)
	limit := w.maxAttempts()
	if c.attempts > limit {
		// Only a row reclaimed after its worker died mid-send gets here: do not let a
		// message that keeps killing workers be retried for ever.
		return false, w.fail(bg, d, c, log, errors.New("worker stopped while sending"), true)
	}
	// A long batch may outlive the lease; extend it so that no other worker takes this
	// row while it is being sent.
	if w.now().Add(sendTimeout + time.Minute).After(db.Time(c.claimedUntil)) {
		held, err := w.renew(bg, d, c)
		if err != nil || !held {
			return false, err
		}
	}
	sctx, cancel := context.WithTimeout(bg, sendTimeout)
	sendErr := w.Sender.Send(sctx, Envelope{From: w.From, To: c.to, Subject: c.subject, Body: c.body, Secret: c.secret})
	cancel()
	if sendErr != nil {
		return false, w.fail(bg, d, c, log, sendErr, c.attempts >= limit)
	}
	metrics.Email("sent")
	res, err := d.Q(bg).ExecContext(bg,
		`UPDATE outbox SET status = 'SENT', sent_at = $1, last_error = '', claimed_until = 0
		 WHERE id = $2 AND status = 'SENDING' AND claimed_until = $3`,
		db.Millis(w.now()), c.id, c.claimedUntil)
	if err != nil {
		// Sent but not recorded: the row is sent again once the lease ends (at least once).
		log.Error("email sent but its status could not be saved", "error", err)
		return true, fmt.Errorf("mail: mark %d sent: %w", c.id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		log.Warn("email sent after its claim had expired")
	}
	log.Info("email sent")
	return true, nil
}

// fail records a failed attempt: back to PENDING after the backoff, or FAILED when final.
func (w *Worker) fail(bg context.Context, d *db.DB, c *claimed, log *slog.Logger, sendErr error, final bool) error {
	msg := errorText(sendErr, c.body)
	now := w.now()
	var err error
	if final {
		metrics.Email("failed")
		_, err = d.Q(bg).ExecContext(bg,
			`UPDATE outbox SET status = 'FAILED', last_error = $1, claimed_until = 0
			 WHERE id = $2 AND status = 'SENDING' AND claimed_until = $3`,
			msg, c.id, c.claimedUntil)
		log.Error("email failed, giving up", "error", msg)
	} else {
		metrics.Email("retry")
		next := now.Add(w.backoff(c.attempts))
		_, err = d.Q(bg).ExecContext(bg,
			`UPDATE outbox SET status = 'PENDING', last_error = $1, next_attempt_at = $2, claimed_until = 0
			 WHERE id = $3 AND status = 'SENDING' AND claimed_until = $4`,
			msg, db.Millis(next), c.id, c.claimedUntil)
		log.Warn("email not sent, will retry", "error", msg, "next_attempt_at", next)
	}
	if err != nil {
		return fmt.Errorf("mail: record failure of %d: %w", c.id, err)
	}
	return nil
}

// renew extends the claim on c. held is false when another worker took the row over.
func (w *Worker) renew(bg context.Context, d *db.DB, c *claimed) (held bool, err error) {
	until := db.Millis(w.now().Add(w.lease()))
	res, err := d.Q(bg).ExecContext(bg,
		`UPDATE outbox SET claimed_until = $1 WHERE id = $2 AND status = 'SENDING' AND claimed_until = $3`,
		until, c.id, c.claimedUntil)
	if err != nil {
		return false, fmt.Errorf("mail: renew claim on %d: %w", c.id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, fmt.Errorf("mail: renew claim on %d: %w", c.id, err)
	} else if n == 0 {
		return false, nil
	}
	c.claimedUntil = until
	return true, nil
}

// release gives claimed but unsent rows back, as they were: due, and without counting
// an attempt.
func (w *Worker) release(bg context.Context, d *db.DB, rest []claimed) error {
	var errs []error
	for _, c := range rest {
		_, err := d.Q(bg).ExecContext(bg,
			`UPDATE outbox SET status = 'PENDING', attempts = attempts - 1, claimed_until = 0
			 WHERE id = $1 AND status = 'SENDING' AND claimed_until = $2`,
			c.id, c.claimedUntil)
		if err != nil {
			errs = append(errs, fmt.Errorf("mail: release %d: %w", c.id, err))
		}
	}
	return errors.Join(errs...)
}

// errorText is the stored and logged form of a send error: without any line of the body
// (a server may quote what it refused; a body may hold a temporary password), on one
// line, at most maxErrorLen characters.
func errorText(err error, body string) string {
	s := err.Error()
	for _, line := range strings.Split(body, "\n") {
		if line = strings.TrimSpace(line); len(line) >= 8 {
			s = strings.ReplaceAll(s, line, "[…]")
		}
	}
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "?")), " ")
	if utf8.RuneCountInString(s) > maxErrorLen {
		r := []rune(s)
		s = string(r[:maxErrorLen-1]) + "…"
	}
	return s
}

// Run delivers the outbox until ctx ends: it runs RunOnce, then waits PollInterval or
// until the Outbox is notified. When ctx ends it finishes the email being sent and
// returns nil.
func (w *Worker) Run(ctx context.Context) error {
	var wake <-chan struct{}
	if w.Outbox != nil {
		wake = w.Outbox.Wake()
	}
	timer := time.NewTimer(w.pollInterval())
	defer timer.Stop()
	for {
		if ctx.Err() != nil {
			return nil
		}
		_, n, err := w.runOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.logger().Error("email outbox", "error", err)
		}
		if err == nil && n == w.batchSize() {
			continue // a full batch: more may be due
		}
		timer.Reset(w.pollInterval())
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-timer.C:
		}
	}
}
