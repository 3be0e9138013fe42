package account

import (
	"context"
	"errors"
	"unicode/utf8"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/i18n"
)

// ErrNotPending means the registration was already decided (perhaps by another
// Pentadbir a moment ago).
var ErrNotPending = errors.New("registration is not pending")

// Activate makes a pending registration active. The user must change the password at
// the first login (PK 0101 step 4) and is emailed.
func (s *Service) Activate(ctx context.Context, admin User, userID int64, source string) error {
	return s.decide(ctx, admin, userID, Active, "", source)
}

// Reject refuses a pending registration with a reason that the user is emailed.
func (s *Service) Reject(ctx context.Context, admin User, userID int64, reason, source string) error {
	reason = CleanText(reason)
	errs := i18n.FieldErrors{}
	switch {
	case reason == "":
		errs.Add("reason", i18n.Msg("form.reason.required"))
	case utf8.RuneCountInString(reason) > 500:
		errs.Add("reason", i18n.Msg("form.too_long", "Max", 500))
	}
	if len(errs) > 0 {
		return errs
	}
	return s.decide(ctx, admin, userID, Rejected, reason, source)
}

func (s *Service) decide(ctx context.Context, admin User, userID int64, to Status, reason, source string) error {
	err := s.DB.WithTx(ctx, func(ctx context.Context) error {
		now := db.Millis(s.Now())
		// The status condition makes a double click or two Pentadbir deciding at once
		// safe: only the first decision changes the row.
		res, err := s.DB.Q(ctx).ExecContext(ctx, `
			UPDATE users SET status = $1, rejection_reason = $2, must_change_password = $3,
				decided_at = $4, decided_by = $5, updated_at = $4
			WHERE id = $6 AND status = 'MENUNGGU'`,
			to, reason, to == Active, now, admin.ID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := s.Store.ByID(ctx, userID); err != nil {
				return err
			}
			return ErrNotPending
		}
		u, err := s.Store.ByID(ctx, userID)
		if err != nil {
			return err
		}
		event, template := audit.Activate, "account_activated"
		if to == Rejected {
			event, template = audit.Reject, "account_rejected"
		}
		if err := s.Audit.Record(ctx, audit.Event{Type: event, ActorID: admin.ID, ActorLogin: admin.LoginID,
			SubjectID: u.ID, SubjectLogin: u.LoginID, Source: source, Detail: reason}); err != nil {
			return err
		}
		return s.Outbox.Enqueue(ctx, u.Email, template, s.mailData(u, "Reason", reason))
	})
	if err == nil {
		s.Outbox.Notify()
	}
	return err
}
