package web

import "net/http"

// home is the page after login: name, the previous successful login, failed attempts
// since, and the menu.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "home.title")
	p.Data = state(r).session
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}
