package web

import (
	"strings"
	"testing"

	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/money"
	"github.com/espeks/espeks/internal/payslip"
)

// The payslip's item rows are written as HTML by newPayslipView rather than by the
// template, so their escaping is this code's job: a name or code from a loaded file
// must come out as text.
func TestPayslipViewEscapesItems(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := &Page{Lang: i18n.Malay, cat: cat}
	ps := payslip.Payslip{PublicID: "abc", Year: 2026, Month: 3, PayrollID: "2026-03-UTAMA",
		Income:      []payslip.Item{{Code: `<b>1`, Name: `Elaun "A" & <script>alert(1)</script>`, Amount: money.Sen(123450)}},
		Deductions:  []payslip.Item{{Code: "4001", Name: "PCB", Amount: money.Sen(5)}},
		TotalIncome: 123450, TotalDeductions: 5, NetPay: 123445}
	v := newPayslipView(p, ps)
	rows := string(v.Blocks[0].Rows)
	want := `<tr><td>&lt;b&gt;1</td><td>Elaun &#34;A&#34; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</td><td class="num">1,234.50</td></tr>`
	if rows != want {
		t.Errorf("income rows:\n got %s\nwant %s", rows, want)
	}
	if strings.Contains(rows, "<script>") {
		t.Error("an item name reached the page as markup")
	}
	if got := string(v.Blocks[1].Rows); got != `<tr><td>4001</td><td>PCB</td><td class="num">0.05</td></tr>` {
		t.Errorf("deduction rows: %s", got)
	}
	if v.Blocks[2].Rows != "" || v.Blocks[2].Total != "0.00" {
		t.Errorf("empty employer block: rows %q total %q", v.Blocks[2].Rows, v.Blocks[2].Total)
	}
	if v.Net != "1,234.45" || v.Blocks[0].Total != "1,234.50" {
		t.Errorf("totals: net %q income %q", v.Net, v.Blocks[0].Total)
	}
}
