// Package i18n owns the message catalogues: every user-facing word in Bahasa Melayu
// (the default) and English, looked up by a stable message ID. Domain packages return
// Messages (an ID plus data) rather than text, and the web layer renders them in the
// user's language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages the portal speaks, Malay first.
const (
	Malay   = "ms"
	English = "en"
)

//go:embed locales/*.json
var locales embed.FS

// Message is a translatable message: an ID in the catalogues plus template data.
type Message struct {
	ID   string
	Data map[string]any
}

// Msg builds a Message from an ID and key/value pairs.
func Msg(id string, kv ...any) Message {
	m := Message{ID: id}
	if len(kv) > 0 {
		m.Data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Data[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return m
}

// FieldErrors maps a form field's name to what is wrong with it. A form is valid when
// it is empty.
type FieldErrors map[string]Message

// Add records the first error of a field (later ones for the same field are dropped so
// the user sees one clear message per field).
func (f FieldErrors) Add(field string, m Message) {
	if _, ok := f[field]; !ok {
		f[field] = m
	}
}

// Error lets a FieldErrors travel as an error from a domain method to its handler.
func (f FieldErrors) Error() string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return fmt.Sprintf("invalid fields: %v", keys)
}

// Catalogue holds both languages.
type Catalogue struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	// plain holds, per language, every message without template actions: a page
	// translates dozens of strings per request, and go-i18n matches the language and
	// looks the message up through its templates on each call. Only messages with data
	// ({{.Name}}) go through go-i18n.
	plain map[string]map[string]string
	// filled holds, per language, the messages whose only actions are {{.Name}}: their
	// text split around the names, so data is filled in without a template.
	filled map[string]map[string][]part
}

// part is a piece of a message with data: literal text, or the name of a datum.
type part struct {
	text string
	name string // non-empty: the datum's name
}

// placeholder is the only action the catalogues use: {{.Name}}.
var placeholder = regexp.MustCompile(`\{\{\s*\.([A-Za-z][A-Za-z0-9_]*)\s*\}\}`)

// splitMessage splits text around its {{.Name}} actions, or reports false if it has
// any other action (left to go-i18n).
func splitMessage(text string) ([]part, bool) {
	var parts []part
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(text, -1) {
		parts = append(parts, part{text: text[last:m[0]]}, part{name: text[m[2]:m[3]]})
		last = m[1]
	}
	parts = append(parts, part{text: text[last:]})
	for _, p := range parts {
		if strings.Contains(p.text, "{{") || strings.Contains(p.text, "}}") {
			return nil, false
		}
	}
	return parts, true
}

// Load parses the embedded catalogues and checks that both languages define the same
// message IDs, so a missing translation fails at start-up and in tests, not in front
// of a user.
func Load() (*Catalogue, error) {
	b := goi18n.NewBundle(language.Malay)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	ids := map[string]map[string]bool{}
	plain := map[string]map[string]string{}
	filled := map[string]map[string][]part{}
	for _, lang := range []string{Malay, English} {
		// A catalogue may be split by area: ms.json, admin.ms.json, ops.ms.json…
		names, err := fs.Glob(locales, "locales/*"+lang+".json")
		if err != nil {
			return nil, err
		}
		ids[lang] = map[string]bool{}
		plain[lang] = map[string]string{}
		filled[lang] = map[string][]part{}
		for _, name := range names {
			if name != "locales/"+lang+".json" && !strings.HasSuffix(name, "."+lang+".json") {
				continue
			}
			raw, err := fs.ReadFile(locales, name)
			if err != nil {
				return nil, err
			}
			// go-i18n takes the language from the file name's last part before .json.
			if _, err := b.ParseMessageFileBytes(raw, path.Base(name)); err != nil {
				return nil, fmt.Errorf("catalogue %s: %w", name, err)
			}
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				return nil, err
			}
			for id := range m {
				if ids[lang][id] {
					return nil, fmt.Errorf("catalogue %s: %q defined twice", name, id)
				}
				ids[lang][id] = true
				if text, ok := m[id].(string); ok && !strings.Contains(text, "{{") {
					plain[lang][id] = text
				} else if ok {
					if parts, ok := splitMessage(text); ok {
						filled[lang][id] = parts
					}
				}
			}
		}
	}
	for id := range ids[Malay] {
		if !ids[English][id] {
			return nil, fmt.Errorf("catalogue en lacks %q", id)
		}
	}
	for id := range ids[English] {
		if !ids[Malay][id] {
			return nil, fmt.Errorf("catalogue ms lacks %q", id)
		}
	}
	c := &Catalogue{bundle: b, localizers: map[string]*goi18n.Localizer{}, plain: plain, filled: filled}
	for _, lang := range []string{Malay, English} {
		c.localizers[lang] = goi18n.NewLocalizer(b, lang)
	}
	return c, nil
}

// Lang returns a supported language code for a preference, Malay unless English is asked.
func Lang(pref string) string {
	if pref == English {
		return English
	}
	return Malay
}

// T translates id into lang. A missing ID shows itself in brackets rather than failing
// the page; Load's check keeps that from happening in practice.
func (c *Catalogue) T(lang, id string, data map[string]any) string {
	if text, ok := c.plain[Lang(lang)][id]; ok {
		return text
	}
	if parts, ok := c.filled[Lang(lang)][id]; ok {
		if text, ok := fill(parts, data); ok {
			return text
		}
	}
	s, err := c.localizers[Lang(lang)].Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return "[" + id + "]"
	}
	return s
}

// fill puts data into a split message the way go-i18n's template prints it
// (fmt.Sprint of the value); false if a datum is missing (go-i18n then decides).
func fill(parts []part, data map[string]any) (string, bool) {
	var b strings.Builder
	for _, p := range parts {
		if p.name == "" {
			b.WriteString(p.text)
			continue
		}
		v, ok := data[p.name]
		if !ok {
			return "", false
		}
		if s, ok := v.(string); ok {
			b.WriteString(s)
		} else {
			fmt.Fprint(&b, v)
		}
	}
	return b.String(), true
}

// Plain is the text of a message without data in lang, and whether id is one.
func (c *Catalogue) Plain(lang, id string) (string, bool) {
	text, ok := c.plain[Lang(lang)][id]
	return text, ok
}

// M translates a Message.
func (c *Catalogue) M(lang string, m Message) string { return c.T(lang, m.ID, m.Data) }

// Has reports whether id is in the catalogues.
func (c *Catalogue) Has(id string) bool {
	if _, ok := c.plain[Malay][id]; ok {
		return true
	}
	_, err := c.localizers[Malay].Localize(&goi18n.LocalizeConfig{MessageID: id})
	return err == nil
}
