package account

import (
	"context"
	"errors"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/identity"
)

// NewAdmin is what `espeks admin create` gives.
type NewAdmin struct {
	LoginID  string
	Name     string
	Email    string
	Password string
}

// CreateAdmin creates an active Pentadbir (the first one comes from the command line:
// eSPEKS has no default accounts). The password must meet the policy.
func (s *Service) CreateAdmin(ctx context.Context, a NewAdmin) (User, error) {
	errs := i18n.FieldErrors{}
	u := User{Role: RoleAdmin, Status: Active, Type: Staff, IDKind: "MYKAD", Name: CleanText(a.Name)}
	id, err := identity.ParseMyKadAt(a.LoginID, s.Now())
	if err != nil {
		errs.Add("id", identityMessage(err))
	}
	u.LoginID = id.String()
	checkText(errs, "name", u.Name, 150)
	if u.Email, err = NormalizeEmail(a.Email); err != nil {
		errs.Add("email", i18n.Msg(err.Error()))
	}
	s.checkNewPassword(errs, "password", "password", a.Password, a.Password,
		s.passwordContext(ctx, u, false))
	if len(errs) > 0 {
		return u, errs
	}
	if u.PasswordHash, err = s.Hasher.Hash(ctx, a.Password); err != nil {
		return u, err
	}
	err = s.DB.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.insert(ctx, &u, s.Now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Event{Type: audit.AdminCreate, SubjectID: u.ID, SubjectLogin: u.LoginID, Source: "cli"})
	})
	if errors.Is(err, ErrExists) {
		return u, i18n.FieldErrors{"id": i18n.Msg("form.id.exists")}
	}
	return u, err
}

// CreateActive creates an account that is active at once, validated exactly like a
// registration: for accounts a Pentadbir vouches for, such as the sample data's.
func (s *Service) CreateActive(ctx context.Context, r Registration, role Role) (User, error) {
	u, errs := s.validateRegistration(r)
	if len(errs) > 0 {
		return u, errs
	}
	u.Status, u.Role = Active, role
	var err error
	if u.PasswordHash, err = s.Hasher.Hash(ctx, r.Password); err != nil {
		return u, err
	}
	if u.SecurityAnswerHash, err = s.Hasher.Hash(ctx, NormalizeAnswer(r.Answer)); err != nil {
		return u, err
	}
	err = s.DB.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.insert(ctx, &u, s.Now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Event{Type: audit.Register, SubjectID: u.ID, SubjectLogin: u.LoginID,
			Source: "cli", Detail: "active " + string(u.Type)})
	})
	return u, err
}
