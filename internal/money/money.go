package money

// Sen is an amount of money in sen (1/100 ringgit). The zero value is 0.00.
// Being an int64, amounts are added, subtracted and compared with the
// ordinary operators.
type Sen int64

const (
	// MaxIntDigits is the largest number of digits Parse accepts before
	// the decimal point.
	MaxIntDigits = 10
	// MaxAbs is the largest magnitude Parse can return:
	// 9,999,999,999.99 ringgit, beyond any single payslip item or voucher
	// line of a state treasury. An int64 holds 9,223,372 times that, so a
	// file of up to nine million rows, hostile or not, cannot overflow a
	// running total; the loader's files are far smaller.
	MaxAbs Sen = 999_999_999_999
)

// Error is the only error type returned by Parse. Code is stable and meant
// to be translated for the user; compare with errors.As, or with errors.Is
// against &Error{Code: ...}.
//
// Error deliberately carries no copy of the input.
type Error struct {
	Code string
}

// Error codes.
const (
	CodeEmpty    = "money.empty"    // the input is the empty string
	CodeFormat   = "money.format"   // anything not of the form -?digits(.digits)?
	CodeDecimals = "money.decimals" // well formed, but more than 2 digits after the point
	CodeRange    = "money.range"    // well formed, but more than MaxIntDigits digits before the point
)

var messages = map[string]string{
	CodeEmpty:    "amount is empty",
	CodeFormat:   "amount is not a plain decimal number with a point as separator",
	CodeDecimals: "amount has more than two decimals",
	CodeRange:    "amount is too large",
}

// Error returns a fixed English message for the code; it never contains
// the input.
func (e *Error) Error() string {
	if m, ok := messages[e.Code]; ok {
		return "money: " + m
	}
	return "money: invalid amount"
}

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, &money.Error{Code: money.CodeRange}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && e != nil && t.Code == e.Code
}

func fail(code string) (Sen, error) {
	return 0, &Error{Code: code}
}

// Parse parses an amount in the SPEKS CSV form: an optional leading '-',
// 1 to MaxIntDigits digits, and optionally '.' followed by 1 or 2 digits.
// "1234.5" is 123450 sen; "-0" and "-0.00" are 0. Leading zeros are
// allowed but count towards MaxIntDigits.
//
// When several things are wrong, the error is the first of CodeEmpty,
// CodeFormat, CodeDecimals, CodeRange that applies.
func Parse(s string) (Sen, error) {
	if s == "" {
		return fail(CodeEmpty)
	}
	i := 0
	neg := false
	if s[0] == '-' {
		neg = true
		i = 1
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[start:i]
	if intPart == "" {
		return fail(CodeFormat)
	}
	fracPart := ""
	if i < len(s) {
		if s[i] != '.' {
			return fail(CodeFormat)
		}
		i++
		fs := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i != len(s) || i == fs {
			return fail(CodeFormat)
		}
		fracPart = s[fs:]
	}
	if len(fracPart) > 2 {
		return fail(CodeDecimals)
	}
	if len(intPart) > MaxIntDigits {
		return fail(CodeRange)
	}
	// At most 10+2 digits: fits in an int64 without any overflow check.
	var v int64
	for j := 0; j < len(intPart); j++ {
		v = v*10 + int64(intPart[j]-'0')
	}
	v *= 100
	switch len(fracPart) {
	case 1:
		v += int64(fracPart[0]-'0') * 10
	case 2:
		v += int64(fracPart[0]-'0')*10 + int64(fracPart[1]-'0')
	}
	if neg {
		v = -v
	}
	return Sen(v), nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// abs returns the magnitude of s as a uint64; correct even for the
// smallest int64, which has no positive counterpart.
func (s Sen) abs() uint64 {
	if s < 0 {
		return uint64(-(s + 1)) + 1
	}
	return uint64(s)
}

// String returns the amount in the CSV form: an optional '-', the ringgit
// without separators and exactly two decimals ("1234.50", "-0.05",
// "0.00"). Parse accepts it back for every amount of magnitude up to
// MaxAbs.
func (s Sen) String() string {
	return s.format(false)
}

// Format returns the amount for display, Malaysian style: thousands
// separated by ',' and two decimals after '.' ("1,234.50", "-1,234.50",
// "0.00"). There is no currency sign; callers add "RM" where wanted.
func (s Sen) Format() string {
	return s.format(true)
}

func (s Sen) format(group bool) string {
	// Max: '-' + 19 digits + 6 commas + '.' = 27 bytes.
	var buf [32]byte
	i := len(buf)
	a := s.abs()
	cents := a % 100
	r := a / 100
	i--
	buf[i] = byte('0' + cents%10)
	i--
	buf[i] = byte('0' + cents/10)
	i--
	buf[i] = '.'
	n := 0
	for {
		if group && n > 0 && n%3 == 0 {
			i--
			buf[i] = ','
		}
		i--
		buf[i] = byte('0' + r%10)
		r /= 10
		n++
		if r == 0 {
			break
		}
	}
	if s < 0 {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// Ringgit returns the whole ringgit of the amount, truncated towards zero
// and carrying its sign: -12.30 gives -12, and -0.05 gives 0.
func (s Sen) Ringgit() int64 {
	return int64(s / 100)
}

// Cents returns the sen part of the amount, 0 to 99, without sign: both
// 12.30 and -12.30 give 30. Use s < 0 for the sign, since Ringgit is 0 for
// amounts between -0.99 and 0.99.
func (s Sen) Cents() int64 {
	return int64(s.abs() % 100)
}
