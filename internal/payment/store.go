package payment

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/money"
)

// ErrNotFound means no payment to this payee has that ID: another person's payment is
// answered exactly like one that does not exist.
var ErrNotFound = errors.New("payment not found")

// Store reads payments. Every method takes the payee's normalised ID and filters by it
// in SQL: scoping lives here, not in the handlers.
type Store struct {
	DB *db.DB
	// Since is the first payment date shown (retention).
	Since func() civil.Date
	Now   func() time.Time
}

func (s *Store) since() string {
	if s.Since == nil {
		return "0000-00-00"
	}
	return s.Since().String()
}

// Summary is one line of the eMaklum list.
type Summary struct {
	PublicID    string
	PaymentNo   string
	PaymentDate civil.Date
	Mode        string
	Status      string
	Amount      money.Sen
}

// Query selects payments of one payee.
type Query struct {
	From, To civil.Date // inclusive
	Search   string     // a No. Invois or No. Baucar, exact
	Limit    int
	Offset   int
}

func (q Query) where(owner, since string) (string, []any) {
	w := `WHERE p.payee_id = $1 AND p.payment_date >= $2 AND p.payment_date <= $3 AND p.payment_date >= $4`
	args := []any{owner, q.From.String(), q.To.String(), since}
	if s := strings.TrimSpace(q.Search); s != "" {
		w += ` AND EXISTS (SELECT 1 FROM payment_lines l WHERE l.payment_id = p.id AND (l.voucher_no = $5 OR l.invoice_no = $5))`
		args = append(args, s)
	}
	return w, args
}

// List returns a page of the payee's payments in the range, oldest first, with the
// count and total of the whole range.
func (s *Store) List(ctx context.Context, owner string, q Query) (list []Summary, count int, total money.Sen, err error) {
	where, args := q.where(owner, s.since())
	var sum int64
	if err = s.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(p.amount), 0) FROM payments p `+where, args...).Scan(&count, &sum); err != nil {
		return nil, 0, 0, err
	}
	n := len(args)
	args = append(args, q.Limit, q.Offset)
	err = s.each(ctx, `SELECT p.public_id, p.payment_no, p.payment_date, p.mode, p.status, p.amount FROM payments p `+where+
		` ORDER BY p.payment_date, p.payment_no LIMIT $`+itoa(n+1)+` OFFSET $`+itoa(n+2), args, func(m Summary) error {
		list = append(list, m)
		return nil
	})
	return list, count, money.Sen(sum), err
}

// Each calls fn for every payment of the payee in the range (the CSV download streams).
func (s *Store) Each(ctx context.Context, owner string, q Query, fn func(Summary) error) error {
	where, args := q.where(owner, s.since())
	return s.each(ctx, `SELECT p.public_id, p.payment_no, p.payment_date, p.mode, p.status, p.amount FROM payments p `+where+
		` ORDER BY p.payment_date, p.payment_no`, args, fn)
}

func (s *Store) each(ctx context.Context, q string, args []any, fn func(Summary) error) error {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m Summary
		var amt int64
		if err := rows.Scan(&m.PublicID, &m.PaymentNo, &m.PaymentDate, &m.Mode, &m.Status, &amt); err != nil {
			return err
		}
		m.Amount = money.Sen(amt)
		if err := fn(m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Recent returns the payee's newest payments.
func (s *Store) Recent(ctx context.Context, owner string, limit int) ([]Summary, error) {
	var out []Summary
	err := s.each(ctx, `SELECT public_id, payment_no, payment_date, mode, status, amount FROM payments p
		WHERE payee_id = $1 AND payment_date >= $2 ORDER BY payment_date DESC, payment_no DESC LIMIT $3`,
		[]any{owner, s.since(), limit}, func(m Summary) error { out = append(out, m); return nil })
	return out, err
}

// MonthTotals sums the payee's payments per month from a date on ("YYYY-MM" → total);
// cancelled and failed payments are left out, since no money arrived.
func (s *Store) MonthTotals(ctx context.Context, owner string, from civil.Date) (map[string]money.Sen, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT SUBSTR(payment_date, 1, 7), SUM(amount) FROM payments
		WHERE payee_id = $1 AND payment_date >= $2 AND status NOT IN ('DIBATALKAN', 'GAGAL') GROUP BY SUBSTR(payment_date, 1, 7)`,
		owner, from.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]money.Sen{}
	for rows.Next() {
		var m string
		var sum int64
		if err := rows.Scan(&m, &sum); err != nil {
			return nil, err
		}
		out[m] = money.Sen(sum)
	}
	return out, rows.Err()
}

// Get returns one of the payee's payments with its lines and status history.
func (s *Store) Get(ctx context.Context, owner, publicID string) (Payment, int64, error) {
	var p Payment
	var id, amt int64
	err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT id, public_id, payment_no, payee_id, payee_name, mode, payment_date, status,
		bank_name, bank_account, amount FROM payments WHERE public_id = $1 AND payee_id = $2 AND payment_date >= $3`,
		publicID, owner, s.since()).Scan(&id, &p.PublicID, &p.PaymentNo, &p.PayeeID, &p.PayeeName, &p.Mode, &p.PaymentDate,
		&p.Status, &p.BankName, &p.BankAccount, &amt)
	if errors.Is(err, sql.ErrNoRows) {
		return p, 0, ErrNotFound
	}
	if err != nil {
		return p, 0, err
	}
	p.Amount = money.Sen(amt)
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT voucher_no, voucher_date, invoice_no, ptj_code, ptj_name, description, amount
		FROM payment_lines WHERE payment_id = $1 ORDER BY line`, id)
	if err != nil {
		return p, 0, err
	}
	for rows.Next() {
		var l Line
		var a int64
		if err := rows.Scan(&l.VoucherNo, &l.VoucherDate, &l.InvoiceNo, &l.PTJCode, &l.PTJName, &l.Description, &a); err != nil {
			rows.Close()
			return p, 0, err
		}
		l.Amount = money.Sen(a)
		p.Lines = append(p.Lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, 0, err
	}
	hist, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT status, changed_at FROM payment_status_history WHERE payment_id = $1 ORDER BY changed_at`, id)
	if err != nil {
		return p, 0, err
	}
	defer hist.Close()
	for hist.Next() {
		var c StatusChange
		var at int64
		if err := hist.Scan(&c.Status, &at); err != nil {
			return p, 0, err
		}
		c.At = db.Time(at)
		p.History = append(p.History, c)
	}
	return p, id, hist.Err()
}

// NeedsCheck reports whether the advice is shown only after the account check: every
// payment credited to a bank account (EFT, TT); a cheque or draft needs none.
func (p Payment) NeedsCheck() bool { return p.BankAccount != "" && (p.Mode == "EFT" || p.Mode == "TT") }

// AccountMatches compares a typed account number with the payment's, ignoring spaces
// and dashes as people type them.
func (p Payment) AccountMatches(typed string) bool {
	clean := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(typed))
	return clean != "" && clean == strings.NewReplacer(" ", "", "-", "").Replace(p.BankAccount)
}

// MaskedAccount shows only the last four digits.
func (p Payment) MaskedAccount() string {
	if len(p.BankAccount) <= 4 {
		return p.BankAccount
	}
	return strings.Repeat("*", len(p.BankAccount)-4) + p.BankAccount[len(p.BankAccount)-4:]
}

// Checked reports whether this session already passed the account check for a payment.
func (s *Store) Checked(ctx context.Context, sessionHash string, paymentID int64) (bool, error) {
	var ok bool
	err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM payment_checks WHERE session_hash = $1 AND payment_id = $2)`,
		sessionHash, paymentID).Scan(&ok)
	return ok, err
}

// MarkChecked records a passed check for the session.
func (s *Store) MarkChecked(ctx context.Context, sessionHash string, paymentID int64) error {
	_, err := s.DB.Q(ctx).ExecContext(ctx, `INSERT INTO payment_checks (session_hash, payment_id, checked_at) VALUES ($1, $2, $3)
		ON CONFLICT (session_hash, payment_id) DO NOTHING`, sessionHash, paymentID, db.Millis(s.Now()))
	return err
}

func itoa(n int) string { return strconv.Itoa(n) }
