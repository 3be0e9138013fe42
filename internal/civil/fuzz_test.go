package civil

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

var acceptedRE = regexp.MustCompile(`^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})$`)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "2026-03-15", "15/03/2026", "5/3/2026", "31/02/2026", "29/02/2025",
		"29/02/2024", "1899-12-31", "2201-01-01", "2026-3-15", "15-03-2026",
		" 15/03/2026", "15/03/26", "00/00/0000", "2026-13-01", "١٥/٠٣/٢٠٢٦",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)

		// Independent oracle for the shape and the calendar.
		if !acceptedRE.MatchString(s) {
			if err == nil {
				t.Fatalf("Parse(%q) = %v, but the form is not accepted", s, d)
			}
		} else if err != nil && errors.Is(err, &Error{Code: CodeFormat}) {
			t.Fatalf("Parse(%q): format error for an accepted form", s)
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
			if !d.IsZero() {
				t.Fatalf("Parse(%q) = %v with an error", s, d)
			}
			if strings.ContainsAny(s, "0123456789") && strings.Contains(err.Error(), s) {
				t.Fatalf("Parse(%q): error %q contains the input", s, err.Error())
			}
			return
		}

		if !d.IsValid() {
			t.Fatalf("Parse(%q) = %#v, not valid", s, d)
		}
		// time.Date normalises impossible dates; a real one is unchanged.
		if Of(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)) != d {
			t.Fatalf("Parse(%q) = %v, which does not exist", s, d)
		}
		for _, form := range []string{d.String(), d.Display()} {
			back, err := Parse(form)
			if err != nil || back != d {
				t.Fatalf("Parse(%q) = %v; Parse(%q) = %v, %v", s, d, form, back, err)
			}
		}
		if s != d.String() && s != d.Display() && !strings.Contains(s, "/") {
			t.Fatalf("Parse(%q) = %v: ISO input is not canonical", s, d)
		}
		var scanned Date
		if v, err := d.Value(); err != nil {
			t.Fatalf("%v.Value(): %v", d, err)
		} else if err := scanned.Scan(v); err != nil || scanned != d {
			t.Fatalf("Scan(%v) = %v, %v", v, scanned, err)
		}
	})
}
