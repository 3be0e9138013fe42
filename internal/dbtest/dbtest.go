// Package dbtest opens a fresh, migrated database for a test: a SQLite file in the
// test's temporary directory, or — when ESPEKS_TEST_DATABASE_URL names a PostgreSQL
// server (scripts/test.sh starts one) — a new schema of its own on that server, so the
// one store test suite runs unchanged on both databases.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/espeks/espeks/internal/db"
)

// EnvURL is the variable naming the test PostgreSQL server.
const EnvURL = "ESPEKS_TEST_DATABASE_URL"

// Open returns a migrated database that is closed (and, on PostgreSQL, dropped) when
// the test ends.
func Open(t testing.TB) *db.DB {
	t.Helper()
	d, _ := OpenURL(t)
	return d
}

// OpenURL is Open that also returns the database URL (empty for SQLite) and, through
// ESPEKS_DATA_DIR semantics, lets a test start the real binary on the same database.
func OpenURL(t testing.TB) (*db.DB, string) {
	t.Helper()
	ctx := context.Background()
	base := os.Getenv(EnvURL)
	if base == "" {
		d, err := db.OpenSQLite(ctx, t.TempDir()+"/"+db.FileName)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		migrate(t, d)
		return d, ""
	}
	schema := newSchema(t, base)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	d, err := db.Open(ctx, db.Options{URL: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	migrate(t, d)
	return d, u.String()
}

func migrate(t testing.TB, d *db.DB) {
	t.Helper()
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func newSchema(t testing.TB, base string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	return schema
}
