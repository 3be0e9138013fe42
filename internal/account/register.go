package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/identity"
	"github.com/espeks/espeks/internal/password"
)

// SecurityQuestions are the keys of the questions a user may choose (PK 0101); their
// text is in the catalogues as "question.<key>".
var SecurityQuestions = []string{"ibu", "sekolah", "haiwan", "kawan", "makanan", "bandar"}

// Registration is the PK 0101 form exactly as typed. Only these fields exist, so a
// request cannot set a role, status or anything else (no mass assignment).
type Registration struct {
	UserType   string
	LoginID    string
	Name       string
	Email      string
	Phone      string
	Department string
	StaffNo    string
	Question   string
	Answer     string
	Password   string
	Confirm    string
}

// confirmEmailTTL is how long the link in the acknowledgement email works.
const confirmEmailTTL = 7 * 24 * time.Hour

// Register validates r whole and, when valid, creates the account as Menunggu
// Pengesahan and queues the acknowledgement email in the same transaction. A login ID
// that already exists gets the same outcome for the caller (nil), while its owner is
// emailed instead: the public never learns whether an ID is registered.
func (s *Service) Register(ctx context.Context, r Registration, source string) error {
	u, errs := s.validateRegistration(r)
	// An invalid form says what is wrong and reveals nothing about other accounts. A
	// valid one always pays for both hashes, existing ID or not, so the response time
	// does not tell them apart.
	if len(errs) > 0 {
		return errs
	}
	var err error
	if u.PasswordHash, err = s.Hasher.Hash(ctx, r.Password); err != nil {
		return err
	}
	if u.SecurityAnswerHash, err = s.Hasher.Hash(ctx, NormalizeAnswer(r.Answer)); err != nil {
		return err
	}
	now := s.Now()
	err = s.DB.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.Store.ByLoginID(ctx, u.LoginID); err == nil {
			return s.registrationExists(ctx, u.LoginID, source)
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := s.Store.insert(ctx, &u, now); err != nil {
			return err
		}
		link, err := s.newEmailToken(ctx, u.ID, purposeConfirmRegistration, u.Email, now.Add(confirmEmailTTL))
		if err != nil {
			return err
		}
		if err := s.Audit.Record(ctx, audit.Event{Type: audit.Register, SubjectID: u.ID, SubjectLogin: u.LoginID,
			Source: source, Detail: string(u.Type)}); err != nil {
			return err
		}
		return s.Outbox.Enqueue(ctx, u.Email, "registration_received", s.mailData(u, "Link", link))
	})
	if errors.Is(err, ErrExists) {
		// Another registration of the same ID committed between the check and the
		// insert: answer as for any existing ID.
		err = s.DB.WithTx(ctx, func(ctx context.Context) error { return s.registrationExists(ctx, u.LoginID, source) })
	}
	if err == nil {
		s.Outbox.Notify()
	}
	return err
}

// registrationExists runs inside Register's transaction: the existing owner is told
// someone tried to register their ID; nothing else changes.
func (s *Service) registrationExists(ctx context.Context, loginID, source string) error {
	owner, err := s.Store.ByLoginID(ctx, loginID)
	if err != nil {
		return err
	}
	if err := s.Audit.Record(ctx, audit.Event{Type: audit.RegisterExisting, Outcome: audit.Failure,
		SubjectID: owner.ID, SubjectLogin: owner.LoginID, Source: source}); err != nil {
		return err
	}
	return s.Outbox.Enqueue(ctx, owner.Email, "registration_exists", s.mailData(owner))
}

var (
	staffNoPattern = regexp.MustCompile(`^[A-Z0-9/-]{1,20}$`)
	phonePattern   = regexp.MustCompile(`^(\+?60|0)[1-9][0-9]{7,9}$`)
)

// validateRegistration checks every field at once and returns the account to create.
func (s *Service) validateRegistration(r Registration) (User, i18n.FieldErrors) {
	errs := i18n.FieldErrors{}
	u := User{Role: RoleUser, Status: Pending, Type: UserType(r.UserType)}
	if u.Type != Staff && u.Type != Supplier {
		errs.Add("user_type", i18n.Msg("form.user_type.required"))
	}

	var id identity.Number
	var err error
	switch {
	case strings.TrimSpace(r.LoginID) == "":
		errs.Add("login_id", i18n.Msg("form.required"))
	case u.Type == Supplier:
		id, err = identity.ParseAt(r.LoginID, s.Now())
	default: // staff always log in with No. KP
		id, err = identity.ParseMyKadAt(r.LoginID, s.Now())
	}
	if err != nil {
		errs.Add("login_id", identityMessage(err))
	} else if !id.IsZero() {
		u.LoginID = id.String()
		u.IDKind = "MYKAD"
		if id.Kind() == identity.KindSSM {
			u.IDKind = "SSM"
		}
	}

	u.Name = CleanText(r.Name)
	checkText(errs, "name", u.Name, 150)

	u.Email, err = NormalizeEmail(r.Email)
	if err != nil {
		errs.Add("email", i18n.Msg(err.Error()))
	}

	u.Phone = NormalizePhone(r.Phone)
	switch {
	case u.Phone == "":
		errs.Add("phone", i18n.Msg("form.required"))
	case !phonePattern.MatchString(u.Phone):
		errs.Add("phone", i18n.Msg("form.phone.invalid"))
	}

	if u.Type == Staff {
		u.Department = CleanText(r.Department)
		checkText(errs, "department", u.Department, 150)
		u.StaffNo = strings.ToUpper(strings.TrimSpace(r.StaffNo))
		switch {
		case u.StaffNo == "":
			errs.Add("staff_no", i18n.Msg("form.required"))
		case !staffNoPattern.MatchString(u.StaffNo):
			errs.Add("staff_no", i18n.Msg("form.staff_no.invalid"))
		}
	}

	u.SecurityQuestion = r.Question
	if !slices.Contains(SecurityQuestions, r.Question) {
		errs.Add("question", i18n.Msg("form.question.required"))
	}
	checkAnswer(errs, "answer", r.Answer)

	s.checkNewPassword(errs, "password", "confirm", r.Password, r.Confirm, password.Context{
		ID: u.LoginID, Name: u.Name, Email: u.Email,
	})
	return u, errs
}

// checkNewPassword applies the password policy and the confirmation match.
func (s *Service) checkNewPassword(errs i18n.FieldErrors, field, confirmField, plain, confirm string, c password.Context) {
	if plain == "" {
		errs.Add(field, i18n.Msg("form.required"))
	} else if err := s.Policy.Check(plain, c); err != nil {
		var v *password.Violation
		if errors.As(err, &v) {
			errs.Add(field, i18n.Msg(v.Code, "Limit", v.Limit))
		} else {
			errs.Add(field, i18n.Msg("password.invalid"))
		}
	}
	if confirm == "" {
		errs.Add(confirmField, i18n.Msg("form.required"))
	} else if plain != "" && confirm != plain {
		errs.Add(confirmField, i18n.Msg("form.confirm.mismatch"))
	}
}

func checkText(errs i18n.FieldErrors, field, v string, max int) {
	switch {
	case v == "":
		errs.Add(field, i18n.Msg("form.required"))
	case utf8.RuneCountInString(v) > max:
		errs.Add(field, i18n.Msg("form.too_long", "Max", max))
	}
}

func checkAnswer(errs i18n.FieldErrors, field, answer string) {
	n := utf8.RuneCountInString(NormalizeAnswer(answer))
	switch {
	case n == 0:
		errs.Add(field, i18n.Msg("form.required"))
	case n < 3:
		errs.Add(field, i18n.Msg("form.answer.short"))
	case n > 100:
		errs.Add(field, i18n.Msg("form.too_long", "Max", 100))
	}
}

func identityMessage(err error) i18n.Message {
	var e identity.Error
	if errors.As(err, &e) {
		return i18n.Msg(e.Code)
	}
	return i18n.Msg(identity.CodeFormat)
}

// CleanText trims a free-text field, folds runs of white space and drops control
// characters, so names print cleanly on statements and cannot forge log lines.
func CleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	return strings.Join(strings.Fields(s), " ")
}

// NormalizeAnswer makes a security answer comparable however it is typed later:
// NFC, lower case, single spaces.
func NormalizeAnswer(s string) string {
	return strings.ToLower(CleanText(password.Normalize(s)))
}

// NormalizePhone keeps the digits and a leading plus of a phone number.
func NormalizePhone(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return s // leave it as typed so it fails validation visibly
		}
	}
	return b.String()
}

// NormalizeEmail checks an address and returns it lower-cased. The error's text is a
// catalogue message ID.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("form.required")
	}
	if len(s) > 254 {
		return s, errors.New("form.email.invalid")
	}
	a, err := mail.ParseAddress(s)
	// Only a bare address is accepted: no display names, comments or routes.
	if err != nil || a.Address != s || a.Name != "" {
		return s, errors.New("form.email.invalid")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || strings.ContainsAny(s, " \"") {
		return s, errors.New("form.email.invalid")
	}
	return strings.ToLower(s), nil
}

func (s *Service) mailData(u User, kv ...any) map[string]any {
	m := map[string]any{
		"Name":      u.Name,
		"LoginID":   displayID(u),
		"StateName": s.StateName,
		"BaseURL":   s.BaseURL,
		"When":      s.Now().In(malaysia).Format("02/01/2006 15:04"),
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// malaysia is Malaysian time (UTC+8, no daylight saving) for times shown to people. A
// fixed zone needs no tz database on the server.
var malaysia = time.FixedZone("MYT", 8*3600)

// Malaysia returns the zone times are shown in.
func Malaysia() *time.Location { return malaysia }

func displayID(u User) string {
	var n identity.Number
	var err error
	if u.IDKind == "SSM" {
		n, err = identity.ParseSSM(u.LoginID)
	} else {
		n, err = identity.ParseMyKad(u.LoginID)
	}
	if err != nil {
		return u.LoginID
	}
	return n.Display()
}

// FormatID formats a stored (normalised) identity number with its dashes.
func FormatID(id string) string {
	if n, err := identity.Parse(id); err == nil {
		return n.Display()
	}
	return id
}

// DisplayID is the login ID formatted the way people write it (with dashes).
func DisplayID(u User) string { return displayID(u) }
