// Package app assembles eSPEKS from its configuration: the database, the services and
// the web handler. cmd/espeks and the end-to-end tests build the same thing through it,
// so a test exercises exactly what production runs.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/auth"
	"github.com/espeks/espeks/internal/config"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/load"
	"github.com/espeks/espeks/internal/mail"
	"github.com/espeks/espeks/internal/password"
	"github.com/espeks/espeks/internal/web"
)

// App is a wired eSPEKS.
type App struct {
	Config   config.Config
	DB       *db.DB
	Accounts *account.Service
	Auth     *auth.Authenticator
	Recovery *auth.Recovery
	Outbox   *mail.Outbox
	Worker   *mail.Worker
	Audit    *audit.Log
	Loader   *load.Loader
	Handler  http.Handler
	Logger   *slog.Logger
}

// Options are what a caller may substitute: tests inject a clock and a database.
type Options struct {
	Now    func() time.Time // default time.Now
	Logger *slog.Logger     // default slog.Default()
	DB     *db.DB           // default: open and migrate the configured database
	// HashParams overrides the argon2id parameters (tests of many logins use cheaper
	// ones; production always uses the defaults).
	HashParams *password.Params
}

// New wires an App. When o.DB is nil it opens the configured database and migrates it.
func New(ctx context.Context, cfg config.Config, o Options) (*App, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	d := o.DB
	if d == nil {
		var err error
		if d, err = db.Open(ctx, db.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, MaxConns: cfg.DatabaseMaxConns}); err != nil {
			return nil, err
		}
		if err := d.Migrate(ctx); err != nil {
			d.Close()
			return nil, err
		}
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	renderer, err := mail.NewRenderer()
	if err != nil {
		return nil, err
	}
	params := password.DefaultParams()
	if o.HashParams != nil {
		params = *o.HashParams
	}
	policy := password.Policy{MinLength: cfg.PasswordMinLength, MaxLength: cfg.PasswordMaxLength, StateName: cfg.StateName}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	hasher := password.NewHasher(params, 0)
	auditLog := &audit.Log{DB: d, Now: o.Now}
	outbox := mail.NewOutbox(d, renderer, o.Now)
	users := &account.Store{DB: d}
	a := &App{Config: cfg, DB: d, Audit: auditLog, Outbox: outbox, Logger: o.Logger}
	a.Accounts = &account.Service{DB: d, Store: users, Hasher: hasher, Policy: policy, Outbox: outbox,
		Audit: auditLog, Now: o.Now, BaseURL: cfg.BaseURL, StateName: cfg.StateName}
	a.Auth = &auth.Authenticator{DB: d, Users: users, Accounts: a.Accounts, Hasher: hasher, Audit: auditLog, Now: o.Now,
		Throttle: &auth.Throttle{DB: d, Now: o.Now, Limits: auth.Limits{
			Threshold: cfg.LockoutThreshold, LockDuration: cfg.LockoutDuration, LockMax: cfg.LockoutMax,
			SourceMaxFailures: cfg.SourceMaxFailures, SourceWindow: cfg.SourceWindow}},
		Sessions: &auth.Sessions{DB: d, Now: o.Now, IdleTimeout: cfg.SessionIdleTimeout, MaxAge: cfg.SessionMaxAge},
	}
	a.Recovery = &auth.Recovery{Users: users, Accounts: a.Accounts, Throttle: a.Auth.Throttle, Audit: auditLog,
		Now: o.Now, TTL: cfg.TempPasswordTTL, QuestionStep: cfg.RecoverySecurityQuestion}
	a.Loader = &load.Loader{DB: d, Audit: auditLog, Now: o.Now, Notified: outbox.Notify,
		Notify: func(ctx context.Context, exec func(context.Context, string, ...any) error, r load.Recipient) error {
			return outbox.EnqueueWith(ctx, exec, r.Email, mail.StatementLoaded, mail.Data{Name: r.Name,
				LoginID: account.FormatID(r.LoginID), StateName: cfg.StateName, BaseURL: cfg.BaseURL,
				Payslips: r.Payslips, Payments: r.Payments})
		}}
	var sender mail.Sender = mail.LogSender{Logger: o.Logger}
	if cfg.SMTPURL != "" {
		s, err := mail.NewSMTPSender(cfg.SMTPURL, cfg.SMTPFrom)
		if err != nil {
			return nil, fmt.Errorf("ESPEKS_SMTP_URL: %w", err)
		}
		sender = s
	}
	a.Worker = &mail.Worker{DB: d, Outbox: outbox, Sender: sender, From: cfg.SMTPFrom, Now: o.Now,
		MaxAttempts: cfg.MailMaxAttempts, Logger: o.Logger}
	a.Handler, err = web.New(web.Deps{Config: cfg, DB: d, Catalog: cat, Accounts: a.Accounts, Auth: a.Auth, Recovery: a.Recovery, Loader: a.Loader,
		Outbox: outbox, Audit: auditLog, Logger: o.Logger, Now: o.Now})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// RunHousekeeping prunes expired sessions and old throttle rows every interval until
// ctx ends. Several processes may run it: the deletes are idempotent.
func (a *App) RunHousekeeping(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := a.Auth.Sessions.Prune(ctx); err != nil && ctx.Err() == nil {
				a.Logger.Warn("prune sessions", "err", err)
			}
			if err := a.Auth.Throttle.Prune(ctx); err != nil && ctx.Err() == nil {
				a.Logger.Warn("prune throttle", "err", err)
			}
		}
	}
}
