package web

import (
	"errors"
	"net/http"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/i18n"
)

func (s *Server) registerPage(r *http.Request) *Page {
	p := s.page(r, "register.title")
	p.Data = map[string]any{"Questions": account.SecurityQuestions}
	return p
}

// registerForm shows the PK 0101 form.
func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) error {
	if state(r).session != nil {
		http.Redirect(w, r, "/utama", http.StatusSeeOther)
		return nil
	}
	p := s.registerPage(r)
	p.Form = map[string][]string{"user_type": {string(account.Staff)}}
	s.render(w, r, http.StatusOK, "register", p)
	return nil
}

// registerSubmit validates the whole form; errors come back beside their fields with
// what was typed (never the passwords). Valid or already registered, the answer is the
// same redirect.
func (s *Server) registerSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	err := s.accounts.Register(r.Context(), account.Registration{
		UserType: f.Get("user_type"), LoginID: f.Get("login_id"), Name: f.Get("name"),
		Email: f.Get("email"), Phone: f.Get("phone"), Department: f.Get("department"),
		StaffNo: f.Get("staff_no"), Question: f.Get("question"), Answer: f.Get("answer"),
		Password: f.Get("password"), Confirm: f.Get("confirm"),
	}, clientAddr(r))
	var fe i18n.FieldErrors
	if errors.As(err, &fe) {
		p := s.registerPage(r)
		p.Form, p.Errors = f, fe
		p.Form.Del("answer") // a secret, like the passwords
		s.render(w, r, http.StatusUnprocessableEntity, "register", p)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/daftar/diterima", http.StatusSeeOther)
	return nil
}

// registerDone says what happens next.
func (s *Server) registerDone(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "register_done", s.page(r, "register.done.title"))
	return nil
}
