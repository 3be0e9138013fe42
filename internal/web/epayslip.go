package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/money"
	"github.com/espeks/espeks/internal/payslip"
)

// requireStaff lets only staff through; a supplier gets 404, as if the pages did not
// exist (PRODUCT.md: a supplier never sees the menu nor the pages).
func (s *Server) requireStaff(h handlerFunc) handlerFunc {
	return s.requireUser(func(w http.ResponseWriter, r *http.Request) error {
		if state(r).session.User.Type != account.Staff {
			return errNotFound
		}
		return h(w, r)
	})
}

// statementMissing answers a statement that is not the user's (or does not exist) with
// 404, and records the attempt: guessing IDs shows in the audit log.
func (s *Server) statementMissing(r *http.Request, what string) error {
	u := state(r).session.User
	_ = s.audit.Record(r.Context(), audit.Event{Type: audit.AccessDenied, Outcome: audit.Failure, ActorID: u.ID,
		ActorLogin: u.LoginID, Source: clientAddr(r), Detail: what + " " + r.URL.Path})
	return errNotFound
}

// epayslipIndex is PK 0103 step 1: Tahun and Bulan, then the month's payslips.
func (s *Server) epayslipIndex(w http.ResponseWriter, r *http.Request) error {
	u := state(r).session.User
	years, err := s.payslips.Years(r.Context(), u.LoginID)
	if err != nil {
		return err
	}
	p := s.page(r, "epayslip.title")
	p.Form = r.URL.Query()
	data := map[string]any{"Years": years, "Months": monthNumbers}
	if p.Form.Get("tahun") != "" || p.Form.Get("bulan") != "" {
		year, errY := strconv.Atoi(p.Form.Get("tahun"))
		month, errM := strconv.Atoi(p.Form.Get("bulan"))
		p.Errors = i18n.FieldErrors{}
		if errY != nil || year < 1900 || year > 2200 {
			p.Errors.Add("tahun", i18n.Msg("form.year.invalid"))
		}
		if errM != nil || month < 1 || month > 12 {
			p.Errors.Add("bulan", i18n.Msg("form.month.invalid"))
		}
		if len(p.Errors) == 0 {
			list, err := s.payslips.Month(r.Context(), u.LoginID, year, month)
			if err != nil {
				return err
			}
			data["Results"], data["Searched"] = list, true
		}
	} else if len(years) > 0 {
		now := s.now().In(account.Malaysia())
		p.Form.Set("tahun", strconv.Itoa(years[0]))
		p.Form.Set("bulan", strconv.Itoa(int(now.Month())))
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "epayslip", p)
	return nil
}

var monthNumbers = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}

// epayslipShow is the full payslip (PK 0103 step 2).
func (s *Server) epayslipShow(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.payslips.Get(r.Context(), state(r).session.User.LoginID, r.PathValue("id"))
	if errors.Is(err, payslip.ErrNotFound) {
		return s.statementMissing(r, "payslip")
	}
	if err != nil {
		return err
	}
	p := s.page(r, "payslip.title")
	p.Data = newPayslipView(p, ps)
	p.Print = r.URL.Query().Get("cetak") == "1"
	s.render(w, r, http.StatusOK, "payslip", p)
	return nil
}

// payslipView is a payslip with every figure and label already formatted, so its
// template reads fields instead of calling methods, and each block's rows are one
// piece of escaped HTML instead of three actions per item. html/template runs every
// action through a reflective call of its escaper, and the payslip's twenty-odd items
// made those calls a large share of the page's template time, which espeks bench's
// profile put at half the server's CPU. The payslip is a named field, not embedded:
// reflect's lookup of a field through an embedded struct allocates.
type payslipView struct {
	Slip                            payslip.Payslip
	Head                            statementHead
	Actions                         statementActions
	IC, Period, PaidOn, Net, Masked string
	Blocks                          []itemBlock
}

// statementHead is what the statement-head partial shows.
type statementHead struct {
	P          *Page
	Title, Ref string
}

// statementActions is what the statement-actions partial links to.
type statementActions struct {
	P    *Page
	Href string
}

// itemBlock is one of a payslip's three blocks (Pendapatan, Potongan, Caruman Majikan).
type itemBlock struct {
	P                        *Page
	Title, TotalLabel, Total string
	Rows                     template.HTML // <tr>Code, Name, Amount</tr> per item, escaped
}

func newPayslipView(p *Page, ps payslip.Payslip) payslipView {
	month := p.MonthName(ps.Month)
	v := payslipView{
		Slip:    ps,
		Head:    statementHead{P: p, Title: p.T("payslip.title"), Ref: fmt.Sprintf("%s %d · %s", month, ps.Year, ps.PayrollID)},
		Actions: statementActions{P: p, Href: "/epayslip/" + ps.PublicID},
		IC:      p.FormatID(ps.ICNo), Period: fmt.Sprintf("%s %d", month, ps.Year), PaidOn: p.Date(ps.PayDate),
		Net: ps.NetPay.Format(), Masked: ps.MaskedAccount(),
	}
	block := func(title, totalLabel string, items []payslip.Item, total money.Sen) itemBlock {
		var rows strings.Builder
		rows.Grow(len(items) * 96)
		for _, it := range items {
			rows.WriteString("<tr><td>")
			rows.WriteString(template.HTMLEscapeString(it.Code))
			rows.WriteString("</td><td>")
			rows.WriteString(template.HTMLEscapeString(it.Name))
			rows.WriteString(`</td><td class="num">`)
			rows.WriteString(it.Amount.Format())
			rows.WriteString("</td></tr>")
		}
		return itemBlock{P: p, Title: p.T(title), TotalLabel: p.T(totalLabel), Total: total.Format(),
			Rows: template.HTML(rows.String())}
	}
	v.Blocks = []itemBlock{
		block("payslip.income", "payslip.total_income", ps.Income, ps.TotalIncome),
		block("payslip.deductions", "payslip.total_deductions", ps.Deductions, ps.TotalDeductions),
		block("payslip.employer", "payslip.total_employer", ps.Employer, ps.TotalEmployer),
	}
	return v
}
