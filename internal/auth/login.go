package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/identity"
	"github.com/espeks/espeks/internal/metrics"
	"github.com/espeks/espeks/internal/password"
)

// Outcome is how a login attempt ended.
type Outcome int

const (
	OK            Outcome = iota
	Invalid               // wrong ID or password: one message for both
	Locked                // the ID is locked until Result.Until
	SourceBlocked         // too many failures from this address: 429
	NotActive             // right password, but the account is pending, rejected or suspended
)

// Result of a login attempt.
type Result struct {
	Outcome Outcome
	Until   time.Time    // Locked: when to try again
	User    account.User // OK and NotActive
	Token   string       // OK: the new session's token
	// Temporary: logged in with a temporary password; only Tukar Kata Laluan is open.
	Temporary bool
}

// Authenticator checks passwords and opens sessions.
type Authenticator struct {
	DB       *db.DB
	Users    *account.Store
	Accounts *account.Service // temporary passwords (PK 0106)
	Hasher   *password.Hasher
	Throttle *Throttle
	Sessions *Sessions
	Audit    *audit.Log
	Now      func() time.Time
}

// Attempt is one Log Masuk form.
type Attempt struct {
	LoginID   string
	Password  string
	Source    string
	UserAgent string
}

// throttleKey is the ID as the throttle counts it: normalised when it parses, otherwise
// the typed text folded the same way, so "900101-14-5678" and "900101145678" share a count.
func throttleKey(typed string) (key string, parsed bool) {
	if n, err := identity.Parse(typed); err == nil {
		return n.String(), true
	}
	// Only letters and digits are kept: whatever bytes were typed, the key is safe to
	// store and to show in the audit log.
	k := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			return r
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return -1
	}, typed)
	if len(k) > 32 {
		k = k[:32]
	}
	return k, false
}

// Login checks an attempt. Every path that rejects an unknown ID costs one password
// verification, like a known one, so timing does not reveal which IDs exist.
func (a *Authenticator) Login(ctx context.Context, at Attempt) (res Result, err error) {
	defer func() { metrics.Login(outcomeLabel(res.Outcome, err)) }()
	key, parsed := throttleKey(at.LoginID)
	blocked, err := a.Throttle.SourceBlocked(ctx, at.Source)
	if err != nil {
		return Result{}, err
	}
	if blocked {
		return Result{Outcome: SourceBlocked}, a.Audit.Record(ctx, audit.Event{Type: audit.SourceBlocked,
			Outcome: audit.Failure, SubjectLogin: key, Source: at.Source})
	}
	var u account.User
	if parsed {
		u, err = a.Users.ByLoginID(ctx, key)
		if err != nil && !errors.Is(err, account.ErrNotFound) {
			return Result{}, err
		}
	}
	until, err := a.Throttle.LockedUntil(ctx, key)
	if err != nil {
		return Result{}, err
	}
	if !until.IsZero() {
		// Only a temporary password, which proves the registered email, opens a
		// locked ID (a successful reset unlocks).
		tempID, err := a.matchTemporary(ctx, u, at.Password)
		if err != nil || tempID != 0 {
			if err != nil {
				return Result{}, err
			}
			return a.succeed(ctx, u, at, tempID)
		}
		if err := a.Throttle.FailSource(ctx, at.Source); err != nil {
			return Result{}, err
		}
		return Result{Outcome: Locked, Until: until}, a.Audit.Record(ctx, audit.Event{Type: audit.LoginFailed,
			Outcome: audit.Failure, SubjectID: u.ID, SubjectLogin: key, Source: at.Source, Detail: "locked"})
	}

	ok := false
	if u.ID != 0 {
		if ok, err = a.Hasher.Verify(ctx, u.PasswordHash, at.Password); err != nil {
			return Result{}, err
		}
	} else {
		a.Hasher.DummyVerify(ctx)
	}
	var tempID int64
	if !ok && u.ID != 0 {
		if tempID, err = a.matchTemporary(ctx, u, at.Password); err != nil {
			return Result{}, err
		}
	}
	if !ok && tempID == 0 {
		return a.fail(ctx, key, u.ID, at.Source)
	}
	if u.Status != account.Active {
		// Told why only now, after the right password (PRODUCT.md).
		return Result{Outcome: NotActive, User: u}, a.Audit.Record(ctx, audit.Event{Type: audit.Login,
			Outcome: audit.Failure, SubjectID: u.ID, SubjectLogin: u.LoginID, Source: at.Source, Detail: "status " + string(u.Status)})
	}
	return a.succeed(ctx, u, at, tempID)
}

// matchTemporary finds a live temporary password of u equal to pw (0 when none). An
// unknown ID spends a dummy verification so the locked path costs the same.
func (a *Authenticator) matchTemporary(ctx context.Context, u account.User, pw string) (int64, error) {
	if u.ID == 0 || a.Accounts == nil {
		a.Hasher.DummyVerify(ctx)
		return 0, nil
	}
	return a.Accounts.MatchTemporaryPassword(ctx, u, pw)
}

func (a *Authenticator) fail(ctx context.Context, key string, userID int64, source string) (Result, error) {
	var until time.Time
	err := a.DB.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if until, err = a.Throttle.Fail(ctx, key, source); err != nil {
			return err
		}
		if err := a.Audit.Record(ctx, audit.Event{Type: audit.LoginFailed, Outcome: audit.Failure,
			SubjectID: userID, SubjectLogin: key, Source: source}); err != nil {
			return err
		}
		if until.IsZero() {
			return nil
		}
		return a.Audit.Record(ctx, audit.Event{Type: audit.Lockout, Outcome: audit.Failure,
			SubjectID: userID, SubjectLogin: key, Source: source, Detail: "until " + until.UTC().Format(time.RFC3339)})
	})
	if err != nil {
		return Result{}, err
	}
	if !until.IsZero() {
		metrics.Lockout()
		return Result{Outcome: Locked, Until: until}, nil
	}
	return Result{Outcome: Invalid}, nil
}

// outcomeLabel names an outcome for the espeks_logins_total metric.
func outcomeLabel(o Outcome, err error) string {
	if err != nil {
		return "error"
	}
	switch o {
	case OK:
		return "ok"
	case Invalid:
		return "invalid"
	case Locked:
		return "locked"
	case SourceBlocked:
		return "source_blocked"
	case NotActive:
		return "not_active"
	}
	return "error"
}

// succeed opens a session. tempID is the temporary password used to log in (0 for the
// real password): that session may only change the password, the temporary password is
// used up, every other session of the user ends and the ID is unlocked.
func (a *Authenticator) succeed(ctx context.Context, u account.User, at Attempt, tempID int64) (Result, error) {
	res := Result{Outcome: OK, User: u, Temporary: tempID != 0}
	var rehash string
	if tempID == 0 && a.Hasher.NeedsRehash(u.PasswordHash) {
		// Parameters were raised since this hash was made: store a stronger one now
		// that the password is at hand.
		var err error
		if rehash, err = a.Hasher.Hash(ctx, at.Password); err != nil {
			return res, err
		}
	}
	err := a.DB.WithTx(ctx, func(ctx context.Context) error {
		failed := 0
		if !u.LastLoginAt.IsZero() {
			var err error
			if failed, err = a.Audit.CountSince(ctx, audit.LoginFailed, u.LoginID, u.LastLoginAt); err != nil {
				return err
			}
		}
		if err := a.Throttle.Reset(ctx, u.LoginID); err != nil {
			return err
		}
		if err := a.Users.RecordLogin(ctx, u.ID, a.Now(), at.Source); err != nil {
			return err
		}
		if rehash != "" {
			if err := a.Users.SetPasswordHash(ctx, u.ID, rehash); err != nil {
				return err
			}
		}
		event := audit.Login
		if tempID != 0 {
			event = audit.TempLogin
			used, err := a.Accounts.UseTemporaryPassword(ctx, tempID)
			if err != nil {
				return err
			}
			if !used {
				return errTempRace
			}
			if err := a.Sessions.DeleteUser(ctx, u.ID); err != nil {
				return err
			}
		}
		var err error
		res.Token, err = a.Sessions.Create(ctx, NewSession{UserID: u.ID, Source: at.Source, UserAgent: at.UserAgent,
			PrevLoginAt: u.LastLoginAt, FailedSince: failed, TempPasswordID: tempID})
		if err != nil {
			return err
		}
		return a.Audit.Record(ctx, audit.Event{Type: event, ActorID: u.ID, ActorLogin: u.LoginID,
			SubjectID: u.ID, SubjectLogin: u.LoginID, Source: at.Source})
	})
	if errors.Is(err, errTempRace) {
		// Another login used the same temporary password a moment earlier.
		return Result{Outcome: Invalid}, nil
	}
	return res, err
}

var errTempRace = errors.New("temporary password already used")
