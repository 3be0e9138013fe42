package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/espeks/espeks/internal/load"
)

// adminLoads is the Data page: the upload form and every load with who, when, counts.
func (s *Server) adminLoads(w http.ResponseWriter, r *http.Request) error {
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("hal"))
	pageNo = max(pageNo, 1)
	records, total, err := s.loader.Records(r.Context(), pageSize, (pageNo-1)*pageSize)
	if err != nil {
		return err
	}
	p := s.page(r, "admin.loads.title")
	p.Form = r.URL.Query()
	if r.URL.Query().Get("sibuk") == "1" {
		p.Notice = "admin.loads.busy"
	}
	p.Data = map[string]any{"Records": records, "Total": total, "Page": pageNo, "MaxMB": s.cfg.UploadMaxMB,
		"Prev": pageLink(p.Form, pageNo-1, total), "Next": pageLink(p.Form, pageNo+1, total)}
	s.render(w, r, http.StatusOK, "admin_loads", p)
	return nil
}

// adminLoadUpload takes the uploaded file, streaming it to disk (a monthly payroll is
// hundreds of megabytes), then runs the same load as the command line.
func (s *Server) adminLoadUpload(w http.ResponseWriter, r *http.Request) error {
	kind, path, name, err := s.receiveUpload(r)
	if path != "" {
		defer os.Remove(path)
	}
	if errors.Is(err, errBadUpload) {
		return httpError{http.StatusBadRequest, "admin.loads.bad_upload"}
	}
	if err != nil {
		return err
	}
	u := state(r).session.User
	res, err := s.loader.Load(loadContext(r), load.Request{Kind: kind, Path: path, FileName: name, By: u.ID,
		ByLogin: u.LoginID, Via: "web", Source: clientAddr(r)})
	if errors.Is(err, load.ErrBusy) {
		http.Redirect(w, r, "/pentadbir/muat?sibuk=1", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/pentadbir/muat/%d", res.LoadID), http.StatusSeeOther)
	return nil
}

var errBadUpload = errors.New("bad upload")

// receiveUpload reads a multipart form with "kind" then "file", writing the file to a
// temporary file in the data directory.
func (s *Server) receiveUpload(r *http.Request) (kind, path, name string, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", "", "", errBadUpload
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", path, "", err
		}
		switch part.FormName() {
		case "kind":
			b, _ := io.ReadAll(io.LimitReader(part, 20))
			kind = string(b)
		case "file":
			name = filepath.Base(part.FileName())
			if path, err = saveTemp(s.cfg.DataDir, part); err != nil {
				return "", path, "", err
			}
		}
		part.Close()
	}
	if (kind != load.Payroll && kind != load.Payments) || path == "" || name == "" || name == "." {
		return "", path, "", errBadUpload
	}
	return kind, path, name, nil
}

func saveTemp(dataDir string, part *multipart.Part) (string, error) {
	dir := filepath.Join(dataDir, "muat")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "upload-*.csv")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, part); err != nil {
		f.Close()
		return f.Name(), err
	}
	return f.Name(), f.Close()
}

// adminLoad shows one load and, for a refused file, every error.
func (s *Server) adminLoad(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rec, err := s.loader.Record(r.Context(), id)
	if errors.Is(err, load.ErrNoRecord) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	p := s.page(r, "admin.load.title")
	p.Data = rec
	s.render(w, r, http.StatusOK, "admin_load", p)
	return nil
}

// loadContext is the upload's context: a browser that gives up waiting must not abort
// a load half way through validation and leave the Pentadbir guessing, so the load
// finishes on its own (it is one transaction either way).
func loadContext(r *http.Request) context.Context { return context.WithoutCancel(r.Context()) }
