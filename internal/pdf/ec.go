package pdf

import (
	"strconv"

	"github.com/espeks/espeks/internal/money"
	"github.com/espeks/espeks/internal/payslip"
)

// EC renders a Borang EC (Penyata Saraan Tahunan, PK 0104) as a one-page A4 PDF, in the
// layout of the form: sections A to F and the employer block.
func EC(e payslip.EC, m Meta) ([]byte, error) {
	year := strconv.Itoa(e.Year)
	d, err := newDoc(m, "BORANG EC — PENYATA SARAAN TAHUNAN / STATEMENT OF REMUNERATION",
		"Tahun / Year: "+year+"    Bagi tahun berakhir / For the year ended: 31/12/"+year)
	if err != nil {
		return nil, err
	}

	d.sectionBar("A   BUTIRAN PEKERJA / EMPLOYEE PARTICULARS", "")
	d.particulars([]kv{
		{"Nama / Name", e.Name, true},
		{"No. KP / IC No.", myKad(e.ICNo), false},
		{"No. Cukai / Income Tax No.", e.TaxNo, false},
		{"No. Gaji / Staff No.", e.StaffNo, false},
	}, []kv{
		{"Jawatan / Position", e.Position, false},
		{"Gred / Grade", e.Grade, false},
		{"No. KWSP / EPF No.", e.EPFNo, false},
		{"No. PERKESO / SOCSO No.", e.SOCSONo, false},
	})
	d.y += 6

	d.sectionBar("B   PENDAPATAN PENGGAJIAN / EMPLOYMENT INCOME", "RM")
	d.formRow("1(a)", "Gaji kasar, upah, gaji cuti, lebih masa / Gross salary, wages, leave pay, overtime", e.B1a)
	d.formRow("1(b)", "Fi, komisen, bonus / Fees, commission, bonus", e.B1b)
	d.formRow("1(c)", "Elaun, perkuisit, pemberian / Allowances, perquisites, gifts", e.B1c)
	d.formRow("1(d)", "Ganjaran / Gratuity", e.B1d)
	d.formRow("2", "Tunggakan tahun terdahulu / Arrears for preceding years", e.B2)
	d.formTotal("JUMLAH / TOTAL", e.TotalB())
	d.y += 6

	d.sectionBar("C   PENCEN DAN LAIN-LAIN / PENSION AND OTHERS", "RM")
	d.formRow("1", "Pencen / Pension", e.C)
	d.y += 6

	d.sectionBar("D   POTONGAN / DEDUCTIONS", "RM")
	d.formRow("1", "Potongan cukai bulanan (PCB) / Monthly tax deduction (MTD)", e.D1)
	d.formRow("2", "Arahan potongan CP38 / CP38 deduction", e.D2)
	d.formRow("3", "Zakat melalui potongan gaji / Zakat paid via salary deduction", e.D3)
	d.y += 6

	d.sectionBar("E   CARUMAN PEKERJA / EMPLOYEE CONTRIBUTIONS", "RM")
	d.formRow("1", "KWSP (bahagian pekerja) / EPF (employee's share)", e.E1)
	d.formRow("2", "PERKESO / SIP — SOCSO / EIS", e.E2)
	d.y += 6

	d.sectionBar("F   ELAUN YANG DIKECUALIKAN CUKAI / TAX-EXEMPT ALLOWANCES", "RM")
	d.formRow("", "Elaun yang dikecualikan cukai / Tax-exempt allowances", e.F)
	d.y += 6

	d.sectionBar("MAJIKAN / EMPLOYER", "")
	d.particulars([]kv{
		{"Nama Majikan / Employer", e.Employer.Name, true},
		{"Alamat / Address", e.Employer.Address, false},
	}, []kv{
		{"No. Majikan (E) / Employer No. (E)", e.Employer.Number, false},
		{"Jabatan / Department", e.DepartmentName, false},
		{"PTJ / Responsibility Centre", joinCode(e.PTJCode, e.PTJName), false},
	})
	d.y += 8

	d.need(4 * 8 * lineFactor)
	d.font(true, 8)
	d.text(marginX, d.y, "Bilangan slip gaji dijumlahkan / Number of payslips summed: "+strconv.Itoa(e.Payslips))
	d.y += d.lh() + 2
	d.note(marginX, contentW,
		"Angka-angka penyata ini ialah jumlah slip gaji tahun "+year+" mengikut kategori item.",
		"The figures are the sum of the "+year+" payslips by item category.")
	return d.finish()
}

// formRow is one numbered line of the form with its amount at the right.
func (d *doc) formRow(num, label string, amount money.Sen) {
	const numW, sz = 30.0, 8.5
	d.font(false, sz)
	lines := d.wrap(label, contentW-numW-amountW-24)
	h := float64(max(1, len(lines)))*d.lh() + cellPadding + 2.5
	d.need(h)
	y := d.y + 1.5
	d.text(marginX+4, y, num)
	for j, l := range lines {
		d.text(marginX+4+numW, y+float64(j)*d.lh(), l)
	}
	d.textRight(pageW-marginX-4, y, amount.Format())
	d.y += h
	d.rule(marginX, pageW-marginX, d.y-0.8, 0.3, midGrey)
}

// formTotal is the bold total line of a section.
func (d *doc) formTotal(label string, amount money.Sen) {
	d.font(true, 8.5)
	h := d.lh() + cellPadding + 2
	d.need(h)
	d.y += 1
	d.textRight(pageW-marginX-4-amountW-16, d.y, label)
	d.textRight(pageW-marginX-4, d.y, amount.Format())
	d.y += h - 1
	d.rule(pageW-marginX-amountW-8, pageW-marginX, d.y-1.2, 0.8, darkGrey)
}
