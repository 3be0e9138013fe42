package load

import (
	"errors"
	"strconv"
	"strings"

	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/identity"
	"github.com/espeks/espeks/internal/money"
)

// Cell parsers: each records its error against the current line and column and returns
// the zero value, so one pass over a row reports every wrong cell in it.

func (t *table) amount(name string, errs *Errors) money.Sen {
	v := t.get(name)
	s, err := money.Parse(v)
	if err != nil {
		var me *money.Error
		code := "money.format"
		if errors.As(err, &me) {
			code = me.Code
		}
		errs.add(t.line, name, v, code)
	}
	return s
}

func (t *table) date(name string, errs *Errors) civil.Date {
	v := strings.TrimSpace(t.get(name))
	d, err := civil.Parse(v)
	if err != nil {
		var de *civil.Error
		code := "date.format"
		if errors.As(err, &de) {
			code = de.Code
		}
		errs.add(t.line, name, v, code)
	}
	return d
}

// idNumber parses a No. KP (mykadOnly) or any identity number, normalised.
func (t *table) idNumber(name string, mykadOnly bool, errs *Errors) string {
	v := strings.TrimSpace(t.get(name))
	var n identity.Number
	var err error
	if mykadOnly {
		n, err = identity.ParseMyKad(v)
	} else {
		n, err = identity.Parse(v)
	}
	if err != nil {
		code := identity.CodeFormat
		var ie identity.Error
		if errors.As(err, &ie) {
			code = ie.Code
		}
		errs.add(t.line, name, v, code)
		return ""
	}
	return n.String()
}

// integer parses a whole number in [lo, hi].
func (t *table) integer(name string, lo, hi int, errs *Errors) int {
	v := strings.TrimSpace(t.get(name))
	n, err := strconv.Atoi(v)
	switch {
	case v == "":
		errs.add(t.line, name, "", "load.required")
	case err != nil || n < lo || n > hi:
		errs.add(t.line, name, v, "load.integer."+name)
	}
	return n
}

// oneOf checks a code against its allowed values (upper-cased first).
func (t *table) oneOf(name string, allowed map[string]bool, errs *Errors) string {
	v := strings.ToUpper(strings.TrimSpace(t.get(name)))
	switch {
	case v == "":
		errs.add(t.line, name, "", "load.required")
	case !allowed[v]:
		errs.add(t.line, name, t.get(name), "load.code."+name)
	}
	return v
}

// fnv is 64-bit FNV-1a, fed field by field. It is deterministic across processes (the
// payment fingerprint is stored and compared by later loads) and needs 8 bytes of
// state per payslip or payment, which keeps a large file's memory small.
type fnv uint64

const fnvOffset fnv = 14695981039346656037

func (h fnv) add(s string) fnv {
	for i := 0; i < len(s); i++ {
		h ^= fnv(s[i])
		h *= 1099511628211
	}
	h ^= 0xff // field separator: "ab","c" differs from "a","bc"
	h *= 1099511628211
	return h
}
