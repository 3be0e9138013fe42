package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/template"
)

// Template names. They are stored in the outbox, so they are stable.
const (
	RegistrationReceived = "registration_received"
	RegistrationExists   = "registration_exists"
	AccountActivated     = "account_activated"
	AccountRejected      = "account_rejected"
	PasswordChanged      = "password_changed"
	TemporaryPassword    = "temporary_password"
	EmailChangeConfirm   = "email_change_confirm"
	EmailChangedOld      = "email_changed_old"
	StatementLoaded      = "statement_loaded"
)

// secretTemplates are the templates whose body holds a secret (a temporary password):
// the body is sent, but never logged nor shown on the Pentadbir's outbox page.
var secretTemplates = map[string]bool{
	TemporaryPassword: true,
}

// Data is the data the templates use. A map[string]any with the same keys works too,
// but then every key a template uses must be present.
type Data struct {
	Name           string // the account holder's name
	LoginID        string // display form of the ID (with dashes)
	StateName      string // ESPEKS_STATE_NAME
	BaseURL        string // ESPEKS_BASE_URL, without a trailing slash
	Link           string // confirmation link (registration_received, email_change_confirm)
	Reason         string // account_rejected
	TempPassword   string // temporary_password (secret)
	ExpiresMinutes int    // validity of the temporary password or link
	When           string // password_changed: when, already formatted for the reader
	NewEmail       string // email_changed_old
	Payslips       int    // statement_loaded: payslips added for the person by the load
	Payments       int    // statement_loaded: payments added for the person by the load
}

//go:embed templates/*.txt
var templateFS embed.FS

// Separator is the line between the Malay and the English text of a body.
const Separator = "---"

// Renderer renders the embedded email templates.
type Renderer struct {
	subjects map[string]*template.Template
	bodies   map[string]*template.Template
}

type emailTemplate struct {
	subject, body string
}

// NewRenderer parses every embedded template, failing on the first that is malformed:
// the first line must be "Subject: <Malay> / <English>", the second blank, and the body
// must hold the Malay text, a line "---", then the English text.
func NewRenderer() (*Renderer, error) {
	return newRenderer(templateFS, "templates")
}

func newRenderer(fsys fs.FS, dir string) (*Renderer, error) {
	files, err := fs.Glob(fsys, dir+"/*.txt")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("mail: no email templates")
	}
	r := &Renderer{subjects: map[string]*template.Template{}, bodies: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".txt")
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		et, err := splitTemplate(string(src))
		if err != nil {
			return nil, fmt.Errorf("mail: template %s: %w", name, err)
		}
		s, err := template.New(name + ".subject").Funcs(funcs).Option("missingkey=error").Parse(et.subject)
		if err != nil {
			return nil, fmt.Errorf("mail: template %s: subject: %w", name, err)
		}
		b, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(et.body)
		if err != nil {
			return nil, fmt.Errorf("mail: template %s: %w", name, err)
		}
		r.subjects[name], r.bodies[name] = s, b
	}
	return r, nil
}

func splitTemplate(src string) (emailTemplate, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	first, rest, ok := strings.Cut(src, "\n")
	subject, isSubject := strings.CutPrefix(first, "Subject: ")
	if !ok || !isSubject {
		return emailTemplate{}, errors.New(`first line must be "Subject: <Malay> / <English>"`)
	}
	if ms, en, ok := strings.Cut(subject, " / "); !ok || strings.TrimSpace(ms) == "" || strings.TrimSpace(en) == "" {
		return emailTemplate{}, errors.New(`subject must be "<Malay> / <English>"`)
	}
	body, ok := strings.CutPrefix(rest, "\n")
	if !ok {
		return emailTemplate{}, errors.New("the subject line must be followed by a blank line")
	}
	if n := strings.Count("\n"+body, "\n"+Separator+"\n"); n != 1 {
		return emailTemplate{}, fmt.Errorf("body must have exactly one %q line between the Malay and the English text, has %d", Separator, n)
	}
	return emailTemplate{subject: subject, body: body}, nil
}

// Names lists the template names, sorted.
func (r *Renderer) Names() []string {
	names := make([]string, 0, len(r.bodies))
	for n := range r.bodies {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// IsSecret reports whether the template's body holds a secret that must never be
// logged or displayed.
func IsSecret(name string) bool { return secretTemplates[name] }

// Render renders template name with data (a Data, or a map[string]any with every key the
// template uses). secret says the body must never be logged or displayed.
func (r *Renderer) Render(name string, data any) (subject, body string, secret bool, err error) {
	st, ok := r.subjects[name]
	if !ok {
		return "", "", false, fmt.Errorf("mail: unknown template %q", name)
	}
	var buf bytes.Buffer
	if err := st.Execute(&buf, data); err != nil {
		return "", "", false, fmt.Errorf("mail: render %s subject: %w", name, err)
	}
	// A subject is one header line: no data may split it.
	subject = strings.Join(strings.Fields(buf.String()), " ")
	buf.Reset()
	if err := r.bodies[name].Execute(&buf, data); err != nil {
		return "", "", false, fmt.Errorf("mail: render %s: %w", name, err)
	}
	return subject, buf.String(), secretTemplates[name], nil
}

var funcs = template.FuncMap{
	"tempoh":   func(minutes any) (string, error) { return humanMinutes(minutes, malay) },
	"duration": func(minutes any) (string, error) { return humanMinutes(minutes, english) },
}

type units struct{ minute, minutes, hour, hours, day, days string }

var (
	malay   = units{"minit", "minit", "jam", "jam", "hari", "hari"}
	english = units{"minute", "minutes", "hour", "hours", "day", "days"}
)

// humanMinutes writes a validity period in the largest whole unit: 60 → "60 minutes",
// 1440 → "24 hours", 2880 → "2 days".
func humanMinutes(v any, u units) (string, error) {
	rv := reflect.ValueOf(v)
	var m int64
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		m = rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		m = int64(rv.Uint())
	default:
		return "", fmt.Errorf("ExpiresMinutes must be an integer, is %T", v)
	}
	if m <= 0 {
		return "", fmt.Errorf("ExpiresMinutes must be positive, is %d", m)
	}
	one := func(n int64, single, plural string) string {
		if n == 1 {
			return "1 " + single
		}
		return strconv.FormatInt(n, 10) + " " + plural
	}
	switch {
	case m >= 2*24*60 && m%(24*60) == 0:
		return one(m/(24*60), u.day, u.days), nil
	case m >= 2*60 && m%60 == 0:
		return one(m/60, u.hour, u.hours), nil
	default:
		return one(m, u.minute, u.minutes), nil
	}
}
