package db_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/dbtest"
)

var update = flag.Bool("update", false, "rewrite testdata/schema.golden")

// schema lists every table with its columns, sorted, in a dialect-free form.
func schema(t *testing.T, d *db.DB) string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	if d.Dialect == db.Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`
	}
	rows, err := d.Writer().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		if table == "goose_db_version" {
			continue
		}
		lines = append(lines, table+"."+col)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// TestMigrationsSameSchema: both dialects' migrations reach the same tables and columns.
// Each test pass (SQLite, PostgreSQL) compares its own schema with one golden file.
func TestMigrationsSameSchema(t *testing.T) {
	got := schema(t, dbtest.Open(t))
	if *update {
		if err := os.WriteFile("testdata/schema.golden", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/schema.golden")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("schema differs from testdata/schema.golden:\n%s", got)
	}
}

// TestMigrateTwice: migrating an up-to-date database changes nothing and reports current.
func TestMigrateTwice(t *testing.T) {
	d := dbtest.Open(t)
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	ok, err := d.SchemaCurrent(context.Background())
	if err != nil || !ok {
		t.Errorf("schema current = %v, %v", ok, err)
	}
}

// TestWithTx: a failing function rolls back everything it did; nested calls join.
func TestWithTx(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	insert := func(ctx context.Context, event string) error {
		_, err := d.Q(ctx).ExecContext(ctx, `INSERT INTO audit_log (at, event, outcome) VALUES (1, $1, 'success')`, event)
		return err
	}
	boom := errors.New("boom")
	err := d.WithTx(ctx, func(ctx context.Context) error {
		if err := insert(ctx, "a"); err != nil {
			return err
		}
		return d.WithTx(ctx, func(ctx context.Context) error {
			if !db.InTx(ctx) {
				t.Error("nested call is not in the transaction")
			}
			if err := insert(ctx, "b"); err != nil {
				return err
			}
			return boom
		})
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int
	if err := d.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil || n != 0 {
		t.Errorf("rows after rollback = %d (%v)", n, err)
	}
	if err := d.WithTx(ctx, func(ctx context.Context) error { return insert(ctx, "c") }); err != nil {
		t.Fatal(err)
	}
	if err := d.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil || n != 1 {
		t.Errorf("rows after commit = %d (%v)", n, err)
	}
}

// TestAuditLogAppendOnly: the database itself refuses to change or delete audit records.
func TestAuditLogAppendOnly(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	if _, err := d.Q(ctx).ExecContext(ctx, `INSERT INTO audit_log (at, event, outcome) VALUES (1, 'login', 'success')`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Q(ctx).ExecContext(ctx, `UPDATE audit_log SET outcome = 'failure'`); err == nil {
		t.Error("UPDATE of the audit log was allowed")
	}
	if _, err := d.Q(ctx).ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
		t.Error("DELETE from the audit log was allowed")
	}
}

// TestSQLitePragmas: the embedded database runs with the settings that make it safe.
func TestSQLitePragmas(t *testing.T) {
	d, err := db.OpenSQLite(context.Background(), t.TempDir()+"/x.db")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1"} {
		var got string
		if err := d.Writer().QueryRow("PRAGMA " + pragma).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", pragma, got, err, want)
		}
	}
}

// The PostgreSQL pool holds ESPEKS_DATABASE_MAX_CONNS connections, DefaultMaxConns when
// it is 0. SQLite has its own pools (one writer, a few readers) and takes no such setting.
func TestPostgresPoolSize(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("PostgreSQL pass only: SQLite's pools are not set by MaxConns")
	}
	_, url := dbtest.OpenURL(t)
	for _, c := range []struct{ set, want int }{{3, 3}, {0, db.DefaultMaxConns}} {
		d, err := db.Open(context.Background(), db.Options{URL: url, MaxConns: c.set})
		if err != nil {
			t.Fatal(err)
		}
		st := d.Writer().Stats()
		d.Close()
		if st.MaxOpenConnections != c.want {
			t.Errorf("MaxConns %d: pool of %d, want %d", c.set, st.MaxOpenConnections, c.want)
		}
	}
}
