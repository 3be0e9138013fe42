// Package web owns HTTP: every route (routes.go), one handler per file, the middleware
// (security headers, sessions, CSRF, limits), rendering of the embedded templates in the
// user's language, and the mapping of errors to pages and status codes.
package web
