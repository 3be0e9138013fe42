package web

import "net/http"

// landing is the public front page; a logged-in user goes straight home.
func (s *Server) landing(w http.ResponseWriter, r *http.Request) error {
	if state(r).session != nil {
		http.Redirect(w, r, "/utama", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "landing", s.page(r, "landing.title"))
	return nil
}
