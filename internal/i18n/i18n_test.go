package i18n

import (
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/espeks/espeks/internal/identity"
	"github.com/espeks/espeks/internal/password"
)

func TestCatalogues(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T(Malay, "login.button", nil); got != "Log Masuk" {
		t.Errorf("Malay = %q", got)
	}
	if got := c.T(English, "login.button", nil); got != "Log In" {
		t.Errorf("English = %q", got)
	}
	if got := c.T("fr", "login.button", nil); got != "Log Masuk" {
		t.Errorf("unknown language falls back to %q, want Malay", got)
	}
	if got := c.M(English, Msg("form.too_long", "Max", 150)); got != "Too long: at most 150 characters." {
		t.Errorf("data = %q", got)
	}
	if got := c.T(Malay, "no.such.key", nil); got != "[no.such.key]" {
		t.Errorf("missing key = %q", got)
	}
}

// TestDomainCodesTranslated: every error code the domain packages return has words in
// both languages.
func TestDomainCodesTranslated(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{
		identity.CodeEmpty, identity.CodeFormat, identity.CodeDate, identity.CodePlace, identity.CodeSSMYear,
		identity.CodeSSMType, identity.CodeNotMyKad, identity.CodeNotSSM,
		password.CodeTooShort, password.CodeTooLong, password.CodeCommon, password.CodeContext, password.CodeSameAsCurrent,
	}
	for _, code := range codes {
		if !c.Has(code) {
			t.Errorf("no message for %s", code)
		}
	}
}

func TestFieldErrorsKeepFirst(t *testing.T) {
	f := FieldErrors{}
	f.Add("a", Msg("first"))
	f.Add("a", Msg("second"))
	if f["a"].ID != "first" || f.Error() != "invalid fields: [a]" {
		t.Errorf("%+v %q", f, f.Error())
	}
}

// The plain-string shortcut must say exactly what go-i18n says for every message it
// serves, in both languages.
func TestPlainMatchesGoI18n(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{Malay, English} {
		if len(c.plain[lang]) < 400 {
			t.Fatalf("%s: only %d plain messages cached", lang, len(c.plain[lang]))
		}
		for id, text := range c.plain[lang] {
			got, err := c.localizers[lang].Localize(&goi18n.LocalizeConfig{MessageID: id})
			if err != nil || got != text {
				t.Errorf("%s %s: cached %q, go-i18n %q (%v)", lang, id, text, got, err)
			}
		}
	}
	// A message with data still goes through go-i18n's template.
	if _, cached := c.plain[Malay]["admin.load.omitted"]; cached {
		t.Fatal("a message with data is cached as plain text")
	}
	if got := c.T(Malay, "admin.load.omitted", map[string]any{"N": 7}); got != "… dan 7 ralat lagi yang tidak disenaraikan." {
		t.Errorf("admin.load.omitted = %q", got)
	}
}

// Messages with data are filled in without go-i18n; the result must be exactly what
// go-i18n's template makes of the same data, whatever the data's type.
func TestFilledMatchesGoI18n(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	values := []any{"Selangor", 7, int64(-12), 3.5, true, Msg("x")}
	n := 0
	for _, lang := range []string{Malay, English} {
		for id, parts := range c.filled[lang] {
			for _, v := range values {
				data := map[string]any{}
				for _, p := range parts {
					if p.name != "" {
						data[p.name] = v
					}
				}
				want, err := c.localizers[lang].Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
				if got := c.T(lang, id, data); err != nil || got != want {
					t.Errorf("%s %s with %v: filled %q, go-i18n %q (%v)", lang, id, v, got, want, err)
				}
				n++
			}
		}
	}
	if n < 200 {
		t.Fatalf("only %d fills compared", n)
	}
	// A missing datum is left to go-i18n.
	if got, want := c.T(Malay, "admin.load.omitted", nil), "… dan <no value> ralat lagi yang tidak disenaraikan."; got != want {
		t.Errorf("missing datum: %q, want %q", got, want)
	}
}
