package load

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/espeks/espeks/internal/money"
)

var paymentColumns = []column{
	{"payee_id", true, 20}, {"payee_name", true, 150}, {"payment_no", true, 30}, {"payment_mode", true, 10},
	{"payment_date", true, 10}, {"status", true, 12}, {"bank_name", false, 60}, {"bank_account", false, 30},
	{"payment_amount", true, 20}, {"voucher_no", true, 30}, {"voucher_date", true, 10}, {"invoice_no", false, 40},
	{"ptj_code", true, 20}, {"ptj_name", true, 150}, {"description", true, 300}, {"amount", true, 20},
}

// Payment modes and statuses (DATA.md).
var (
	paymentModes    = map[string]bool{"EFT": true, "CEK": true, "DRAF": true, "TT": true}
	paymentStatuses = map[string]bool{"DIHANTAR": true, "DITERIMA": true, "GAGAL": true, "DIKELUARKAN": true, "DIBATALKAN": true}
)

// payment is what validation learns about one payment_no.
type payment struct {
	id          int64
	firstLine   int
	header      [len(paymentHeaderCols)]fnv // header columns except the status, one hash each
	fingerprint fnv                         // header and every line in order: a later file must match it
	status      string
	amount      money.Sen
	sum         money.Sen
	lines       int
	action      int // new, unchanged, status change
	written     bool
	bad         bool // a line had a bad cell: its sum cannot be checked
}

// paymentHeaderCols must agree on every line of a payment (the status is compared apart).
var paymentHeaderCols = [...]string{"payee_id", "payee_name", "payment_no", "payment_mode", "payment_date",
	"bank_name", "bank_account", "payment_amount"}

const (
	paymentNew = iota
	paymentUnchanged
	paymentStatusChange
)

type paymentsFile struct {
	hash     string          // SHA-256 of the validated bytes
	badNos   map[string]bool // payment numbers seen only on bad lines so far
	payments map[string]*payment
	order    []string
	rows     int
}

// validatePayments reads the whole file once: every cell, header columns that agree
// on all rows of a payment, and lines that add up exactly to payment_amount.
func validatePayments(r io.Reader, errs *Errors) *paymentsFile {
	t := openTable(r, paymentColumns, errs)
	if t == nil {
		return nil
	}
	f := &paymentsFile{payments: map[string]*payment{}, badNos: map[string]bool{}}
	for t.next(errs) {
		f.rows++
		before := errs.Len()
		payee := t.idNumber("payee_id", false, errs)
		t.text(paymentColumns[1], errs)
		no := t.text(paymentColumns[2], errs)
		mode := t.oneOf("payment_mode", paymentModes, errs)
		payDate := t.date("payment_date", errs)
		status := t.oneOf("status", paymentStatuses, errs)
		bank := t.text(paymentColumns[6], errs)
		account := t.text(paymentColumns[7], errs)
		if mode == "EFT" {
			if bank == "" {
				errs.add(t.line, "bank_name", "", "load.payment.bank_required")
			}
			if account == "" {
				errs.add(t.line, "bank_account", "", "load.payment.bank_required")
			}
		}
		total := t.amount("payment_amount", errs)
		t.text(paymentColumns[9], errs)
		vdate := t.date("voucher_date", errs)
		for _, c := range paymentColumns[11:15] {
			t.text(c, errs)
		}
		amt := t.amount("amount", errs)
		if errs.Len() > before {
			if p := f.payments[no]; p != nil {
				p.bad = true
			} else if no != "" {
				f.badNos[no] = true
			}
			continue
		}
		vals := [len(paymentHeaderCols)]string{payee, trim(t.get("payee_name")), no, mode, payDate.String(), bank, account, total.String()}
		var h [len(paymentHeaderCols)]fnv
		fp := fnvOffset
		for i, v := range vals {
			h[i] = fnvOffset.add(v)
			fp = fp.add(v)
		}
		p, ok := f.payments[no]
		if !ok {
			p = &payment{firstLine: t.line, header: h, fingerprint: fp, status: status, amount: total, bad: f.badNos[no]}
			f.payments[no] = p
			f.order = append(f.order, no)
		} else if p.header != h || p.status != status {
			col, val := "status", status
			for i := range h {
				if h[i] != p.header[i] {
					col, val = paymentHeaderCols[i], trim(t.get(paymentHeaderCols[i]))
					break
				}
			}
			errs.add(t.line, col, val, "load.payment.header_mismatch")
			p.bad = true
			continue
		}
		p.lines++
		p.sum += amt
		p.fingerprint = p.fingerprint.add(trim(t.get("voucher_no"))).add(vdate.String()).add(trim(t.get("invoice_no"))).
			add(trim(t.get("ptj_code"))).add(trim(t.get("ptj_name"))).add(trim(t.get("description"))).add(amt.String())
	}
	for _, no := range f.order {
		if p := f.payments[no]; !p.bad && p.sum != p.amount {
			errs.add(p.firstLine, "payment_amount", p.amount.String(), "load.payment.sum_mismatch")
		}
	}
	if f.rows == 0 && errs.Len() == 0 {
		errs.add(2, "", "", "load.no_rows")
	}
	return f
}

// checkExisting compares the file's payments with those already loaded: an unchanged
// one is skipped, a new status is a status change, anything else differing is an error
// (a payment's lines never change once loaded).
func checkExisting(ctx context.Context, q querier, f *paymentsFile, errs *Errors) error {
	const chunk = 500
	for i := 0; i < len(f.order); i += chunk {
		nos := f.order[i:min(i+chunk, len(f.order))]
		args := make([]any, len(nos))
		marks := make([]string, len(nos))
		for j, no := range nos {
			args[j] = no
			marks[j] = "$" + strconv.Itoa(j+1)
		}
		rows, err := q.QueryContext(ctx, `SELECT id, payment_no, fingerprint, status FROM payments WHERE payment_no IN (`+
			strings.Join(marks, ",")+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var no, fp, status string
			if err := rows.Scan(&id, &no, &fp, &status); err != nil {
				rows.Close()
				return err
			}
			p := f.payments[no]
			p.id = id
			switch {
			case fp != strconv.FormatUint(uint64(p.fingerprint), 16):
				errs.add(p.firstLine, "payment_no", no, "load.payment.changed")
			case status == p.status:
				p.action = paymentUnchanged
			default:
				p.action = paymentStatusChange
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// writePayments writes new payments with their lines and records status changes.
func writePayments(ctx context.Context, w writer, open func() (io.ReadCloser, error), f *paymentsFile, loadID, now int64) (added, updated int, err error) {
	var fresh []*payment
	for _, no := range f.order {
		p := f.payments[no]
		switch p.action {
		case paymentNew:
			fresh = append(fresh, p)
		case paymentStatusChange:
			if err := w.Exec(ctx, `UPDATE payments SET status = $1, load_id = $2, updated_at = $3 WHERE id = $4`,
				p.status, loadID, now, p.id); err != nil {
				return 0, 0, err
			}
			if err := w.Exec(ctx, `INSERT INTO payment_status_history (payment_id, status, changed_at, load_id) VALUES ($1, $2, $3, $4)`,
				p.id, p.status, now, loadID); err != nil {
				return 0, 0, err
			}
			updated++
		}
	}
	ids, err := w.AllocIDs(ctx, "payments", len(fresh))
	if err != nil {
		return 0, 0, err
	}
	for i, p := range fresh {
		p.id = ids[i]
	}
	if err := copyFromFile(ctx, w, open, f.hash, paymentColumns, "payments", []string{"id", "public_id", "payment_no", "payee_id",
		"payee_name", "mode", "payment_date", "status", "bank_name", "bank_account", "amount", "fingerprint", "load_id", "updated_at"},
		func(t *table, vals []any) (bool, error) {
			p := f.payments[trim(t.get("payment_no"))]
			if p == nil {
				return false, errFileChanged
			}
			if p.action != paymentNew || p.written {
				return false, nil
			}
			p.written = true
			copy(vals, []any{p.id, publicID(), trim(t.get("payment_no")), normalID(t.get("payee_id")), trim(t.get("payee_name")),
				upper(t.get("payment_mode")), isoDate(t.get("payment_date")), p.status, trim(t.get("bank_name")),
				trim(t.get("bank_account")), int64(p.amount), strconv.FormatUint(uint64(p.fingerprint), 16), loadID, now})
			return true, nil
		}); err != nil {
		return 0, 0, err
	}
	for _, p := range fresh {
		p.lines = 0
	}
	if err := copyFromFile(ctx, w, open, f.hash, paymentColumns, "payment_lines", []string{"payment_id", "line", "voucher_no",
		"voucher_date", "invoice_no", "ptj_code", "ptj_name", "description", "amount"},
		func(t *table, vals []any) (bool, error) {
			p := f.payments[trim(t.get("payment_no"))]
			if p == nil {
				return false, errFileChanged
			}
			if p.action != paymentNew {
				return false, nil
			}
			p.lines++
			amt, _ := money.Parse(t.get("amount"))
			copy(vals, []any{p.id, p.lines, trim(t.get("voucher_no")), isoDate(t.get("voucher_date")), trim(t.get("invoice_no")),
				trim(t.get("ptj_code")), trim(t.get("ptj_name")), trim(t.get("description")), int64(amt)})
			return true, nil
		}); err != nil {
		return 0, 0, err
	}
	// Every new payment's first status opens its history.
	if err := w.Exec(ctx, `INSERT INTO payment_status_history (payment_id, status, changed_at, load_id)
		SELECT id, status, $1, $2 FROM payments WHERE load_id = $2 AND updated_at = $1 AND id NOT IN
		(SELECT payment_id FROM payment_status_history WHERE load_id = $2)`, now, loadID); err != nil {
		return 0, 0, err
	}
	return len(fresh), updated, nil
}
