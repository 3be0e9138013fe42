// Package config owns eSPEKS's settings: every ESPEKS_* environment variable and its
// command-line flag, parsed once into a Config that is passed explicitly (no globals).
package config

import (
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/db"
)

// Config is every setting of a running eSPEKS. Zero values are never used: Load fills
// defaults first, then the environment, then flags, so a flag beats a variable.
type Config struct {
	Addr        string
	BaseURL     string
	DataDir     string
	DatabaseURL string
	// DatabaseMaxConns bounds this process's PostgreSQL connections.
	DatabaseMaxConns int
	SMTPURL          string
	SMTPFrom         string
	StateName        string
	LogLevel         string

	PasswordMinLength int
	PasswordMaxLength int

	LockoutThreshold   int           // consecutive failures on one ID before it locks
	LockoutDuration    time.Duration // first lock; doubles on each further lock
	LockoutMax         time.Duration // ceiling of the doubling
	SourceMaxFailures  int           // failures from one address within SourceWindow before 429
	SourceWindow       time.Duration
	SessionIdleTimeout time.Duration
	SessionMaxAge      time.Duration

	MailMaxAttempts int           // tries before an outbox email is marked failed
	MailRetryBase   time.Duration // wait after the first failed try; doubles on each further one

	TempPasswordTTL          time.Duration // life of a PK 0106 temporary password
	EmailLinkTTL             time.Duration // life of an email-change confirmation link
	RecoverySecurityQuestion bool          // offer the security question in PK 0106

	UploadMaxMB int // largest file accepted by the upload page and the load API

	EmployerName    string // Borang EC employer block
	EmployerAddress string
	EmployerNumber  string // No. Majikan (E)
	RetentionYears  int    // statements older than this are hidden from users

	// TrustedProxies lists the reverse proxies (IP addresses or CIDR prefixes, comma
	// separated) whose X-Forwarded-For names the client; see TrustedProxyPrefixes.
	TrustedProxies string
}

// Setting describes one variable: its name, flag, default and meaning. The table is the
// single source for parsing, for `espeks serve -h` and for docs/configuration.md.
type Setting struct {
	Env, Flag, Default, Help string
	set                      func(c *Config, v string) error
}

func str(p func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = v; return nil }
}

func integer(p func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("not a whole number: %q", v)
		}
		*p(c) = n
		return nil
	}
}

func onOff(p func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "on", "true", "1", "yes":
			*p(c) = true
		case "off", "false", "0", "no":
			*p(c) = false
		default:
			return fmt.Errorf("not on or off: %q", v)
		}
		return nil
	}
}

func duration(p func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("not a duration like 15m or 24h: %q", v)
		}
		*p(c) = d
		return nil
	}
}

// Settings lists every ESPEKS_* variable. Order is the order of the docs.
var Settings = []Setting{
	{"ESPEKS_ADDR", "addr", "127.0.0.1:8080", "listen address (host:port)", str(func(c *Config) *string { return &c.Addr })},
	{"ESPEKS_BASE_URL", "base-url", "http://localhost:8080", "public URL used in email links; https turns on Secure cookies and HSTS", str(func(c *Config) *string { return &c.BaseURL })},
	{"ESPEKS_DATA_DIR", "data-dir", "./data", "directory of the SQLite database and other files", str(func(c *Config) *string { return &c.DataDir })},
	{"ESPEKS_DATABASE_URL", "database-url", "", "postgres://… to use PostgreSQL instead of the embedded SQLite", str(func(c *Config) *string { return &c.DatabaseURL })},
	{"ESPEKS_DATABASE_MAX_CONNS", "database-max-conns", strconv.Itoa(db.DefaultMaxConns), "PostgreSQL connections each espeks process opens at most (docs/operations.md)", integer(func(c *Config) *int { return &c.DatabaseMaxConns })},
	{"ESPEKS_SMTP_URL", "smtp-url", "", "mail server, smtp://user:pass@host:port (smtps:// for implicit TLS); empty: emails go to the log and the Pentadbir outbox page", str(func(c *Config) *string { return &c.SMTPURL })},
	{"ESPEKS_SMTP_FROM", "smtp-from", "eSPEKS <no-reply@localhost>", "sender address of emails", str(func(c *Config) *string { return &c.SMTPFrom })},
	{"ESPEKS_STATE_NAME", "state-name", "Negeri", "state name shown in the header and on statements", str(func(c *Config) *string { return &c.StateName })},
	{"ESPEKS_LOG_LEVEL", "log-level", "info", "debug, info, warn or error", str(func(c *Config) *string { return &c.LogLevel })},
	{"ESPEKS_PASSWORD_MIN_LENGTH", "password-min-length", "12", "shortest password accepted (never below 8)", integer(func(c *Config) *int { return &c.PasswordMinLength })},
	{"ESPEKS_PASSWORD_MAX_LENGTH", "password-max-length", "128", "longest password accepted", integer(func(c *Config) *int { return &c.PasswordMaxLength })},
	{"ESPEKS_LOCKOUT_THRESHOLD", "lockout-threshold", "5", "consecutive failed logins that lock an ID", integer(func(c *Config) *int { return &c.LockoutThreshold })},
	{"ESPEKS_LOCKOUT_DURATION", "lockout-duration", "15m", "length of the first lock; each further lock doubles it", duration(func(c *Config) *time.Duration { return &c.LockoutDuration })},
	{"ESPEKS_LOCKOUT_MAX", "lockout-max", "24h", "longest lock", duration(func(c *Config) *time.Duration { return &c.LockoutMax })},
	{"ESPEKS_SOURCE_MAX_FAILURES", "source-max-failures", "20", "failed attempts from one address within the window before it is answered 429", integer(func(c *Config) *int { return &c.SourceMaxFailures })},
	{"ESPEKS_SOURCE_WINDOW", "source-window", "15m", "window (and block length) of the per-address limit", duration(func(c *Config) *time.Duration { return &c.SourceWindow })},
	{"ESPEKS_SESSION_IDLE_TIMEOUT", "session-idle-timeout", "30m", "a session unused this long ends", duration(func(c *Config) *time.Duration { return &c.SessionIdleTimeout })},
	{"ESPEKS_SESSION_MAX_AGE", "session-max-age", "12h", "a session ends this long after login whatever its use", duration(func(c *Config) *time.Duration { return &c.SessionMaxAge })},
	{"ESPEKS_MAIL_MAX_ATTEMPTS", "mail-max-attempts", "5", "tries of an outbox email before it is marked failed", integer(func(c *Config) *int { return &c.MailMaxAttempts })},
	{"ESPEKS_TEMP_PASSWORD_TTL", "temp-password-ttl", "60m", "how long a Lupa Kata Laluan temporary password works", duration(func(c *Config) *time.Duration { return &c.TempPasswordTTL })},
	{"ESPEKS_EMAIL_LINK_TTL", "email-link-ttl", "24h", "how long an email-change confirmation link works", duration(func(c *Config) *time.Duration { return &c.EmailLinkTTL })},
	{"ESPEKS_UPLOAD_MAX_MB", "upload-max-mb", "2048", "largest SPEKS file (MiB) the upload page and the load API accept; larger ones get 413", integer(func(c *Config) *int { return &c.UploadMaxMB })},
	{"ESPEKS_EMPLOYER_NAME", "employer-name", "", "employer named on the Borang EC (empty: Perbendaharaan Negeri <state>)", str(func(c *Config) *string { return &c.EmployerName })},
	{"ESPEKS_EMPLOYER_ADDRESS", "employer-address", "", "employer's address on the Borang EC", str(func(c *Config) *string { return &c.EmployerAddress })},
	{"ESPEKS_EMPLOYER_NUMBER", "employer-number", "", "employer's number (No. Majikan E) on the Borang EC", str(func(c *Config) *string { return &c.EmployerNumber })},
	{"ESPEKS_RETENTION_YEARS", "retention-years", "7", "years of payslips, EC and payments shown to users; older ones are hidden, not deleted", integer(func(c *Config) *int { return &c.RetentionYears })},
	{"ESPEKS_RECOVERY_SECURITY_QUESTION", "recovery-security-question", "on", "off removes the security-question choice from Lupa Kata Laluan (only the registered email remains); see docs/security.md", onOff(func(c *Config) *bool { return &c.RecoverySecurityQuestion })},
	{"ESPEKS_MAIL_RETRY_BASE", "mail-retry-base", "30s", "wait after an email's first failed try; doubled after each further one, at most 1h", duration(func(c *Config) *time.Duration { return &c.MailRetryBase })},
	{"ESPEKS_TRUSTED_PROXIES", "trusted-proxies", "", "reverse proxies (IPs or CIDRs, comma separated) whose X-Forwarded-For gives the client address for throttling and the audit log; empty: the connection's address (docs/operations.md)", str(func(c *Config) *string { return &c.TrustedProxies })},
}

// ErrUsage wraps a command-line flag that cannot be parsed (exit code 2).
var ErrUsage = errors.New("usage")

// Default returns the configuration with every default applied.
func Default() Config {
	var c Config
	for _, s := range Settings {
		if err := s.set(&c, s.Default); err != nil {
			panic("config default of " + s.Env + ": " + err.Error()) // a programming error
		}
	}
	return c
}

// Load builds the Config from defaults, the environment (getenv) and then the flags in
// args, and validates it. The flag set is returned so a subcommand can add its own flags
// before parsing; pass extra to register them.
func Load(name string, args []string, getenv func(string) string, extra func(*flag.FlagSet)) (Config, *flag.FlagSet, error) {
	c := Default()
	for _, s := range Settings {
		if v := getenv(s.Env); v != "" {
			if err := s.set(&c, v); err != nil {
				return c, nil, fmt.Errorf("%s: %w", s.Env, err)
			}
		}
	}
	// A secret may come from a file (e.g. a systemd credential or a Kubernetes secret)
	// so it need not sit in the environment of every process.
	for _, env := range []string{"ESPEKS_DATABASE_URL", "ESPEKS_SMTP_URL"} {
		if path := getenv(env + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return c, nil, fmt.Errorf("%s_FILE: %w", env, err)
			}
			s := findSetting(env)
			_ = s.set(&c, strings.TrimSpace(string(b)))
		}
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	for _, s := range Settings {
		s := s
		fs.Func(s.Flag, s.Help+" ($"+s.Env+")", func(v string) error { return s.set(&c, v) })
	}
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return c, fs, fmt.Errorf("%w: %w", ErrUsage, err)
	}
	return c, fs, c.Validate()
}

func findSetting(env string) Setting {
	for _, s := range Settings {
		if s.Env == env {
			return s
		}
	}
	panic("unknown setting " + env)
}

// Validate refuses settings that cannot work, naming the variable.
func (c Config) Validate() error {
	var errs []error
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, errors.New("ESPEKS_BASE_URL must be an absolute http(s) URL"))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("ESPEKS_DATABASE_URL must start with postgres://"))
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			errs = append(errs, errors.New("ESPEKS_SMTP_URL must look like smtp://user:pass@host:port"))
		}
	}
	if c.DatabaseMaxConns < 1 {
		errs = append(errs, errors.New("ESPEKS_DATABASE_MAX_CONNS must be at least 1"))
	}
	if c.PasswordMinLength < 8 {
		errs = append(errs, errors.New("ESPEKS_PASSWORD_MIN_LENGTH must be at least 8"))
	}
	if c.PasswordMaxLength < c.PasswordMinLength || c.PasswordMaxLength > 1024 {
		errs = append(errs, errors.New("ESPEKS_PASSWORD_MAX_LENGTH must be between the minimum and 1024"))
	}
	for _, p := range []struct {
		env string
		ok  bool
	}{
		{"ESPEKS_LOCKOUT_THRESHOLD", c.LockoutThreshold >= 1},
		{"ESPEKS_LOCKOUT_DURATION", c.LockoutDuration > 0},
		{"ESPEKS_LOCKOUT_MAX", c.LockoutMax >= c.LockoutDuration},
		{"ESPEKS_SOURCE_MAX_FAILURES", c.SourceMaxFailures >= 1},
		{"ESPEKS_SOURCE_WINDOW", c.SourceWindow > 0},
		{"ESPEKS_SESSION_IDLE_TIMEOUT", c.SessionIdleTimeout > 0},
		{"ESPEKS_SESSION_MAX_AGE", c.SessionMaxAge >= c.SessionIdleTimeout},
		{"ESPEKS_MAIL_MAX_ATTEMPTS", c.MailMaxAttempts >= 1},
		{"ESPEKS_MAIL_RETRY_BASE", c.MailRetryBase >= 100*time.Millisecond && c.MailRetryBase <= time.Hour},
		{"ESPEKS_TEMP_PASSWORD_TTL", c.TempPasswordTTL >= time.Minute && c.TempPasswordTTL <= 24*time.Hour},
		{"ESPEKS_UPLOAD_MAX_MB", c.UploadMaxMB >= 1},
		{"ESPEKS_RETENTION_YEARS", c.RetentionYears >= 1 && c.RetentionYears <= 100},
		{"ESPEKS_EMAIL_LINK_TTL", c.EmailLinkTTL >= time.Minute && c.EmailLinkTTL <= 7*24*time.Hour},
	} {
		if !p.ok {
			errs = append(errs, fmt.Errorf("%s is out of range", p.env))
		}
	}
	if _, err := ParsePrefixes(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("ESPEKS_TRUSTED_PROXIES: %w", err))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, errors.New("ESPEKS_LOG_LEVEL must be debug, info, warn or error"))
	}
	return errors.Join(errs...)
}

// Secure reports whether the portal is served over https, which decides the cookie
// Secure flag, the __Host- prefix and HSTS.
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// TrustedProxyPrefixes is TrustedProxies parsed (Validate has refused a bad value).
func (c Config) TrustedProxyPrefixes() []netip.Prefix {
	p, _ := ParsePrefixes(c.TrustedProxies)
	return p
}

// ParsePrefixes parses a comma-separated list of IP addresses and CIDR prefixes.
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("not an IP address or CIDR prefix: %q", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Markdown renders the settings table for docs/configuration.md, so the docs cannot
// drift from the code (a test compares them).
func Markdown() string {
	var b strings.Builder
	b.WriteString("| variable | flag | default | meaning |\n| --- | --- | --- | --- |\n")
	for _, s := range Settings {
		def := s.Default
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(&b, "| `%s` | `--%s` | `%s` | %s |\n", s.Env, s.Flag, def, s.Help)
	}
	return b.String()
}
