package password

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Length limits, in Unicode code points after NFC normalisation.
const (
	// AbsoluteMinLength is the floor for Policy.MinLength. NIST SP 800-63B
	// requires at least 8 characters for a password used as a single
	// factor; configuration may raise the minimum but never lower it
	// below this. The bundled common-password list is filtered to entries
	// of at least this length for the same reason.
	AbsoluteMinLength = 8
	// DefaultMinLength is the minimum length of DefaultPolicy (ASVS 5.0
	// asks for at least 12 characters where passwords are the main factor).
	DefaultMinLength = 12
	// DefaultMaxLength is the maximum length of DefaultPolicy. ASVS asks
	// that at least 64 characters be allowed; 128 leaves room for long
	// passphrases while keeping the input bounded.
	DefaultMaxLength = 128
	// DefaultStateName is the state used by DefaultPolicy.
	DefaultStateName = "Negeri"
)

// PortalName is the name of the portal. Users are prone to building
// passwords from the name of the site they are on ("eSPEKS2024!"), and
// attackers try those first, so it is always a forbidden context word.
const PortalName = "eSPEKS"

// minContextWord is the shortest context word that is checked. A password
// "containing" a 1-3 character fragment of the user's details is not a
// meaningful signal and would refuse most passwords (imagine an e-mail
// "a@example.my"), so shorter words are ignored. This also matches the
// "each word of 4+ letters" rule for names.
const minContextWord = 4

// Violation codes. They are stable identifiers meant for translation
// lookups by the web layer; do not change them.
const (
	CodeTooShort      = "password.too_short"
	CodeTooLong       = "password.too_long"
	CodeCommon        = "password.common"
	CodeContext       = "password.context"
	CodeSameAsCurrent = "password.same"
)

// Violation is the error returned by Policy.Check when a password is
// refused. Code says why; Limit carries the relevant length limit for
// CodeTooShort and CodeTooLong (zero otherwise), for messages such as
// "at least 12 characters".
//
// A Violation never holds the password or the matched context word, so it
// is safe to log.
type Violation struct {
	Code  string
	Limit int
}

// Error implements error. It never contains the password.
func (v *Violation) Error() string {
	switch v.Code {
	case CodeTooShort:
		return fmt.Sprintf("password too short (minimum %d characters)", v.Limit)
	case CodeTooLong:
		return fmt.Sprintf("password too long (maximum %d characters)", v.Limit)
	case CodeCommon:
		return "password is too common"
	case CodeContext:
		return "password contains personal or site information"
	case CodeSameAsCurrent:
		return "password is the same as the current password"
	default:
		return "password refused: " + v.Code
	}
}

// Policy is the password acceptance policy. Use DefaultPolicy and adjust
// fields from configuration, then call Validate once at start-up.
type Policy struct {
	// MinLength and MaxLength bound the length in Unicode code points
	// after NFC normalisation.
	MinLength, MaxLength int
	// StateName is the name of the state the portal serves, e.g.
	// "Negeri Sembilan". Each word of 4+ letters is a forbidden context
	// word.
	StateName string
}

// DefaultPolicy returns the default policy: 12 to 128 characters, state
// name "Negeri".
func DefaultPolicy() Policy {
	return Policy{
		MinLength: DefaultMinLength,
		MaxLength: DefaultMaxLength,
		StateName: DefaultStateName,
	}
}

// Validate reports whether the policy is acceptable: MinLength must be at
// least AbsoluteMinLength and MaxLength at least MinLength. Call it when
// loading configuration so a bad setting stops start-up rather than
// silently weakening (or breaking) password changes.
func (p Policy) Validate() error {
	if p.MinLength < AbsoluteMinLength {
		return fmt.Errorf("password policy: MinLength %d is below the minimum of %d", p.MinLength, AbsoluteMinLength)
	}
	if p.MaxLength < p.MinLength {
		return fmt.Errorf("password policy: MaxLength %d is below MinLength %d", p.MaxLength, p.MinLength)
	}
	return nil
}

// Context carries what Check needs to know about the user to refuse
// passwords built from their own details.
type Context struct {
	// ID is the user's identification number, e.g. a MyKad number
	// "900101-14-5678". It is checked both as given and with dashes and
	// spaces removed.
	ID string
	// Name is the user's full name. Each word with 4+ letters and the
	// whole name with spaces removed are forbidden.
	Name string
	// Email is the user's e-mail address. Its local part (before the last
	// "@") is forbidden, and so are the 4+ character pieces of it
	// separated by ".", "_", "-" or "+".
	Email string
	// IsCurrent, if not nil, reports whether the candidate (already NFC
	// normalised) is the user's current password. Hasher.IsCurrentFunc
	// builds one from the stored hash. It is called last, because it is
	// expensive, and only if every other rule passed.
	IsCurrent func(candidate string) bool
}

// Normalize returns plain in Unicode Normalization Form C. Every function
// in this package that looks at a password normalises it first, so callers
// need not, but they may (it is idempotent).
func Normalize(plain string) string {
	return norm.NFC.String(plain)
}

// maxExpansion bounds how many bytes of input can normalise into one code
// point under NFC: a composed character's full canonical decomposition is at
// most 4 code points, each at most 4 UTF-8 bytes. It lets Check refuse an
// absurdly long input as too long before spending time normalising it.
const maxExpansion = 4 * utf8.UTFMax

// Check reports whether plain is acceptable as a new password for the user
// described by c. It returns nil, or a *Violation explaining the first rule
// that failed, in this order: length, common list, context words, current
// password.
//
// Check is defensive about an unvalidated Policy: it never accepts fewer
// than AbsoluteMinLength characters, and a MaxLength of zero or less means
// DefaultMaxLength.
func (p Policy) Check(plain string, c Context) error {
	minLen := max(p.MinLength, AbsoluteMinLength)
	maxLen := p.MaxLength
	if maxLen <= 0 {
		maxLen = DefaultMaxLength
	}

	// Cheap guard before normalising: no string longer than this can
	// normalise to maxLen code points or fewer.
	if len(plain) > maxLen*maxExpansion {
		return &Violation{Code: CodeTooLong, Limit: maxLen}
	}
	pw := Normalize(plain)
	n := utf8.RuneCountInString(pw)
	switch {
	case n < minLen:
		return &Violation{Code: CodeTooShort, Limit: minLen}
	case n > maxLen:
		return &Violation{Code: CodeTooLong, Limit: maxLen}
	}

	lower := strings.ToLower(pw)
	if isCommonLower(lower) {
		return &Violation{Code: CodeCommon}
	}
	for _, w := range contextWords(c, p.StateName) {
		if strings.Contains(lower, w) {
			return &Violation{Code: CodeContext}
		}
	}
	if c.IsCurrent != nil && c.IsCurrent(pw) {
		return &Violation{Code: CodeSameAsCurrent}
	}
	return nil
}

// contextWords returns the lower-cased, NFC-normalised words a password
// must not contain. Words shorter than minContextWord code points are
// dropped (see minContextWord).
func contextWords(c Context, state string) []string {
	var words []string
	add := func(w string) {
		w = strings.ToLower(Normalize(w))
		if utf8.RuneCountInString(w) >= minContextWord {
			words = append(words, w)
		}
	}

	add(PortalName)

	// ID: as typed, and without separators, so both "900101-14-5678" and
	// "900101145678" are caught.
	id := strings.TrimSpace(c.ID)
	add(id)
	add(strings.NewReplacer("-", "", " ", "").Replace(id))

	// Name: each word of 4+ letters, plus the whole name without spaces
	// ("ahmadzaki"). Words with punctuation ("o'brien", "a/l") are also
	// added with only their letters, as users tend to drop it.
	fields := strings.Fields(c.Name)
	for _, f := range fields {
		if letterCount(f) >= minContextWord {
			add(f)
			add(lettersOnly(f))
		}
	}
	add(strings.Join(fields, ""))

	// E-mail: the local part, and its pieces ("ahmad.zaki+espeks").
	if at := strings.LastIndexByte(c.Email, '@'); at > 0 {
		local := strings.TrimSpace(c.Email[:at])
		add(local)
		for _, piece := range strings.FieldsFunc(local, func(r rune) bool {
			return r == '.' || r == '_' || r == '-' || r == '+'
		}) {
			add(piece)
		}
	}

	// State: each word of 4+ letters ("negeri", "sembilan").
	for _, f := range strings.Fields(state) {
		if letterCount(f) >= minContextWord {
			add(f)
		}
	}
	return words
}

func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func lettersOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, s)
}

// AsViolation returns the *Violation in err's chain, if any. It is a
// convenience for handlers that translate Violation.Code.
func AsViolation(err error) (*Violation, bool) {
	var v *Violation
	ok := errors.As(err, &v)
	return v, ok
}
