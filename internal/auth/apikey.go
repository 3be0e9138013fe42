package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/password"
)

// APIKey is a Pentadbir's key for the load API. The key itself is shown once, when it
// is made; only its SHA-256 is stored.
type APIKey struct {
	ID         int64
	Name       string
	Prefix     string
	CreatedBy  int64
	CreatorID  string // login ID of the Pentadbir who made it
	CreatedAt  time.Time
	RevokedAt  time.Time
	LastUsedAt time.Time
}

// APIKeys stores the keys.
type APIKeys struct {
	DB  *db.DB
	Now func() time.Time
}

const apiKeyPrefix = "espeks_"

// ErrBadKey means the key is unknown or revoked.
var ErrBadKey = errors.New("invalid API key")

// Create makes a key and returns it in full (the only time it is seen).
func (k *APIKeys) Create(ctx context.Context, name string, by int64) (string, error) {
	plain, _ := password.NewToken()
	key := apiKeyPrefix + plain
	_, err := k.DB.Q(ctx).ExecContext(ctx, `INSERT INTO api_keys (name, prefix, key_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
		name, key[:len(apiKeyPrefix)+6], password.HashToken(key), by, db.Millis(k.Now()))
	return key, err
}

// Revoke ends a key; it cannot be used again.
func (k *APIKeys) Revoke(ctx context.Context, id int64) error {
	res, err := k.DB.Q(ctx).ExecContext(ctx, `UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, db.Millis(k.Now()), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrBadKey
	}
	return nil
}

// Authenticate returns the live key matching a presented one, and records its use.
func (k *APIKeys) Authenticate(ctx context.Context, presented string) (APIKey, error) {
	if !strings.HasPrefix(presented, apiKeyPrefix) || len(presented) > 100 {
		return APIKey{}, ErrBadKey
	}
	var a APIKey
	var created int64
	err := k.DB.Q(ctx).QueryRowContext(ctx, `SELECT k.id, k.name, k.prefix, k.created_by, u.login_id, k.created_at
		FROM api_keys k JOIN users u ON u.id = k.created_by
		WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.role = 'PENTADBIR' AND u.status = 'AKTIF'`,
		password.HashToken(presented)).Scan(&a.ID, &a.Name, &a.Prefix, &a.CreatedBy, &a.CreatorID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrBadKey
	}
	if err != nil {
		return a, err
	}
	a.CreatedAt = db.Time(created)
	_, err = k.DB.Q(ctx).ExecContext(ctx, `UPDATE api_keys SET last_used_at = $1 WHERE id = $2`, db.Millis(k.Now()), a.ID)
	return a, err
}

// List returns every key, newest first.
func (k *APIKeys) List(ctx context.Context) ([]APIKey, error) {
	rows, err := k.DB.Q(ctx).QueryContext(ctx, `SELECT k.id, k.name, k.prefix, k.created_by, u.login_id, k.created_at, k.revoked_at, k.last_used_at
		FROM api_keys k JOIN users u ON u.id = k.created_by ORDER BY k.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIKey
	for rows.Next() {
		var a APIKey
		var created int64
		var revoked, used sql.NullInt64
		if err := rows.Scan(&a.ID, &a.Name, &a.Prefix, &a.CreatedBy, &a.CreatorID, &created, &revoked, &used); err != nil {
			return nil, err
		}
		a.CreatedAt, a.RevokedAt, a.LastUsedAt = db.Time(created), db.NullTime(revoked), db.NullTime(used)
		out = append(out, a)
	}
	return out, rows.Err()
}
