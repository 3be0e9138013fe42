package civil

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date in the proleptic Gregorian calendar. The zero
// value (0000-00-00) means "no date" and is not valid. Dates are comparable
// with == when they are normalised, which every Date from this package is.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// The range of years Parse, Scan and Value accept.
const (
	MinYear = 1900
	MaxYear = 2200
)

// Error is the error type returned by Parse (and by Scan for malformed
// text). Code is stable and meant to be translated for the user; compare
// with errors.As, or with errors.Is against &Error{Code: ...}.
//
// Error deliberately carries no copy of the input.
type Error struct {
	Code string
}

// Error codes.
const (
	CodeEmpty   = "date.empty"   // the input is the empty string
	CodeFormat  = "date.format"  // neither YYYY-MM-DD nor DD/MM/YYYY
	CodeInvalid = "date.invalid" // well formed, but no such day (31/02/2026, month 13)
	CodeRange   = "date.range"   // well formed, but the year is outside MinYear–MaxYear
)

// messages must not contain digits: tests rely on that to check that no
// input leaks into an error string.
var messages = map[string]string{
	CodeEmpty:   "date is empty",
	CodeFormat:  "date is not in the form YYYY-MM-DD or DD/MM/YYYY",
	CodeInvalid: "date does not exist",
	CodeRange:   "date is outside the supported years",
}

// Error returns a fixed English message for the code; it never contains
// the input.
func (e *Error) Error() string {
	if m, ok := messages[e.Code]; ok {
		return "civil: " + m
	}
	return "civil: invalid date"
}

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, &civil.Error{Code: civil.CodeInvalid}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && e != nil && t.Code == e.Code
}

func fail(code string) (Date, error) {
	return Date{}, &Error{Code: code}
}

// Of returns the date of t in t's own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Parse parses a date written as YYYY-MM-DD, DD/MM/YYYY or D/M/YYYY (the
// day and month of the slash form may have one or two digits; the year
// always has four). The date must exist and its year must be within
// MinYear–MaxYear.
//
// When several things are wrong, the error is the first of CodeEmpty,
// CodeFormat, CodeRange, CodeInvalid that applies.
func Parse(s string) (Date, error) {
	if s == "" {
		return fail(CodeEmpty)
	}
	y, m, d, ok := parseISO(s)
	if !ok {
		y, m, d, ok = parseSlash(s)
	}
	if !ok {
		return fail(CodeFormat)
	}
	return check(y, m, d)
}

// parseISO parses exactly YYYY-MM-DD, without validating the values.
func parseISO(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	return y, m, d, ok1 && ok2 && ok3
}

// parseSlash parses exactly D{1,2}/M{1,2}/YYYY, without validating the
// values.
func parseSlash(s string) (y, m, d int, ok bool) {
	i := 0
	field := func() (int, bool) {
		start := i
		for i < len(s) && i-start < 2 && isDigit(s[i]) {
			i++
		}
		if i == start || i >= len(s) || s[i] != '/' {
			return 0, false
		}
		v, _ := digits(s[start:i])
		i++ // the '/'
		return v, true
	}
	d, ok = field()
	if !ok {
		return 0, 0, 0, false
	}
	m, ok = field()
	if !ok || len(s)-i != 4 {
		return 0, 0, 0, false
	}
	y, ok = digits(s[i:])
	return y, m, d, ok
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digits parses a short string of ASCII digits; ok is false if s is empty
// or has anything else in it.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func check(y, m, d int) (Date, error) {
	if y < MinYear || y > MaxYear {
		return fail(CodeRange)
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return fail(CodeInvalid)
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, nil
}

func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	default:
		return 31
	}
}

// IsValid reports whether d is a real date with a year within
// MinYear–MaxYear, that is, one Parse could have returned.
func (d Date) IsValid() bool {
	if d.Month < time.January || d.Month > time.December {
		return false
	}
	_, err := check(d.Year, int(d.Month), d.Day)
	return err == nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool {
	return d == Date{}
}

// String returns d as YYYY-MM-DD ("2026-03-15"), the form stored in the
// database and written to CSV files.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Display returns d as DD/MM/YYYY ("15/03/2026"), the form Malaysian
// users read.
func (d Date) Display() string {
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}

// Compare returns -1 if d is before other, 0 if they are the same day and
// +1 if d is after other.
func (d Date) Compare(other Date) int {
	switch {
	case d.Year != other.Year:
		return sign(d.Year - other.Year)
	case d.Month != other.Month:
		return sign(int(d.Month) - int(other.Month))
	default:
		return sign(d.Day - other.Day)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// Before reports whether d is before other.
func (d Date) Before(other Date) bool { return d.Compare(other) < 0 }

// After reports whether d is after other.
func (d Date) After(other Date) bool { return d.Compare(other) > 0 }

// AddDays returns the date n days after d (before it if n is negative).
// The result is normalised like time.Date: AddDays(0) on 31/02/2026 gives
// 03/03/2026.
func (d Date) AddDays(n int) Date {
	return Of(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC))
}

// In returns the instant of midnight at the start of d in loc (or the
// first instant of the day if a daylight-saving change skips midnight).
// It panics if loc is nil, like time.Date.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Value implements driver.Valuer: d is stored as TEXT "YYYY-MM-DD". An
// invalid Date (including the zero Date) is an error rather than a
// silently stored nonsense value; use sql.Null[Date] for NULL.
func (d Date) Value() (driver.Value, error) {
	if !d.IsValid() {
		return nil, fmt.Errorf("civil: cannot store invalid date %s", d)
	}
	return d.String(), nil
}

// Scan implements sql.Scanner. It accepts the TEXT "YYYY-MM-DD" written by
// Value, as string or []byte, and a time.Time (what PostgreSQL DATE
// columns, and SQLite drivers for columns declared DATE, return), whose
// date in its own location is taken. NULL is an error; scan into
// sql.Null[Date] for nullable columns. On error d is unchanged.
func (d *Date) Scan(src any) error {
	var (
		v   Date
		err error
	)
	switch s := src.(type) {
	case string:
		v, err = scanText(s)
	case []byte:
		v, err = scanText(string(s))
	case time.Time:
		v = Of(s)
		if !v.IsValid() {
			err = &Error{Code: CodeRange}
		}
	case nil:
		return fmt.Errorf("civil: cannot scan NULL into Date; use sql.Null[civil.Date]")
	default:
		return fmt.Errorf("civil: cannot scan %T into Date", src)
	}
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// scanText accepts only the ISO form: the database holds what Value wrote.
func scanText(s string) (Date, error) {
	if s == "" {
		return fail(CodeEmpty)
	}
	y, m, d, ok := parseISO(s)
	if !ok {
		return fail(CodeFormat)
	}
	return check(y, m, d)
}

var (
	_ driver.Valuer = Date{}
	_ sql.Scanner   = (*Date)(nil)
)
