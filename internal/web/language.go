package web

import (
	"net/http"

	"github.com/espeks/espeks/internal/i18n"
)

// setLanguage remembers the chosen language for a year and returns to the page the
// switch was pressed on. It is a POST (a form button) because it changes state.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) error {
	lang := i18n.Lang(r.PostFormValue("lang"))
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}
