package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/espeks/espeks/internal/payment"
	"github.com/espeks/espeks/internal/payslip"
	"github.com/espeks/espeks/internal/pdf"
)

// pdfMeta is what every statement PDF of this user shows; the password is the user's
// ID number when they chose encryption in their profile.
func (s *Server) pdfMeta(r *http.Request) pdf.Meta {
	u := state(r).session.User
	m := pdf.Meta{StateName: s.cfg.StateName, PrintedAt: s.now()}
	if u.PDFEncrypt {
		m.Password = u.LoginID
	}
	return m
}

// sendPDF writes a PDF as a download that no cache keeps.
func sendPDF(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, name))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

func (s *Server) epayslipPDF(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.payslips.Get(r.Context(), state(r).session.User.LoginID, r.PathValue("id"))
	if errors.Is(err, payslip.ErrNotFound) {
		return s.statementMissing(r, "payslip pdf")
	}
	if err != nil {
		return err
	}
	b, err := pdf.Payslip(ps, s.pdfMeta(r))
	if err != nil {
		return err
	}
	sendPDF(w, fmt.Sprintf("penyata-gaji-%04d-%02d-%s.pdf", ps.Year, ps.Month, ps.PayrollID), b)
	return nil
}

func (s *Server) eecPDF(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PathValue("tahun"))
	if err != nil {
		return errNotFound
	}
	ec, err := s.payslips.EC(r.Context(), state(r).session.User.LoginID, year, s.employer())
	if errors.Is(err, payslip.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	b, err := pdf.EC(ec, s.pdfMeta(r))
	if err != nil {
		return err
	}
	sendPDF(w, fmt.Sprintf("borang-ec-%d.pdf", year), b)
	return nil
}

func (s *Server) paymentPDF(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	pay, id, err := s.payments.Get(r.Context(), st.session.User.LoginID, r.PathValue("id"))
	if errors.Is(err, payment.ErrNotFound) {
		return s.statementMissing(r, "payment pdf")
	}
	if err != nil {
		return err
	}
	if pay.NeedsCheck() {
		ok, err := s.payments.Checked(r.Context(), st.session.TokenHash, id)
		if err != nil {
			return err
		}
		if !ok { // the account check comes first, for the PDF too
			http.Redirect(w, r, "/emaklum/"+pay.PublicID, http.StatusSeeOther)
			return nil
		}
	}
	b, err := pdf.PaymentAdvice(pay, s.pdfMeta(r))
	if err != nil {
		return err
	}
	sendPDF(w, fmt.Sprintf("nasihat-bayaran-%s.pdf", pay.PaymentNo), b)
	return nil
}
