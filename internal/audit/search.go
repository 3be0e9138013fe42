package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/db"
)

// Types lists every event type, in the order the Pentadbir's search offers them.
var Types = []string{
	Login, LoginFailed, Lockout, SourceBlocked, TempLogin, Logout,
	Register, RegisterExisting, Activate, Reject, Suspend, Reactivate, Unlock, RoleChange,
	PasswordChange, ResetRequest, ResetFailed, AdminTempPassword,
	EmailConfirm, EmailChange, EmailChangeAsk, ProfileUpdate, QuestionChange,
	DataLoad, APIKeyCreate, APIKeyRevoke, AccountCheckFailed, OutboxRetry,
	AdminCreate, AccessDenied,
}

// IsType reports whether t is a known event type.
func IsType(t string) bool {
	for _, k := range Types {
		if k == t {
			return true
		}
	}
	return false
}

// Query selects records for the Pentadbir's audit log page and its CSV export. Empty
// fields match everything.
type Query struct {
	Actor   string    // the actor's login ID, exact (normalised by NormalizeLogin)
	Subject string    // the subject's login ID, exact
	Event   string    // one event type
	From    time.Time // records at or after this instant
	Until   time.Time // records strictly before this instant
	Limit   int       // Find only: page size (default 50, at most 500)
	Offset  int       // Find only
}

// NormalizeLogin folds a login ID as typed ("850101-14-5123", "123456-a") to the form
// records carry: letters and digits only, upper case. The login throttle folds unknown
// IDs the same way, so failed attempts on them are found too.
func NormalizeLogin(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			return r
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return -1
	}, s)
}

// where builds the WHERE clause of q with numbered parameters; the same SQL runs on
// SQLite and PostgreSQL.
func (q Query) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if q.Actor != "" {
		add("actor_login = $%d", q.Actor)
	}
	if q.Subject != "" {
		add("subject_login = $%d", q.Subject)
	}
	if q.Event != "" {
		add("event = $%d", q.Event)
	}
	if !q.From.IsZero() {
		add("at >= $%d", db.Millis(q.From))
	}
	if !q.Until.IsZero() {
		add("at < $%d", db.Millis(q.Until))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return "WHERE " + strings.Join(conds, " AND ") + " ", args
}

// Find returns one page of the records matching q, newest first, and how many match in
// all.
func (l *Log) Find(ctx context.Context, q Query) ([]Event, int, error) {
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	q.Offset = max(q.Offset, 0)
	where, args := q.where()
	var total int
	if err := l.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	n := len(args)
	events, err := l.query(ctx, fmt.Sprintf(`%sORDER BY id DESC LIMIT $%d OFFSET $%d`, where, n+1, n+2),
		append(args, q.Limit, q.Offset)...)
	return events, total, err
}

// Each calls fn for every record matching q, newest first, without holding them all in
// memory (the CSV export). Limit and Offset are ignored.
func (l *Log) Each(ctx context.Context, q Query, fn func(Event) error) error {
	where, args := q.where()
	rows, err := l.DB.Q(ctx).QueryContext(ctx, `
		SELECT id, at, event, outcome, actor_id, actor_login, subject_id, subject_login, source, detail
		FROM audit_log `+where+`ORDER BY id DESC`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanEvent reads one row of the columns Each selects.
func scanEvent(rows *sql.Rows) (Event, error) {
	var e Event
	var at int64
	var actor, subject sql.NullInt64
	if err := rows.Scan(&e.ID, &at, &e.Type, &e.Outcome, &actor, &e.ActorLogin, &subject, &e.SubjectLogin, &e.Source, &e.Detail); err != nil {
		return e, err
	}
	e.At, e.ActorID, e.SubjectID = db.Time(at), actor.Int64, subject.Int64
	return e, nil
}
