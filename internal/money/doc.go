// Package money holds amounts of Malaysian ringgit as an exact integer
// number of sen (1 ringgit = 100 sen). Floating point is never used: every
// total eSPEKS shows is an exact sum of the amounts it loaded.
//
// Parse implements the amount rule of the SPEKS CSV files (see
// docs/spec DATA.md, "Common rules"): a plain decimal with an optional
// leading '-', at least one digit before the point, and optionally a '.'
// followed by one or two digits. Nothing else is accepted: no '+', no
// thousands separators, no currency sign, no white space, no exponent. At
// most MaxIntDigits (13) digits may precede the point, so that any amount
// is at most MaxAbs in magnitude and a sum of up to 9,223 amounts of any
// size (or of millions of realistic ones) fits in an int64.
//
// Sen.String gives the CSV form ("1234.50", "-0.05"), which Parse accepts
// back unchanged; Sen.Format gives the display form with thousands
// separators ("1,234.50").
//
// Errors are always of type *Error, whose Code is a stable string the
// loader and the web layer translate. Error messages never contain the
// input: the loader reports the offending cell itself.
package money
