package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/db"
)

// dbTarget is one database engine under test. On SQLite every instance is a file in
// a directory of its own; on PostgreSQL a schema of its own in the given database.
type dbTarget struct {
	Name   string
	pgBase string // "" for SQLite
	dir    string
	prefix string // PostgreSQL schema prefix of this run
	admin  *sql.DB
	made   []instance
	// pgMaster is the PostgreSQL postmaster's process ID when it runs on this machine.
	pgMaster int
}

// instance is one database: the application's of a data set, or a raw baseline's.
type instance struct {
	Name    string
	DataDir string // SQLite
	URL     string // PostgreSQL, with search_path set to the instance's schema
	schema  string
}

func (t *dbTarget) postgres() bool { return t.pgBase != "" }

func (t *dbTarget) init(ctx context.Context) error {
	if !t.postgres() {
		return os.MkdirAll(t.dir, 0o750)
	}
	if !strings.HasPrefix(t.pgBase, "postgres://") && !strings.HasPrefix(t.pgBase, "postgresql://") {
		return fmt.Errorf("--postgres must be a postgres:// URL")
	}
	admin, err := sql.Open("pgx", t.pgBase)
	if err != nil {
		return err
	}
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		return fmt.Errorf("connect: %w", err)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	t.admin, t.prefix = admin, "espeks_bench_"+hex.EncodeToString(b)
	// The server's CPU is measured too when it runs on this machine.
	var backend int
	if err := admin.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&backend); err == nil {
		t.pgMaster = postmasterOf(backend)
	}
	return nil
}

// info describes the server: version and the settings that decide write speed.
func (t *dbTarget) info(ctx context.Context) string {
	if !t.postgres() {
		var v string
		d, err := db.OpenSQLite(ctx, filepath.Join(t.dir, "version.db"))
		if err == nil {
			_ = d.Q(ctx).QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v)
			d.Close()
		}
		_ = os.Remove(filepath.Join(t.dir, "version.db"))
		return "SQLite " + v + " (modernc.org/sqlite), WAL, synchronous=FULL, one writer connection, as in production"
	}
	var version string
	_ = t.admin.QueryRowContext(ctx, `SHOW server_version`).Scan(&version)
	var parts []string
	for _, s := range []string{"fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "max_connections"} {
		var v string
		if err := t.admin.QueryRowContext(ctx, `SELECT current_setting($1)`, s).Scan(&v); err == nil {
			parts = append(parts, s+"="+v)
		}
	}
	return "PostgreSQL " + version + " (" + strings.Join(parts, ", ") + "), over a unix socket or TCP as given by the URL"
}

// newInstance makes an empty, migrated database.
func (t *dbTarget) newInstance(ctx context.Context, name string) (instance, error) {
	in := instance{Name: name}
	if !t.postgres() {
		in.DataDir = filepath.Join(t.dir, name)
		if err := os.RemoveAll(in.DataDir); err != nil {
			return in, err
		}
	} else {
		in.schema = t.prefix + "_" + name
		if _, err := t.admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+in.schema+` CASCADE`); err != nil {
			return in, err
		}
		if _, err := t.admin.ExecContext(ctx, `CREATE SCHEMA `+in.schema); err != nil {
			return in, err
		}
		u, err := url.Parse(t.pgBase)
		if err != nil {
			return in, err
		}
		q := u.Query()
		q.Set("search_path", in.schema)
		u.RawQuery = q.Encode()
		in.URL = u.String()
	}
	t.made = append(t.made, in)
	d, err := in.open(ctx)
	if err != nil {
		return in, err
	}
	defer d.Close()
	return in, d.Migrate(ctx)
}

func (in instance) open(ctx context.Context) (*db.DB, error) {
	return db.Open(ctx, db.Options{URL: in.URL, DataDir: in.DataDir})
}

// env points a child process at the instance.
func (in instance) env() []string {
	if in.URL != "" {
		return []string{"ESPEKS_DATABASE_URL=" + in.URL}
	}
	return []string{"ESPEKS_DATA_DIR=" + in.DataDir}
}

// drop removes an instance.
func (t *dbTarget) drop(ctx context.Context, in instance) {
	if in.DataDir != "" {
		_ = os.RemoveAll(in.DataDir)
		return
	}
	if in.schema != "" && t.admin != nil {
		_, _ = t.admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+in.schema+` CASCADE`)
	}
}

func (t *dbTarget) cleanup(ctx context.Context) {
	for _, in := range t.made {
		t.drop(ctx, in)
	}
	t.made = nil
	if t.admin != nil {
		t.admin.Close()
		t.admin = nil
	}
}

// sessions is PostgreSQL's count of connections ever made to the database, read after
// the backends' statistics have been flushed (they are at most a second late).
func (t *dbTarget) sessions(ctx context.Context) int64 {
	if !t.postgres() {
		return -1
	}
	time.Sleep(1100 * time.Millisecond)
	var n int64
	if _, err := t.admin.ExecContext(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		return -1
	}
	if err := t.admin.QueryRowContext(ctx, `SELECT sessions FROM pg_stat_database WHERE datname = current_database()`).Scan(&n); err != nil {
		return -1
	}
	return n
}
