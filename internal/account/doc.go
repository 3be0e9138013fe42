// Package account owns the people who use eSPEKS: registration (PK 0101), the
// Pentadbir's activation or rejection, password changes (PK 0105) and the first
// Pentadbir created from the command line. Validation returns i18n.FieldErrors so each
// wrong field is named in the user's language by the web layer.
package account
