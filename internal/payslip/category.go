package payslip

// Block is one of the payslip's three blocks.
type Block string

const (
	Income       Block = "PENDAPATAN"      // Pendapatan
	Deduction    Block = "POTONGAN"        // Potongan
	Contribution Block = "CARUMAN_MAJIKAN" // Caruman Majikan
)

// Categories maps every item category of DATA.md to its block. A category not in the
// map is refused by the loader.
var Categories = map[string]Block{
	"BASIC": Income, "OVERTIME": Income, "BONUS": Income, "ALLOWANCE": Income, "OTHER_INCOME": Income,
	"ALLOWANCE_EXEMPT": Income, "GRATUITY": Income, "ARREARS": Income, "PENSION": Income,
	"PCB": Deduction, "CP38": Deduction, "ZAKAT": Deduction, "EPF": Deduction, "SOCSO": Deduction,
	"EIS": Deduction, "LOAN": Deduction, "OTHER_DEDUCTION": Deduction,
	"EMPLOYER_EPF": Contribution, "EMPLOYER_SOCSO": Contribution, "EMPLOYER_EIS": Contribution,
}
