package demo

import (
	"bufio"
	"io"
	"strconv"
)

// The CSV files are written by hand into reused byte buffers rather than with
// encoding/csv: most of each row (the payslip or payment header) is the same
// on many rows, so it is escaped once and copied. The quoting follows RFC 4180
// exactly as encoding/csv does, which the tests check by reading the files
// back with encoding/csv.

// Column names, in the order of the tables in DATA.md.
var (
	payrollColumns = []string{"payroll_id", "year", "month", "pay_date", "ic_no", "staff_no", "name",
		"position", "grade", "department_code", "department_name", "ptj_code", "ptj_name", "bank_name",
		"bank_account", "epf_no", "socso_no", "tax_no", "item_code", "item_name", "category", "amount"}
	paymentColumns = []string{"payee_id", "payee_name", "payment_no", "payment_mode", "payment_date",
		"status", "bank_name", "bank_account", "payment_amount", "voucher_no", "voucher_date",
		"invoice_no", "ptj_code", "ptj_name", "description", "amount"}
)

// needsQuotes reports whether a field must be quoted: it holds a comma, a
// quote, CR or LF, begins with a space or tab, or is `\.` (which encoding/csv
// also quotes, for PostgreSQL's COPY).
func needsQuotes[S ~string | ~[]byte](s S) bool {
	if len(s) == 0 {
		return false
	}
	if s[0] == ' ' || s[0] == '\t' || len(s) == 2 && s[0] == '\\' && s[1] == '.' {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// appendField appends s as one CSV field (without a separator).
func appendField[S ~string | ~[]byte](dst []byte, s S) []byte {
	if !needsQuotes(s) {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

// appendFields appends fields, each followed by a comma.
func appendFields(dst []byte, fields ...string) []byte {
	for _, f := range fields {
		dst = appendField(dst, f)
		dst = append(dst, ',')
	}
	return dst
}

// appendHeader appends a header row.
func appendHeader(dst []byte, cols []string) []byte {
	for i, c := range cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, c...)
	}
	return append(dst, '\n')
}

// appendAmount appends an amount in sen as a plain decimal with 2 decimals.
func appendAmount(dst []byte, sen int64) []byte {
	if sen < 0 {
		dst = append(dst, '-')
		sen = -sen
	}
	dst = strconv.AppendInt(dst, sen/100, 10)
	c := sen % 100
	return append(dst, '.', byte('0'+c/10), byte('0'+c%10))
}

// appendPadded appends v in decimal with at least width digits.
func appendPadded(dst []byte, v uint64, width int) []byte {
	var tmp [24]byte
	b := strconv.AppendUint(tmp[:0], v, 10)
	for i := len(b); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, b...)
}

// appendISODate appends YYYY-MM-DD.
func appendISODate(dst []byte, d date) []byte {
	dst = appendPadded(dst, uint64(d.y), 4)
	dst = append(dst, '-')
	dst = appendPadded(dst, uint64(d.m), 2)
	dst = append(dst, '-')
	return appendPadded(dst, uint64(d.d), 2)
}

// appendDMYDate appends DD/MM/YYYY.
func appendDMYDate(dst []byte, d date) []byte {
	dst = appendPadded(dst, uint64(d.d), 2)
	dst = append(dst, '/')
	dst = appendPadded(dst, uint64(d.m), 2)
	dst = append(dst, '/')
	return appendPadded(dst, uint64(d.y), 4)
}

// rowWriter counts rows and keeps the first write error.
type rowWriter struct {
	w    *bufio.Writer
	rows int
	err  error
}

func newRowWriter(w io.Writer) *rowWriter {
	return &rowWriter{w: bufio.NewWriterSize(w, 256<<10)}
}

// write writes b, which holds n complete rows.
func (rw *rowWriter) write(b []byte, n int) {
	if rw.err != nil {
		return
	}
	if _, err := rw.w.Write(b); err != nil {
		rw.err = err
		return
	}
	rw.rows += n
}

func (rw *rowWriter) flush() (int, error) {
	if rw.err == nil {
		rw.err = rw.w.Flush()
	}
	return rw.rows, rw.err
}
