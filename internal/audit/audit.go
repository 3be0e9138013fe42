// Package audit owns the append-only audit log: who did what to whom, when, from where,
// and with what outcome. The database refuses UPDATE and DELETE on the table (see the
// first migration), so a record once written stays as written.
package audit

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/espeks/espeks/internal/db"
)

// Event types. They are stable strings: operators search and export them.
const (
	Login              = "login"
	LoginFailed        = "login.failed"
	Lockout            = "login.lockout"
	SourceBlocked      = "login.source_blocked"
	Logout             = "logout"
	Register           = "register"
	RegisterExisting   = "register.existing"
	Activate           = "account.activate"
	Reject             = "account.reject"
	PasswordChange     = "password.change"
	EmailConfirm       = "email.confirm"
	EmailChange        = "email.change"
	EmailChangeAsk     = "email.change_request"
	ProfileUpdate      = "profile.update"
	QuestionChange     = "question.change"
	ResetRequest       = "password.reset_request"
	ResetFailed        = "password.reset_failed"
	TempLogin          = "login.temporary"
	DataLoad           = "data.load"
	APIKeyCreate       = "apikey.create"
	APIKeyRevoke       = "apikey.revoke"
	AccountCheckFailed = "payment.account_check_failed"
	AdminCreate        = "admin.create"
	AdminTempPassword  = "admin.temp_password"
	Suspend            = "account.suspend"
	Reactivate         = "account.reactivate"
	Unlock             = "account.unlock"
	RoleChange         = "account.role"
	OutboxRetry        = "outbox.retry"
	AccessDenied       = "access.denied"
)

// Outcomes.
const (
	Success = "success"
	Failure = "failure"
)

// Event is one audit record.
type Event struct {
	ID           int64
	At           time.Time
	Type         string
	Outcome      string
	ActorID      int64 // 0 when no one is logged in
	ActorLogin   string
	SubjectID    int64 // 0 when the subject is not a known account
	SubjectLogin string
	Source       string // client address
	Detail       string
}

// Log writes and reads audit records.
type Log struct {
	DB  *db.DB
	Now func() time.Time
}

// Record appends e. Inside a transaction (db.WithTx) it commits or rolls back with the
// change it describes, so the log never claims something that did not happen.
func (l *Log) Record(ctx context.Context, e Event) error {
	if e.Outcome == "" {
		e.Outcome = Success
	}
	_, err := l.DB.Q(ctx).ExecContext(ctx, `
		INSERT INTO audit_log (at, event, outcome, actor_id, actor_login, subject_id, subject_login, source, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		db.Millis(l.Now()), e.Type, e.Outcome, nullID(e.ActorID), clean(e.ActorLogin, 64),
		nullID(e.SubjectID), clean(e.SubjectLogin, 64), clean(e.Source, 64), clean(e.Detail, 500))
	return err
}

// ForSubject returns the newest records about one account (the user's own security view).
func (l *Log) ForSubject(ctx context.Context, userID int64, limit int) ([]Event, error) {
	return l.query(ctx, `WHERE subject_id = $1 ORDER BY id DESC LIMIT $2`, userID, limit)
}

// CountSince counts records of one type about a login ID after an instant: the failed
// attempts since the last successful login shown on the home page.
func (l *Log) CountSince(ctx context.Context, event, subjectLogin string, since time.Time) (int, error) {
	var n int
	err := l.DB.Q(ctx).QueryRowContext(ctx,
		`SELECT COUNT(*) FROM audit_log WHERE event = $1 AND subject_login = $2 AND at > $3`,
		event, subjectLogin, db.Millis(since)).Scan(&n)
	return n, err
}

// Filter selects records for the Pentadbir search.
type Filter struct {
	Event   string
	Subject string // login ID, exact
	Limit   int
}

// Search returns the newest records matching f.
func (l *Log) Search(ctx context.Context, f Filter) ([]Event, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return l.query(ctx, `WHERE ($1 = '' OR event = $1) AND ($2 = '' OR subject_login = $2) ORDER BY id DESC LIMIT $3`,
		f.Event, f.Subject, f.Limit)
}

func (l *Log) query(ctx context.Context, where string, args ...any) ([]Event, error) {
	rows, err := l.DB.Q(ctx).QueryContext(ctx, `
		SELECT id, at, event, outcome, actor_id, actor_login, subject_id, subject_login, source, detail
		FROM audit_log `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at int64
		var actor, subject sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &e.Type, &e.Outcome, &actor, &e.ActorLogin, &subject, &e.SubjectLogin, &e.Source, &e.Detail); err != nil {
			return nil, err
		}
		e.At, e.ActorID, e.SubjectID = db.Time(at), actor.Int64, subject.Int64
		out = append(out, e)
	}
	return out, rows.Err()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// clean bounds a value's length and escapes control characters, so a crafted login ID
// cannot forge lines in a log viewer or CSV export [ASVS 16.4.1].
func clean(s string, max int) string {
	if len(s) > max {
		s = s[:max]
	}
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return strings.ToValidUTF8(s, "?")
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "?") {
		if unicode.IsControl(r) {
			b.WriteString(strings.Trim(strconv.QuoteRuneToASCII(r), "'"))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
