package load

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxErrors is how many errors a refused file lists; the count of the rest is given.
const MaxErrors = 200

// CellError is one thing wrong with a file: where, what was there, and why. Reason is a
// catalogue message ID, so each way in (command line, browser, API) words it in its
// user's language.
type CellError struct {
	Line   int    `json:"line"`             // 1 is the header
	Column string `json:"column,omitempty"` // column name; empty for a whole-line problem
	Value  string `json:"value,omitempty"`  // what the cell held (bank accounts masked)
	Code   string `json:"code"`             // message ID, e.g. "load.money.format"
	Limit  string `json:"-"`                // extra data for the message
}

// Errors collects CellErrors up to MaxErrors and counts the rest.
type Errors struct {
	List    []CellError `json:"errors"`
	Omitted int         `json:"omitted,omitempty"`
}

func (e *Errors) add(line int, column, value, code string) {
	if len(e.List) >= MaxErrors {
		e.Omitted++
		return
	}
	if column == "bank_account" {
		value = maskAccount(value)
	}
	if len(value) > 80 {
		cut := 77
		for cut > 0 && !utf8.RuneStart(value[cut]) {
			cut-- // never split a character
		}
		value = value[:cut] + "..."
	}
	e.List = append(e.List, CellError{Line: line, Column: column, Value: value, Code: code})
}

// Full reports whether the list is at its limit (later errors are only counted).
func (e *Errors) Full() bool { return len(e.List) >= MaxErrors }

// Len is the number of errors found.
func (e *Errors) Len() int { return len(e.List) + e.Omitted }

func (e *Errors) Error() string {
	return fmt.Sprintf("file refused: %d error(s)", e.Len())
}

// maskAccount keeps the last 4 characters of an account number (QUALITY.md, Data).
func maskAccount(s string) string {
	if len(s) <= 4 {
		return s
	}
	return strings.Repeat("*", len(s)-4) + s[len(s)-4:]
}
