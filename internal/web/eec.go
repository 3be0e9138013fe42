package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/payslip"
)

// eecIndex is PK 0104 step 1: Tahun, then the statement of that year.
func (s *Server) eecIndex(w http.ResponseWriter, r *http.Request) error {
	u := state(r).session.User
	years, err := s.payslips.Years(r.Context(), u.LoginID)
	if err != nil {
		return err
	}
	p := s.page(r, "eec.title")
	p.Form = r.URL.Query()
	data := map[string]any{"Years": years}
	if t := p.Form.Get("tahun"); t != "" {
		year, err := strconv.Atoi(t)
		if err != nil || year < 1900 || year > 2200 {
			p.Errors = i18n.FieldErrors{"tahun": i18n.Msg("form.year.invalid")}
		} else {
			_, err := s.payslips.EC(r.Context(), u.LoginID, year, s.employer())
			switch {
			case errors.Is(err, payslip.ErrNotFound):
				data["Searched"] = true
			case err != nil:
				return err
			default:
				data["Searched"], data["Found"] = true, year
			}
		}
	} else if len(years) > 0 {
		p.Form.Set("tahun", strconv.Itoa(years[0]))
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "eec", p)
	return nil
}

// eecShow is the Borang EC of a year (PK 0104 step 2).
func (s *Server) eecShow(w http.ResponseWriter, r *http.Request) error {
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
	p := s.page(r, "ec.title")
	p.Data = ec
	p.Print = r.URL.Query().Get("cetak") == "1"
	s.render(w, r, http.StatusOK, "ec", p)
	return nil
}

// employer is the EC's employer block, from configuration.
func (s *Server) employer() payslip.Employer {
	name := s.cfg.EmployerName
	if name == "" {
		name = "Perbendaharaan Negeri " + s.cfg.StateName
	}
	return payslip.Employer{Name: name, Address: s.cfg.EmployerAddress, Number: s.cfg.EmployerNumber}
}
