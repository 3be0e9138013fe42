package account

import (
	"context"
	"time"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/mail"
	"github.com/espeks/espeks/internal/password"
)

// Service carries out the account procedures. Every change it makes is one
// transaction with its audit record and its email.
type Service struct {
	DB        *db.DB
	Store     *Store
	Hasher    *password.Hasher
	Policy    password.Policy
	Outbox    *mail.Outbox
	Audit     *audit.Log
	Now       func() time.Time
	BaseURL   string // links in emails use this, never the request's Host header
	StateName string
}

// passwordContext lists the words a user's password may not contain.
func (s *Service) passwordContext(ctx context.Context, u User, withCurrent bool) password.Context {
	c := password.Context{ID: u.LoginID, Name: u.Name, Email: u.Email}
	if withCurrent {
		c.IsCurrent = s.Hasher.IsCurrentFunc(ctx, u.PasswordHash)
	}
	return c
}
