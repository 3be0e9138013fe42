package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/espeks/espeks/internal/auth"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/metrics"
)

// maxFormBytes bounds every request body of the portal's forms; larger ones get 413.
const maxFormBytes = 64 << 10

type ctxKey struct{}

// reqState is what the middleware learned about a request.
type reqState struct {
	lang    string
	session *auth.Session
	token   string
}

func state(r *http.Request) *reqState {
	if st, ok := r.Context().Value(ctxKey{}).(*reqState); ok {
		return st
	}
	return &reqState{lang: i18n.Malay}
}

// middleware wraps every route: recovery, headers, body limit, language, CSRF, session.
func (s *Server) middleware(next http.Handler) http.Handler {
	csrf := http.NewCrossOriginProtection()
	if err := csrf.AddTrustedOrigin(strings.TrimRight(s.cfg.BaseURL, "/")); err != nil {
		s.log.Warn("base URL not usable as a trusted origin", "err", err)
	}
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "error.csrf")
	}))
	h := csrf.Handler(s.loadSession(next))
	mux, _ := next.(*http.ServeMux)
	proxies := s.cfg.TrustedProxyPrefixes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(proxies) > 0 {
			if addr := forwardedAddr(r, proxies); addr != r.RemoteAddr {
				r = r.WithContext(r.Context())
				r.RemoteAddr = addr
			}
		}
		// Metrics and the debug request log: deferred first so they see the final status,
		// a recovered panic's 500 included.
		start, rw := time.Now(), &statusWriter{ResponseWriter: w}
		served := r
		defer func() { s.observe(mux, served, rw.status(), time.Since(start)) }()
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				s.renderError(rw, r, http.StatusInternalServerError, "error.internal")
			}
		}()
		s.securityHeaders(w)
		if r.Body != nil {
			limit := int64(maxFormBytes)
			if isUpload(r) {
				limit = int64(s.cfg.UploadMaxMB) << 20
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		st := &reqState{lang: i18n.Malay}
		if c, err := r.Cookie(langCookie); err == nil {
			st.lang = i18n.Lang(c.Value)
		}
		served = r.WithContext(context.WithValue(r.Context(), ctxKey{}, st))
		h.ServeHTTP(rw, served)
	})
}

// observe counts a request by the route pattern that served it (never the raw path:
// paths hold IDs) and logs it at debug level, without the query string.
func (s *Server) observe(mux *http.ServeMux, r *http.Request, status int, d time.Duration) {
	pattern := r.Pattern
	if pattern == "" && mux != nil {
		_, pattern = mux.Handler(r) // answered before the mux ran (CSRF, session)
	}
	metrics.ObserveRequest(pattern, status, d)
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "request", slog.String("method", r.Method),
			slog.String("pattern", pattern), slog.Int("status", status),
			slog.Float64("duration_ms", float64(d.Microseconds())/1000))
	}
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 && code >= 200 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// securityHeaders follows QUALITY.md: a CSP without inline script, no sniffing, no
// framing, same-origin referrers, HSTS on https. Pages are never cached: every page
// may show personal data, and a shared office PC's back button must not reveal it.
func (s *Server) securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	h.Set("Cache-Control", "no-store")
	if s.cfg.Secure() {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}

// loadSession attaches the session named by the cookie, if it is live.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodPost && !isUpload(r) {
			if err := r.ParseForm(); err != nil {
				s.fail(w, r, err)
				return
			}
			if !cleanForm(r.PostForm) {
				s.renderError(w, r, http.StatusBadRequest, "error.bad_request")
				return
			}
		}
		if c, err := r.Cookie(s.sessionCookieName()); err == nil && c.Value != "" {
			sess, err := s.sessions.Lookup(r.Context(), c.Value)
			switch {
			case err == nil:
				st := state(r)
				st.session, st.token = &sess, c.Value
			case errors.Is(err, auth.ErrNoSession):
				s.clearSessionCookie(w)
			default:
				s.fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// requireUser lets only logged-in users through; one who must change the password
// (first login, temporary password) sees nothing but Tukar Kata Laluan.
func (s *Server) requireUser(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		st := state(r)
		if st.session == nil {
			http.Redirect(w, r, "/log-masuk", http.StatusSeeOther)
			return nil
		}
		if (st.session.User.MustChangePassword || st.session.TempPasswordID != 0) && r.URL.Path != passwordPath {
			http.Redirect(w, r, passwordPath, http.StatusSeeOther)
			return nil
		}
		return h(w, r)
	}
}

// requireAdmin also needs the Pentadbir role. Others get 404, not 403: the admin area's
// pages are not advertised to them.
func (s *Server) requireAdmin(h handlerFunc) handlerFunc {
	return s.requireUser(func(w http.ResponseWriter, r *http.Request) error {
		if !state(r).session.User.IsAdmin() {
			return errNotFound
		}
		return h(w, r)
	})
}

const (
	langCookie   = "espeks_lang"
	passwordPath = "/akaun/tukar-kata-laluan"
)

// sessionCookieName uses the __Host- prefix on https: the browser then refuses the
// cookie unless it is Secure, host-only and Path=/.
func (s *Server) sessionCookieName() string {
	if s.cfg.Secure() {
		return "__Host-espeks_session"
	}
	return "espeks_session"
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode,
		MaxAge: int(s.cfg.SessionMaxAge / time.Second),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookieName(), Value: "", Path: "/", HttpOnly: true,
		Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode, MaxAge: -1,
	})
}

// clientAddr is the address audit records and throttles use. Behind a reverse proxy
// that is the proxy's address unless the deployment says otherwise (docs/operations.md).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// forwardedAddr is the client's address when the connection comes from a trusted
// reverse proxy (ESPEKS_TRUSTED_PROXIES): the right-most X-Forwarded-For address that
// is not a trusted proxy itself. A client may send any X-Forwarded-For of its own, but
// it cannot forge what the proxies appended after it. Anything unparsable stops the
// walk at the last address known good.
func forwardedAddr(r *http.Request, proxies []netip.Prefix) string {
	host, port, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !inPrefixes(peer.Unmap(), proxies) {
		return r.RemoteAddr
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := r.RemoteAddr
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		client = net.JoinHostPort(a.Unmap().String(), port)
		if !inPrefixes(a.Unmap(), proxies) {
			break
		}
	}
	return client
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// localPath accepts only a path on this site as a redirect target (no open redirect).
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	return p
}

// cleanForm refuses values no browser form sends: invalid UTF-8 or NUL bytes. Refusing
// them once here means no handler or database ever sees them.
func cleanForm(v url.Values) bool {
	for _, vals := range v {
		for _, s := range vals {
			if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
				return false
			}
		}
	}
	return true
}

// isUpload tells the routes that take a SPEKS file: their bodies may be large and are
// streamed to disk by their handlers, never parsed into memory.
func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == "/pentadbir/muat" || strings.HasPrefix(r.URL.Path, "/api/"))
}
