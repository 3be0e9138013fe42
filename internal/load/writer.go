package load

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/identity"
)

// writer is the load's transaction. SQLite writes through database/sql with prepared
// inserts; PostgreSQL through pgx, whose COPY is several times faster than inserts.
type writer interface {
	Exec(ctx context.Context, sql string, args ...any) error
	QueryRow(ctx context.Context, sql string, args ...any) interface{ Scan(...any) error }
	// AllocIDs reserves n primary keys of table, so items can name their payslip.
	AllocIDs(ctx context.Context, table string, n int) ([]int64, error)
	Copy(ctx context.Context, table string, columns []string, src rowSource) (int64, error)
	// Each runs a query and calls fn for each row with that row's Scan.
	Each(ctx context.Context, sql string, args []any, fn func(scan func(...any) error) error) error
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// rowSource yields rows for Copy (the shape of pgx.CopyFromSource).
type rowSource interface {
	Next() bool
	Values() ([]any, error)
	Err() error
}

// withWriter runs fn in one transaction on the database's writer.
func withWriter(ctx context.Context, d *db.DB, fn func(w writer) error) error {
	if d.Dialect == db.SQLite {
		return d.WithTx(ctx, func(ctx context.Context) error { return fn(sqliteWriter{q: d.Q(ctx)}) })
	}
	conn, err := d.Writer().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		if err := fn(pgWriter{tx: tx}); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

type sqliteWriter struct{ q db.Querier }

func (w sqliteWriter) Exec(ctx context.Context, q string, args ...any) error {
	_, err := w.q.ExecContext(ctx, q, args...)
	return err
}

func (w sqliteWriter) QueryRow(ctx context.Context, q string, args ...any) interface{ Scan(...any) error } {
	return w.q.QueryRowContext(ctx, q, args...)
}

// AllocIDs on SQLite: the load holds the only write lock, so the next n integers after
// the largest key are free.
func (w sqliteWriter) AllocIDs(ctx context.Context, table string, n int) ([]int64, error) {
	var top int64
	if err := w.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&top); err != nil {
		return nil, err
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = top + int64(i) + 1
	}
	return ids, nil
}

// cancelCheckRows is how often Copy checks whether its context has ended.
const cancelCheckRows = 4096

func (w sqliteWriter) Copy(ctx context.Context, table string, columns []string, src rowSource) (int64, error) {
	marks := make([]string, len(columns))
	for i := range marks {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	tx, ok := w.q.(*sql.Tx)
	if !ok {
		return 0, fmt.Errorf("copy outside a transaction")
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+table+` (`+strings.Join(columns, ", ")+`) VALUES (`+strings.Join(marks, ", ")+`)`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	// Each row's insert runs under a context that cannot be cancelled: modernc's driver
	// starts a goroutine per statement to watch a cancellable one, which cost more than
	// the insert itself. Cancellation is checked here every few thousand rows instead.
	rowCtx := context.WithoutCancel(ctx)
	var n int64
	for src.Next() {
		vals, err := src.Values()
		if err != nil {
			return n, err
		}
		if _, err := stmt.ExecContext(rowCtx, vals...); err != nil {
			return n, err
		}
		n++
		if n%cancelCheckRows == 0 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
	}
	return n, src.Err()
}

func (w sqliteWriter) Each(ctx context.Context, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := w.q.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

type pgWriter struct{ tx pgx.Tx }

func (w pgWriter) Each(ctx context.Context, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := w.tx.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (w pgWriter) Exec(ctx context.Context, q string, args ...any) error {
	_, err := w.tx.Exec(ctx, q, args...)
	return err
}

func (w pgWriter) QueryRow(ctx context.Context, q string, args ...any) interface{ Scan(...any) error } {
	return w.tx.QueryRow(ctx, q, args...)
}

// AllocIDs on PostgreSQL draws n values from the table's sequence: unique even while
// other transactions insert.
func (w pgWriter) AllocIDs(ctx context.Context, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	rows, err := w.tx.Query(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return ids, err
}

func (w pgWriter) Copy(ctx context.Context, table string, columns []string, src rowSource) (int64, error) {
	return w.tx.CopyFrom(ctx, pgx.Identifier{table}, columns, src)
}

// fileSource streams a validated file's rows through fill, which sets vals and says
// whether the row produces a database row.
type fileSource struct {
	t    *table
	vals []any
	fill func(t *table, vals []any) (bool, error)
	errs Errors
	err  error
}

func (s *fileSource) Next() bool {
	for s.err == nil && s.t.next(&s.errs) {
		ok, err := s.fill(s.t, s.vals)
		if err != nil {
			s.err = err
			return false
		}
		if ok {
			return true
		}
	}
	return false
}

func (s *fileSource) Values() ([]any, error) { return s.vals, nil }

func (s *fileSource) Err() error {
	if s.err != nil {
		return s.err
	}
	if s.errs.Len() > 0 {
		return errFileChanged
	}
	return nil
}

// errFileChanged means the file on disk is no longer the one validated: the load's
// transaction is rolled back rather than write what was never checked.
var errFileChanged = errors.New("the file changed while it was being loaded")

// copyFromFile reads the file again from the start and copies the rows fill selects,
// hashing as it reads: if the bytes are not the validated ones (hash want), the copy
// fails and the transaction with it.
func copyFromFile(ctx context.Context, w writer, open func() (io.ReadCloser, error), want string, cols []column,
	tableName string, columns []string, fill func(t *table, vals []any) (bool, error)) error {
	f, err := open()
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	in := io.TeeReader(f, h)
	var errs Errors
	t := openTable(in, cols, &errs)
	if t == nil {
		return errFileChanged
	}
	if _, err = w.Copy(ctx, tableName, columns, &fileSource{t: t, vals: make([]any, len(columns)), fill: fill}); err != nil {
		return err
	}
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if hex.EncodeToString(h.Sum(nil)) != want {
		return errFileChanged
	}
	return nil
}

func trim(s string) string  { return strings.TrimSpace(s) }
func upper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// normalID is the stored form of an identity number validation already accepted.
func normalID(s string) string {
	n, err := identity.Parse(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return n.String()
}

func isoDate(s string) string {
	d, err := civil.Parse(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return d.String()
}

// publicID is the opaque identifier of a statement in URLs (QUALITY.md: no identity or
// account numbers in URLs).
func publicID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
