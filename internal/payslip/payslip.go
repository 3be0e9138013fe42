package payslip

import (
	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/money"
)

// Item is one line of a payslip.
type Item struct {
	Code     string
	Name     string
	Category string
	Amount   money.Sen
}

// Payslip is one month's statement of one staff member (one payroll run), as loaded.
type Payslip struct {
	PublicID       string // opaque ID used in URLs
	PayrollID      string // e.g. 2026-03-UTAMA
	Year           int
	Month          int
	PayDate        civil.Date
	ICNo           string // normalised No. KP
	StaffNo        string
	Name           string
	Position       string
	Grade          string
	DepartmentCode string
	DepartmentName string
	PTJCode        string
	PTJName        string
	BankName       string
	BankAccount    string // full; show only Masked()
	EPFNo          string
	SOCSONo        string
	TaxNo          string

	Income     []Item // Pendapatan
	Deductions []Item // Potongan
	Employer   []Item // Caruman Majikan

	TotalIncome     money.Sen // Jumlah Pendapatan
	TotalDeductions money.Sen // Jumlah Potongan
	TotalEmployer   money.Sen
	NetPay          money.Sen // Gaji Bersih = Pendapatan − Potongan
}

// Supplementary reports whether the payslip is of a supplementary run (TAMBAHAN).
func (p Payslip) Supplementary() bool { return !containsFold(p.PayrollID, "UTAMA") }

// MaskedAccount shows only the last four digits of the bank account (QUALITY.md).
func (p Payslip) MaskedAccount() string { return MaskAccount(p.BankAccount) }

// MaskAccount keeps the last four characters of an account number.
func MaskAccount(s string) string {
	if len(s) <= 4 {
		return s
	}
	b := make([]byte, len(s))
	for i := range b {
		b[i] = '*'
	}
	copy(b[len(s)-4:], s[len(s)-4:])
	return string(b)
}

func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		match := true
		for j := 0; j < len(sub); j++ {
			a, b := s[i+j], sub[j]
			if a >= 'a' && a <= 'z' {
				a -= 'a' - 'A'
			}
			if a != b {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// Employer is the employer block of the Borang EC, from configuration.
type Employer struct {
	Name    string // e.g. Perbendaharaan Negeri Melaka
	Address string
	Number  string // No. Majikan (E)
}

// EC is the Borang EC (Penyata Saraan Tahunan) of one person for one year: the sum,
// by category, of that year's payslips (DATA.md), so it always agrees with them.
type EC struct {
	Year     int
	Payslips int // how many payslips were summed

	// Section A: employee particulars, from the latest payslip of the year.
	Name, ICNo, StaffNo, Position, Grade, TaxNo, EPFNo, SOCSONo string
	DepartmentName, PTJCode, PTJName                            string

	Employer Employer

	B1a money.Sen // gaji kasar, upah, gaji cuti, lebih masa (BASIC, OVERTIME)
	B1b money.Sen // fi, komisen, bonus (BONUS)
	B1c money.Sen // elaun, perkuisit, pemberian (ALLOWANCE, OTHER_INCOME)
	B1d money.Sen // ganjaran (GRATUITY)
	B2  money.Sen // tunggakan tahun terdahulu (ARREARS)
	C   money.Sen // pencen (PENSION)
	D1  money.Sen // potongan cukai bulanan, PCB
	D2  money.Sen // arahan potongan CP38
	D3  money.Sen // zakat melalui potongan gaji
	E1  money.Sen // KWSP, bahagian pekerja (EPF)
	E2  money.Sen // PERKESO / SIP (SOCSO, EIS)
	F   money.Sen // elaun yang dikecualikan cukai (ALLOWANCE_EXEMPT)
}

// TotalB is the employment income of section B: B1(a)–(d) and B2.
func (e EC) TotalB() money.Sen { return e.B1a + e.B1b + e.B1c + e.B1d + e.B2 }
