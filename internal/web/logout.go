package web

import (
	"net/http"

	"github.com/espeks/espeks/internal/audit"
)

// logout ends the session on the server, not only in the browser.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	if st.session != nil {
		if err := s.sessions.Delete(r.Context(), st.token); err != nil {
			return err
		}
		u := st.session.User
		if err := s.audit.Record(r.Context(), audit.Event{Type: audit.Logout, ActorID: u.ID, ActorLogin: u.LoginID,
			SubjectID: u.ID, SubjectLogin: u.LoginID, Source: clientAddr(r)}); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/log-masuk?keluar=1", http.StatusSeeOther)
	return nil
}
