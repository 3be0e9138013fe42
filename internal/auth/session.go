package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/password"
)

// Session is a logged-in browser.
type Session struct {
	TokenHash   string
	User        account.User
	CreatedAt   time.Time
	LastSeenAt  time.Time
	PrevLoginAt time.Time // the login before this one (zero on the first)
	FailedSince int       // failed attempts on the ID between that login and this one
	// TempPasswordID is the temporary password this session was opened with (0 when
	// the real one): such a session may only change the password.
	TempPasswordID int64
}

// ErrNoSession means the token is unknown, ended or expired.
var ErrNoSession = errors.New("no session")

// Sessions stores sessions server-side: the cookie carries a 256-bit random token and
// the table only its SHA-256, so a database leak yields no usable session.
type Sessions struct {
	DB          *db.DB
	Now         func() time.Time
	IdleTimeout time.Duration
	MaxAge      time.Duration
}

// touchEvery limits last-seen writes to one a minute per session; the idle timeout is
// thus exact to within a minute, which saves a write on nearly every request.
const touchEvery = time.Minute

// NewSession is what Create needs besides the user.
type NewSession struct {
	UserID         int64
	Source         string
	UserAgent      string
	PrevLoginAt    time.Time
	FailedSince    int
	TempPasswordID int64
}

// Create starts a session and returns the token for the cookie.
func (s *Sessions) Create(ctx context.Context, n NewSession) (string, error) {
	plain, hash := password.NewToken()
	now := s.Now()
	var prev any
	if !n.PrevLoginAt.IsZero() {
		prev = db.Millis(n.PrevLoginAt)
	}
	ua := n.UserAgent
	if len(ua) > 200 {
		ua = ua[:200]
	}
	var temp any
	if n.TempPasswordID != 0 {
		temp = n.TempPasswordID
	}
	_, err := s.DB.Q(ctx).ExecContext(ctx, `
		INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, source, user_agent, prev_login_at, failed_since, temp_password_id)
		VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9)`,
		hash, n.UserID, db.Millis(now), db.Millis(now.Add(s.MaxAge)), n.Source, ua, prev, n.FailedSince, temp)
	return plain, err
}

// lookupQuery reads a session and its user in one round trip: it runs on every request.
var lookupQuery = `SELECT ` + account.Columns("u") + `, s.created_at, s.last_seen_at, s.expires_at, s.prev_login_at, s.failed_since, s.temp_password_id
	FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`

// Lookup returns the session of a cookie token with its user, enforcing the idle and
// absolute timeouts, and deleting a session found expired.
func (s *Sessions) Lookup(ctx context.Context, plain string) (Session, error) {
	if plain == "" || len(plain) > 100 {
		return Session{}, ErrNoSession
	}
	hash := password.HashToken(plain)
	var sess Session
	var created, seen, expires int64
	var prev, temp sql.NullInt64
	u, err := account.ScanUser(s.DB.Q(ctx).QueryRowContext(ctx, lookupQuery, hash),
		&created, &seen, &expires, &prev, &sess.FailedSince, &temp)
	if errors.Is(err, account.ErrNotFound) {
		return sess, ErrNoSession
	}
	if err != nil {
		return sess, err
	}
	userID := u.ID
	now := s.Now()
	if now.UnixMilli() >= expires || now.Sub(db.Time(seen)) >= s.IdleTimeout {
		_ = s.Delete(ctx, plain)
		return sess, ErrNoSession
	}
	sess.User = u
	if sess.User.Status != account.Active {
		_ = s.DeleteUser(ctx, userID)
		return sess, ErrNoSession
	}
	if now.Sub(db.Time(seen)) >= touchEvery {
		if _, err := s.DB.Q(ctx).ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`,
			db.Millis(now), hash); err != nil {
			return sess, err
		}
		seen = db.Millis(now)
	}
	sess.TempPasswordID = temp.Int64
	sess.TokenHash, sess.CreatedAt, sess.LastSeenAt, sess.PrevLoginAt = hash, db.Time(created), db.Time(seen), db.NullTime(prev)
	return sess, nil
}

// Delete ends one session (Log Keluar).
func (s *Sessions) Delete(ctx context.Context, plain string) error {
	_, err := s.DB.Q(ctx).ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, password.HashToken(plain))
	return err
}

// DeleteUser ends every session of a user (password change, suspension, role change).
func (s *Sessions) DeleteUser(ctx context.Context, userID int64) error {
	_, err := s.DB.Q(ctx).ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

// Renew ends every session of the session's user and starts a new, unrestricted one
// carrying the same login facts: the token changes at a privilege change (a forced or
// temporary-password change completed), and every other browser is logged out.
func (s *Sessions) Renew(ctx context.Context, old Session, source, userAgent string) (string, error) {
	if err := s.DeleteUser(ctx, old.User.ID); err != nil {
		return "", err
	}
	return s.Create(ctx, NewSession{UserID: old.User.ID, Source: source, UserAgent: userAgent,
		PrevLoginAt: old.PrevLoginAt, FailedSince: old.FailedSince})
}

// Prune deletes expired sessions.
func (s *Sessions) Prune(ctx context.Context) error {
	now := s.Now()
	_, err := s.DB.Q(ctx).ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`,
		db.Millis(now), db.Millis(now.Add(-s.IdleTimeout)))
	return err
}
