package db

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// Read queries on SQLite reuse one prepared statement per query text; the cache stops
// growing at its bound (queries beyond it still run), sees writes made after it
// prepared, and closes cleanly.
func TestSQLiteStatementCache(t *testing.T) {
	ctx := context.Background()
	d, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Q(ctx).ExecContext(ctx, `CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		t.Fatal(err)
	}
	const q = `SELECT count(*) FROM t WHERE k > $1`
	for i := range 3 {
		var n int
		if err := d.Q(ctx).QueryRowContext(ctx, q, 0).Scan(&n); err != nil || n != i {
			t.Fatalf("round %d: count %d, %v", i, n, err)
		}
		if _, err := d.Q(ctx).ExecContext(ctx, `INSERT INTO t (k, v) VALUES ($1, 'x')`, i+1); err != nil {
			t.Fatal(err)
		}
	}
	if len(d.stmts) != 1 || d.stmts[q] == nil {
		t.Fatalf("cache holds %d statements", len(d.stmts))
	}
	for i := range maxCachedStmts + 20 {
		rows, err := d.Q(ctx).QueryContext(ctx, fmt.Sprintf(`SELECT v FROM t WHERE k = %d`, i))
		if err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
		rows.Close()
	}
	if len(d.stmts) != maxCachedStmts {
		t.Errorf("cache grew to %d, bound %d", len(d.stmts), maxCachedStmts)
	}
	// A bad query still reports its error, and is not cached.
	if err := d.Q(ctx).QueryRowContext(ctx, `SELECT nope FROM t`).Scan(new(int)); err == nil {
		t.Error("bad query answered")
	}
	if err := d.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if len(d.stmts) != 0 {
		t.Errorf("%d statements left after Close", len(d.stmts))
	}
}
