package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/money"
)

//go:embed templates
var templateFS embed.FS

// views holds one parsed template set per page: the layout and partials plus that page,
// so every page can define the same "content" block.
type views struct{ pages map[string]*template.Template }

func loadViews(a *assets) (*views, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		"add":   func(a, b int) int { return a + b },
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	err = fs.WalkDir(templateFS, "templates/pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, p)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/pages/"), ".html")
		v.pages[name] = t
		return nil
	})
	return v, err
}

// Page is what every template gets.
type Page struct {
	Lang      string
	StateName string
	TitleID   string
	Path      string
	User      *account.User
	// Restricted: the session may only change the password (first login after
	// activation, or logged in with a temporary password); Temporary: the latter.
	Restricted bool
	Temporary  bool
	Print      bool // the statement alone, for printing (no menus)
	Form       url.Values
	Errors     i18n.FieldErrors
	Notice     string // a message ID shown at the top (after a redirect)
	Data       any
	cat        *i18n.Catalogue
	hintData   map[string]any // the password policy's numbers, for hints
	now        time.Time
}

func (s *Server) page(r *http.Request, titleID string) *Page {
	st := state(r)
	p := &Page{Lang: st.lang, StateName: s.cfg.StateName, TitleID: titleID, Path: r.URL.Path, cat: s.cat,
		hintData: map[string]any{"Min": s.cfg.PasswordMinLength, "Max": s.cfg.PasswordMaxLength}, now: s.now()}
	if st.session != nil {
		u := st.session.User
		p.User = &u
		p.Temporary = st.session.TempPasswordID != 0
		p.Restricted = u.MustChangePassword || p.Temporary
	}
	return p
}

// T translates a message ID with key/value data.
func (p *Page) T(id string, kv ...any) string { return p.cat.M(p.Lang, i18n.Msg(id, kv...)) }

// Err is the translated error of a form field, or "".
func (p *Page) Err(field string) string {
	if m, ok := p.Errors[field]; ok {
		return p.cat.M(p.Lang, m)
	}
	return ""
}

// Value is what was typed into a field, so a refused form keeps it.
func (p *Page) Value(field string) string { return p.Form.Get(field) }

// OtherLang is the language the switch offers.
func (p *Page) OtherLang() string {
	if p.Lang == i18n.English {
		return i18n.Malay
	}
	return i18n.English
}

// Time formats an instant in Malaysian time, or a dash when there is none.
func (p *Page) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(account.Malaysia()).Format("02/01/2006 15:04")
}

// Now is the page's time of printing, in Malaysian time.
func (p *Page) Now() string { return p.Time(p.now) }

// Money formats sen as ringgit with thousands separators: 1,234.50.
func (p *Page) Money(s money.Sen) string { return s.Format() }

// Date formats a civil date the Malaysian way: 25/03/2026.
func (p *Page) Date(d civil.Date) string { return d.Display() }

// MonthName is a month's name in the page's language.
func (p *Page) MonthName(m int) string { return p.T(fmt.Sprintf("month.%d", m)) }

// FormatID shows a normalised No. KP or SSM number the way people write it.
func (p *Page) FormatID(id string) string { return account.FormatID(id) }

// DisplayID formats a user's login ID with dashes.
func (p *Page) DisplayID(u account.User) string { return account.DisplayID(u) }

// FieldView is one labelled input for the "field" partial.
type FieldView struct {
	Name, Type, Label, Value, Error, Hint, Autocomplete string
}

// Field describes an input: name, type, label message ID, autocomplete token and an
// optional hint message ID. Passwords never echo what was typed.
func (p *Page) Field(name, typ, labelID, autocomplete string, hintID ...string) FieldView {
	f := FieldView{Name: name, Type: typ, Label: p.T(labelID), Error: p.Err(name), Autocomplete: autocomplete}
	if typ != "password" {
		f.Value = p.Value(name)
	}
	if len(hintID) > 0 {
		f.Hint = p.cat.T(p.Lang, hintID[0], p.hintData)
	}
	return f
}

// HasErrors reports whether the form was refused.
func (p *Page) HasErrors() bool { return len(p.Errors) > 0 }

// render writes a page with the status. It renders into a buffer first so a template
// failure becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := s.views.pages[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// assets serves the embedded static files under URLs carrying their content hash, so
// they can be cached forever and a new release is never shown stale CSS.
type assets struct {
	files  fs.FS
	hashed map[string]string // name → /static/name?v=hash
}

//go:embed static
var staticFS embed.FS

func loadAssets() (*assets, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	a := &assets{files: sub, hashed: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		a.hashed[p] = "/static/" + p + "?v=" + contentHash(b)
		return nil
	})
	return a, err
}

func (a *assets) url(name string) (string, error) {
	u, ok := a.hashed[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return u, nil
}

func (a *assets) handler() http.Handler {
	files := http.StripPrefix("/static/", http.FileServer(http.FS(a.files)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := a.hashed[path.Clean(strings.TrimPrefix(r.URL.Path, "/static/"))]; !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}
