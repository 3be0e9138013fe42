package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/i18n"
)

// adminUsers lists accounts of every status, searched by ID (with or without dashes),
// name or email.
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	pageNo, _ := strconv.Atoi(q.Get("hal"))
	pageNo = max(pageNo, 1)
	users, total, err := s.users.Search(r.Context(), q.Get("q"), pageSize, (pageNo-1)*pageSize)
	if err != nil {
		return err
	}
	p := s.page(r, "admin.users.title")
	p.Form = q
	p.Data = map[string]any{"Users": users, "Total": total, "Page": pageNo,
		"Prev": pageLink(q, pageNo-1, total), "Next": pageLink(q, pageNo+1, total)}
	s.render(w, r, http.StatusOK, "admin_users", p)
	return nil
}

// userNotices are the ?ok= values the actions redirect with.
var userNotices = map[string]string{
	"gantung": "admin.user.suspended", "aktif": "admin.user.reactivated", "kunci": "admin.user.unlocked",
	"sementara": "admin.user.temp_sent", "peranan": "admin.user.role_changed", "sudah": "admin.user.unchanged",
}

// adminUser shows one account: status, role, last login, lock state, recent security
// events, and the actions.
func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	return s.renderUser(w, r, http.StatusOK, nil)
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, errs i18n.FieldErrors) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.users.ByID(r.Context(), id)
	if err != nil {
		return err
	}
	lockedUntil, err := s.auth.Throttle.LockedUntil(r.Context(), u.LoginID)
	if err != nil {
		return err
	}
	events, err := s.audit.ForSubject(r.Context(), u.ID, 20)
	if err != nil {
		return err
	}
	p := s.page(r, "admin.user.title")
	p.Errors = errs
	if status == http.StatusOK {
		p.Notice = userNotices[r.URL.Query().Get("ok")]
	}
	self := state(r).session.User.ID == u.ID
	p.Data = map[string]any{"Account": u, "LockedUntil": lockedUntil, "Events": events, "Self": self,
		"Staff": u.Type == account.Staff, "Active": u.Status == account.Active,
		"Suspended": u.Status == account.Suspended, "TTLMinutes": int(s.cfg.TempPasswordTTL.Minutes())}
	s.render(w, r, status, "admin_user", p)
	return nil
}

// adminAction runs one action on the account named in the path, as the logged-in
// Pentadbir from the request's address, then shows the account again.
func (s *Server) adminAction(w http.ResponseWriter, r *http.Request, field, ok string,
	do func(ctx context.Context, a account.AdminAction) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = do(r.Context(), account.AdminAction{Admin: state(r).session.User, UserID: id, Source: clientAddr(r)})
	refusals := map[error]string{
		account.ErrSelf: "admin.user.err.self", account.ErrNotActive: "admin.user.err.not_active",
		account.ErrNotStaff: "admin.user.err.not_staff",
	}
	for e, msg := range refusals {
		if errors.Is(err, e) {
			return s.renderUser(w, r, http.StatusConflict, i18n.FieldErrors{field: i18n.Msg(msg)})
		}
	}
	if errors.Is(err, account.ErrUnchanged) {
		ok, err = "sudah", nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/pentadbir/pengguna/%d?ok=%s", id, ok), http.StatusSeeOther)
	return nil
}

// endSessions is the part of an action that logs the account out everywhere.
func (s *Server) endSessions(ctx context.Context, u account.User) error {
	return s.sessions.DeleteUser(ctx, u.ID)
}

// adminSuspend is Gantung: the account can no longer log in and its sessions end.
func (s *Server) adminSuspend(w http.ResponseWriter, r *http.Request) error {
	return s.adminAction(w, r, "suspend", "gantung", func(ctx context.Context, a account.AdminAction) error {
		a.InTx = s.endSessions
		return s.accounts.Suspend(ctx, a)
	})
}

// adminReactivate is Aktifkan semula for a suspended account.
func (s *Server) adminReactivate(w http.ResponseWriter, r *http.Request) error {
	return s.adminAction(w, r, "suspend", "aktif", s.accounts.Reactivate)
}

// adminUnlock is Buka kunci: the login ID's failures and lock are cleared.
func (s *Server) adminUnlock(w http.ResponseWriter, r *http.Request) error {
	return s.adminAction(w, r, "unlock", "kunci", func(ctx context.Context, a account.AdminAction) error {
		a.InTx = func(ctx context.Context, u account.User) error { return s.auth.Throttle.Reset(ctx, u.LoginID) }
		return s.accounts.Unlock(ctx, a)
	})
}

// adminTempPassword is Hantar kata laluan sementara, to the registered email only.
func (s *Server) adminTempPassword(w http.ResponseWriter, r *http.Request) error {
	return s.adminAction(w, r, "temp", "sementara", func(ctx context.Context, a account.AdminAction) error {
		return s.accounts.SendTemporaryPassword(ctx, a, s.cfg.TempPasswordTTL)
	})
}

// adminSetRole is Tukar peranan. The form names the role wanted (not "the other one"),
// so a double click cannot undo the first. The account's sessions end: the new role
// applies from its next login.
func (s *Server) adminSetRole(w http.ResponseWriter, r *http.Request) error {
	role := account.Role(r.PostFormValue("role"))
	if role != account.RoleUser && role != account.RoleAdmin {
		return errBadInput
	}
	return s.adminAction(w, r, "role", "peranan", func(ctx context.Context, a account.AdminAction) error {
		a.InTx = s.endSessions
		return s.accounts.SetRole(ctx, a, role)
	})
}
