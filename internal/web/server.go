package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/auth"
	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/config"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/load"
	"github.com/espeks/espeks/internal/mail"
	"github.com/espeks/espeks/internal/payment"
	"github.com/espeks/espeks/internal/payslip"
)

// Server holds what the handlers need. Build it with New.
type Server struct {
	cfg      config.Config
	db       *db.DB
	cat      *i18n.Catalogue
	accounts *account.Service
	users    *account.Store
	auth     *auth.Authenticator
	sessions *auth.Sessions
	recovery *auth.Recovery
	loader   *load.Loader
	apiKeys  *auth.APIKeys
	payslips *payslip.Store
	payments *payment.Store
	outbox   *mail.Outbox
	audit    *audit.Log
	log      *slog.Logger
	now      func() time.Time
	views    *views
	rawViews *views // the templates as written, when checkViews
	assets   *assets
}

// Deps are the services a Server is wired with (cmd/espeks builds them).
type Deps struct {
	Config   config.Config
	DB       *db.DB
	Catalog  *i18n.Catalogue
	Accounts *account.Service
	Auth     *auth.Authenticator
	Recovery *auth.Recovery
	Loader   *load.Loader
	Outbox   *mail.Outbox
	Audit    *audit.Log
	Logger   *slog.Logger
	Now      func() time.Time
}

// New builds the portal's handler.
func New(d Deps) (http.Handler, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	v, err := loadViews(a, d.Catalog, true)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: d.Config, db: d.DB, cat: d.Catalog, accounts: d.Accounts, users: d.Accounts.Store,
		auth: d.Auth, sessions: d.Auth.Sessions, recovery: d.Recovery, loader: d.Loader, apiKeys: &auth.APIKeys{DB: d.DB, Now: d.Now},
		payments: &payment.Store{DB: d.DB, Now: d.Now, Since: func() civil.Date {
			return civil.Date{Year: d.Now().Year() - d.Config.RetentionYears + 1, Month: 1, Day: 1}
		}},
		payslips: &payslip.Store{DB: d.DB, Since: func() int { return d.Now().Year() - d.Config.RetentionYears + 1 }}, outbox: d.Outbox, audit: d.Audit,
		log: d.Logger, now: d.Now, views: v, assets: a,
	}
	if checkViews {
		if s.rawViews, err = loadViews(a, d.Catalog, false); err != nil {
			return nil, err
		}
	}
	return s.routes(), nil
}
