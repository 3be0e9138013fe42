package config

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsMatchSpec(t *testing.T) {
	c := Default()
	if c.Addr != "127.0.0.1:8080" || c.BaseURL != "http://localhost:8080" || c.DataDir != "./data" ||
		c.DatabaseURL != "" || c.SMTPURL != "" || c.StateName != "Negeri" {
		t.Errorf("defaults differ from PRODUCT.md: %+v", c)
	}
	if c.PasswordMinLength != 12 || c.PasswordMaxLength != 128 || c.LockoutThreshold != 5 ||
		c.LockoutDuration != 15*time.Minute || c.LockoutMax != 24*time.Hour || c.SourceMaxFailures != 20 ||
		c.SessionIdleTimeout != 30*time.Minute || c.SessionMaxAge != 12*time.Hour || c.MailMaxAttempts != 5 ||
		c.TempPasswordTTL != 60*time.Minute || !c.RecoverySecurityQuestion {
		t.Errorf("defaults differ from QUALITY.md: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestEnvThenFlags(t *testing.T) {
	c, _, err := Load("t", []string{"--state-name", "Melaka", "--lockout-duration=5m"}, env(map[string]string{
		"ESPEKS_STATE_NAME": "Johor", "ESPEKS_ADDR": ":9000", "ESPEKS_PASSWORD_MIN_LENGTH": "10",
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.StateName != "Melaka" || c.Addr != ":9000" || c.PasswordMinLength != 10 || c.LockoutDuration != 5*time.Minute {
		t.Errorf("got %+v", c)
	}
}

func TestSecretFromFile(t *testing.T) {
	f := t.TempDir() + "/db"
	if err := os.WriteFile(f, []byte("postgres://u:p@h/db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _, err := Load("t", nil, env(map[string]string{"ESPEKS_DATABASE_URL_FILE": f}), nil)
	if err != nil || c.DatabaseURL != "postgres://u:p@h/db" {
		t.Errorf("%v %q", err, c.DatabaseURL)
	}
}

func TestInvalidSettingsNamed(t *testing.T) {
	cases := map[string]string{
		"ESPEKS_PASSWORD_MIN_LENGTH":        "7",
		"ESPEKS_BASE_URL":                   "localhost",
		"ESPEKS_DATABASE_URL":               "mysql://x",
		"ESPEKS_SMTP_URL":                   "http://mail",
		"ESPEKS_LOCKOUT_THRESHOLD":          "0",
		"ESPEKS_LOG_LEVEL":                  "loud",
		"ESPEKS_SESSION_MAX_AGE":            "1m",
		"ESPEKS_RECOVERY_SECURITY_QUESTION": "maybe",
		"ESPEKS_TEMP_PASSWORD_TTL":          "48h",
		"ESPEKS_DATABASE_MAX_CONNS":         "0",
	}
	for k, v := range cases {
		_, _, err := Load("t", nil, env(map[string]string{k: v}), nil)
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: error %v does not name the variable", k, v, err)
		}
	}
	if _, _, err := Load("t", nil, env(map[string]string{"ESPEKS_LOCKOUT_MAX": "soon"}), nil); err == nil {
		t.Error("a bad duration was accepted")
	}
}

var update = flag.Bool("update", false, "rewrite the settings table in docs/configuration.md")

// TestDocsListEverySetting keeps docs/configuration.md in step with the code
// (go test ./internal/config -run Docs -update rewrites the table).
func TestDocsListEverySetting(t *testing.T) {
	const path = "../../docs/configuration.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		s := string(b)
		start := strings.Index(s, "| variable |")
		end := start + strings.Index(s[start:], "\n\n")
		b = []byte(s[:start] + strings.TrimRight(Markdown(), "\n") + s[end:])
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(string(b), Markdown()) {
		t.Errorf("docs/configuration.md does not contain the current table; paste this:\n%s", Markdown())
	}
}
