package account

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
)

// What a Pentadbir's action on an account may be refused for. The web layer shows each
// as a message; none of them changes anything.
var (
	// ErrSelf: a Pentadbir may not demote or suspend themself (there would be no one
	// left to undo it, and the console would lock them out mid-action).
	ErrSelf = errors.New("a Pentadbir cannot demote or suspend themself")
	// ErrUnchanged: the account is already as asked (a double click, or another
	// Pentadbir a moment earlier).
	ErrUnchanged = errors.New("account already in that state")
	// ErrNotActive: the action needs an active account (a temporary password to a
	// suspended or pending account would open nothing).
	ErrNotActive = errors.New("account is not active")
	// ErrNotStaff: only staff accounts may hold the Pentadbir role; the state's IT
	// officers are staff, never a supplier's account.
	ErrNotStaff = errors.New("only staff may be Pentadbir")
)

// Search finds accounts of every status for the Pentadbir by part of the login ID
// (typed with or without dashes), the name or the email, ordered by name, and says how
// many match in all. An empty query lists everyone.
func (s *Store) Search(ctx context.Context, query string, limit, offset int) ([]User, int, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	offset = max(offset, 0)
	query = strings.TrimSpace(query)
	like := "%" + escapeLike(strings.ToLower(query)) + "%"
	likeID := "%" + escapeLike(strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(query))) + "%"
	const where = ` FROM users
		WHERE login_id LIKE $1 ESCAPE '\' OR LOWER(name) LIKE $2 ESCAPE '\' OR LOWER(email) LIKE $2 ESCAPE '\'`
	var total int
	if err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*)`+where, likeID, like).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT `+userColumns+where+` ORDER BY name, id LIMIT $3 OFFSET $4`,
		likeID, like, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// setStatus moves an account from one status to another; ErrUnchanged when it is not
// in the from status (ErrNotFound when there is no such account).
func (s *Store) setStatus(ctx context.Context, id int64, from, to Status, now time.Time) error {
	res, err := s.DB.Q(ctx).ExecContext(ctx, `UPDATE users SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4`,
		to, db.Millis(now), id, from)
	if err != nil {
		return err
	}
	return changedOne(ctx, s, res, id)
}

// setRole gives an account a role; ErrUnchanged when it already has it.
func (s *Store) setRole(ctx context.Context, id int64, role Role, now time.Time) error {
	res, err := s.DB.Q(ctx).ExecContext(ctx, `UPDATE users SET role = $1, updated_at = $2 WHERE id = $3 AND role <> $1`,
		role, db.Millis(now), id)
	if err != nil {
		return err
	}
	return changedOne(ctx, s, res, id)
}

func changedOne(ctx context.Context, s *Store, res interface{ RowsAffected() (int64, error) }, id int64) error {
	n, err := res.RowsAffected()
	if err != nil || n == 1 {
		return err
	}
	if _, err := s.ByID(ctx, id); err != nil {
		return err
	}
	return ErrUnchanged
}

// AdminAction is one Pentadbir action on an account: who, on whom, from where, and the
// caller's part of the transaction (ending sessions or clearing the login throttle
// belong to package auth). InTx may be nil.
type AdminAction struct {
	Admin  User
	UserID int64
	Source string
	InTx   func(ctx context.Context, u User) error
}

// Suspend sets an active account to DIGANTUNG: it can no longer log in. The caller's
// InTx ends its sessions in the same transaction.
func (s *Service) Suspend(ctx context.Context, a AdminAction) error {
	if a.Admin.ID == a.UserID {
		return s.refuseSelf(ctx, a, audit.Suspend)
	}
	return s.adminChange(ctx, a, audit.Suspend, func(ctx context.Context, u User) (string, error) {
		return transition(Active, Suspended), s.Store.setStatus(ctx, u.ID, Active, Suspended, s.Now())
	})
}

// Reactivate sets a suspended account back to AKTIF.
func (s *Service) Reactivate(ctx context.Context, a AdminAction) error {
	return s.adminChange(ctx, a, audit.Reactivate, func(ctx context.Context, u User) (string, error) {
		return transition(Suspended, Active), s.Store.setStatus(ctx, u.ID, Suspended, Active, s.Now())
	})
}

// Unlock records a Pentadbir's unlock of an account's login ID; the caller's InTx
// clears the throttle in the same transaction.
func (s *Service) Unlock(ctx context.Context, a AdminAction) error {
	return s.adminChange(ctx, a, audit.Unlock, func(context.Context, User) (string, error) { return "", nil })
}

// SetRole gives an account the role PENGGUNA or PENTADBIR. A Pentadbir never demotes
// themself (ErrSelf); only active staff accounts are made Pentadbir (ErrNotActive,
// ErrNotStaff). The caller's InTx ends the account's sessions, so the new menus and
// rights apply from the next login only.
func (s *Service) SetRole(ctx context.Context, a AdminAction, role Role) error {
	if role != RoleUser && role != RoleAdmin {
		return errors.New("account: unknown role " + string(role))
	}
	if a.Admin.ID == a.UserID && role != RoleAdmin {
		return s.refuseSelf(ctx, a, audit.RoleChange)
	}
	return s.adminChange(ctx, a, audit.RoleChange, func(ctx context.Context, u User) (string, error) {
		if role == RoleAdmin && u.Role != RoleAdmin {
			switch {
			case u.Type != Staff:
				return "", ErrNotStaff
			case u.Status != Active:
				return "", ErrNotActive
			}
		}
		return string(u.Role) + " -> " + string(role), s.Store.setRole(ctx, u.ID, role, s.Now())
	})
}

// SendTemporaryPassword emails an active account a temporary password at the Pentadbir's
// request (PK 0106 done for the user, say after a telephone call): the same single-use,
// expiring password the user could ask for, sent to the registered email only, never
// shown to the Pentadbir.
func (s *Service) SendTemporaryPassword(ctx context.Context, a AdminAction, ttl time.Duration) error {
	err := s.adminChange(ctx, a, audit.AdminTempPassword, func(ctx context.Context, u User) (string, error) {
		if u.Status != Active {
			return "", ErrNotActive
		}
		return "to " + u.Email, s.IssueTemporaryPassword(ctx, u, ttl, a.Source)
	})
	if err == nil {
		s.Outbox.Notify() // IssueTemporaryPassword's own notice came before this commit
	}
	return err
}

func transition(from, to Status) string { return string(from) + " -> " + string(to) }

// adminChange runs change, the caller's InTx and the audit record in one transaction:
// the record exists if and only if the change does. change returns the record's detail.
func (s *Service) adminChange(ctx context.Context, a AdminAction, event string,
	change func(ctx context.Context, u User) (detail string, err error)) error {
	return s.DB.WithTx(ctx, func(ctx context.Context) error {
		u, err := s.Store.ByID(ctx, a.UserID)
		if err != nil {
			return err
		}
		detail, err := change(ctx, u)
		if err != nil {
			return err
		}
		if a.InTx != nil {
			if err := a.InTx(ctx, u); err != nil {
				return err
			}
		}
		return s.Audit.Record(ctx, audit.Event{Type: event, ActorID: a.Admin.ID, ActorLogin: a.Admin.LoginID,
			SubjectID: u.ID, SubjectLogin: u.LoginID, Source: a.Source, Detail: detail})
	})
}

// refuseSelf records a refused attempt on one's own account and returns ErrSelf.
func (s *Service) refuseSelf(ctx context.Context, a AdminAction, event string) error {
	if err := s.Audit.Record(ctx, audit.Event{Type: event, Outcome: audit.Failure, ActorID: a.Admin.ID,
		ActorLogin: a.Admin.LoginID, SubjectID: a.Admin.ID, SubjectLogin: a.Admin.LoginID, Source: a.Source,
		Detail: "refused: own account"}); err != nil {
		return err
	}
	return ErrSelf
}
