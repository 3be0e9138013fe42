package payslip

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/money"
)

// ErrNotFound means no payslip of this owner has that ID: another person's payslip is
// answered exactly like one that does not exist.
var ErrNotFound = errors.New("payslip not found")

// Store reads payslips. Every method takes the owner's normalised No. KP and puts it in
// its WHERE clause: scoping lives here, not in the handlers (QUALITY.md, Access control).
type Store struct {
	DB *db.DB
	// Since is the first year shown (retention): older payslips stay in the database,
	// hidden from users.
	Since func() int
}

func (s *Store) since() int {
	if s.Since == nil {
		return 0
	}
	return s.Since()
}

// Summary is one line of a month's list.
type Summary struct {
	PublicID  string
	PayrollID string
	Year      int
	Month     int
	PayDate   civil.Date
	NetPay    money.Sen
}

// Month lists the owner's payslips of a month (normally one; more with supplementary runs).
func (s *Store) Month(ctx context.Context, owner string, year, month int) ([]Summary, error) {
	return s.summaries(ctx, `WHERE ic_no = $1 AND year = $2 AND month = $3 AND year >= $4 ORDER BY pay_date, payroll_id`,
		owner, year, month, s.since())
}

// Recent lists the owner's payslips of the last n months with a payslip, newest first
// (the home page's chart and latest payslip).
func (s *Store) Recent(ctx context.Context, owner string, limit int) ([]Summary, error) {
	return s.summaries(ctx, `WHERE ic_no = $1 AND year >= $2 ORDER BY year DESC, month DESC, pay_date DESC, payroll_id DESC LIMIT $3`,
		owner, s.since(), limit)
}

func (s *Store) summaries(ctx context.Context, where string, args ...any) ([]Summary, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT public_id, payroll_id, year, month, pay_date, net_pay FROM payslips `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var m Summary
		var net int64
		if err := rows.Scan(&m.PublicID, &m.PayrollID, &m.Year, &m.Month, &m.PayDate, &net); err != nil {
			return nil, err
		}
		m.NetPay = money.Sen(net)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Years lists the years in which the owner has payslips, newest first.
func (s *Store) Years(ctx context.Context, owner string) ([]int, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT DISTINCT year FROM payslips WHERE ic_no = $1 AND year >= $2 ORDER BY year DESC`, owner, s.since())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// Get returns one payslip of the owner by its public ID, with its items, in one query:
// the items come aggregated into one text column (getQuery). It runs on every payslip
// page; on PostgreSQL a second round trip for the items was a third of the page's
// queries, and on SQLite each item row cost a row of driver work and four strings.
func (s *Store) Get(ctx context.Context, owner, publicID string) (Payslip, error) {
	var p Payslip
	var inc, ded, emp, net int64
	var items sql.NullString
	err := s.DB.Q(ctx).QueryRowContext(ctx, getQuery, publicID, owner, s.since(), fieldSep, itemSep).Scan(
		&p.PublicID, &p.PayrollID, &p.Year, &p.Month, &p.PayDate, &p.ICNo, &p.StaffNo, &p.Name, &p.Position, &p.Grade,
		&p.DepartmentCode, &p.DepartmentName, &p.PTJCode, &p.PTJName, &p.BankName, &p.BankAccount, &p.EPFNo, &p.SOCSONo, &p.TaxNo,
		&inc, &ded, &emp, &net, &items)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, err
	}
	p.TotalIncome, p.TotalDeductions, p.TotalEmployer, p.NetPay = money.Sen(inc), money.Sen(ded), money.Sen(emp), money.Sen(net)
	if !items.Valid {
		return p, nil
	}
	for rest := items.String; rest != ""; {
		var row string
		row, rest, _ = strings.Cut(rest, itemSep)
		it, err := parseItem(row)
		if err != nil {
			return p, fmt.Errorf("payslip %s: %w", publicID, err)
		}
		switch Categories[it.Category] {
		case Income:
			p.Income = append(p.Income, it)
		case Deduction:
			p.Deductions = append(p.Deductions, it)
		default:
			p.Employer = append(p.Employer, it)
		}
	}
	return p, nil
}

// The separators of getQuery's aggregated items: control characters, which the loader
// refuses in every text cell (load.text.control), so no code or name contains them.
const (
	fieldSep = "\x1f" // between an item's code, name, category and amount
	itemSep  = "\x1e" // between items
)

// getQuery reads a payslip with its items in line order as one string (string_agg with
// ORDER BY: PostgreSQL, and SQLite since 3.44).
const getQuery = `
	SELECT public_id, payroll_id, year, month, pay_date, ic_no, staff_no, name, position, grade,
		department_code, department_name, ptj_code, ptj_name, bank_name, bank_account, epf_no, socso_no, tax_no,
		total_income, total_deductions, total_employer, net_pay,
		(SELECT string_agg(i.item_code || $4 || i.item_name || $4 || i.category || $4 || CAST(i.amount AS TEXT), $5 ORDER BY i.line)
			FROM payslip_items i WHERE i.payslip_id = payslips.id)
	FROM payslips WHERE public_id = $1 AND ic_no = $2 AND year >= $3`

// parseItem reads one item of getQuery's aggregate: code, name, category, amount in sen.
func parseItem(row string) (Item, error) {
	var it Item
	f := strings.SplitN(row, fieldSep, 4)
	if len(f) != 4 {
		return it, fmt.Errorf("malformed item %q", row)
	}
	amt, err := strconv.ParseInt(f[3], 10, 64)
	if err != nil {
		return it, fmt.Errorf("malformed item amount %q", f[3])
	}
	it.Code, it.Name, it.Category, it.Amount = f[0], f[1], f[2], money.Sen(amt)
	return it, nil
}

// ecLine says where each category goes on the Borang EC (DATA.md).
var ecLine = map[string]func(*EC) *money.Sen{
	"BASIC": func(e *EC) *money.Sen { return &e.B1a }, "OVERTIME": func(e *EC) *money.Sen { return &e.B1a },
	"BONUS":     func(e *EC) *money.Sen { return &e.B1b },
	"ALLOWANCE": func(e *EC) *money.Sen { return &e.B1c }, "OTHER_INCOME": func(e *EC) *money.Sen { return &e.B1c },
	"ALLOWANCE_EXEMPT": func(e *EC) *money.Sen { return &e.F },
	"GRATUITY":         func(e *EC) *money.Sen { return &e.B1d },
	"ARREARS":          func(e *EC) *money.Sen { return &e.B2 },
	"PENSION":          func(e *EC) *money.Sen { return &e.C },
	"PCB":              func(e *EC) *money.Sen { return &e.D1 }, "CP38": func(e *EC) *money.Sen { return &e.D2 },
	"ZAKAT": func(e *EC) *money.Sen { return &e.D3 },
	"EPF":   func(e *EC) *money.Sen { return &e.E1 },
	"SOCSO": func(e *EC) *money.Sen { return &e.E2 }, "EIS": func(e *EC) *money.Sen { return &e.E2 },
}

// EC sums the owner's payslips of a year by category into a Borang EC. Section A comes
// from the latest payslip of the year. ErrNotFound when the year has no payslip.
func (s *Store) EC(ctx context.Context, owner string, year int, employer Employer) (EC, error) {
	e := EC{Year: year, Employer: employer}
	if year < s.since() {
		return e, ErrNotFound
	}
	err := s.DB.Q(ctx).QueryRowContext(ctx, `
		SELECT name, ic_no, staff_no, position, grade, tax_no, epf_no, socso_no, department_name, ptj_code, ptj_name
		FROM payslips WHERE ic_no = $1 AND year = $2 ORDER BY month DESC, pay_date DESC, payroll_id DESC LIMIT 1`, owner, year).Scan(
		&e.Name, &e.ICNo, &e.StaffNo, &e.Position, &e.Grade, &e.TaxNo, &e.EPFNo, &e.SOCSONo, &e.DepartmentName, &e.PTJCode, &e.PTJName)
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	if err != nil {
		return e, err
	}
	if err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM payslips WHERE ic_no = $1 AND year = $2`, owner, year).Scan(&e.Payslips); err != nil {
		return e, err
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `
		SELECT i.category, SUM(i.amount) FROM payslip_items i JOIN payslips p ON p.id = i.payslip_id
		WHERE p.ic_no = $1 AND p.year = $2 GROUP BY i.category`, owner, year)
	if err != nil {
		return e, err
	}
	defer rows.Close()
	for rows.Next() {
		var cat string
		var sum int64
		if err := rows.Scan(&cat, &sum); err != nil {
			return e, err
		}
		if line, ok := ecLine[cat]; ok {
			*line(&e) += money.Sen(sum)
		}
	}
	return e, rows.Err()
}

// Since7Years is the default retention: payslips of the last seven calendar years.
func Since7Years(now func() time.Time) func() int {
	return func() int { return now().Year() - 6 }
}
