package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/money"
)

//go:embed templates
var templateFS embed.FS

// views holds the parsed templates and what is cached from them.
type views struct {
	// sets holds one template set per language: the layout, the partials and every
	// page's content, defined as "content:<page>". One set rather than a clone of the
	// layout per page: html/template's Clone copies every parse tree, and sixty copies
	// of the layout were most of the heap the garbage collector marks on each cycle.
	sets  map[string]*template.Template
	pages map[string]bool // the pages' names
	// menuPaths are the menu's links (from the menu-links template); menu caches its
	// rendered links (see Page.MenuLinks).
	menuPaths map[string]bool
	menu      sync.Map // key → template.HTML
	raw       bool     // the templates as written: nothing cached
}

// loadViews parses the templates once per language. With pretranslate, a translation
// of a fixed message ID ({{.T "id"}}, {{.P.T "id"}} without data) and an asset URL
// become escaped text of that language's set, and ($.T "id") a string constant: a page
// holds dozens of them, and each action in a template costs reflective calls of the
// method and of html/template's escapers (espeks bench's profile of the payslip page
// put templates at half the server's CPU). The web tests render every page they visit
// both ways and compare the bytes (checkViews).
func loadViews(a *assets, cat *i18n.Catalogue, pretranslate bool) (*views, error) {
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
	v := &views{sets: map[string]*template.Template{}, pages: map[string]bool{}, menuPaths: map[string]bool{}, raw: !pretranslate}
	layout, err := fs.ReadFile(templateFS, "templates/layout/layout.html")
	if err != nil {
		return nil, err
	}
	if i := bytes.Index(layout, []byte(`{{define "menu-links"}}`)); i >= 0 {
		for _, m := range menuHref.FindAllSubmatch(layout[i:], -1) {
			v.menuPaths[string(m[1])] = true
		}
	}
	if len(v.menuPaths) == 0 {
		return nil, errors.New(`templates: no links in "menu-links"`)
	}
	for _, lang := range []string{i18n.Malay, i18n.English} {
		read := func(name string) (string, error) {
			b, err := fs.ReadFile(templateFS, name)
			if err != nil || !pretranslate {
				return string(b), err
			}
			return fixConstants(string(b), lang, cat, a), nil
		}
		base := template.New("layout").Funcs(funcs)
		layouts, err := fs.Glob(templateFS, "templates/layout/*.html")
		if err != nil {
			return nil, err
		}
		for _, name := range layouts {
			src, err := read(name)
			if err != nil {
				return nil, err
			}
			if _, err := base.New(path.Base(name)).Parse(src); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		err = fs.WalkDir(templateFS, "templates/pages", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			src, err := read(p)
			if err != nil {
				return err
			}
			name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/pages/"), ".html")
			if strings.Count(src, `{{define "content"}}`) != 1 {
				return fmt.Errorf(`%s: a page defines "content" once`, p)
			}
			src = strings.Replace(src, `{{define "content"}}`, `{{define "content:`+name+`"}}`, 1)
			if _, err := base.New(path.Base(p)).Parse(src); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			v.pages[name] = true
			return nil
		})
		if err != nil {
			return nil, err
		}
		v.sets[lang] = base
	}
	return v, nil
}

var (
	// {{.T "id"}}, {{$.T "id"}}, {{.P.T "id"}}, {{$.P.T "id"}}, and the same in parentheses.
	fixedT = regexp.MustCompile(`(\{\{|\()\s*(?:\$|\.P|\$\.P)?\.T\s+"([a-z0-9_.]+)"\s*(\}\}|\))`)
	// href="/akaun" in the menu's links
	menuHref = regexp.MustCompile(`href="(/[^"]*)"`)
	// {{asset "css/app.css"}}
	fixedAsset = regexp.MustCompile(`\{\{\s*asset\s+"([^"]+)"\s*\}\}`)
)

// fixConstants replaces the fixed translations and asset URLs of a template's source by
// string constants. A message with data is left to the method.
func fixConstants(src, lang string, cat *i18n.Catalogue, a *assets) string {
	src = fixedT.ReplaceAllStringFunc(src, func(m string) string {
		g := fixedT.FindStringSubmatch(m)
		open, id, end := g[1], g[2], g[3]
		if (open == "{{") != (end == "}}") {
			return m
		}
		text, ok := cat.Plain(lang, id)
		if !ok {
			return m
		}
		if open == "(" {
			return strconv.Quote(text)
		}
		return escapeText(text)
	})
	return fixedAsset.ReplaceAllStringFunc(src, func(m string) string {
		u, err := a.url(fixedAsset.FindStringSubmatch(m)[1])
		if err != nil {
			return m // the template's own call reports the missing asset
		}
		return escapeText(u)
	})
}

// escapeText escapes a constant the way html/template escapes an action's value in
// text and quoted-attribute contexts (htmlEscaper, attrEscaper), so it can stand in
// the template as text and skip the escaper calls too. A context where that would
// differ (a URL, a script) shows up as a difference in
// TestPretranslatedViewsRenderTheSame.
func escapeText(s string) string {
	return strings.ReplaceAll(template.HTMLEscapeString(s), "+", "&#43;")
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
	views      *views             // set by render: the templates the page is rendered with,
	set        *template.Template // the set of its language,
	content    string             // and the page's name
	hintData   map[string]any     // the password policy's numbers, for hints
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

// Content renders the page's own content ("content:<page>") for the layout.
func (p *Page) Content() (template.HTML, error) {
	var b strings.Builder
	b.Grow(16 << 10)
	if err := p.set.ExecuteTemplate(&b, "content:"+p.content, p); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// MenuLinks renders the menu's links. They depend only on the language, the user's
// kind (staff or supplier, Pentadbir or not), whether the session is restricted to
// changing the password, and which menu link (if any) is the current page; rendered
// once per combination, they cost a map lookup instead of some forty template actions
// on every page. Other paths render as "no current link", so the cache stays small.
func (p *Page) MenuLinks() (template.HTML, error) {
	q := *p
	if !p.views.menuPaths[q.Path] {
		q.Path = ""
	}
	key := fmt.Sprintf("%s|%s|%t|%t|%s", q.Lang, q.User.Type, q.User.IsAdmin(), q.Restricted, q.Path)
	if !p.views.raw {
		if h, ok := p.views.menu.Load(key); ok {
			return h.(template.HTML), nil
		}
	}
	var b strings.Builder
	if err := p.set.ExecuteTemplate(&b, "menu-links", &q); err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	if !p.views.raw {
		p.views.menu.Store(key, h)
	}
	return h, nil
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
	t, ok := s.views.sets[i18n.Lang(p.Lang)]
	if !ok || !s.views.pages[name] {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p.views, p.set, p.content = s.views, t, name
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // a huge page's buffer is left to the collector
			buf.Reset()
			renderBuffers.Put(buf)
		}
	}()
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if s.rawViews != nil {
		if err := s.checkRender(buf.Bytes(), name, p); err != nil {
			s.log.Error("render", "template", name, "err", err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// checkViews makes every render also render the templates as written and compare the
// bytes (set by the web tests in export_test.go, so every page any test renders, in
// either language, proves the pre-translation changes nothing).
var checkViews bool

func (s *Server) checkRender(got []byte, name string, p *Page) error {
	var want bytes.Buffer
	p.views, p.set = s.rawViews, s.rawViews.sets[i18n.Lang(p.Lang)]
	if err := p.set.ExecuteTemplate(&want, "layout", p); err != nil {
		return fmt.Errorf("template as written: %w", err)
	}
	if bytes.Equal(got, want.Bytes()) {
		return nil
	}
	i := 0
	for i < len(got) && i < want.Len() && got[i] == want.Bytes()[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Errorf("pre-translated page %s (%s) differs at byte %d: %q, as written %q", name, p.Lang, i,
		got[from:min(len(got), i+80)], want.Bytes()[from:min(want.Len(), i+80)])
}

// renderBuffers reuses page buffers: a page is rendered whole before its status is
// sent, so a template error still becomes a clean error page.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

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
