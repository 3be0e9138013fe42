package payslip

import "testing"

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
