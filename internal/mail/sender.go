package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Envelope is one email to send.
type Envelope struct {
	From    string
	To      string
	Subject string
	Body    string
	// Secret says Body holds a secret (a temporary password): senders must not log it.
	Secret bool
}

// Sender delivers one email. Implementations must be safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, m Envelope) error
}

// SMTPTimeout bounds each SMTP connection (dial and every command).
const SMTPTimeout = 30 * time.Second

// SMTPSender sends through an SMTP server. A new connection is made for each email, so one
// SMTPSender serves any number of workers.
type SMTPSender struct {
	host     string
	port     int
	ssl      bool
	user     string
	password string
	from     string
	timeout  time.Duration
}

// NewSMTPSender parses rawURL — smtp://[user:pass@]host[:port] (port 25 by default; STARTTLS
// when the server offers it) or smtps://[user:pass@]host[:port] (implicit TLS, port 465 by
// default) — and returns a sender using from when an Envelope has no From.
//
// With a user, it authenticates with PLAIN. The credentials are only ever sent over TLS,
// except to a loopback host (a local relay): a remote server that does not offer STARTTLS
// gets no password and every send fails with an error saying so.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url's error repeats the URL, password included: do not pass it on.
		return nil, errors.New("mail: SMTP URL is not a valid URL")
	}
	s := &SMTPSender{from: from, timeout: SMTPTimeout}
	switch u.Scheme {
	case "smtp":
		s.port = 25
	case "smtps":
		s.ssl, s.port = true, 465
	default:
		return nil, fmt.Errorf("mail: SMTP URL scheme must be smtp or smtps, not %q", u.Scheme)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return nil, errors.New("mail: SMTP URL has no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("mail: SMTP URL port %q is not a port number", p)
		}
		s.port = n
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	if strings.TrimSpace(from) == "" {
		return nil, errors.New("mail: no sender address (ESPEKS_SMTP_FROM)")
	}
	if err := gomail.NewMsg().From(from); err != nil {
		return nil, fmt.Errorf("mail: sender address %q: %w", from, err)
	}
	return s, nil
}

// String describes the server without the password.
func (s *SMTPSender) String() string {
	scheme := "smtp"
	if s.ssl {
		scheme = "smtps"
	}
	user := ""
	if s.user != "" {
		user = url.User(s.user).String() + "@"
	}
	return scheme + "://" + user + net.JoinHostPort(s.host, strconv.Itoa(s.port))
}

func (s *SMTPSender) client() (*gomail.Client, error) {
	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(s.timeout),
	}
	if s.ssl {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.user != "" {
		auth := gomail.SMTPAuthPlain // refuses to send the password without TLS
		if isLoopback(s.host) {
			// go-mail allows PLAIN without TLS only to "localhost", "127.0.0.1" and
			// "::1"; any loopback address is as private as those.
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(s.user), gomail.WithPassword(s.password))
	}
	return gomail.NewClient(s.host, opts...)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send delivers m as a plain-text UTF-8 email, quoted-printable encoded.
func (s *SMTPSender) Send(ctx context.Context, m Envelope) error {
	from := m.From
	if from == "" {
		from = s.from
	}
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(from); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	// RFC 3834: tells auto-responders (out of office) not to answer.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)

	c, err := s.client()
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*s.timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s: %w", net.JoinHostPort(s.host, strconv.Itoa(s.port)), err)
	}
	return nil
}

// LogSender "sends" by writing the email to the log: the mode without an SMTP server, where
// the Pentadbir's outbox page is the other place to read emails. A secret body is not
// logged.
type LogSender struct {
	Logger *slog.Logger
}

// Send logs m and succeeds.
func (s LogSender) Send(ctx context.Context, m Envelope) error {
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	body := m.Body
	if m.Secret {
		body = SecretPlaceholder
	}
	l.LogAttrs(ctx, slog.LevelInfo, "email (no SMTP server configured)",
		slog.String("to", m.To), slog.String("subject", m.Subject), slog.String("body", body))
	return nil
}
