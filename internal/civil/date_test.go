package civil

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseOK(t *testing.T) {
	tests := []struct {
		in   string
		want Date
	}{
		{"2026-03-15", Date{2026, time.March, 15}},
		{"15/03/2026", Date{2026, time.March, 15}},
		{"5/3/2026", Date{2026, time.March, 5}},
		{"05/3/2026", Date{2026, time.March, 5}},
		{"5/03/2026", Date{2026, time.March, 5}},
		{"1900-01-01", Date{1900, time.January, 1}},
		{"01/01/1900", Date{1900, time.January, 1}},
		{"2200-12-31", Date{2200, time.December, 31}},
		{"31/12/2200", Date{2200, time.December, 31}},
		{"2024-02-29", Date{2024, time.February, 29}}, // leap year
		{"29/02/2000", Date{2000, time.February, 29}}, // divisible by 400
		{"31/01/2026", Date{2026, time.January, 31}},
		{"30/04/2026", Date{2026, time.April, 30}},
		{"28/02/2025", Date{2025, time.February, 28}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): unexpected error %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %v, want %v", tt.in, got, tt.want)
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
		{" 2026-03-15", CodeFormat},
		{"2026-03-15 ", CodeFormat},
		{"2026-3-15", CodeFormat},   // ISO form must be padded
		{"2026-03-5", CodeFormat},   // ISO form must be padded
		{"26-03-15", CodeFormat},    // two-digit year
		{"15/03/26", CodeFormat},    // two-digit year
		{"15/3/026", CodeFormat},    // three-digit year
		{"15/03/02026", CodeFormat}, // five-digit year
		{"015/03/2026", CodeFormat},
		{"15/003/2026", CodeFormat},
		{"/03/2026", CodeFormat},
		{"15//2026", CodeFormat},
		{"15/03/", CodeFormat},
		{"15/03", CodeFormat},
		{"15-03-2026", CodeFormat},
		{"15.03.2026", CodeFormat},
		{"2026/03/15", CodeFormat},
		{"03/15/2026x", CodeFormat},
		{"2026-03-15T00:00:00Z", CodeFormat},
		{"2026-03-15 00:00:00", CodeFormat},
		{"20260315", CodeFormat},
		{"+2026-03-15", CodeFormat},
		{"-2026-03-15", CodeFormat},
		{"2026-+3-15", CodeFormat},
		{"2026-03--5", CodeFormat},
		{"1 /3/2026", CodeFormat},
		{"+1/3/2026", CodeFormat},
		{"15 Mac 2026", CodeFormat},
		{"١٥/٠٣/٢٠٢٦", CodeFormat}, // Arabic-Indic digits
		{"１５/03/2026", CodeFormat}, // full-width digits
		{"\ufeff2026-03-15", CodeFormat},
		{"2026-03-15\x00", CodeFormat},
		{"31/02/2026", CodeInvalid},
		{"29/02/2025", CodeInvalid},
		{"29/02/1900", CodeInvalid}, // divisible by 100, not by 400
		{"2100-02-29", CodeInvalid},
		{"31/04/2026", CodeInvalid},
		{"2026-06-31", CodeInvalid},
		{"00/03/2026", CodeInvalid},
		{"0/3/2026", CodeInvalid},
		{"15/00/2026", CodeInvalid},
		{"15/13/2026", CodeInvalid},
		{"03/15/2026", CodeInvalid}, // American order
		{"2026-00-15", CodeInvalid},
		{"2026-13-01", CodeInvalid},
		{"2026-03-00", CodeInvalid},
		{"2026-03-32", CodeInvalid},
		{"99/99/2026", CodeInvalid},
		{"1899-12-31", CodeRange},
		{"31/12/1899", CodeRange},
		{"2201-01-01", CodeRange},
		{"01/01/2201", CodeRange},
		{"0000-00-00", CodeRange},
		{"9999-12-31", CodeRange},
		{"31/02/1899", CodeRange}, // range wins over invalid
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want error %s", tt.in, got, tt.code)
			continue
		}
		if !got.IsZero() {
			t.Errorf("Parse(%q) returned %v with an error", tt.in, got)
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
	for _, code := range []string{CodeEmpty, CodeFormat, CodeInvalid, CodeRange} {
		msg := (&Error{Code: code}).Error()
		if !strings.HasPrefix(msg, "civil: ") || msg == "civil: invalid date" {
			t.Errorf("code %s: message %q", code, msg)
		}
		if strings.ContainsAny(msg, "0123456789") {
			t.Errorf("code %s: message %q contains digits", code, msg)
		}
	}
	if got := (&Error{Code: "x"}).Error(); got != "civil: invalid date" {
		t.Errorf("unknown code: %q", got)
	}
	if errors.Is(&Error{Code: CodeEmpty}, &Error{Code: CodeRange}) {
		t.Error("errors.Is matched different codes")
	}
}

func TestStringDisplay(t *testing.T) {
	tests := []struct {
		d            Date
		iso, display string
	}{
		{Date{2026, time.March, 15}, "2026-03-15", "15/03/2026"},
		{Date{2026, time.March, 5}, "2026-03-05", "05/03/2026"},
		{Date{1900, time.January, 1}, "1900-01-01", "01/01/1900"},
		{Date{2200, time.December, 31}, "2200-12-31", "31/12/2200"},
		{Date{}, "0000-00-00", "00/00/0000"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.iso {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.iso)
		}
		if got := tt.d.Display(); got != tt.display {
			t.Errorf("%#v.Display() = %q, want %q", tt.d, got, tt.display)
		}
	}
}

func TestOf(t *testing.T) {
	myt := time.FixedZone("MYT", 8*3600)
	// 16:30 UTC on the 14th is 00:30 on the 15th in Malaysia: Of takes the
	// date in the instant's own location.
	inst := time.Date(2026, time.March, 14, 16, 30, 0, 0, time.UTC)
	if got := Of(inst); got != (Date{2026, time.March, 14}) {
		t.Errorf("Of(UTC) = %v", got)
	}
	if got := Of(inst.In(myt)); got != (Date{2026, time.March, 15}) {
		t.Errorf("Of(MYT) = %v", got)
	}
}

func TestIn(t *testing.T) {
	myt := time.FixedZone("MYT", 8*3600)
	d := Date{2026, time.March, 15}
	got := d.In(myt)
	if want := time.Date(2026, time.March, 15, 0, 0, 0, 0, myt); !got.Equal(want) || got.Location() != myt {
		t.Errorf("In = %v, want %v", got, want)
	}
	if Of(got) != d {
		t.Errorf("Of(In) = %v", Of(got))
	}
	if got := d.In(time.UTC); !got.Equal(time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("In(UTC) = %v", got)
	}
}

func TestCompare(t *testing.T) {
	dates := []Date{
		{1900, time.January, 1},
		{2025, time.December, 31},
		{2026, time.January, 1},
		{2026, time.January, 2},
		{2026, time.February, 1},
		{2200, time.December, 31},
	}
	for i, a := range dates {
		for j, b := range dates {
			want := sign(i - j)
			if got := a.Compare(b); got != want {
				t.Errorf("%v.Compare(%v) = %d, want %d", a, b, got, want)
			}
			if got := a.Before(b); got != (i < j) {
				t.Errorf("%v.Before(%v) = %v", a, b, got)
			}
			if got := a.After(b); got != (i > j) {
				t.Errorf("%v.After(%v) = %v", a, b, got)
			}
			// The ISO form sorts like the dates, which is what makes TEXT
			// storage work.
			if got := strings.Compare(a.String(), b.String()); got != want {
				t.Errorf("String order of %v, %v = %d, want %d", a, b, got, want)
			}
		}
	}
}

func TestIsZeroIsValid(t *testing.T) {
	if !(Date{}).IsZero() || (Date{}).IsValid() {
		t.Error("zero Date")
	}
	d := Date{2026, time.March, 15}
	if d.IsZero() || !d.IsValid() {
		t.Error("2026-03-15")
	}
	for _, bad := range []Date{
		{2026, time.February, 29},
		{2026, 0, 1},
		{2026, 13, 1},
		{2026, -1, 1},
		{2026, time.March, 0},
		{1899, time.December, 31},
		{2201, time.January, 1},
	} {
		if bad.IsValid() {
			t.Errorf("%#v.IsValid() = true", bad)
		}
	}
}

func TestAddDays(t *testing.T) {
	tests := []struct {
		d    Date
		n    int
		want Date
	}{
		{Date{2026, time.March, 15}, 0, Date{2026, time.March, 15}},
		{Date{2026, time.March, 15}, 1, Date{2026, time.March, 16}},
		{Date{2026, time.March, 31}, 1, Date{2026, time.April, 1}},
		{Date{2026, time.March, 1}, -1, Date{2026, time.February, 28}},
		{Date{2024, time.March, 1}, -1, Date{2024, time.February, 29}},
		{Date{2025, time.December, 31}, 1, Date{2026, time.January, 1}},
		{Date{2026, time.January, 1}, 365, Date{2027, time.January, 1}},
		{Date{2024, time.January, 1}, 366, Date{2025, time.January, 1}},
		{Date{2026, time.February, 31}, 0, Date{2026, time.March, 3}}, // normalised
	}
	for _, tt := range tests {
		if got := tt.d.AddDays(tt.n); got != tt.want {
			t.Errorf("%v.AddDays(%d) = %v, want %v", tt.d, tt.n, got, tt.want)
		}
	}
}

func TestValue(t *testing.T) {
	v, err := Date{2026, time.March, 5}.Value()
	if err != nil || v != "2026-03-05" {
		t.Errorf("Value = %#v, %v", v, err)
	}
	if !driver.IsValue(v) {
		t.Errorf("Value %T is not a driver.Value", v)
	}
	for _, bad := range []Date{{}, {2026, time.February, 30}, {1800, time.January, 1}} {
		if v, err := bad.Value(); err == nil {
			t.Errorf("%#v.Value() = %#v, want error", bad, v)
		}
	}
	// sql.Null[Date] stores NULL, and otherwise the Date's Value.
	if v, err := (sql.Null[Date]{}).Value(); err != nil || v != nil {
		t.Errorf("Null Value = %#v, %v", v, err)
	}
	nv, err := (sql.Null[Date]{V: Date{2026, time.March, 5}, Valid: true}).Value()
	if err != nil {
		t.Fatal(err)
	}
	conv, err := driver.DefaultParameterConverter.ConvertValue(nv)
	if err != nil || conv != "2026-03-05" {
		t.Errorf("Null[Date] converts to %#v, %v", conv, err)
	}
}

func TestScan(t *testing.T) {
	want := Date{2026, time.March, 15}
	myt := time.FixedZone("MYT", 8*3600)
	for _, src := range []any{
		"2026-03-15",
		[]byte("2026-03-15"),
		time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC), // PostgreSQL DATE
		time.Date(2026, time.March, 15, 0, 0, 0, 0, myt),
		time.Date(2026, time.March, 15, 23, 59, 59, 0, myt),
	} {
		var d Date
		if err := d.Scan(src); err != nil || d != want {
			t.Errorf("Scan(%#v) = %v, %v", src, d, err)
		}
	}

	for _, tt := range []struct {
		src  any
		code string // "" for a non-*Error error
	}{
		{nil, ""},
		{int64(20260315), ""},
		{3.5, ""},
		{true, ""},
		{"", CodeEmpty},
		{[]byte{}, CodeEmpty},
		{"15/03/2026", CodeFormat}, // the database holds only the ISO form
		{"2026-03-15T00:00:00Z", CodeFormat},
		{"2026-02-30", CodeInvalid},
		{"1800-01-01", CodeRange},
		{time.Time{}, CodeRange},
		{time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC), CodeRange},
	} {
		d := Date{2000, time.January, 1}
		err := d.Scan(tt.src)
		if err == nil {
			t.Errorf("Scan(%#v) = %v, want error", tt.src, d)
			continue
		}
		if d != (Date{2000, time.January, 1}) {
			t.Errorf("Scan(%#v) changed the Date to %v on error", tt.src, d)
		}
		var e *Error
		if isE := errors.As(err, &e); isE != (tt.code != "") || isE && e.Code != tt.code {
			t.Errorf("Scan(%#v): error %v, want code %q", tt.src, err, tt.code)
		}
	}

	// sql.Null[Date] scans NULL as not valid, and a value through Scan.
	var n sql.Null[Date]
	if err := n.Scan(nil); err != nil || n.Valid {
		t.Errorf("Null Scan(nil) = %+v, %v", n, err)
	}
	if err := n.Scan("2026-03-15"); err != nil || !n.Valid || n.V != want {
		t.Errorf("Null Scan = %+v, %v", n, err)
	}
}

func TestRoundTripAllDays(t *testing.T) {
	// Every day in range survives String, Display and Value/Scan, and
	// AddDays(1) walks through all of them.
	d := Date{MinYear, time.January, 1}
	n := 0
	for d.Year <= MaxYear {
		for _, s := range []string{d.String(), d.Display()} {
			got, err := Parse(s)
			if err != nil || got != d {
				t.Fatalf("Parse(%q) = %v, %v; want %v", s, got, err, d)
			}
		}
		v, err := d.Value()
		if err != nil {
			t.Fatalf("%v.Value(): %v", d, err)
		}
		var back Date
		if err := back.Scan(v); err != nil || back != d {
			t.Fatalf("Scan(%v) = %v, %v", v, back, err)
		}
		if !d.IsValid() {
			t.Fatalf("%v not valid", d)
		}
		next := d.AddDays(1)
		if !next.After(d) {
			t.Fatalf("%v.AddDays(1) = %v", d, next)
		}
		d = next
		n++
	}
	// 301 years, 73 of them leap (1900 and 2100 are not; 2000 is).
	if want := 301*365 + 73; n != want {
		t.Errorf("walked %d days, want %d", n, want)
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		_, _ = Parse("15/03/2026")
	}
}
