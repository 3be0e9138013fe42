package account

import (
	"context"
	"time"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/password"
)

// IssueTemporaryPassword makes a fresh temporary password for u (PK 0106), replacing any
// earlier unused one, and emails it to the registered address only. The account itself
// is not changed: the current password keeps working until the temporary one is used.
func (s *Service) IssueTemporaryPassword(ctx context.Context, u User, ttl time.Duration, source string) error {
	plain := password.GenerateTemporary()
	hash, err := s.Hasher.Hash(ctx, plain)
	if err != nil {
		return err
	}
	now := s.Now()
	err = s.DB.WithTx(ctx, func(ctx context.Context) error {
		q := s.DB.Q(ctx)
		if _, err := q.ExecContext(ctx, `DELETE FROM temp_passwords WHERE user_id = $1 AND used_at IS NULL`, u.ID); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO temp_passwords (user_id, hash, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			u.ID, hash, db.Millis(now), db.Millis(now.Add(ttl))); err != nil {
			return err
		}
		if err := s.Audit.Record(ctx, audit.Event{Type: audit.ResetRequest, SubjectID: u.ID, SubjectLogin: u.LoginID, Source: source}); err != nil {
			return err
		}
		return s.Outbox.Enqueue(ctx, u.Email, "temporary_password", s.mailData(u,
			"TempPassword", plain, "ExpiresMinutes", int(ttl/time.Minute)))
	})
	if err == nil {
		s.Outbox.Notify()
	}
	return err
}

// MatchTemporaryPassword returns the ID of u's live temporary password equal to plain
// (0 when none matches). It does not use it: see UseTemporaryPassword.
func (s *Service) MatchTemporaryPassword(ctx context.Context, u User, plain string) (int64, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx,
		`SELECT id, hash FROM temp_passwords WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY id DESC LIMIT 3`,
		u.ID, db.Millis(s.Now()))
	if err != nil {
		return 0, err
	}
	type cand struct {
		id   int64
		hash string
	}
	var cands []cand
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.id, &c.hash); err != nil {
			rows.Close()
			return 0, err
		}
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, c := range cands {
		ok, err := s.Hasher.Verify(ctx, c.hash, plain)
		if err != nil {
			return 0, err
		}
		if ok {
			return c.id, nil
		}
	}
	return 0, nil
}

// UseTemporaryPassword marks a temporary password used; false when another login used
// it first (single use holds even for two logins at the same instant).
func (s *Service) UseTemporaryPassword(ctx context.Context, id int64) (bool, error) {
	res, err := s.DB.Q(ctx).ExecContext(ctx,
		`UPDATE temp_passwords SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND expires_at > $1`, db.Millis(s.Now()), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// temporaryHash is the hash of a temporary password of u, used or not: the session it
// opened types it again as "Kata Laluan Semasa" when changing the password.
func (s *Service) temporaryHash(ctx context.Context, u User, id int64) (string, error) {
	var h string
	err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT hash FROM temp_passwords WHERE id = $1 AND user_id = $2`, id, u.ID).Scan(&h)
	return h, err
}
