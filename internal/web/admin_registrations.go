package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/i18n"
)

const pageSize = 25

// adminIndex is the Pentadbir's landing page: the dashboard (admin_dashboard.go).
func (s *Server) adminIndex(w http.ResponseWriter, r *http.Request) error {
	return s.adminDashboard(w, r)
}

// adminRegistrations lists registrations waiting for Aktifkan or Tolak, with search.
func (s *Server) adminRegistrations(w http.ResponseWriter, r *http.Request) error {
	return s.renderRegistrations(w, r, http.StatusOK, 0, nil)
}

func (s *Server) renderRegistrations(w http.ResponseWriter, r *http.Request, status int, errRow int64, errs i18n.FieldErrors) error {
	q := r.URL.Query()
	pageNo, _ := strconv.Atoi(q.Get("hal"))
	pageNo = max(pageNo, 1)
	users, total, err := s.users.ListPending(r.Context(), account.PendingFilter{
		Query: q.Get("q"), Limit: pageSize, Offset: (pageNo - 1) * pageSize})
	if err != nil {
		return err
	}
	p := s.page(r, "admin.registrations.title")
	p.Form, p.Errors = q, errs
	p.Notice = map[string]string{"aktif": "admin.activated", "tolak": "admin.rejected", "sudah": "admin.already_decided"}[q.Get("ok")]
	p.Data = map[string]any{
		"Users": users, "Total": total, "Page": pageNo, "ErrRow": errRow,
		"Prev": pageLink(q, pageNo-1, total), "Next": pageLink(q, pageNo+1, total),
	}
	s.render(w, r, status, "admin_registrations", p)
	return nil
}

// pageLink is the query string of another page of the list, or "" past either end.
func pageLink(q url.Values, pageNo, total int) string {
	if pageNo < 1 || (pageNo-1)*pageSize >= total {
		return ""
	}
	v := url.Values{"hal": {strconv.Itoa(pageNo)}}
	if s := q.Get("q"); s != "" {
		v.Set("q", s)
	}
	return "?" + v.Encode()
}

func (s *Server) adminActivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = s.accounts.Activate(r.Context(), state(r).session.User, id, clientAddr(r))
	return s.afterDecision(w, r, err, "aktif")
}

func (s *Server) adminReject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = s.accounts.Reject(r.Context(), state(r).session.User, id, r.PostFormValue("reason"), clientAddr(r))
	var fe i18n.FieldErrors
	if errors.As(err, &fe) {
		return s.renderRegistrations(w, r, http.StatusUnprocessableEntity, id, fe)
	}
	return s.afterDecision(w, r, err, "tolak")
}

func (s *Server) afterDecision(w http.ResponseWriter, r *http.Request, err error, ok string) error {
	if errors.Is(err, account.ErrNotPending) {
		ok, err = "sudah", nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/pentadbir/pendaftaran?ok="+ok, http.StatusSeeOther)
	return nil
}
