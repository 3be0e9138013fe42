package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/espeks/espeks/internal/auth"
	"github.com/espeks/espeks/internal/i18n"
)

// recoveryStart is PK 0106 step 1: the ID.
func (s *Server) recoveryStart(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "recovery_id", s.page(r, "recovery.title"))
	return nil
}

// recoveryChoose is step 2: answer the security question or type the registered email.
// The question shown for an unknown ID is a stand-in that never changes, so this page
// does not tell whether the ID exists.
func (s *Server) recoveryChoose(w http.ResponseWriter, r *http.Request) error {
	id := r.PostForm.Get("login_id")
	p := s.page(r, "recovery.title")
	p.Form = r.PostForm
	if id == "" {
		p.Errors = i18n.FieldErrors{"login_id": i18n.Msg("form.required")}
		s.render(w, r, http.StatusUnprocessableEntity, "recovery_id", p)
		return nil
	}
	question := ""
	if s.cfg.RecoverySecurityQuestion {
		var err error
		if question, err = s.recovery.Question(r.Context(), id); err != nil {
			return err
		}
	}
	p.Data = map[string]any{"Question": question, "QuestionStep": s.cfg.RecoverySecurityQuestion}
	s.render(w, r, http.StatusOK, "recovery_method", p)
	return nil
}

// recoverySubmit checks the answer or email and shows the same page whatever happened.
func (s *Server) recoverySubmit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	err := s.recovery.Request(r.Context(), auth.Request{LoginID: f.Get("login_id"), Method: f.Get("method"),
		Answer: f.Get("answer"), Email: f.Get("email"), Source: clientAddr(r)})
	if errors.Is(err, auth.ErrSourceBlocked) {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.cfg.SourceWindow/time.Second)))
		s.renderError(w, r, http.StatusTooManyRequests, "login.source_blocked")
		return nil
	}
	if err != nil {
		return err
	}
	p := s.page(r, "recovery.title")
	p.Data = map[string]any{"Minutes": int(s.cfg.TempPasswordTTL / time.Minute)}
	s.render(w, r, http.StatusOK, "recovery_sent", p)
	return nil
}
