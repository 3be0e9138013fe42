package web

import "net/http"

// accountPage is Akaun: the user's details and recent security events (logins,
// failures, locks, password and profile changes) from the audit log.
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	u := state(r).session.User
	events, err := s.audit.ForSubject(r.Context(), u.ID, 20)
	if err != nil {
		return err
	}
	p := s.page(r, "account.title")
	p.Data = map[string]any{"Events": events}
	s.render(w, r, http.StatusOK, "account", p)
	return nil
}
