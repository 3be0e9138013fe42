package pdf

import (
	"github.com/espeks/espeks/internal/money"
	"github.com/espeks/espeks/internal/payslip"
)

// Payslip renders a payslip (Penyata Gaji, PK 0103) as a one-page A4 PDF.
func Payslip(p payslip.Payslip, m Meta) ([]byte, error) {
	period := monthYear(p.Month, p.Year)
	ref := "No. Penggajian / Payroll: " + clean(p.PayrollID)
	if p.Supplementary() {
		ref += " (Tambahan / Supplementary)"
	}
	ref += "    Bulan/Tahun / Month/Year: " + period
	d, err := newDoc(m, "PENYATA GAJI / PAYSLIP", ref)
	if err != nil {
		return nil, err
	}

	d.particulars([]kv{
		{"Nama / Name", p.Name, true},
		{"No. KP / IC No.", myKad(p.ICNo), false},
		{"Jawatan / Position", p.Position, false},
		{"Gred / Grade", p.Grade, false},
		{"Jabatan / Department", joinCode(p.DepartmentCode, p.DepartmentName), false},
		{"PTJ / Responsibility Centre", joinCode(p.PTJCode, p.PTJName), false},
	}, []kv{
		{"Bulan/Tahun / Month/Year", period, false},
		{"Tarikh Bayaran / Pay Date", p.PayDate.Display(), false},
		{"Bank", p.BankName, false},
		{"No. Akaun / Account No.", p.MaskedAccount(), false},
		{"No. KWSP / EPF No.", p.EPFNo, false},
		{"No. PERKESO / SOCSO No.", p.SOCSONo, false},
		{"No. Cukai / Income Tax No.", p.TaxNo, false},
		{"No. Gaji / Staff No.", p.StaffNo, false},
	})
	d.y += 8

	d.amountTables(
		[2]string{"PENDAPATAN / EARNINGS", "POTONGAN / DEDUCTIONS"},
		[2][]amountRow{itemRows(p.Income), itemRows(p.Deductions)},
		[2]*amountRow{
			{name: "Jumlah Pendapatan / Total Earnings", amount: p.TotalIncome.Format()},
			{name: "Jumlah Potongan / Total Deductions", amount: p.TotalDeductions.Format()},
		})
	d.y += 6

	d.netPay("GAJI BERSIH / NET PAY", p.NetPay)
	d.y += 10

	// Caruman Majikan on the left, a note on the right. The section moves to the next
	// page as a whole when it fits there and not here.
	d.need(15 + float64(len(p.Employer)+1)*(8*lineFactor+cellPadding) + 8)
	top, page := d.y, d.pages
	d.y = top + 16
	d.note(marginX+halfW+halfGap+4, halfW-8,
		"Caruman majikan dibayar oleh Kerajaan Negeri kepada KWSP dan PERKESO; "+
			"ia tidak termasuk dalam Gaji Bersih.",
		"Employer contributions are paid by the State Government to EPF and SOCSO; "+
			"they are not part of Net Pay.")
	noteEnd := d.y
	d.y = top
	d.amountTables(
		[2]string{"CARUMAN MAJIKAN / EMPLOYER CONTRIBUTIONS", ""},
		[2][]amountRow{itemRows(p.Employer), nil},
		[2]*amountRow{{name: "Jumlah Caruman Majikan / Total", amount: p.TotalEmployer.Format()}, nil})
	if d.pages == page {
		d.y = max(d.y, noteEnd)
	}
	return d.finish()
}

func itemRows(items []payslip.Item) []amountRow {
	rows := make([]amountRow, len(items))
	for i, it := range items {
		rows[i] = amountRow{code: it.Code, name: it.Name, amount: it.Amount.Format()}
	}
	return rows
}

// netPay draws the prominent net pay bar across the page.
func (d *doc) netPay(label string, amount money.Sen) {
	const h = 24.0
	d.need(h)
	d.fill(marginX, d.y, contentW, h, netFill)
	d.box(marginX, d.y, contentW, h, 1, navy)
	d.setColor(navy)
	d.font(true, 11)
	d.text(marginX+8, d.y+6.5, label)
	d.font(true, 12)
	d.textRight(pageW-marginX-8, d.y+5.8, "RM "+amount.Format())
	d.setColor(black)
	d.y += h
}

// note draws small grey text (Malay, then English) wrapped in a column.
func (d *doc) note(x, w float64, lines ...string) {
	d.font(false, 7.5)
	d.setColor(darkGrey)
	for _, s := range lines {
		for _, l := range d.wrap(s, w) {
			d.text(x, d.y, l)
			d.y += d.lh()
		}
		d.y += 2
	}
	d.setColor(black)
}
