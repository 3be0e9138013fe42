package pdf

import (
	"time"

	"github.com/espeks/espeks/internal/identity"
	"github.com/espeks/espeks/internal/payment"
	"github.com/espeks/espeks/internal/payslip"
)

// adviceCols are the voucher table's columns (widths add up to contentW).
var adviceCols = []column{
	{head: [2]string{"No. Baucar", "Voucher No."}, width: 64},
	{head: [2]string{"Tarikh Baucar", "Voucher Date"}, width: 66},
	{head: [2]string{"No. Invois/Bil", "Invoice/Bill No."}, width: 74},
	{head: [2]string{"PTJ", "Responsibility Centre"}, width: 94},
	{head: [2]string{"Perihal", "Description"}, width: contentW - 64 - 66 - 74 - 94 - 64},
	{head: [2]string{"Amaun (RM)", "Amount"}, width: 64, right: true},
}

// PaymentAdvice renders the payment advice (Nasihat Pembayaran, PK 0102) of one cheque or
// EFT with every voucher it settled. It is one A4 page unless the vouchers need more;
// further pages repeat the header and the table heading.
func PaymentAdvice(p payment.Payment, m Meta) ([]byte, error) {
	d, err := newDoc(m, "NASIHAT PEMBAYARAN / PAYMENT ADVICE",
		"No. Cek/EFT / Cheque/EFT No.: "+clean(p.PaymentNo))
	if err != nil {
		return nil, err
	}

	idLabel, id := "No. KP / IC No.", p.PayeeID
	if n, err := identity.ParseAt(p.PayeeID, printedTime(m)); err == nil {
		id = n.Display()
		if n.Kind() == identity.KindSSM {
			idLabel = "No. Pendaftaran / Registration No."
		}
	}
	account := ""
	if p.BankAccount != "" {
		account = payslip.MaskAccount(p.BankAccount)
	}
	d.particulars([]kv{
		{"Nama Penerima / Payee", p.PayeeName, true},
		{idLabel, id, false},
		{"Bank", p.BankName, false},
		{"No. Akaun / Account No.", account, false},
	}, []kv{
		{"No. Cek/EFT / Cheque/EFT No.", p.PaymentNo, false},
		{"Tarikh Bayaran / Payment Date", p.PaymentDate.Display(), false},
		{"Cara Bayaran / Payment Mode", modeWord(p.Mode), false},
		{"Status", statusWord(p.Status), true},
		{"Amaun / Amount", "RM " + p.Amount.Format(), true},
	})
	d.y += 8

	rows := make([][]string, len(p.Lines))
	for i, l := range p.Lines {
		rows[i] = []string{
			l.VoucherNo, l.VoucherDate.Display(), orDash(l.InvoiceNo),
			joinCode(l.PTJCode, l.PTJName), l.Description, l.Amount.Format(),
		}
	}
	d.table(adviceCols, rows, "Jumlah / Total (RM)", p.Amount.Format())

	if len(p.History) > 1 {
		d.y += 8
		d.font(true, 8)
		d.need(d.lh() * float64(2+len(p.History)))
		d.text(marginX, d.y, "Sejarah status / Status history")
		d.y += d.lh() + 1
		for _, h := range p.History {
			d.font(false, 8)
			d.need(d.lh())
			d.text(marginX+4, d.y, localTime(h.At))
			d.text(marginX+90, d.y, statusWord(h.Status))
			d.y += d.lh()
		}
	}
	return d.finish()
}

func printedTime(m Meta) time.Time {
	if m.PrintedAt.IsZero() {
		return time.Now()
	}
	return m.PrintedAt
}
