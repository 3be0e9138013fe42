package web

import (
	"context"
	"database/sql/driver"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/db"
)

// handlerFunc is a handler that returns its failure instead of writing it; handle turns
// the error into a page and a status code and logs it once.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// httpError is an error that is already a response: a status and a message ID.
type httpError struct {
	status int
	msgID  string
}

func (e httpError) Error() string { return http.StatusText(e.status) }

var (
	errNotFound  = httpError{http.StatusNotFound, "error.not_found"}
	errForbidden = httpError{http.StatusForbidden, "error.forbidden"}
	errBadInput  = httpError{http.StatusBadRequest, "error.bad_request"}
	errTooLarge  = httpError{http.StatusRequestEntityTooLarge, "error.too_large"}
)

func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// fail renders err. Only unexpected errors are logged at error level; a 404 or a bad
// form is the user's business, not the operator's.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var he httpError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &he):
	case errors.Is(err, account.ErrNotFound):
		he = errNotFound
	case errors.As(err, &tooBig):
		he = errTooLarge
	case errors.Is(err, context.Canceled):
		return // the client went away; nothing to answer
	case errors.Is(err, db.ErrUnavailable) || connectionLost(err) || s.pingFails(r.Context()):
		s.log.Error("database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "30")
		he = httpError{http.StatusServiceUnavailable, "error.unavailable"}
	default:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		he = httpError{http.StatusInternalServerError, "error.internal"}
	}
	s.renderError(w, r, he.status, he.msgID)
}

// connectionLost reports an error that means the connection to the database broke:
// the server restarted, failed over or cannot be reached. A fresh connection may
// already answer the ping, yet this request failed because the database went away, so
// it is a 503 too, not a bug. pgx marks its network-level failures (a write or read on
// a dead connection) with a SafeToRetry method; SQLSTATE classes 08 (connection
// exception) and 57P (server shutting down or starting) are PostgreSQL's own.
func connectionLost(err error) bool {
	var pgNet interface{ SafeToRetry() bool }
	if errors.As(err, &pgNet) || errors.Is(err, driver.ErrBadConn) {
		return true
	}
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		code := pg.SQLState()
		return strings.HasPrefix(code, "08") || strings.HasPrefix(code, "57P")
	}
	return false
}

// pingFails tells an error caused by the database being away (PostgreSQL stopped or
// unreachable: pgx returns plain connection errors) from a bug: it asks the database,
// bounded so an unreachable host cannot hold the request.
func (s *Server) pingFails(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	return s.db.Ping(ctx) != nil
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msgID string) {
	p := s.page(r, "error.title")
	p.Data = map[string]any{"Status": status, "Message": p.T(msgID)}
	s.render(w, r, status, "error", p)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error { return errNotFound }

// pathID parses a numeric path value; anything else is a 404 like a missing record.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}
