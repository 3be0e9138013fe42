package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/i18n"
)

// passwordForm shows PK 0105 Tukar Kata Laluan.
func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "password.title")
	if r.URL.Query().Get("ok") == "1" {
		p.Notice = "password.changed"
	}
	s.render(w, r, http.StatusOK, "password_change", p)
	return nil
}

// passwordSubmit changes the password; in the same transaction every session of the
// user ends and this browser gets a new one (a privilege change renews the token).
func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	st := state(r)
	var token string
	err := s.accounts.ChangePassword(r.Context(), st.session.User, account.PasswordChange{
		Current: r.PostForm.Get("current"), New: r.PostForm.Get("new"), Confirm: r.PostForm.Get("confirm"),
		TempPasswordID: st.session.TempPasswordID,
	}, clientAddr(r), func(ctx context.Context) (err error) {
		token, err = s.sessions.Renew(ctx, *st.session, clientAddr(r), r.UserAgent())
		return err
	})
	var fe i18n.FieldErrors
	if errors.As(err, &fe) {
		p := s.page(r, "password.title")
		p.Errors = fe
		s.render(w, r, http.StatusUnprocessableEntity, "password_change", p)
		return nil
	}
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, passwordPath+"?ok=1", http.StatusSeeOther)
	return nil
}
