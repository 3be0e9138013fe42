package bench

import (
	"context"
	"fmt"
	"time"
)

// padPayslips adds payslips without items until the database holds total, so the
// page and start-up tests run with QUALITY.md's 1,000,000 payslips without loading
// ~19 million item rows. The padding belongs to owners of its own (84 payslips each:
// seven years of months), spread over the years the portal shows.
func padPayslips(ctx context.Context, in instance, have, total int) (added int, d time.Duration, err error) {
	n := total - have
	if n <= 0 {
		return 0, 0, nil
	}
	start := time.Now()
	dbh, err := in.open(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer dbh.Close()
	err = dbh.WithTx(ctx, func(ctx context.Context) error {
		q := dbh.Q(ctx)
		var runID int64
		if err := q.QueryRowContext(ctx, `INSERT INTO payroll_runs (payroll_id, load_id, loaded_at)
			VALUES ('BENCH-PADDING', (SELECT MIN(id) FROM loads), 0) RETURNING id`).Scan(&runID); err != nil {
			return err
		}
		series := `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2) SELECT i FROM n`
		publicID := `lower(hex(randomblob(12)))`
		owner := `printf('P%011d', i / 84)`
		if in.URL != "" {
			series = `SELECT generate_series(1, $2::bigint) AS i`
			publicID = `substr(md5(random()::text || i::text), 1, 24)`
			owner = `'P' || lpad((i / 84)::text, 11, '0')`
		}
		_, err := q.ExecContext(ctx, `INSERT INTO payslips (public_id, run_id, payroll_id, ic_no, year, month, pay_date, staff_no,
			name, position, grade, department_code, department_name, ptj_code, ptj_name, bank_name, bank_account,
			total_income, total_deductions, total_employer, net_pay)
			SELECT `+publicID+`, $1, 'BENCH-PADDING', `+owner+`, 2020 + (i % 84) / 12, 1 + i % 12, '2020-01-24', 'G0',
				'Pegawai Contoh', 'Pembantu Tadbir', 'N19', '01', 'Jabatan Contoh', '0101', 'Pejabat Contoh', 'Maybank',
				'112233445566', 300000, 50000, 40000, 250000
			FROM (`+series+`) s`, runID, n)
		return err
	})
	return n, time.Since(start), err
}

// settle brings the database to the steady state a running portal would see after a
// load, before the timed page tests: on PostgreSQL, VACUUM ANALYZE (which autovacuum
// does by itself soon after a bulk load: measured without it, its workers ran during
// the page test and the plans had no statistics) and a CHECKPOINT; on SQLite a WAL
// checkpoint (which SQLite's auto-checkpoint also does).
func settle(ctx context.Context, in instance) error {
	dbh, err := in.open(ctx)
	if err != nil {
		return err
	}
	defer dbh.Close()
	stmts := []string{`PRAGMA wal_checkpoint(TRUNCATE)`}
	if in.URL != "" {
		stmts = []string{`VACUUM ANALYZE`, `CHECKPOINT`}
	}
	for _, q := range stmts {
		if _, err := dbh.Writer().ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}
