package account

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/db"
)

// UserType is what the person is to the state: staff or supplier.
type UserType string

const (
	Staff    UserType = "KAKITANGAN"
	Supplier UserType = "PEMBEKAL"
)

// Status is where an account is in its life.
type Status string

const (
	Pending   Status = "MENUNGGU"  // Menunggu Pengesahan: registered, not yet activated
	Active    Status = "AKTIF"     // may log in
	Rejected  Status = "DITOLAK"   // a Pentadbir refused the registration
	Suspended Status = "DIGANTUNG" // a Pentadbir suspended the account
)

// Role decides the menus and what a session may do.
type Role string

const (
	RoleUser  Role = "PENGGUNA"
	RoleAdmin Role = "PENTADBIR"
)

// User is one account.
type User struct {
	ID                 int64
	LoginID            string // normalised No. KP or SSM number
	IDKind             string // MYKAD or SSM
	Type               UserType
	Role               Role
	Status             Status
	Name               string
	Email              string
	Phone              string
	Department         string
	StaffNo            string
	SecurityQuestion   string
	SecurityAnswerHash string
	PasswordHash       string
	MustChangePassword bool
	EmailConfirmedAt   time.Time
	RejectionReason    string
	CreatedAt          time.Time
	LastLoginAt        time.Time
	NotifyEmail        bool // opted in to an email when statements are loaded
	PDFEncrypt         bool // statement PDFs encrypted with the login ID as password
	InData             bool // (pending list only) the ID appears in loaded payroll or payment data
}

// IsAdmin reports whether u has the Pentadbir role.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// ErrNotFound is returned when no account matches; the web layer answers 404.
var ErrNotFound = errors.New("account not found")

// ErrExists is returned when the login ID is already registered.
var ErrExists = errors.New("account exists")

// Store reads and writes accounts.
type Store struct{ DB *db.DB }

const userColumns = `id, login_id, id_kind, user_type, role, status, name, email, phone, department,
	staff_no, security_question, security_answer_hash, password_hash, must_change_password,
	email_confirmed_at, rejection_reason, created_at, last_login_at, notify_email, pdf_encrypt`

// Columns is the user columns qualified by a table alias, for a query that joins users
// to the table it starts from (the session lookup reads both in one round trip).
func Columns(alias string) string {
	cols := strings.Split(userColumns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// ScanUser scans a row of Columns followed by the extra destinations.
func ScanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	return scanUser(row, extra...)
}

func scanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	var confirmed, last sql.NullInt64
	var created int64
	dest := append([]any{&u.ID, &u.LoginID, &u.IDKind, &u.Type, &u.Role, &u.Status, &u.Name, &u.Email,
		&u.Phone, &u.Department, &u.StaffNo, &u.SecurityQuestion, &u.SecurityAnswerHash,
		&u.PasswordHash, &u.MustChangePassword, &confirmed, &u.RejectionReason, &created, &last, &u.NotifyEmail, &u.PDFEncrypt}, extra...)
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	u.EmailConfirmedAt, u.LastLoginAt, u.CreatedAt = db.NullTime(confirmed), db.NullTime(last), db.Time(created)
	return u, err
}

// ByLoginID finds an account by its normalised login ID.
func (s *Store) ByLoginID(ctx context.Context, loginID string) (User, error) {
	return scanUser(s.DB.Q(ctx).QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE login_id = $1`, loginID))
}

// ByID finds an account by its internal ID.
func (s *Store) ByID(ctx context.Context, id int64) (User, error) {
	return scanUser(s.DB.Q(ctx).QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
}

// insert creates u and sets its ID. ErrExists when the login ID is taken.
func (s *Store) insert(ctx context.Context, u *User, now time.Time) error {
	err := s.DB.Q(ctx).QueryRowContext(ctx, `
		INSERT INTO users (login_id, id_kind, user_type, role, status, name, email, phone, department,
			staff_no, security_question, security_answer_hash, password_hash, must_change_password,
			created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
		RETURNING id`,
		u.LoginID, u.IDKind, u.Type, u.Role, u.Status, u.Name, u.Email, u.Phone, u.Department,
		u.StaffNo, u.SecurityQuestion, u.SecurityAnswerHash, u.PasswordHash, u.MustChangePassword,
		db.Millis(now)).Scan(&u.ID)
	if db.IsUniqueViolation(err) {
		return ErrExists
	}
	return err
}

// PendingFilter selects registrations for the Pentadbir's list.
type PendingFilter struct {
	Query  string // part of the ID, name or email
	Limit  int
	Offset int
}

// ListPending returns registrations waiting for a decision, oldest first (first come,
// first served), and how many match in all.
func (s *Store) ListPending(ctx context.Context, f PendingFilter) ([]User, int, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	like := "%" + escapeLike(strings.ToLower(strings.TrimSpace(f.Query))) + "%"
	// Searching by ID also matches what was typed with dashes.
	likeID := "%" + escapeLike(strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(f.Query)))) + "%"
	const where = ` FROM users WHERE status = 'MENUNGGU'
		AND (login_id LIKE $1 ESCAPE '\' OR LOWER(name) LIKE $2 ESCAPE '\' OR LOWER(email) LIKE $2 ESCAPE '\')`
	var total int
	if err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*)`+where, likeID, like).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT `+userColumns+`,
		EXISTS (SELECT 1 FROM payslips p WHERE p.ic_no = users.login_id) OR
		EXISTS (SELECT 1 FROM payments m WHERE m.payee_id = users.login_id)`+where+` ORDER BY created_at, id LIMIT $3 OFFSET $4`,
		likeID, like, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var inData bool
		u, err := scanUser(scanExtra{rows, &inData})
		if err != nil {
			return nil, 0, err
		}
		u.InData = inData
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// CountByStatus returns how many accounts are in a status (for the dashboard).
func (s *Store) CountByStatus(ctx context.Context, st Status) (int, error) {
	var n int
	err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE status = $1`, st).Scan(&n)
	return n, err
}

// RecordLogin stores the instant and source of a successful login.
func (s *Store) RecordLogin(ctx context.Context, id int64, at time.Time, source string) error {
	_, err := s.DB.Q(ctx).ExecContext(ctx, `UPDATE users SET last_login_at = $1, last_login_ip = $2 WHERE id = $3`,
		db.Millis(at), source, id)
	return err
}

// SetPasswordHash replaces the stored hash (a rehash with stronger parameters at login).
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	_, err := s.DB.Q(ctx).ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, id)
	return err
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Secret returns the installation's random value of that name, creating it on first use.
// Concurrent first uses on several processes agree: only one insert wins.
func (s *Store) Secret(ctx context.Context, name string, generate func() string) (string, error) {
	if _, err := s.DB.Q(ctx).ExecContext(ctx,
		`INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, generate()); err != nil {
		return "", err
	}
	var v string
	err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v)
	return v, err
}

// scanExtra scans a user row followed by extra columns.
type scanExtra struct {
	row   interface{ Scan(...any) error }
	extra *bool
}

func (s scanExtra) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra)...) }
