package web

import (
	"errors"
	"net/http"
	"unicode/utf8"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/auth"
	"github.com/espeks/espeks/internal/i18n"
)

// adminAPIKeys lists the load API's keys and offers a new one.
func (s *Server) adminAPIKeys(w http.ResponseWriter, r *http.Request) error {
	return s.renderAPIKeys(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderAPIKeys(w http.ResponseWriter, r *http.Request, status int, newKey string, errs i18n.FieldErrors) error {
	keys, err := s.apiKeys.List(r.Context())
	if err != nil {
		return err
	}
	p := s.page(r, "admin.apikeys.title")
	p.Errors = errs
	if r.URL.Query().Get("batal") == "1" {
		p.Notice = "admin.apikeys.revoked"
	}
	p.Data = map[string]any{"Keys": keys, "NewKey": newKey, "BaseURL": s.cfg.BaseURL}
	s.render(w, r, status, "admin_apikeys", p)
	return nil
}

// adminAPIKeyCreate makes a key and shows it once, on this response only.
func (s *Server) adminAPIKeyCreate(w http.ResponseWriter, r *http.Request) error {
	name := account.CleanText(r.PostFormValue("name"))
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return s.renderAPIKeys(w, r, http.StatusUnprocessableEntity, "", i18n.FieldErrors{"name": i18n.Msg("form.required")})
	}
	u := state(r).session.User
	key, err := s.apiKeys.Create(r.Context(), name, u.ID)
	if err != nil {
		return err
	}
	if err := s.audit.Record(r.Context(), audit.Event{Type: audit.APIKeyCreate, ActorID: u.ID, ActorLogin: u.LoginID,
		Source: clientAddr(r), Detail: name}); err != nil {
		return err
	}
	return s.renderAPIKeys(w, r, http.StatusOK, key, nil)
}

// adminAPIKeyRevoke ends a key.
func (s *Server) adminAPIKeyRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.apiKeys.Revoke(r.Context(), id); errors.Is(err, auth.ErrBadKey) {
		return errNotFound
	} else if err != nil {
		return err
	}
	u := state(r).session.User
	if err := s.audit.Record(r.Context(), audit.Event{Type: audit.APIKeyRevoke, ActorID: u.ID, ActorLogin: u.LoginID,
		Source: clientAddr(r), Detail: r.PathValue("id")}); err != nil {
		return err
	}
	http.Redirect(w, r, "/pentadbir/kunci-api?batal=1", http.StatusSeeOther)
	return nil
}
