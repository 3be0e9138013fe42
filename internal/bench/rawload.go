package bench

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/money"
	"github.com/espeks/espeks/internal/payslip"
)

// The raw load baselines write the same rows into the same tables (same schema, same
// indexes and foreign keys, one transaction) with nothing else: no validation, no
// hashing, no bookkeeping. SQLite gets a prepared INSERT per row on the production
// connection settings; PostgreSQL gets pgx's COPY. Each file is read with encoding/csv
// once per table written (as the loader's write passes do); the files group the rows of
// a payslip or a payment together, which is what lets the raw load stream.

// rawSink writes rows of a table.
type rawSink interface {
	exec(ctx context.Context, q string, args ...any) error
	copy(ctx context.Context, table string, cols []string, next func(vals []any) (bool, error)) error
}

// withRawSink runs fn in one transaction on a fresh connection to the instance.
func withRawSink(ctx context.Context, in instance, fn func(s rawSink) error) error {
	if in.URL == "" {
		d, err := db.OpenSQLite(ctx, filepath.Join(in.DataDir, db.FileName))
		if err != nil {
			return err
		}
		defer d.Close()
		return d.WithTx(ctx, func(ctx context.Context) error {
			tx, ok := d.Q(ctx).(*sql.Tx)
			if !ok {
				return errors.New("no transaction")
			}
			return fn(sqliteSink{tx})
		})
	}
	conn, err := pgx.Connect(ctx, in.URL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(pgSink{tx}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

type sqliteSink struct{ tx *sql.Tx }

func (s sqliteSink) exec(ctx context.Context, q string, args ...any) error {
	_, err := s.tx.ExecContext(ctx, q, args...)
	return err
}

func (s sqliteSink) copy(ctx context.Context, table string, cols []string, next func(vals []any) (bool, error)) error {
	marks := make([]string, len(cols))
	for i := range marks {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	stmt, err := s.tx.PrepareContext(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES (`+strings.Join(marks, ", ")+`)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	vals := make([]any, len(cols))
	// As in the loader: a context that cannot be cancelled spares the driver a
	// watching goroutine per statement.
	rowCtx := context.WithoutCancel(ctx)
	for {
		ok, err := next(vals)
		if err != nil || !ok {
			return err
		}
		if _, err := stmt.ExecContext(rowCtx, vals...); err != nil {
			return err
		}
	}
}

type pgSink struct{ tx pgx.Tx }

func (s pgSink) exec(ctx context.Context, q string, args ...any) error {
	_, err := s.tx.Exec(ctx, q, args...)
	return err
}

func (s pgSink) copy(ctx context.Context, table string, cols []string, next func(vals []any) (bool, error)) error {
	vals := make([]any, len(cols))
	_, err := s.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		ok, err := next(vals)
		if err != nil || !ok {
			return nil, err
		}
		return vals, nil
	}))
	return err
}

// csvRows reads a CSV file with a header row.
type csvRows struct {
	f    *os.File
	r    *csv.Reader
	col  map[string]int
	rec  []string
	peek bool // rec holds a row not yet consumed
	err  error
}

func openCSV(path string) (*csvRows, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	hdr, err := r.Read()
	if err != nil {
		f.Close()
		return nil, err
	}
	c := &csvRows{f: f, r: r, col: map[string]int{}}
	for i, h := range hdr {
		c.col[strings.TrimSpace(h)] = i
	}
	return c, nil
}

func (c *csvRows) next() bool {
	if c.peek {
		c.peek = false
		return true
	}
	if c.err != nil {
		return false
	}
	c.rec, c.err = c.r.Read()
	if c.err == io.EOF {
		return false
	}
	return c.err == nil
}

func (c *csvRows) unread() { c.peek = true }

func (c *csvRows) get(name string) string { return c.rec[c.col[name]] }

func (c *csvRows) close() error {
	c.f.Close()
	if c.err == io.EOF {
		return nil
	}
	return c.err
}

func randomPublicID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func normalizeID(s string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s)))
}

func isoDay(s string) string {
	d, err := civil.Parse(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	return d.String()
}

func sen(s string) int64 {
	v, _ := money.Parse(strings.TrimSpace(s))
	return int64(v)
}

// rawPayroll writes the payroll file's runs, payslips and items. runs are the file's
// payroll IDs (found when the file was generated, outside the timing).
func rawPayroll(ctx context.Context, in instance, path string, runs []string) (rows int, d time.Duration, err error) {
	start := time.Now()
	now := time.Now().UnixMilli()
	err = withRawSink(ctx, in, func(s rawSink) error {
		if err := s.exec(ctx, `INSERT INTO loads (id, kind, file_name, content_hash, status, row_count, via, created_at)
			VALUES (1, 'payroll', 'raw', 'raw-payroll', 'ACCEPTED', 0, 'cli', $1)`, now); err != nil {
			return err
		}
		runID := map[string]int64{}
		for i, pid := range runs {
			runID[pid] = int64(i + 1)
			if err := s.exec(ctx, `INSERT INTO payroll_runs (id, payroll_id, load_id, loaded_at) VALUES ($1, $2, 1, $3)`, i+1, pid, now); err != nil {
				return err
			}
		}
		// Pass 1: a payslip per group of rows, with its totals.
		c, err := openCSV(path)
		if err != nil {
			return err
		}
		var id int64
		err = s.copy(ctx, "payslips", []string{"id", "public_id", "run_id", "payroll_id", "ic_no", "year", "month", "pay_date",
			"staff_no", "name", "position", "grade", "department_code", "department_name", "ptj_code", "ptj_name", "bank_name",
			"bank_account", "epf_no", "socso_no", "tax_no", "total_income", "total_deductions", "total_employer", "net_pay"},
			func(v []any) (bool, error) {
				if !c.next() {
					return false, nil
				}
				pid, ic := c.get("payroll_id"), c.get("ic_no")
				id++
				v[0], v[1], v[2], v[3], v[4] = id, randomPublicID(), runID[pid], pid, normalizeID(ic)
				year, _ := strconv.Atoi(strings.TrimSpace(c.get("year")))
				month, _ := strconv.Atoi(strings.TrimSpace(c.get("month")))
				v[5], v[6], v[7] = year, month, isoDay(c.get("pay_date"))
				for i, col := range []string{"staff_no", "name", "position", "grade", "department_code", "department_name",
					"ptj_code", "ptj_name", "bank_name", "bank_account", "epf_no", "socso_no", "tax_no"} {
					v[8+i] = strings.TrimSpace(c.get(col))
				}
				var inc, ded, emp int64
				for {
					amt := sen(c.get("amount"))
					switch payslip.Categories[c.get("category")] {
					case payslip.Income:
						inc += amt
					case payslip.Deduction:
						ded += amt
					default:
						emp += amt
					}
					if !c.next() {
						break
					}
					if c.get("payroll_id") != pid || c.get("ic_no") != ic {
						c.unread()
						break
					}
				}
				v[21], v[22], v[23], v[24] = inc, ded, emp, inc-ded
				return true, nil
			})
		if cerr := c.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		// Pass 2: the items.
		if c, err = openCSV(path); err != nil {
			return err
		}
		id, rows = 0, 0
		var prevPid, prevIC string
		line := 0
		err = s.copy(ctx, "payslip_items", []string{"payslip_id", "line", "item_code", "item_name", "category", "amount"},
			func(v []any) (bool, error) {
				if !c.next() {
					return false, nil
				}
				rows++
				if pid, ic := c.get("payroll_id"), c.get("ic_no"); pid != prevPid || ic != prevIC {
					id++
					line = 0
					prevPid, prevIC = pid, ic
				}
				line++
				v[0], v[1], v[2], v[3] = id, line, strings.TrimSpace(c.get("item_code")), strings.TrimSpace(c.get("item_name"))
				v[4], v[5] = c.get("category"), sen(c.get("amount"))
				return true, nil
			})
		if cerr := c.close(); err == nil {
			err = cerr
		}
		return err
	})
	return rows, time.Since(start), err
}

// rawPayments writes the payments file's payments, lines and first statuses.
func rawPayments(ctx context.Context, in instance, path string) (rows int, d time.Duration, err error) {
	start := time.Now()
	err = withRawSink(ctx, in, func(s rawSink) error {
		rows, err = rawPaymentsTo(ctx, s, path)
		return err
	})
	return rows, time.Since(start), err
}

func rawPaymentsTo(ctx context.Context, s rawSink, path string) (rows int, err error) {
	now := time.Now().UnixMilli()
	err = func() error {
		if err := s.exec(ctx, `INSERT INTO loads (id, kind, file_name, content_hash, status, row_count, via, created_at)
			VALUES (2, 'payments', 'raw', 'raw-payments', 'ACCEPTED', 0, 'cli', $1)`, now); err != nil {
			return err
		}
		c, err := openCSV(path)
		if err != nil {
			return err
		}
		var id int64
		err = s.copy(ctx, "payments", []string{"id", "public_id", "payment_no", "payee_id", "payee_name", "mode", "payment_date",
			"status", "bank_name", "bank_account", "amount", "fingerprint", "load_id", "updated_at"},
			func(v []any) (bool, error) {
				if !c.next() {
					return false, nil
				}
				no := c.get("payment_no")
				id++
				v[0], v[1], v[2], v[3] = id, randomPublicID(), no, normalizeID(c.get("payee_id"))
				v[4], v[5], v[6] = c.get("payee_name"), c.get("payment_mode"), isoDay(c.get("payment_date"))
				v[7], v[8], v[9] = c.get("status"), c.get("bank_name"), c.get("bank_account")
				v[10], v[11], v[12], v[13] = sen(c.get("payment_amount")), no, int64(2), now
				for c.next() {
					if c.get("payment_no") != no {
						c.unread()
						break
					}
				}
				return true, nil
			})
		if cerr := c.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if c, err = openCSV(path); err != nil {
			return err
		}
		id, rows = 0, 0
		prev, line := "", 0
		err = s.copy(ctx, "payment_lines", []string{"payment_id", "line", "voucher_no", "voucher_date", "invoice_no", "ptj_code",
			"ptj_name", "description", "amount"},
			func(v []any) (bool, error) {
				if !c.next() {
					return false, nil
				}
				rows++
				if no := c.get("payment_no"); no != prev {
					id++
					line = 0
					prev = no
				}
				line++
				v[0], v[1], v[2], v[3] = id, line, c.get("voucher_no"), isoDay(c.get("voucher_date"))
				v[4], v[5], v[6] = c.get("invoice_no"), c.get("ptj_code"), c.get("ptj_name")
				v[7], v[8] = c.get("description"), sen(c.get("amount"))
				return true, nil
			})
		if cerr := c.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return s.exec(ctx, `INSERT INTO payment_status_history (payment_id, status, changed_at, load_id)
			SELECT id, status, $1, 2 FROM payments WHERE load_id = 2`, now)
	}()
	return rows, err
}

// payrollRuns lists the payroll IDs of a payroll file and counts its payslips (rows
// of one payslip are together). It reads the first five columns (payroll_id, year,
// month, pay_date, ic_no), which the demo generator never quotes.
func payrollRuns(path string) (runs []string, payslips int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(bufio.NewReaderSize(f, 1<<20))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	seen := map[string]bool{}
	var prev []byte
	header := true
	for sc.Scan() {
		if header {
			header = false
			continue
		}
		line := sc.Bytes()
		end, commas := 0, 0
		for end < len(line) && commas < 5 {
			if line[end] == ',' {
				commas++
			}
			end++
		}
		key := line[:end]
		pid, _, _ := bytes.Cut(key, []byte(","))
		if !seen[string(pid)] {
			seen[string(pid)] = true
			runs = append(runs, string(pid))
		}
		if !bytes.Equal(key, prev) {
			payslips++
			prev = append(prev[:0], key...)
		}
	}
	return runs, payslips, sc.Err()
}

const rawLoadDone = "espeks-bench-raw-load"

// bareTables are, per load kind, the tables its raw load writes after the first
// (loads, payroll_runs), in an order in which each can be dropped (referencing first).
var bareTables = map[string][]string{
	"payroll":  {"payslip_items", "payslips"},
	"payments": {"payment_checks", "payment_status_history", "payment_lines", "payments"},
}

// stripTables replaces a load kind's tables by bare copies: the same columns, with no
// primary key, index, unique or foreign key and no check. A raw load into them shows
// what the keeping of those costs, which no loader can avoid while the portal needs
// them for its lookups and its guarantees.
func stripTables(ctx context.Context, in instance, kind string) error {
	d, err := in.open(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	tables := bareTables[kind]
	if tables == nil {
		return fmt.Errorf("no tables for %q", kind)
	}
	return d.WithTx(ctx, func(ctx context.Context) error {
		q := d.Q(ctx)
		for _, t := range tables {
			if _, err := q.ExecContext(ctx, `CREATE TABLE bare_`+t+` AS SELECT * FROM `+t+` WHERE 1 = 0`); err != nil {
				return err
			}
		}
		for _, t := range tables {
			if _, err := q.ExecContext(ctx, `DROP TABLE `+t); err != nil {
				return err
			}
		}
		for _, t := range tables {
			if _, err := q.ExecContext(ctx, `ALTER TABLE bare_`+t+` RENAME TO `+t); err != nil {
				return err
			}
		}
		return nil
	})
}

// RawLoad is `espeks bench --raw-load payroll|payments FILE`, the load baselines in a
// process of their own (so their peak RSS is measured like `espeks load`'s): it writes
// the file's rows into the database the environment names (ESPEKS_DATA_DIR or
// ESPEKS_DATABASE_URL) and prints the rows and the seconds the writing took.
//
// With bare, the kind's tables are first replaced by copies without keys, indexes or
// checks (stripTables), outside the timing.
func RawLoad(ctx context.Context, getenv func(string) string, kind, path string, bare bool, out io.Writer) error {
	in := instance{DataDir: getenv("ESPEKS_DATA_DIR"), URL: getenv("ESPEKS_DATABASE_URL")}
	if bare {
		if err := stripTables(ctx, in, kind); err != nil {
			return fmt.Errorf("bare tables: %w", err)
		}
	}
	var rows int
	var d time.Duration
	var err error
	switch kind {
	case "payroll":
		var runs []string
		if runs, _, err = payrollRuns(path); err != nil {
			return err
		}
		rows, d, err = rawPayroll(ctx, in, path, runs)
	case "payments":
		rows, d, err = rawPayments(ctx, in, path)
	default:
		return fmt.Errorf("--raw-load payroll|payments, not %q", kind)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s rows=%d seconds=%.6f\n", rawLoadDone, rows, d.Seconds())
	return err
}
