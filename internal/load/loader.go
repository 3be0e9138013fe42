package load

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/metrics"
)

// Kinds of file.
const (
	Payroll  = "payroll"
	Payments = "payments"
)

// Load outcomes.
const (
	Accepted  = "ACCEPTED"
	Rejected  = "REJECTED"
	Duplicate = "DUPLICATE" // the same content was loaded before: nothing changed
)

// ErrBusy means another load of the same file is being written right now; the second
// one is refused rather than queued (QUALITY.md: one load and one clear refusal).
var ErrBusy = errors.New("the same file is being loaded")

// Request is one load.
type Request struct {
	Kind     string
	Path     string // the file, read several times (an upload is saved to a file first)
	FileName string // the name shown in the load list
	By       int64  // the Pentadbir, 0 for the command line
	ByLogin  string
	Via      string // "cli", "web" or "api"
	Source   string // client address, for the audit log
	// Progress, if set, is told the phase ("semak" validating, "tulis" writing) and
	// the bytes read of the file's size.
	Progress func(phase string, done, total int64)
}

// Result is what a load did.
type Result struct {
	LoadID   int64
	Status   string
	Rows     int
	Added    int // payslips or payments added
	Replaced int // payslips of payroll runs replaced
	Updated  int // payments whose status changed
	Errors   *Errors
	Duration time.Duration
}

// Loader runs loads.
type Loader struct {
	DB    *db.DB
	Audit *audit.Log
	Now   func() time.Time
	// Notify, if set, is called inside the load's transaction for every user who opted
	// in to email and got new payslips or payments from this load; exec writes in that
	// transaction, so the email exists exactly when the data does (one per user per load).
	Notify func(ctx context.Context, exec func(ctx context.Context, q string, args ...any) error, r Recipient) error
	// Notified, if set, is called after a commit that queued notifications.
	Notified func()
}

// Recipient is a user to tell about a load.
type Recipient struct {
	Name, Email, LoginID string
	Payslips, Payments   int
}

// Load validates the file whole and, if it is clean, writes it in one transaction.
func (l *Loader) Load(ctx context.Context, req Request) (out Result, outErr error) {
	defer func() {
		status := out.Status
		if outErr != nil && !errors.Is(outErr, ErrBusy) {
			status = "ERROR"
		}
		metrics.Load(req.Kind, status)
	}()
	defer defaultGC()()
	start := l.Now()
	res := Result{Errors: &Errors{}}
	if req.Kind != Payroll && req.Kind != Payments {
		return res, fmt.Errorf("unknown kind %q", req.Kind)
	}
	open := func() (io.ReadCloser, error) { return os.Open(req.Path) }
	fi, err := os.Stat(req.Path)
	if err != nil {
		return res, err
	}
	progress := func(phase string) func(int64) {
		if req.Progress == nil {
			return nil
		}
		return func(n int64) { req.Progress(phase, n, fi.Size()) }
	}

	// Pass 1: validate and hash.
	f, err := open()
	if err != nil {
		return res, err
	}
	hash := sha256.New()
	in := &progressReader{r: io.TeeReader(f, hash), tick: progress("semak")}
	var pf *payrollFile
	var mf *paymentsFile
	if req.Kind == Payroll {
		pf = validatePayroll(in, res.Errors)
	} else {
		mf = validatePayments(in, res.Errors)
	}
	_, _ = io.Copy(hash, f) // hash the rest when validation stopped early
	f.Close()
	sum := hex.EncodeToString(hash.Sum(nil))
	if pf != nil {
		res.Rows, pf.hash = pf.rows, sum
	} else if mf != nil {
		res.Rows, mf.hash = mf.rows, sum
	}

	var loaded bool
	if err := l.DB.Q(ctx).QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM loads WHERE content_hash = $1 AND status = 'ACCEPTED')`,
		sum).Scan(&loaded); err != nil {
		return res, err
	}
	switch {
	case loaded:
		res.Status = Duplicate
		res.Errors = &Errors{}
	case res.Errors.Len() == 0 && mf != nil:
		if err := checkExisting(ctx, l.DB.Q(ctx), mf, res.Errors); err != nil {
			return res, err
		}
	}
	if res.Status == "" && res.Errors.Len() > 0 {
		res.Status = Rejected
	}
	if res.Status != "" {
		res.Duration = l.Now().Sub(start)
		return res, l.record(ctx, req, sum, &res)
	}

	// Passes 2 and 3: write, in one transaction.
	readAgain := func() (io.ReadCloser, error) {
		f, err := open()
		if err != nil {
			return nil, err
		}
		return struct {
			io.Reader
			io.Closer
		}{&progressReader{r: f, tick: progress("tulis")}, f}, nil
	}
	res.Status = Accepted
	notified := 0
	err = withWriter(ctx, l.DB, func(w writer) error {
		now := db.Millis(l.Now())
		// The load record comes first: its unique index on the content hash makes a
		// concurrent load of the same file fail here, before it writes anything.
		if err := w.QueryRow(ctx, `INSERT INTO loads (kind, file_name, content_hash, status, row_count, via, loaded_by, created_at)
			VALUES ($1, $2, $3, 'ACCEPTED', $4, $5, $6, $7) RETURNING id`,
			req.Kind, req.FileName, sum, res.Rows, req.Via, nullID(req.By), now).Scan(&res.LoadID); err != nil {
			return err
		}
		var err error
		if pf != nil {
			res.Added, res.Replaced, err = writePayroll(ctx, w, readAgain, pf, res.LoadID, now)
		} else {
			res.Added, res.Updated, err = writePayments(ctx, w, readAgain, mf, res.LoadID, now)
		}
		if err != nil {
			return err
		}
		res.Duration = l.Now().Sub(start)
		if err := w.Exec(ctx, `UPDATE loads SET added = $1, replaced = $2, updated = $3, duration_ms = $4 WHERE id = $5`,
			res.Added, res.Replaced, res.Updated, res.Duration.Milliseconds(), res.LoadID); err != nil {
			return err
		}
		if err := l.notify(ctx, w, req.Kind, res.LoadID, &notified); err != nil {
			return err
		}
		return l.auditLoad(ctx, w, req, &res)
	})
	if err != nil {
		refusal := ""
		switch {
		case db.IsUniqueViolation(err):
			refusal = "load.busy"
		case isBusy(err):
			refusal = "load.busy_other"
		case errors.Is(err, errFileChanged):
			refusal = "load.file_changed"
		default:
			return res, err
		}
		// A refusal is recorded like any refused file, so the Pentadbir sees it.
		busy := Result{Status: Rejected, Rows: res.Rows, Errors: &Errors{}, Duration: l.Now().Sub(start)}
		busy.Errors.add(1, "", "", refusal)
		if rerr := l.record(ctx, req, sum, &busy); rerr != nil {
			return busy, rerr
		}
		if refusal == "load.file_changed" {
			return busy, nil
		}
		return busy, ErrBusy
	}
	if notified > 0 && l.Notified != nil {
		l.Notified()
	}
	return res, nil
}

// notify queues one email per opted-in active user with new statements in this load.
func (l *Loader) notify(ctx context.Context, w writer, kind string, loadID int64, n *int) error {
	if l.Notify == nil {
		return nil
	}
	q := `SELECT u.name, u.email, u.login_id, COUNT(*) FROM users u
		JOIN payslips p ON p.ic_no = u.login_id JOIN payroll_runs r ON r.id = p.run_id
		WHERE r.load_id = $1 AND u.notify_email AND u.status = 'AKTIF' GROUP BY u.name, u.email, u.login_id`
	if kind == Payments {
		q = `SELECT u.name, u.email, u.login_id, COUNT(*) FROM users u JOIN payments p ON p.payee_id = u.login_id
			WHERE p.load_id = $1 AND u.notify_email AND u.status = 'AKTIF' GROUP BY u.name, u.email, u.login_id`
	}
	var list []Recipient
	if err := w.Each(ctx, q, []any{loadID}, func(scan func(...any) error) error {
		var r Recipient
		var count int
		if err := scan(&r.Name, &r.Email, &r.LoginID, &count); err != nil {
			return err
		}
		if kind == Payments {
			r.Payments = count
		} else {
			r.Payslips = count
		}
		list = append(list, r)
		return nil
	}); err != nil {
		return err
	}
	for _, r := range list {
		if err := l.Notify(ctx, w.Exec, r); err != nil {
			return err
		}
		*n++
	}
	return nil
}

// record stores a refused or duplicate load and audits it.
func (l *Loader) record(ctx context.Context, req Request, sum string, res *Result) error {
	errJSON := ""
	if res.Errors.Len() > 0 {
		b, err := json.Marshal(res.Errors)
		if err != nil {
			return err
		}
		errJSON = string(b)
	}
	return l.DB.WithTx(ctx, func(ctx context.Context) error {
		if err := l.DB.Q(ctx).QueryRowContext(ctx, `INSERT INTO loads (kind, file_name, content_hash, status, row_count, duration_ms, errors, via, loaded_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			req.Kind, req.FileName, sum, res.Status, res.Rows, res.Duration.Milliseconds(), errJSON, req.Via,
			nullID(req.By), db.Millis(l.Now())).Scan(&res.LoadID); err != nil {
			return err
		}
		return l.auditLoad(ctx, sqliteOrTx{l.DB, ctx}, req, res)
	})
}

// sqliteOrTx lets auditLoad write through the context's transaction.
type sqliteOrTx struct {
	d   *db.DB
	ctx context.Context
}

func (s sqliteOrTx) Exec(ctx context.Context, q string, args ...any) error {
	_, err := s.d.Q(s.ctx).ExecContext(s.ctx, q, args...)
	return err
}

func (l *Loader) auditLoad(ctx context.Context, w interface {
	Exec(context.Context, string, ...any) error
}, req Request, res *Result) error {
	outcome := audit.Success
	if res.Status != Accepted {
		outcome = audit.Failure
	}
	detail := fmt.Sprintf("%s %s load %d: %s rows=%d added=%d replaced=%d updated=%d errors=%d",
		req.Kind, req.Via, res.LoadID, res.Status, res.Rows, res.Added, res.Replaced, res.Updated, res.Errors.Len())
	var by any
	if req.By != 0 {
		by = req.By
	}
	actor := req.ByLogin
	if actor == "" {
		actor = req.Via
	}
	return w.Exec(ctx, `INSERT INTO audit_log (at, event, outcome, actor_id, actor_login, source, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		db.Millis(l.Now()), audit.DataLoad, outcome, by, actor, req.Source, detail)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// isBusy recognises SQLite's "database is locked" after the busy timeout: another
// process holds the write lock (a load of its own).
func isBusy(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked"))
}
