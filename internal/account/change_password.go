package account

import (
	"context"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/i18n"
)

// PasswordChange is the PK 0105 form.
type PasswordChange struct {
	Current string
	New     string
	Confirm string
	// TempPasswordID is set (by the handler, from the session, never from the form)
	// when the session was opened with a temporary password: that one is then the
	// "current" password to type.
	TempPasswordID int64
}

// ChangePassword checks the current password and the policy, then stores the new hash,
// clears a forced change, writes the audit record and queues the email, all in one
// transaction together with inTx: the caller's part, ending the user's sessions, since
// sessions belong to package auth.
func (s *Service) ChangePassword(ctx context.Context, u User, f PasswordChange, source string, inTx func(ctx context.Context) error) error {
	errs := i18n.FieldErrors{}
	if f.Current == "" {
		errs.Add("current", i18n.Msg("form.required"))
	} else if ok, err := s.verifyCurrent(ctx, u, f); err != nil {
		return err
	} else if !ok {
		errs.Add("current", i18n.Msg("form.current.wrong"))
	}
	s.checkNewPassword(errs, "new", "confirm", f.New, f.Confirm, s.passwordContext(ctx, u, true))
	if len(errs) > 0 {
		if _, wrong := errs["current"]; wrong {
			_ = s.Audit.Record(ctx, audit.Event{Type: audit.PasswordChange, Outcome: audit.Failure,
				ActorID: u.ID, ActorLogin: u.LoginID, SubjectID: u.ID, SubjectLogin: u.LoginID, Source: source, Detail: "current password wrong"})
		}
		return errs
	}
	hash, err := s.Hasher.Hash(ctx, f.New)
	if err != nil {
		return err
	}
	err = s.DB.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.DB.Q(ctx).ExecContext(ctx, `
			UPDATE users SET password_hash = $1, must_change_password = FALSE, updated_at = $2 WHERE id = $3`,
			hash, db.Millis(s.Now()), u.ID); err != nil {
			return err
		}
		// Every temporary password stops working once the password is changed.
		if _, err := s.DB.Q(ctx).ExecContext(ctx, `DELETE FROM temp_passwords WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		if err := s.Audit.Record(ctx, audit.Event{Type: audit.PasswordChange, ActorID: u.ID, ActorLogin: u.LoginID,
			SubjectID: u.ID, SubjectLogin: u.LoginID, Source: source}); err != nil {
			return err
		}
		if err := s.Outbox.Enqueue(ctx, u.Email, "password_changed", s.mailData(u)); err != nil {
			return err
		}
		return inTx(ctx)
	})
	if err == nil {
		s.Outbox.Notify()
	}
	return err
}

func (s *Service) verifyCurrent(ctx context.Context, u User, f PasswordChange) (bool, error) {
	hash := u.PasswordHash
	if f.TempPasswordID != 0 {
		var err error
		if hash, err = s.temporaryHash(ctx, u, f.TempPasswordID); err != nil {
			return false, err
		}
	}
	return s.Hasher.Verify(ctx, hash, f.Current)
}
