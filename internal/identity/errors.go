package identity

// Error is the only error type returned by this package. Code is stable and
// meant for the web layer to translate into a message for the user; compare
// with errors.As, or with errors.Is against Error{Code: ...}.
//
// Error deliberately carries no copy of the input: identity numbers are
// personal data and errors are logged.
type Error struct {
	Code string
}

// Error codes, from the least to the most specific.
const (
	CodeEmpty    = "identity.empty"     // nothing but white space was given
	CodeFormat   = "identity.format"    // wrong length, characters or layout for any accepted format
	CodeDate     = "identity.date"      // MyKad: YYMMDD is not a real birth date on or before today
	CodePlace    = "identity.place"     // MyKad: digits 7–8 are not a JPN place-of-birth code
	CodeSSMYear  = "identity.ssm_year"  // new SSM: registration year before 1900 or in the future
	CodeSSMType  = "identity.ssm_type"  // new SSM: entity type is not 01–06
	CodeNotMyKad = "identity.not_mykad" // ParseMyKad: the input is a valid SSM number, not a MyKad
	CodeNotSSM   = "identity.not_ssm"   // ParseSSM: the input is a valid MyKad, not an SSM number
)

// messages must not contain digits: the fuzz test relies on that to check
// that no input leaks into an error string.
var messages = map[string]string{
	CodeEmpty:    "identity number is empty",
	CodeFormat:   "identity number has an invalid format",
	CodeDate:     "MyKad number has an invalid birth date",
	CodePlace:    "MyKad number has an invalid place-of-birth code",
	CodeSSMYear:  "SSM number has an invalid registration year",
	CodeSSMType:  "SSM number has an invalid entity type",
	CodeNotMyKad: "identity number is an SSM number, not a MyKad number",
	CodeNotSSM:   "identity number is a MyKad number, not an SSM number",
}

// Error returns a fixed English message for the code.
func (e Error) Error() string {
	if m, ok := messages[e.Code]; ok {
		return "identity: " + m
	}
	return "identity: invalid identity number"
}
