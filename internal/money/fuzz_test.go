package money

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var acceptedRE = regexp.MustCompile(`^[0-9]{1,10}(\.[0-9]{1,2})?$`)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "0", "-0", "-0.00", "12", "1234.5", "1234.50", "0.05", "-12.30",
		".50", "12.", "+12", "1,234.50", "RM12", " 12", "12 ", "1e3",
		"1.234", "9999999999999.99", "10000000000000", "-9999999999999.99",
		"00000000000001", "--1", "-", "١٢",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)

		// Independent oracle: the rule as a regular expression, and the
		// value computed through strconv.
		body := strings.TrimPrefix(s, "-")
		if acceptedRE.MatchString(body) != (err == nil) {
			t.Fatalf("Parse(%q): err = %v, but regexp match = %v", s, err, acceptedRE.MatchString(body))
		}

		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q): error %T is not *Error", s, err)
			}
			if _, ok := messages[e.Code]; !ok {
				t.Fatalf("Parse(%q): unknown code %q", s, e.Code)
			}
			if (e.Code == CodeEmpty) != (s == "") {
				t.Fatalf("Parse(%q): code %s", s, e.Code)
			}
			if v != 0 {
				t.Fatalf("Parse(%q) = %d with an error", s, v)
			}
			// Messages contain no digits (TestErrorMessages), so any
			// input with a digit in it must not appear.
			if strings.ContainsAny(s, "0123456789") && strings.Contains(err.Error(), s) {
				t.Fatalf("Parse(%q): error %q contains the input", s, err.Error())
			}
			return
		}

		intPart, frac, _ := strings.Cut(body, ".")
		for len(frac) < 2 {
			frac += "0"
		}
		want, perr := strconv.ParseInt(intPart+frac, 10, 64)
		if perr != nil {
			t.Fatalf("oracle: %v", perr)
		}
		if strings.HasPrefix(s, "-") {
			want = -want
		}
		if int64(v) != want {
			t.Fatalf("Parse(%q) = %d, want %d", s, v, want)
		}
		if v > MaxAbs || v < -MaxAbs {
			t.Fatalf("Parse(%q) = %d, beyond MaxAbs", s, v)
		}

		str := v.String()
		back, err := Parse(str)
		if err != nil || back != v {
			t.Fatalf("Parse(%q.String() = %q) = %d, %v", s, str, back, err)
		}

		disp := v.Format()
		if strings.Trim(disp, "0123456789,.-") != "" {
			t.Fatalf("Sen(%d).Format() = %q has other characters", v, disp)
		}
		if strings.ReplaceAll(disp, ",", "") != str {
			t.Fatalf("Sen(%d).Format() = %q does not match String() %q", v, disp, str)
		}
		if v.Ringgit()*100+sign(v)*v.Cents() != int64(v) {
			t.Fatalf("Sen(%d): Ringgit %d, Cents %d", v, v.Ringgit(), v.Cents())
		}
	})
}

func sign(v Sen) int64 {
	if v < 0 {
		return -1
	}
	return 1
}
