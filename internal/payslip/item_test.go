package payslip

import (
	"strconv"
	"testing"
)

// parseItem reads Get's aggregated items; anything malformed is an error, never a
// wrong figure.
func TestParseItem(t *testing.T) {
	it, err := parseItem("0001\x1fGaji Pokok\x1fBASIC\x1f-123450")
	if err != nil || it.Code != "0001" || it.Name != "Gaji Pokok" || it.Category != "BASIC" || it.Amount != -123450 {
		t.Errorf("good item: %+v, %v", it, err)
	}
	for _, bad := range []string{"", "0001\x1fGaji\x1fBASIC", "0001\x1fGaji\x1fBASIC\x1f12.50", "0001\x1fGaji\x1fBASIC\x1f1\x1f2"} {
		if _, err := parseItem(bad); err == nil {
			t.Errorf("parseItem(%q) accepted", bad)
		}
	}
}

// FuzzParseItem: whatever the aggregate holds, parseItem either refuses it or returns
// the four fields it was made of, never panics.
func FuzzParseItem(f *testing.F) {
	f.Add("0001\x1fGaji Pokok\x1fBASIC\x1f350000")
	f.Add("4001\x1fPCB\x1fPCB\x1f-1")
	f.Add("\x1f\x1f\x1f0")
	f.Add("a\x1fb\x1fc\x1f99999999999999999999")
	f.Fuzz(func(t *testing.T, row string) {
		it, err := parseItem(row)
		if err != nil {
			return
		}
		back := it.Code + fieldSep + it.Name + fieldSep + it.Category + fieldSep + strconv.FormatInt(int64(it.Amount), 10)
		if n, _ := parseItem(back); n != it {
			t.Errorf("parseItem(%q) = %+v, which does not read back (%+v)", row, it, n)
		}
	})
}
