package account

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"time"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/password"
)

// Email-link purposes.
const (
	purposeConfirmRegistration = "confirm_registration"
	purposeChangeEmail         = "change_email"
)

// ErrTokenInvalid means an email link is unknown, used or expired. The page says the
// same for each, since the difference helps only an attacker.
var ErrTokenInvalid = errors.New("link invalid or expired")

// newEmailToken stores the hash of a fresh random token and returns the link that
// carries the token. Only the SHA-256 is stored, so a database leak yields no live link.
func (s *Service) newEmailToken(ctx context.Context, userID int64, purpose, email string, expires time.Time) (string, error) {
	plain, hash := password.NewToken()
	_, err := s.DB.Q(ctx).ExecContext(ctx, `
		INSERT INTO email_tokens (token_hash, user_id, purpose, email, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		hash, userID, purpose, email, db.Millis(s.Now()), db.Millis(expires))
	if err != nil {
		return "", err
	}
	return s.BaseURL + "/sahkan-emel?t=" + url.QueryEscape(plain), nil
}

// useEmailToken marks a token used (single use) and returns its user, address and purpose.
func (s *Service) useEmailToken(ctx context.Context, plain string) (userID int64, email, purpose string, err error) {
	now := db.Millis(s.Now())
	err = s.DB.Q(ctx).QueryRowContext(ctx, `
		UPDATE email_tokens SET used_at = $1
		WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
		RETURNING user_id, email, purpose`, now, password.HashToken(plain)).Scan(&userID, &email, &purpose)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", ErrTokenInvalid
	}
	return userID, email, purpose, err
}

// ConfirmEmail carries out the link of an email: it confirms the registered address
// (PK 0101, shown to the Pentadbir) or completes an email change (PK 0107). It returns
// the purpose so the page can say which.
func (s *Service) ConfirmEmail(ctx context.Context, plain, source string) (purpose string, err error) {
	if plain == "" || len(plain) > 100 {
		return "", ErrTokenInvalid
	}
	var changed bool
	err = s.DB.WithTx(ctx, func(ctx context.Context) error {
		userID, email, p, err := s.useEmailToken(ctx, plain)
		if err != nil {
			return err
		}
		purpose = p
		u, err := s.Store.ByID(ctx, userID)
		if err != nil {
			return err
		}
		now := db.Millis(s.Now())
		switch p {
		case purposeConfirmRegistration:
			if u.Email != email {
				return ErrTokenInvalid // the address changed since the link was sent
			}
			if _, err := s.DB.Q(ctx).ExecContext(ctx,
				`UPDATE users SET email_confirmed_at = $1, updated_at = $1 WHERE id = $2`, now, userID); err != nil {
				return err
			}
			return s.Audit.Record(ctx, audit.Event{Type: audit.EmailConfirm, SubjectID: u.ID, SubjectLogin: u.LoginID, Source: source})
		case purposeChangeEmail:
			if _, err := s.DB.Q(ctx).ExecContext(ctx,
				`UPDATE users SET email = $1, email_confirmed_at = $2, updated_at = $2 WHERE id = $3`, email, now, userID); err != nil {
				return err
			}
			// Any other pending change is void: only the newest confirmed address counts.
			if _, err := s.DB.Q(ctx).ExecContext(ctx,
				`UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL`, now, userID, purposeChangeEmail); err != nil {
				return err
			}
			if err := s.Audit.Record(ctx, audit.Event{Type: audit.EmailChange, ActorID: u.ID, ActorLogin: u.LoginID,
				SubjectID: u.ID, SubjectLogin: u.LoginID, Source: source}); err != nil {
				return err
			}
			changed = true
			return s.Outbox.Enqueue(ctx, u.Email, "email_changed_old", s.mailData(u, "NewEmail", email))
		}
		return ErrTokenInvalid
	})
	if changed {
		s.Outbox.Notify()
	}
	if purpose == purposeChangeEmail {
		return "change", err
	}
	return "registration", err
}
