package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/i18n"
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
	p.Data = ps
	p.Print = r.URL.Query().Get("cetak") == "1"
	s.render(w, r, http.StatusOK, "payslip", p)
	return nil
}
