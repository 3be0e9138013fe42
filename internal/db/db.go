// Package db owns the connection to the database — the embedded SQLite file or a
// PostgreSQL server — its pragmas, the one transaction helper and the migrations.
//
// Stores elsewhere write plain SQL with $1..$N placeholders: modernc.org/sqlite binds
// them exactly like PostgreSQL, so one SQL text serves both. Dialect differences live in
// the migrations and in the few named functions of this package.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Dialect names the database behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the application's database. For SQLite it holds two pools: one writer
// connection (SQLite allows one writer at a time; queuing writers in Go instead of
// spinning on SQLITE_BUSY keeps latency flat) and a pool of readers, which WAL lets run
// beside the writer. For PostgreSQL both are the same pool.
type DB struct {
	Dialect Dialect
	writer  *sql.DB
	reader  *sql.DB
	// Path is the SQLite database file; empty for PostgreSQL.
	Path string
	// stmts caches the SQLite readers' prepared statements (see prepared).
	stmtMu sync.RWMutex
	stmts  map[string]*sql.Stmt
}

// maxCachedStmts bounds the statement cache: queries built with a varying WHERE (the
// console's searches) beyond it are simply prepared each time.
const maxCachedStmts = 256

// prepared returns the cached prepared statement of a read query on SQLite's reader
// pool, or nil to run it unprepared. modernc's SQLite compiles the SQL again on every
// call otherwise, which espeks bench's profile of the payslip page put at a sixth of
// the server's CPU; database/sql prepares a cached Stmt once per connection. pgx caches
// prepared statements per connection itself, so PostgreSQL gets nil.
func (d *DB) prepared(ctx context.Context, q string) *sql.Stmt {
	if d.Dialect != SQLite {
		return nil
	}
	d.stmtMu.RLock()
	st, ok := d.stmts[q]
	n := len(d.stmts)
	d.stmtMu.RUnlock()
	if ok || n >= maxCachedStmts {
		return st
	}
	st, err := d.reader.PrepareContext(ctx, q)
	if err != nil {
		return nil // the unprepared call reports the error
	}
	d.stmtMu.Lock()
	defer d.stmtMu.Unlock()
	if old, ok := d.stmts[q]; ok {
		_ = st.Close()
		return old
	}
	if d.stmts == nil {
		d.stmts = map[string]*sql.Stmt{}
	}
	d.stmts[q] = st
	return st
}

// Options says which database to open.
type Options struct {
	// URL is a postgres:// URL; empty means SQLite in DataDir.
	URL     string
	DataDir string
	// MaxConns bounds the PostgreSQL connections of this process (0: DefaultMaxConns).
	MaxConns int
}

// DefaultMaxConns is the PostgreSQL pool's size when none is set. espeks bench, with
// PostgreSQL on the same 2 cores, found no consistent difference between 8 and 32:
// alternating --quick runs favoured 8 (2,541-3,581 req/s on the payslip page against
// 2,122-2,756), two full runs at 8 came out below one at 32 (2,918 and 2,429 req/s
// against 2,948), and the machine's own speed moved as much between runs. 32 stays.
const DefaultMaxConns = 32

// FileName is the SQLite database file inside the data directory.
const FileName = "espeks.db"

// Open connects to the database named by o. It does not migrate: call Migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.URL != "" {
		n := o.MaxConns
		if n <= 0 {
			n = DefaultMaxConns
		}
		return openPostgres(ctx, o.URL, n)
	}
	if err := os.MkdirAll(o.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	return OpenSQLite(ctx, filepath.Join(o.DataDir, FileName))
}

func openPostgres(ctx context.Context, url string, maxConns int) (*DB, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// As many idle connections as open ones: with fewer, a burst of requests closes the
	// connections it gives back beyond the idle limit and opens new ones (a new server
	// process each) moments later. espeks bench measured the bare payslip handler at
	// 1,237 req/s with 16 idle of 32 and 5,026 req/s with 32 of 32.
	pool.SetMaxOpenConns(maxConns)
	pool.SetMaxIdleConns(maxConns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	d := &DB{Dialect: Postgres, writer: pool, reader: pool}
	if err := d.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return d, nil
}

// sqlitePragmas are applied to every connection: WAL so readers never block the writer,
// synchronous=FULL so a committed transaction survives power loss (nothing lost),
// foreign keys on, and a busy timeout so a second process (e.g. `espeks load` beside
// `espeks serve`) waits for the lock instead of failing.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)&_pragma=busy_timeout(30000)"

// writerCache gives the one writer connection an 8 MiB page cache instead of SQLite's
// 2 MB default: a load inserts into several indexes at random places (opaque public
// IDs, payment numbers, vouchers), and with the small cache their pages were written
// out and read back again and again. Measured with `espeks load` of a 137,176-row
// payments file: 4.5-6.2 s at 2 MB, 3.7-4.3 s at 8 MiB, 3.8-3.9 s at 16, 32 and 64 MiB,
// which only add memory (a load's peak RSS counts against QUALITY.md's 200 MB). Readers
// keep the default: there are several, and the pages they read stay in the operating
// system's cache.
const writerCache = "_pragma=cache_size(-8192)"

// OpenSQLite opens (creating if needed) the SQLite database file at path.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	// _txlock=immediate takes the write lock at BEGIN, so a transaction that reads then
	// writes cannot fail half way with SQLITE_BUSY when another process wrote meanwhile.
	w, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_txlock=immediate&"+writerCache)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	r.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	r.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	d := &DB{Dialect: SQLite, writer: w, reader: r, Path: path}
	// The writer is pinged first so WAL mode is set before any reader opens.
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	if d.reader != d.writer {
		if err := d.reader.PingContext(ctx); err != nil {
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
	}
	return nil
}

// ErrUnavailable wraps failures to reach the database, so the web layer can answer 503.
var ErrUnavailable = errors.New("database unavailable")

// Close closes the cached statements and both pools.
func (d *DB) Close() error {
	d.stmtMu.Lock()
	for q, st := range d.stmts {
		_ = st.Close()
		delete(d.stmts, q)
	}
	d.stmtMu.Unlock()
	err := d.writer.Close()
	if d.reader != d.writer {
		err = errors.Join(err, d.reader.Close())
	}
	return err
}

// Writer is the pool that writes; tests and the migrator need it directly.
func (d *DB) Writer() *sql.DB { return d.writer }

// Querier is what stores run SQL on: a transaction or the database itself.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type txKey struct{}

// Q returns the transaction carried by ctx (see WithTx) or, outside one, the database:
// statements that change data go to the writer, queries to the readers.
func (d *DB) Q(ctx context.Context) Querier {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx
	}
	return pools{d}
}

type pools struct{ d *DB }

func (p pools) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.d.writer.ExecContext(ctx, q, args...)
}

// A cached read on SQLite runs under its context without the cancellation: with a
// cancellable one, database/sql starts a goroutine per Rows and modernc's driver another
// per statement to watch it, on every query of every page. The cached statements are the
// portal's own indexed reads; a client that goes away meanwhile costs at most the rest
// of one query, since a handler stops reading rows once it cannot write them.
func (p pools) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := p.d.prepared(ctx, q); st != nil {
		return st.QueryContext(context.WithoutCancel(ctx), args...)
	}
	return p.d.reader.QueryContext(ctx, q, args...)
}

func (p pools) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := p.d.prepared(ctx, q); st != nil {
		return st.QueryRowContext(context.WithoutCancel(ctx), args...)
	}
	return p.d.reader.QueryRowContext(ctx, q, args...)
}

// WithTx runs fn in one transaction on the writer. Stores called with the ctx that fn
// receives take part in the transaction through Q. fn's error (or a panic) rolls back;
// a nested WithTx joins the outer transaction, so a store method that needs atomicity
// can call WithTx whether or not its caller already did.
func (d *DB) WithTx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if _, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return fn(ctx)
	}
	tx, err := d.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// InTx reports whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*sql.Tx)
	return ok
}

// Millis is the storage form of an instant: Unix milliseconds in a BIGINT. One integer
// type compares, sorts and indexes the same way on SQLite and PostgreSQL, which text or
// driver-specific timestamp types do not.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// Time turns stored milliseconds back into a UTC time.
func Time(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// NullTime turns a nullable stored instant into a time (zero when NULL).
func NullTime(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return Time(ms.Int64)
}

// IsUniqueViolation reports whether err is a unique-constraint failure on either database.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	return isUniqueViolation(err)
}
