package money

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseOK(t *testing.T) {
	tests := []struct {
		in   string
		want Sen
	}{
		{"0", 0},
		{"0.0", 0},
		{"0.00", 0},
		{"-0", 0},
		{"-0.00", 0},
		{"-0.0", 0},
		{"12", 1200},
		{"1234.5", 123450},
		{"1234.50", 123450},
		{"1234.05", 123405},
		{"0.05", 5},
		{"0.5", 50},
		{"-0.05", -5},
		{"-12.30", -1230},
		{"-12.3", -1230},
		{"007", 700},
		{"0000000001.01", 101}, // 10 digits, leading zeros count
		{"9999999999", 999_999_999_900},
		{"9999999999.99", MaxAbs},
		{"-9999999999.99", -MaxAbs},
		{"1000000000", 100_000_000_000},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): unexpected error %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		code string
	}{
		{"", CodeEmpty},
		{" ", CodeFormat},
		{"-", CodeFormat},
		{".", CodeFormat},
		{"-.", CodeFormat},
		{".50", CodeFormat},
		{"-.50", CodeFormat},
		{"12.", CodeFormat},
		{"-12.", CodeFormat},
		{"+12", CodeFormat},
		{"--12", CodeFormat},
		{"-+12", CodeFormat},
		{"12-", CodeFormat},
		{" 12", CodeFormat},
		{"12 ", CodeFormat},
		{"\t12", CodeFormat},
		{"12\n", CodeFormat},
		{"- 12", CodeFormat},
		{"1,234.50", CodeFormat},
		{"1 234.50", CodeFormat},
		{"1_234.50", CodeFormat},
		{"1234,50", CodeFormat},
		{"RM12", CodeFormat},
		{"RM 12.00", CodeFormat},
		{"12.00RM", CodeFormat},
		{"$12", CodeFormat},
		{"1e3", CodeFormat},
		{"1E3", CodeFormat},
		{"1.5e2", CodeFormat},
		{"0x10", CodeFormat},
		{"1.2.3", CodeFormat},
		{"12..5", CodeFormat},
		{"(12.00)", CodeFormat},
		{"12.00-", CodeFormat},
		{"NaN", CodeFormat},
		{"Inf", CodeFormat},
		{"١٢", CodeFormat},       // Arabic-Indic digits
		{"１２", CodeFormat},       // full-width digits
		{"12\u00a0", CodeFormat}, // no-break space
		{"\ufeff12", CodeFormat}, // BOM (the loader strips it from the file, not cells)
		{"12\x00", CodeFormat},
		{"1.2x4", CodeFormat},             // malformed wins over decimals
		{"12345678901234.5x", CodeFormat}, // malformed wins over range
		{"1.234", CodeDecimals},
		{"-1.234", CodeDecimals},
		{"0.001", CodeDecimals},
		{"1.000", CodeDecimals},
		{"12345678901234.567", CodeDecimals}, // decimals wins over range
		{"10000000000", CodeRange},
		{"10000000000.00", CodeRange},
		{"-10000000000000", CodeRange},
		{"00000000001", CodeRange}, // 11 digits, even if small
		{"99999999999999999999999999", CodeRange},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %d, want error %s", tt.in, got, tt.code)
			continue
		}
		if got != 0 {
			t.Errorf("Parse(%q) returned %d with an error", tt.in, got)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q): error %T is not *Error", tt.in, err)
			continue
		}
		if e.Code != tt.code {
			t.Errorf("Parse(%q): code %s, want %s", tt.in, e.Code, tt.code)
		}
		if !errors.Is(err, &Error{Code: tt.code}) {
			t.Errorf("Parse(%q): errors.Is does not match code %s", tt.in, tt.code)
		}
		if strings.ContainsAny(tt.in, "0123456789") && strings.Contains(err.Error(), tt.in) {
			t.Errorf("Parse(%q): error %q contains the input", tt.in, err.Error())
		}
	}
}

func TestErrorMessages(t *testing.T) {
	for _, code := range []string{CodeEmpty, CodeFormat, CodeDecimals, CodeRange} {
		msg := (&Error{Code: code}).Error()
		if !strings.HasPrefix(msg, "money: ") || msg == "money: invalid amount" {
			t.Errorf("code %s: message %q", code, msg)
		}
		if strings.ContainsAny(msg, "0123456789") {
			t.Errorf("code %s: message %q contains digits", code, msg)
		}
	}
	if got := (&Error{Code: "x"}).Error(); got != "money: invalid amount" {
		t.Errorf("unknown code: %q", got)
	}
	if errors.Is(&Error{Code: CodeEmpty}, &Error{Code: CodeRange}) {
		t.Error("errors.Is matched different codes")
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		in   Sen
		want string
	}{
		{0, "0.00"},
		{5, "0.05"},
		{-5, "-0.05"},
		{50, "0.50"},
		{99, "0.99"},
		{100, "1.00"},
		{-100, "-1.00"},
		{123450, "1234.50"},
		{-1230, "-12.30"},
		{100_000_000, "1000000.00"},
		{MaxAbs, "9999999999.99"},
		{-MaxAbs, "-9999999999.99"},
		{math.MaxInt64, "92233720368547758.07"},
		{math.MinInt64, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Sen(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in   Sen
		want string
	}{
		{0, "0.00"},
		{5, "0.05"},
		{-5, "-0.05"},
		{99999, "999.99"},
		{-99999, "-999.99"},
		{100000, "1,000.00"},
		{123450, "1,234.50"},
		{-123450, "-1,234.50"},
		{99999999, "999,999.99"},
		{100000000, "1,000,000.00"},
		{123456789, "1,234,567.89"},
		{-123456789, "-1,234,567.89"},
		{MaxAbs, "9,999,999,999.99"},
		{-MaxAbs, "-9,999,999,999.99"},
		{math.MaxInt64, "92,233,720,368,547,758.07"},
		{math.MinInt64, "-92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		if got := tt.in.Format(); got != tt.want {
			t.Errorf("Sen(%d).Format() = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

func TestRinggitCents(t *testing.T) {
	tests := []struct {
		in             Sen
		ringgit, cents int64
	}{
		{0, 0, 0},
		{5, 0, 5},
		{-5, 0, 5},
		{123450, 1234, 50},
		{-1230, -12, 30},
		{-100, -1, 0},
		{MaxAbs, 9_999_999_999, 99},
		{math.MinInt64, math.MinInt64 / 100, 8},
	}
	for _, tt := range tests {
		if r, c := tt.in.Ringgit(), tt.in.Cents(); r != tt.ringgit || c != tt.cents {
			t.Errorf("Sen(%d): Ringgit, Cents = %d, %d, want %d, %d", int64(tt.in), r, c, tt.ringgit, tt.cents)
		}
	}
}

func TestRoundTripBoundaries(t *testing.T) {
	for _, v := range []Sen{0, 1, -1, 99, -99, 100, -100, 101, MaxAbs, -MaxAbs, MaxAbs - 1, -MaxAbs + 1} {
		got, err := Parse(v.String())
		if err != nil || got != v {
			t.Errorf("Parse(%q) = %d, %v; want %d", v.String(), got, err, v)
		}
	}
}

// TestSumHeadroom pins the overflow headroom MaxAbs leaves, as documented
// on MaxAbs: 9,223,372 amounts of the largest magnitude fit in an int64.
func TestSumHeadroom(t *testing.T) {
	if got := math.MaxInt64 / int64(MaxAbs); got != 9223372 {
		t.Fatalf("MaxAbs %d leaves room for %d summands, documentation says 9,223,372", MaxAbs, got)
	}
	if MaxAbs != Sen(func() int64 {
		n := int64(1)
		for range MaxIntDigits + 2 {
			n *= 10
		}
		return n - 1
	}()) {
		t.Fatal("MaxAbs does not match MaxIntDigits")
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		_, _ = Parse("-1234567.89")
	}
}
