package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/db"
)

// Outbox statuses.
const (
	StatusPending = "PENDING" // waiting for its (next) attempt
	StatusSending = "SENDING" // claimed by a worker
	StatusSent    = "SENT"
	StatusFailed  = "FAILED" // gave up after MaxAttempts; a Pentadbir may retry it
)

// Statuses lists the statuses in display order.
var Statuses = []string{StatusPending, StatusSending, StatusSent, StatusFailed}

// SecretPlaceholder replaces a secret body wherever an email is shown or logged.
const SecretPlaceholder = "[kandungan rahsia disembunyikan / secret content hidden]"

var (
	// ErrNotFound: no outbox entry has that ID.
	ErrNotFound = errors.New("mail: outbox entry not found")
	// ErrNotFailed: Retry was asked for an entry that has not failed.
	ErrNotFailed = errors.New("mail: outbox entry has not failed")
)

// Entry is one outbox row as the Pentadbir sees it.
type Entry struct {
	ID       int64
	To       string
	Template string
	Subject  string
	// Body is SecretPlaceholder when Secret.
	Body          string
	Secret        bool
	Status        string
	Attempts      int
	LastError     string
	CreatedAt     time.Time
	NextAttemptAt time.Time
	SentAt        time.Time // zero until sent
}

// Outbox is the durable queue of emails: Enqueue writes a row in the caller's
// transaction, a Worker delivers it.
type Outbox struct {
	db   *db.DB
	r    *Renderer
	now  func() time.Time
	wake chan struct{}
}

// NewOutbox returns the outbox of d, rendering with r. now is the clock (nil: time.Now).
func NewOutbox(d *db.DB, r *Renderer, now func() time.Time) *Outbox {
	if now == nil {
		now = time.Now
	}
	return &Outbox{db: d, r: r, now: now, wake: make(chan struct{}, 1)}
}

// Enqueue renders template with data and queues it for to. Called with a ctx inside
// db.WithTx, the row is part of that transaction — it exists if and only if the change
// that caused it commits — and the caller should call Notify after the commit; outside a
// transaction the worker is woken at once.
func (o *Outbox) Enqueue(ctx context.Context, to, template string, data any) error {
	err := o.EnqueueWith(ctx, func(ctx context.Context, q string, args ...any) error {
		_, err := o.db.Q(ctx).ExecContext(ctx, q, args...)
		return err
	}, to, template, data)
	if err == nil && !db.InTx(ctx) {
		o.Notify()
	}
	return err
}

// EnqueueWith is Enqueue through a caller's own statement executor: the loader writes on
// PostgreSQL through pgx (for COPY), and its notifications must be in that transaction.
// The caller calls Notify after its commit.
func (o *Outbox) EnqueueWith(ctx context.Context, exec func(ctx context.Context, q string, args ...any) error, to, template string, data any) error {
	to = strings.TrimSpace(to)
	if err := checkAddress(to); err != nil {
		return err
	}
	subject, body, secret, err := o.r.Render(template, data)
	if err != nil {
		return err
	}
	now := db.Millis(o.now())
	err = exec(ctx,
		`INSERT INTO outbox (to_addr, template, subject, body, secret, status, attempts,
		                     next_attempt_at, claimed_until, last_error, created_at)
		 VALUES ($1, $2, $3, $4, $5, 'PENDING', 0, $6, 0, '', $7)`,
		to, template, subject, body, secret, now, now)
	if err != nil {
		return fmt.Errorf("mail: enqueue %s: %w", template, err)
	}
	return nil
}

// checkAddress refuses what cannot be a single recipient. Full validation is the form's
// job; this keeps header-splitting characters out.
func checkAddress(to string) error {
	if to == "" {
		return errors.New("mail: no recipient")
	}
	if !strings.Contains(to, "@") || strings.ContainsAny(to, "\r\n\x00,;") {
		return fmt.Errorf("mail: %q is not an email address", to)
	}
	return nil
}

// Notify wakes a worker waiting on Wake. It never blocks.
func (o *Outbox) Notify() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Wake receives after Notify.
func (o *Outbox) Wake() <-chan struct{} { return o.wake }

const entryColumns = `id, to_addr, template, subject, body, secret, status, attempts, last_error,
	created_at, next_attempt_at, sent_at`

func scanEntry(sc interface{ Scan(...any) error }) (Entry, error) {
	var (
		e             Entry
		created, next int64
		sent          sql.NullInt64
	)
	if err := sc.Scan(&e.ID, &e.To, &e.Template, &e.Subject, &e.Body, &e.Secret, &e.Status,
		&e.Attempts, &e.LastError, &created, &next, &sent); err != nil {
		return Entry{}, err
	}
	if e.Secret {
		e.Body = SecretPlaceholder
	}
	e.CreatedAt, e.NextAttemptAt, e.SentAt = db.Time(created), db.Time(next), db.NullTime(sent)
	return e, nil
}

// List returns the entries with status ("" for all), newest first, and how many there are
// in all.
func (o *Outbox) List(ctx context.Context, status string, limit, offset int) ([]Entry, int, error) {
	if limit <= 0 {
		limit = 50
	}
	if offset < 0 {
		offset = 0
	}
	where, args := "", []any{}
	if status != "" {
		where, args = " WHERE status = $1", append(args, status)
	}
	q := o.db.Q(ctx)
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("mail: count outbox: %w", err)
	}
	n := len(args)
	rows, err := q.QueryContext(ctx,
		fmt.Sprintf(`SELECT %s FROM outbox%s ORDER BY id DESC LIMIT $%d OFFSET $%d`, entryColumns, where, n+1, n+2),
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("mail: list outbox: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("mail: list outbox: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("mail: list outbox: %w", err)
	}
	return out, total, nil
}

// Get returns one entry, or ErrNotFound.
func (o *Outbox) Get(ctx context.Context, id int64) (Entry, error) {
	e, err := scanEntry(o.db.Q(ctx).QueryRowContext(ctx,
		`SELECT `+entryColumns+` FROM outbox WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Entry{}, ErrNotFound
	}
	if err != nil {
		return Entry{}, fmt.Errorf("mail: get outbox entry: %w", err)
	}
	return e, nil
}

// Retry puts a FAILED entry back in the queue, due now, with its attempts reset. Its last
// error stays for reference until the next attempt. ErrNotFound or ErrNotFailed otherwise.
func (o *Outbox) Retry(ctx context.Context, id int64) error {
	res, err := o.db.Q(ctx).ExecContext(ctx,
		`UPDATE outbox SET status = 'PENDING', attempts = 0, next_attempt_at = $1, claimed_until = 0
		 WHERE id = $2 AND status = 'FAILED'`, db.Millis(o.now()), id)
	if err != nil {
		return fmt.Errorf("mail: retry: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("mail: retry: %w", err)
	} else if n == 0 {
		if _, err := o.Get(ctx, id); err != nil {
			return err
		}
		return ErrNotFailed
	}
	if !db.InTx(ctx) {
		o.Notify()
	}
	return nil
}

// Counts returns how many entries have each status; every status is present.
func (o *Outbox) Counts(ctx context.Context) (map[string]int, error) {
	rows, err := o.db.Q(ctx).QueryContext(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("mail: count outbox: %w", err)
	}
	defer rows.Close()
	out := make(map[string]int, len(Statuses))
	for _, s := range Statuses {
		out[s] = 0
	}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("mail: count outbox: %w", err)
		}
		out[s] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mail: count outbox: %w", err)
	}
	return out, nil
}
