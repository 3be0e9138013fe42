package web

import (
	"errors"
	"net/http"

	"github.com/espeks/espeks/internal/account"
)

// confirmEmailForm shows a button that confirms the address. Following the link alone
// changes nothing (no GET changes state, and mail scanners that open links must not
// confirm an address on the user's behalf).
func (s *Server) confirmEmailForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "confirm.title")
	p.Data = map[string]any{"Token": r.URL.Query().Get("t")}
	s.render(w, r, http.StatusOK, "confirm_email", p)
	return nil
}

// confirmEmailSubmit confirms a registered address (PK 0101) or completes an email
// change (PK 0107), whichever the link was for. The link itself is the proof: the
// person may open it on a phone where they are not logged in.
func (s *Server) confirmEmailSubmit(w http.ResponseWriter, r *http.Request) error {
	purpose, err := s.accounts.ConfirmEmail(r.Context(), r.PostFormValue("t"), clientAddr(r))
	p := s.page(r, "confirm.title")
	switch {
	case errors.Is(err, account.ErrTokenInvalid):
		p.Data = map[string]any{"Invalid": true}
		s.render(w, r, http.StatusBadRequest, "confirm_email", p)
		return nil
	case err != nil:
		return err
	}
	p.Data = map[string]any{"Done": true, "Changed": purpose == "change"}
	s.render(w, r, http.StatusOK, "confirm_email", p)
	return nil
}
