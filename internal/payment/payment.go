package payment

import (
	"time"

	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/money"
)

// Line is one voucher a payment settled.
type Line struct {
	VoucherNo   string
	VoucherDate civil.Date
	InvoiceNo   string
	PTJCode     string
	PTJName     string
	Description string
	Amount      money.Sen
}

// StatusChange is one entry of a payment's status history.
type StatusChange struct {
	Status string
	At     time.Time
}

// Payment is one cheque or EFT with its vouchers.
type Payment struct {
	PublicID    string
	PaymentNo   string // No. Cek / No. EFT
	PayeeID     string // normalised No. KP or SSM number
	PayeeName   string
	Mode        string // EFT, CEK, DRAF, TT
	PaymentDate civil.Date
	Status      string // DIHANTAR, DITERIMA, GAGAL, DIKELUARKAN, DIBATALKAN
	BankName    string
	BankAccount string // full; show only the last four digits
	Amount      money.Sen
	Lines       []Line
	History     []StatusChange
}
