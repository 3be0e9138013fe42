package identity

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// now is fixed so that "not in the future" and "not after this year" are
// deterministic. Malaysia time, as the portal runs there.
var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.FixedZone("MYT", 8*60*60))

type want struct {
	str, display string // for successes
	code         string // for failures; "" means success
}

func ok(str, display string) want { return want{str: str, display: display} }
func fail(code string) want       { return want{code: code} }

func check(t *testing.T, name, in string, n Number, err error, kind Kind, w want) {
	t.Helper()
	if w.code != "" {
		var e Error
		if !errors.As(err, &e) || e.Code != w.code {
			t.Errorf("%s(%q) error = %v, want code %s", name, in, err, w.code)
		}
		if !n.IsZero() {
			t.Errorf("%s(%q) returned non-zero Number %q with error", name, in, n)
		}
		if len(in) > 3 && err != nil && strings.Contains(err.Error(), in) {
			t.Errorf("%s(%q) error %q contains the input", name, in, err)
		}
		return
	}
	if err != nil {
		t.Errorf("%s(%q) error = %v, want %q", name, in, err, w.str)
		return
	}
	if n.Kind() != kind || n.String() != w.str || n.Display() != w.display {
		t.Errorf("%s(%q) = %v %q %q, want %v %q %q", name, in, n.Kind(), n, n.Display(), kind, w.str, w.display)
	}
}

func TestParseMyKad(t *testing.T) {
	tests := []struct {
		in string
		w  want
	}{
		{"900101-14-5678", ok("900101145678", "900101-14-5678")},
		{"900101145678", ok("900101145678", "900101-14-5678")},
		{"  900101 14 5678\t", ok("900101145678", "900101-14-5678")},
		{"900101 - 14 - 5678", ok("900101145678", "900101-14-5678")},
		{"000229-10-1234", ok("000229101234", "000229-10-1234")}, // 2000 was a leap year
		{"261125-10-1235", ok("261125101235", "261125-10-1235")}, // born today
		{"261126-10-1235", ok("261126101235", "261126-10-1235")}, // tomorrow in 2026, but fine in 1926
		{"991231-99-0001", ok("991231990001", "991231-99-0001")},
		{"800229-01-0001", ok("800229010001", "800229-01-0001")}, // 1980 leap year

		{"010229-10-1234", fail(CodeDate)}, // neither 1901 nor 2001 is a leap year
		{"901301-14-5678", fail(CodeDate)}, // month 13
		{"900001-14-5678", fail(CodeDate)}, // month 0
		{"900132-14-5678", fail(CodeDate)}, // day 32
		{"900100-14-5678", fail(CodeDate)}, // day 0
		{"900431-14-5678", fail(CodeDate)}, // 31 April
		{"900101-00-5678", fail(CodePlace)},
		{"900101-17-5678", fail(CodePlace)},
		{"900101-20-5678", fail(CodePlace)},
		{"900101-69-5678", fail(CodePlace)},
		{"901332-17-5678", fail(CodeDate)}, // date is checked before place

		{"90010114567", fail(CodeFormat)},
		{"9001011456789", fail(CodeFormat)},
		{"90010114567A", fail(CodeFormat)},
		{"900101_14_5678", fail(CodeFormat)},
		{"900101\t14\t5678", fail(CodeFormat)}, // tabs only allowed around the number
		{"９００１０１１４５６７８", fail(CodeFormat)},     // full-width digits
		{"---", fail(CodeFormat)},
		{strings.Repeat(" ", 60) + "900101145678", fail(CodeFormat)}, // over 64 bytes
		{"", fail(CodeEmpty)},
		{" \t\n", fail(CodeEmpty)},

		{"123456-A", fail(CodeNotMyKad)},
		{"201901-00-0123", fail(CodeNotMyKad)}, // month 19, but a valid new SSM number
	}
	for _, tt := range tests {
		n, err := ParseMyKadAt(tt.in, now)
		check(t, "ParseMyKadAt", tt.in, n, err, KindMyKad, tt.w)
	}
}

func TestMyKadLeapDayBefore2000(t *testing.T) {
	// With "now" in 1999, 29 Feb 2000 is in the future and 1900 was not a
	// leap year, so 000229 is no date at all.
	_, err := ParseMyKadAt("000229-10-1234", time.Date(1999, 6, 1, 0, 0, 0, 0, time.UTC))
	if !errors.Is(err, Error{CodeDate}) {
		t.Errorf("error = %v, want %s", err, CodeDate)
	}
}

func TestPlaceCodes(t *testing.T) {
	// The JPN list, written out independently of the table in the code.
	valid := map[int]bool{98: true, 99: true, 82: true, 71: true, 72: true}
	for c := 1; c <= 16; c++ {
		valid[c] = true
	}
	for _, r := range [][2]int{{21, 59}, {60, 68}, {74, 79}, {83, 93}} {
		for c := r[0]; c <= r[1]; c++ {
			valid[c] = true
		}
	}
	for c := 0; c <= 99; c++ {
		in := "900101" + string(rune('0'+c/10)) + string(rune('0'+c%10)) + "5678"
		_, err := ParseMyKadAt(in, now)
		if (err == nil) != valid[c] {
			t.Errorf("place code %02d: error = %v, want valid=%v", c, err, valid[c])
		}
	}
}

func TestParseSSM(t *testing.T) {
	tests := []struct {
		in string
		w  want
	}{
		// New format.
		{"201901000123", ok("201901000123", "201901000123")},
		{"2019-01-000123", ok("201901000123", "201901000123")},
		{"202603123456", ok("202603123456", "202603123456")},
		{"190006000001", ok("190006000001", "190006000001")},
		{"200101011234", ok("200101011234", "200101011234")}, // also a valid MyKad; the caller asked for SSM
		{"202701000001", fail(CodeSSMYear)},
		{"189901000001", fail(CodeSSMYear)},
		{"201907000001", fail(CodeSSMType)},
		{"201900000001", fail(CodeSSMType)},
		{"201901000000", fail(CodeFormat)},

		// Old company format.
		{"123456-A", ok("123456A", "123456-A")},
		{"1234567-h", ok("1234567H", "1234567-H")},
		{"123456A", ok("123456A", "123456-A")},
		{" 0012345 - b ", ok("0012345B", "0012345-B")}, // leading zeros kept
		{"1-Z", ok("1Z", "1-Z")},
		{"12345678-A", fail(CodeFormat)},
		{"123456-", fail(CodeFormat)},
		{"123456-AB", fail(CodeFormat)},
		{"-A", fail(CodeFormat)},
		{"0000-A", fail(CodeFormat)},
		{"A123456", fail(CodeFormat)},

		// Old business format.
		{"001234567-X", ok("001234567X", "001234567-X")},
		{"JM0123456-x", ok("JM0123456X", "JM0123456-X")},
		{"sa0012345-a", ok("SA0012345A", "SA0012345-A")},
		{"SA 0012345 A", ok("SA0012345A", "SA0012345-A")},
		{"J0123456-X", fail(CodeFormat)},
		{"JM012345-X", fail(CodeFormat)},
		{"J10123456-X", fail(CodeFormat)},
		{"000000000-X", fail(CodeFormat)},
		{"JM0000000-X", fail(CodeFormat)},

		{"900101-14-5678", fail(CodeNotSSM)},
		{"", fail(CodeEmpty)},
	}
	for _, tt := range tests {
		n, err := ParseSSMAt(tt.in, now)
		check(t, "ParseSSMAt", tt.in, n, err, KindSSM, tt.w)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		w    want
	}{
		{"900101-14-5678", KindMyKad, ok("900101145678", "900101-14-5678")},
		{"200101-01-1234", KindMyKad, ok("200101011234", "200101-01-1234")}, // ambiguous: MyKad wins
		{"201901000123", KindSSM, ok("201901000123", "201901000123")},
		{"123456-a", KindSSM, ok("123456A", "123456-A")},
		{"JM0123456-X", KindSSM, ok("JM0123456X", "JM0123456-X")},
		{"901332145678", 0, fail(CodeDate)},
		{"900101-17-5678", 0, fail(CodePlace)},
		{"202607000001", 0, fail(CodeDate)}, // neither: 12 digits get the MyKad error
		{"12345678-A", 0, fail(CodeFormat)},
		{"hello world", 0, fail(CodeFormat)},
		{"", 0, fail(CodeEmpty)},
	}
	for _, tt := range tests {
		n, err := ParseAt(tt.in, now)
		check(t, "ParseAt", tt.in, n, err, tt.kind, tt.w)
	}
}

func TestDisplayRoundTrip(t *testing.T) {
	for _, in := range []string{
		"900101145678", "000229101234", "201901000123", "123456a", "1Z",
		"0012345B", "001234567X", "jm0123456x",
	} {
		n, err := ParseAt(in, now)
		if err != nil {
			t.Fatalf("ParseAt(%q): %v", in, err)
		}
		m, err := ParseAt(n.Display(), now)
		if err != nil || m != n {
			t.Errorf("ParseAt(%q) = %v, %v; want %v", n.Display(), m, err, n)
		}
	}
}

func TestNowVariants(t *testing.T) {
	// Smoke test for the wrappers that read the clock; the inputs are valid
	// whatever the date.
	if n, err := Parse("900101-14-5678"); err != nil || n.Kind() != KindMyKad {
		t.Errorf("Parse: %v, %v", n, err)
	}
	if _, err := ParseMyKad("900101-14-5678"); err != nil {
		t.Errorf("ParseMyKad: %v", err)
	}
	if _, err := ParseSSM("201901000123"); err != nil {
		t.Errorf("ParseSSM: %v", err)
	}
}

func TestZeroAndKind(t *testing.T) {
	var n Number
	if !n.IsZero() || n.String() != "" || n.Display() != "" || n.Kind().String() != "unknown" {
		t.Errorf("zero Number: %v %q %q %v", n.IsZero(), n, n.Display(), n.Kind())
	}
	if KindMyKad.String() != "mykad" || KindSSM.String() != "ssm" {
		t.Errorf("Kind.String: %v %v", KindMyKad, KindSSM)
	}
}

func TestErrorMessages(t *testing.T) {
	for code, msg := range messages {
		if strings.ContainsAny(msg, "0123456789") {
			t.Errorf("message for %s contains a digit", code)
		}
		if got := (Error{code}).Error(); got != "identity: "+msg {
			t.Errorf("Error{%s}.Error() = %q", code, got)
		}
	}
	if got := (Error{"nope"}).Error(); got != "identity: invalid identity number" {
		t.Errorf("unknown code message = %q", got)
	}
}
