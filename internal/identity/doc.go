// Package identity owns the identity numbers eSPEKS users log in with: the
// MyKad number (No. KP) of a person and the SSM registration number (No.
// Pendaftaran Syarikat/Perniagaan) of a supplier.
//
// It validates and normalises what users type, so that the rest of the
// system only ever sees one canonical spelling of each number (digits and
// upper-case letters, no separators), and it formats numbers back into the
// conventional dashed form for display. It is pure: no I/O, no global state
// other than the clock read by the convenience functions Parse, ParseMyKad
// and ParseSSM; tests and callers that need determinism use the ...At
// variants that take the current time explicitly.
//
// Errors are always of type Error, whose Code is a stable string the web
// layer can translate. Error messages never contain the input, because the
// input is personal data and errors end up in logs.
package identity
