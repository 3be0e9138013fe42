package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/espeks/espeks/internal/auth"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/load"
)

// apiError is an error of the load API, as JSON.
type apiError struct {
	Line     int    `json:"line"`
	Column   string `json:"column,omitempty"`
	Value    string `json:"value,omitempty"`
	Code     string `json:"code"`
	Reason   string `json:"reason"`    // Malay
	ReasonEN string `json:"reason_en"` // English
}

// apiResult is the load API's answer.
type apiResult struct {
	LoadID   int64      `json:"load_id,omitempty"`
	Status   string     `json:"status"`
	Rows     int        `json:"rows"`
	Added    int        `json:"added"`
	Replaced int        `json:"replaced"`
	Updated  int        `json:"updated"`
	Errors   []apiError `json:"errors,omitempty"`
	Omitted  int        `json:"errors_omitted,omitempty"`
	Message  string     `json:"message,omitempty"`
}

// apiLoad is POST /api/v1/muat/{kind}: the body is the CSV file, the key a Pentadbir's
// API key as "Authorization: Bearer espeks_…". 201 accepted, 200 already loaded, 422
// refused with every error, 409 the same file is being loaded, 401 bad key.
func (s *Server) apiLoad(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	key, err := s.apiKeys.Authenticate(r.Context(), strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	switch {
	case errors.Is(err, auth.ErrBadKey):
		writeJSON(w, http.StatusUnauthorized, apiResult{Status: "UNAUTHORIZED", Message: "invalid or revoked API key"})
		return
	case err != nil:
		s.log.Error("api key", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, apiResult{Status: "ERROR", Message: "temporarily unavailable"})
		return
	}
	if kind != load.Payroll && kind != load.Payments {
		writeJSON(w, http.StatusNotFound, apiResult{Status: "NOT_FOUND", Message: "use /api/v1/muat/payroll or /api/v1/muat/payments"})
		return
	}
	name := filepath.Base(r.URL.Query().Get("nama"))
	if name == "." || name == "/" || name == "" {
		name = kind + ".csv"
	}
	dir := filepath.Join(s.cfg.DataDir, "muat")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		s.apiFail(w, err)
		return
	}
	f, err := os.CreateTemp(dir, "api-*.csv")
	if err != nil {
		s.apiFail(w, err)
		return
	}
	defer os.Remove(f.Name())
	_, err = io.Copy(f, r.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeJSON(w, http.StatusRequestEntityTooLarge, apiResult{Status: "TOO_LARGE", Message: "file larger than ESPEKS_UPLOAD_MAX_MB"})
		return
	}
	if err != nil {
		s.apiFail(w, err)
		return
	}
	res, err := s.loader.Load(loadContext(r), load.Request{Kind: kind, Path: f.Name(), FileName: name, By: key.CreatedBy,
		ByLogin: key.CreatorID, Via: "api", Source: clientAddr(r)})
	if errors.Is(err, load.ErrBusy) {
		writeJSON(w, http.StatusConflict, apiResult{Status: "BUSY", Message: "the same file is being loaded; try again later"})
		return
	}
	if err != nil {
		s.apiFail(w, err)
		return
	}
	out := apiResult{LoadID: res.LoadID, Status: res.Status, Rows: res.Rows, Added: res.Added, Replaced: res.Replaced, Updated: res.Updated}
	status := http.StatusCreated
	switch res.Status {
	case load.Duplicate:
		status, out.Message = http.StatusOK, "this file was loaded before; nothing changed"
	case load.Rejected:
		status, out.Omitted = http.StatusUnprocessableEntity, res.Errors.Omitted
		for _, e := range res.Errors.List {
			m := i18n.Msg(e.Code)
			out.Errors = append(out.Errors, apiError{Line: e.Line, Column: e.Column, Value: e.Value, Code: e.Code,
				Reason: s.cat.M(i18n.Malay, m), ReasonEN: s.cat.M(i18n.English, m)})
		}
	}
	writeJSON(w, status, out)
}

func (s *Server) apiFail(w http.ResponseWriter, err error) {
	s.log.Error("load api", "err", err)
	status := http.StatusInternalServerError
	if s.db.Ping(context.Background()) != nil {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, apiResult{Status: "ERROR", Message: "internal error"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
