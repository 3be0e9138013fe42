package identity

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"900101-14-5678", "000229101234", "010229-10-1234", "201901000123",
		"123456-A", "001234567-x", "JM0123456-X", " 9001 0114 5678 ", "",
		"-", "A", "12345678-A", "é", strings.Repeat("1", 65),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseAt(s, now)
		if err != nil {
			var e Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, not Error", err, err)
			}
			if _, known := messages[e.Code]; !known {
				t.Fatalf("unknown error code %q", e.Code)
			}
			// Messages hold no digits, so any input with a digit that shows
			// up in one has leaked; inputs without digits could match a
			// message word by chance.
			if len(s) > 3 && strings.ContainsAny(s, "0123456789") && strings.Contains(err.Error(), s) {
				t.Fatalf("error %q contains the input", err)
			}
			if !n.IsZero() {
				t.Fatalf("non-zero Number %q returned with error", n)
			}
			return
		}
		str := n.String()
		if str == "" || strings.Trim(str, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			t.Fatalf("String() = %q, want only [0-9A-Z]", str)
		}
		m, err := ParseAt(str, now)
		if err != nil || m.String() != str || m.Kind() != n.Kind() {
			t.Fatalf("ParseAt(String() %q) = %v %q, %v", str, m.Kind(), m, err)
		}
		m, err = ParseAt(n.Display(), now)
		if err != nil || m.String() != str {
			t.Fatalf("ParseAt(Display() %q) = %q, %v", n.Display(), m, err)
		}
	})
}
