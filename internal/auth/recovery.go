package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
)

// Recovery is PK 0106 Lupa Kata Laluan. Whatever is typed, the caller shows the same
// page; a temporary password goes only to the registered email, and only when the
// answer or the email matches. Wrong answers count toward the ID's lock like failed
// logins, and a successful reset (logging in with the temporary password) unlocks it.
type Recovery struct {
	Users        *account.Store
	Accounts     *account.Service
	Throttle     *Throttle
	Audit        *audit.Log
	Now          func() time.Time
	TTL          time.Duration
	QuestionStep bool // ESPEKS_RECOVERY_SECURITY_QUESTION
}

// Recovery methods the user chooses between.
const (
	ByAnswer = "jawapan"
	ByEmail  = "emel"
)

// ErrSourceBlocked means the address is answered 429 (too many failures).
var ErrSourceBlocked = errors.New("source blocked")

// Question returns the security question to show for a typed ID. An unknown ID gets a
// stand-in question chosen by a keyed hash of the ID, the same one every time, so the
// page looks alike for IDs that exist and IDs that do not.
func (r *Recovery) Question(ctx context.Context, typedID string) (string, error) {
	key, parsed := throttleKey(typedID)
	if parsed {
		u, err := r.Users.ByLoginID(ctx, key)
		if err == nil && u.SecurityQuestion != "" {
			return u.SecurityQuestion, nil
		}
		if err != nil && !errors.Is(err, account.ErrNotFound) {
			return "", err
		}
	}
	secret, err := r.Users.Secret(ctx, "recovery_question_key", func() string {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	})
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(key))
	n := binary.BigEndian.Uint32(m.Sum(nil))
	return account.SecurityQuestions[int(n%uint32(len(account.SecurityQuestions)))], nil
}

// Request is the PK 0106 form.
type Request struct {
	LoginID string
	Method  string // ByAnswer or ByEmail
	Answer  string
	Email   string
	Source  string
}

// Request checks the answer or email and, when it matches an active account, issues a
// temporary password. It returns nil whether or not anything was sent; only a blocked
// address is an error the page shows (429).
func (r *Recovery) Request(ctx context.Context, req Request) error {
	blocked, err := r.Throttle.SourceBlocked(ctx, req.Source)
	if err != nil {
		return err
	}
	if blocked {
		return ErrSourceBlocked
	}
	key, parsed := throttleKey(req.LoginID)
	var u account.User
	if parsed {
		if u, err = r.Users.ByLoginID(ctx, key); err != nil && !errors.Is(err, account.ErrNotFound) {
			return err
		}
	}
	until, err := r.Throttle.LockedUntil(ctx, key)
	if err != nil {
		return err
	}
	match, err := r.matches(ctx, u, req)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		// A locked ID gets nothing, but costs the same; the page says the same.
		return r.Throttle.FailSource(ctx, req.Source)
	}
	if match && u.Status == account.Active {
		return r.Accounts.IssueTemporaryPassword(ctx, u, r.TTL, req.Source)
	}
	// The temporary password's hash is work the matching path does; spend it here too.
	r.Accounts.Hasher.DummyVerify(ctx)
	return r.Throttle.DB.WithTx(ctx, func(ctx context.Context) error {
		if _, err := r.Throttle.Fail(ctx, key, req.Source); err != nil {
			return err
		}
		return r.Audit.Record(ctx, audit.Event{Type: audit.ResetFailed, Outcome: audit.Failure,
			SubjectID: u.ID, SubjectLogin: key, Source: req.Source, Detail: req.Method})
	})
}

// matches compares the answer (a hash verification) or the email. Both paths cost one
// verification, real or dummy, so timing tells nothing.
func (r *Recovery) matches(ctx context.Context, u account.User, req Request) (bool, error) {
	h := r.Accounts.Hasher
	if req.Method == ByAnswer && r.QuestionStep {
		if u.ID == 0 || u.SecurityAnswerHash == "" {
			h.DummyVerify(ctx)
			return false, nil
		}
		return h.Verify(ctx, u.SecurityAnswerHash, account.NormalizeAnswer(req.Answer))
	}
	h.DummyVerify(ctx)
	if req.Method != ByEmail || u.ID == 0 {
		return false, nil
	}
	typed := strings.ToLower(strings.TrimSpace(req.Email))
	return subtle.ConstantTimeCompare([]byte(typed), []byte(u.Email)) == 1, nil
}
