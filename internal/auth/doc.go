// Package auth owns logging in and staying logged in: password checks against the
// account, the per-ID lockout and per-address throttle, and server-side sessions. All of
// its state lives in the database, so several `espeks serve` processes behave as one.
package auth
