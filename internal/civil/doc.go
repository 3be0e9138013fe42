// Package civil holds calendar dates without a time of day or a time zone:
// a pay date, a payment date, a period end. Representing them as
// time.Time invites off-by-one-day bugs when a midnight instant is viewed
// in another zone; a Date is just a year, a month and a day.
//
// Parse accepts the two forms of the SPEKS CSV files (docs/spec DATA.md,
// "Common rules"): ISO "YYYY-MM-DD" and Malaysian "DD/MM/YYYY", the latter
// also with an unpadded day or month ("5/3/2026"). Nothing else is
// accepted, nor any date that does not exist or whose year is outside
// MinYear–MaxYear.
//
// Date.String gives the ISO form, Date.Display the Malaysian one
// ("15/03/2026"). In a database a Date is stored as TEXT "YYYY-MM-DD"
// (Value), which sorts and compares correctly as text on SQLite and
// PostgreSQL alike; Scan also accepts the time.Time a PostgreSQL DATE
// column returns. For a nullable column use sql.Null[civil.Date].
//
// Errors from Parse and Scan of malformed text are of type *Error, whose
// Code is a stable string to translate for the user. Error messages never
// contain the input.
package civil
