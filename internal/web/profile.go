package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/i18n"
)

func (s *Server) profilePage(r *http.Request, u account.User) *Page {
	p := s.page(r, "profile.title")
	p.Data = map[string]any{"Questions": account.SecurityQuestions, "Profile": u}
	return p
}

// profileForm shows PK 0107 Kemaskini Profil filled with the current details.
func (s *Server) profileForm(w http.ResponseWriter, r *http.Request) error {
	u := state(r).session.User
	p := s.profilePage(r, u)
	p.Form = url.Values{"name": {u.Name}, "email": {u.Email}, "phone": {u.Phone}, "department": {u.Department},
		"question": {u.SecurityQuestion}}
	if u.NotifyEmail {
		p.Form.Set("notify", "1")
	}
	if u.PDFEncrypt {
		p.Form.Set("pdf_encrypt", "1")
	}
	switch r.URL.Query().Get("ok") {
	case "1":
		p.Notice = "profile.saved"
	case "emel":
		p.Notice = "profile.email_pending"
	}
	s.render(w, r, http.StatusOK, "profile", p)
	return nil
}

// profileSubmit saves the profile. Only the form's own fields are read: a posted role,
// status, ID or user type is ignored (no mass assignment).
func (s *Server) profileSubmit(w http.ResponseWriter, r *http.Request) error {
	u := state(r).session.User
	f := r.PostForm
	res, err := s.accounts.UpdateProfile(r.Context(), u, account.ProfileUpdate{
		Name: f.Get("name"), Email: f.Get("email"), Phone: f.Get("phone"), Department: f.Get("department"),
		Question: f.Get("question"), Answer: f.Get("answer"), Current: f.Get("current"), Notify: f.Get("notify") == "1",
		PDFEncrypt: f.Get("pdf_encrypt") == "1",
	}, s.cfg.EmailLinkTTL, clientAddr(r))
	var fe i18n.FieldErrors
	if errors.As(err, &fe) {
		p := s.profilePage(r, u)
		p.Form, p.Errors = f, fe
		p.Form.Del("answer")
		p.Form.Del("current")
		s.render(w, r, http.StatusUnprocessableEntity, "profile", p)
		return nil
	}
	if err != nil {
		return err
	}
	ok := "1"
	if res.EmailPending != "" {
		ok = "emel"
	}
	http.Redirect(w, r, "/akaun/profil?ok="+ok, http.StatusSeeOther)
	return nil
}
