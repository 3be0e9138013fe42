package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/auth"
	"github.com/espeks/espeks/internal/i18n"
)

// loginForm shows Log Masuk.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if state(r).session != nil {
		http.Redirect(w, r, "/utama", http.StatusSeeOther)
		return nil
	}
	p := s.page(r, "login.title")
	if r.URL.Query().Get("keluar") == "1" {
		p.Notice = "logout.done"
	}
	s.render(w, r, http.StatusOK, "login", p)
	return nil
}

// loginSubmit checks the ID and password. A wrong ID and a wrong password get one
// message; a lock says when to try again; an inactive account is told why only after
// the right password.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	res, err := s.auth.Login(r.Context(), auth.Attempt{
		LoginID: r.PostForm.Get("login_id"), Password: r.PostForm.Get("password"),
		Source: clientAddr(r), UserAgent: r.UserAgent(),
	})
	if err != nil {
		return err
	}
	p := s.page(r, "login.title")
	p.Form = r.PostForm
	p.Form.Del("password")
	status := http.StatusUnauthorized
	switch res.Outcome {
	case auth.OK:
		s.setSessionCookie(w, res.Token)
		next := "/utama"
		if res.User.MustChangePassword || res.Temporary {
			next = passwordPath
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	case auth.Invalid:
		p.Errors = i18n.FieldErrors{"login": i18n.Msg("login.invalid")}
	case auth.Locked:
		p.Errors = i18n.FieldErrors{"login": i18n.Msg("login.locked", "Until", p.Time(res.Until))}
	case auth.SourceBlocked:
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", strconv.Itoa(int(s.cfg.SourceWindow/time.Second)))
		p.Errors = i18n.FieldErrors{"login": i18n.Msg("login.source_blocked")}
	case auth.NotActive:
		id := map[account.Status]string{account.Pending: "login.pending", account.Rejected: "login.rejected",
			account.Suspended: "login.suspended"}[res.User.Status]
		p.Errors = i18n.FieldErrors{"login": i18n.Msg(id, "Reason", res.User.RejectionReason)}
		status = http.StatusForbidden
	}
	s.render(w, r, status, "login", p)
	return nil
}
