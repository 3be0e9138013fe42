package identity

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Kind says which register an identity number belongs to.
type Kind uint8

// The zero Kind belongs to the zero Number only; every parsed Number has one
// of these.
const (
	KindMyKad Kind = iota + 1 // Malaysian identity card number (No. KP), issued by JPN
	KindSSM                   // company or business registration number, issued by SSM
)

// String returns a short lower-case name for logs ("mykad", "ssm").
func (k Kind) String() string {
	switch k {
	case KindMyKad:
		return "mykad"
	case KindSSM:
		return "ssm"
	}
	return "unknown"
}

// Number is a validated, normalised identity number. The zero value is not a
// valid number (its Kind is 0 and IsZero reports true). Numbers are
// comparable with ==.
type Number struct {
	kind Kind
	s    string // normalised: [0-9A-Z] only
}

// Kind reports whether n is a MyKad or an SSM number.
func (n Number) Kind() Kind { return n.kind }

// IsZero reports whether n is the zero Number, i.e. not the result of a
// successful parse.
func (n Number) IsZero() bool { return n.kind == 0 }

// String returns the normalised form: digits and upper-case letters only,
// without dashes or spaces. This is the form to store and compare.
//
// A 12-digit string can be both a valid MyKad and a valid new-format SSM
// number, so store Kind alongside it when the kind matters; Parse on its own
// resolves such strings as MyKad.
func (n Number) String() string { return n.s }

// Display returns the conventional formatted form: YYMMDD-PB-###G for MyKad,
// the 12 digits as they are for new SSM numbers, and the digits, a dash and
// the check letter for old SSM numbers (123456-A, 001234567-X, JM0123456-X).
func (n Number) Display() string {
	switch {
	case n.kind == KindMyKad:
		return n.s[:6] + "-" + n.s[6:8] + "-" + n.s[8:]
	case n.kind == KindSSM && !allDigits(n.s):
		return n.s[:len(n.s)-1] + "-" + n.s[len(n.s)-1:]
	}
	return n.s
}

// Parse is ParseAt with the current time.
func Parse(s string) (Number, error) { return ParseAt(s, time.Now()) }

// ParseMyKad is ParseMyKadAt with the current time.
func ParseMyKad(s string) (Number, error) { return ParseMyKadAt(s, time.Now()) }

// ParseSSM is ParseSSMAt with the current time.
func ParseSSM(s string) (Number, error) { return ParseSSMAt(s, time.Now()) }

// ParseAt parses either kind of identity number. Surrounding white space is
// trimmed, dashes and spaces anywhere are ignored and letters may be in
// either case.
//
// Twelve digits can be read both as a MyKad (YYMMDDPB####) and as a new SSM
// number (YYYYTTNNNNNN). ParseAt prefers MyKad: the input is a MyKad when its
// first six digits are a real birth date and digits 7–8 a JPN place-of-birth
// code, and only otherwise a new SSM number. People far outnumber suppliers
// among users, and a caller that knows which kind it expects should use
// ParseMyKadAt or ParseSSMAt instead.
//
// If the input is neither, the error is the MyKad one (CodeDate or
// CodePlace) for 12 digits, since that is most likely a mistyped MyKad, and
// CodeFormat (or CodeEmpty) otherwise.
func ParseAt(s string, now time.Time) (Number, error) {
	c, err := normalise(s)
	if err != nil {
		return Number{}, err
	}
	mykadErr := checkMyKad(c, now)
	if mykadErr == nil {
		return Number{KindMyKad, c}, nil
	}
	if checkSSM(c, now) == nil {
		return Number{KindSSM, c}, nil
	}
	// checkMyKad returns CodeFormat for anything that is not 12 digits, so
	// this is exactly the rule documented above.
	return Number{}, mykadErr
}

// ParseMyKadAt parses a MyKad number: 12 digits YYMMDD-PB-###G, where YYMMDD
// is a birth date on or before now's calendar date (in now's location) in
// the 1900s or 2000s, and PB a place-of-birth code assigned by JPN.
//
// Input that is not a valid MyKad but is a valid SSM number fails with
// CodeNotMyKad, so that a supplier typing a company number into a MyKad
// field is told so rather than being told the date is wrong.
func ParseMyKadAt(s string, now time.Time) (Number, error) {
	c, err := normalise(s)
	if err != nil {
		return Number{}, err
	}
	if err := checkMyKad(c, now); err != nil {
		if checkSSM(c, now) == nil {
			return Number{}, Error{CodeNotMyKad}
		}
		return Number{}, err
	}
	return Number{KindMyKad, c}, nil
}

// ParseSSMAt parses an SSM registration number in any of its formats:
//
//   - new (since 2019): 12 digits YYYYTTNNNNNN, YYYY the registration year
//     from 1900 to now's year, TT the entity type (01 local company, 02
//     foreign company, 03 business, 04 local LLP, 05 foreign LLP, 06
//     professional LLP), NNNNNN a serial number that is not all zeros;
//   - old company: 1 to 7 digits and a check letter, e.g. 123456-A;
//   - old business: 9 digits, or 2 letters and 7 digits, then a check
//     letter, e.g. 001234567-X, JM0123456-X.
//
// Leading zeros are kept: they are part of the number as printed on SSM
// documents. The check letter is not verified because SSM has not published
// how it is computed. Input that is not a valid SSM number but is a valid
// MyKad fails with CodeNotSSM.
func ParseSSMAt(s string, now time.Time) (Number, error) {
	c, err := normalise(s)
	if err != nil {
		return Number{}, err
	}
	if err := checkSSM(c, now); err != nil {
		if checkMyKad(c, now) == nil {
			return Number{}, Error{CodeNotSSM}
		}
		return Number{}, err
	}
	return Number{KindSSM, c}, nil
}

// maxInputLen bounds the work done on hostile input; no identity number,
// however spaced out, comes close.
const maxInputLen = 64

// normalise trims s, drops dashes and spaces and upper-cases letters. Any
// other character, or non-ASCII input, is CodeFormat.
func normalise(s string) (string, error) {
	if len(s) > maxInputLen {
		return "", Error{CodeFormat}
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return "", Error{CodeFormat}
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Error{CodeEmpty}
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '-':
		case isDigit(c) || 'A' <= c && c <= 'Z':
			b = append(b, c)
		case 'a' <= c && c <= 'z':
			b = append(b, c-'a'+'A')
		default:
			return "", Error{CodeFormat}
		}
	}
	if len(b) == 0 {
		return "", Error{CodeFormat}
	}
	return string(b), nil
}

// checkMyKad validates a normalised string as a MyKad number.
func checkMyKad(c string, now time.Time) error {
	if len(c) != 12 || !allDigits(c) {
		return Error{CodeFormat}
	}
	if !validBirthDate(num(c[0:2]), num(c[2:4]), num(c[4:6]), now) {
		return Error{CodeDate}
	}
	if !validPlace(num(c[6:8])) {
		return Error{CodePlace}
	}
	return nil
}

// validBirthDate reports whether YYMMDD is a real date, not after now, in
// 19YY or 20YY. Both centuries are tried because the two-digit year is
// ambiguous; in practice the difference only shows for 29 February, as 1900
// was not a leap year but 2000 was.
func validBirthDate(yy, mm, dd int, now time.Time) bool {
	ny, nm, nd := now.Date()
	today := ny*10000 + int(nm)*100 + nd
	for _, century := range [...]int{1900, 2000} {
		y := century + yy
		// time.Date normalises out-of-range fields (month 13, 31 April), so
		// a date is real exactly when it survives unchanged.
		t := time.Date(y, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
		if t.Year() == y && int(t.Month()) == mm && t.Day() == dd && y*10000+mm*100+dd <= today {
			return true
		}
	}
	return false
}

// placeCodes are the place-of-birth codes (digits 7–8 of a MyKad) in JPN's
// list. Codes outside these ranges (00, 17–20, 69–70, 73, 80–81, 94–97) are
// not issued.
var placeCodes = [...]struct{ lo, hi int }{
	{1, 16},  // Malaysian states and Federal Territories: 01 Johor … 13 Sarawak, 14 KL, 15 Labuan, 16 Putrajaya
	{21, 59}, // alternate codes for the same states, e.g. Johor 21–24, Selangor 41–44, KL 54–57, Negeri Sembilan 59
	{60, 68}, // ASEAN: Brunei, Indonesia, Cambodia, Laos, Myanmar, Philippines, Singapore, Thailand, Vietnam
	{71, 72}, // born outside Malaysia (older registrations, before the country codes)
	{74, 79}, // China, India, Pakistan, Saudi Arabia, Sri Lanka, Bangladesh
	{82, 82}, // state unknown (Negeri Tidak Diketahui)
	{83, 93}, // regions: Asia-Pacific, South America, Africa, Europe, Britain/Ireland, Middle East, Far East, Caribbean, North America, ex-USSR, others
	{98, 99}, // 98 stateless, 99 refugees and other special cases
}

func validPlace(code int) bool {
	for _, r := range placeCodes {
		if r.lo <= code && code <= r.hi {
			return true
		}
	}
	return false
}

// checkSSM validates a normalised string as an SSM number in any format.
func checkSSM(c string, now time.Time) error {
	if len(c) == 12 && allDigits(c) {
		if y := num(c[0:4]); y < 1900 || y > now.Year() {
			return Error{CodeSSMYear}
		}
		if t := num(c[4:6]); t < 1 || t > 6 {
			return Error{CodeSSMType}
		}
		if allZero(c[6:]) {
			return Error{CodeFormat}
		}
		return nil
	}
	n := len(c)
	if !isLetter(c[n-1]) {
		return Error{CodeFormat}
	}
	body := c[:n-1]
	switch {
	case len(body) >= 1 && len(body) <= 7 && allDigits(body) && !allZero(body):
		return nil // old company
	case len(body) == 9 && allDigits(body) && !allZero(body):
		return nil // old business, digits only
	case len(body) == 9 && isLetter(body[0]) && isLetter(body[1]) && allDigits(body[2:]) && !allZero(body[2:]):
		return nil // old business with a state prefix
	}
	return Error{CodeFormat}
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func allZero(s string) bool { return strings.Trim(s, "0") == "" }

// num converts a short all-digit string; callers check allDigits first.
func num(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}
