package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/espeks/espeks/internal/mail"
)

// adminOutbox lists the emails eSPEKS sent or is sending. Without an SMTP server this is
// where a Pentadbir reads them (PRODUCT.md, Emails).
func (s *Server) adminOutbox(w http.ResponseWriter, r *http.Request) error {
	status := r.URL.Query().Get("status")
	switch status {
	case "", "PENDING", "SENDING", "SENT", "FAILED":
	default:
		status = ""
	}
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("hal"))
	pageNo = max(pageNo, 1)
	entries, total, err := s.outbox.List(r.Context(), status, pageSize, (pageNo-1)*pageSize)
	if err != nil {
		return err
	}
	counts, err := s.outbox.Counts(r.Context())
	if err != nil {
		return err
	}
	p := s.page(r, "admin.outbox.title")
	p.Form = r.URL.Query()
	p.Data = map[string]any{"Entries": entries, "Total": total, "Counts": counts, "Status": status,
		"SMTP": s.cfg.SMTPURL != "", "Page": pageNo, "Statuses": []string{"PENDING", "SENDING", "SENT", "FAILED"},
		"Prev": pageLink(p.Form, pageNo-1, total), "Next": pageLink(p.Form, pageNo+1, total)}
	s.render(w, r, http.StatusOK, "admin_outbox", p)
	return nil
}

// adminOutboxMessage shows one email in full (secret bodies stay hidden).
func (s *Server) adminOutboxMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.outbox.Get(r.Context(), id)
	if errors.Is(err, mail.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	p := s.page(r, "admin.outbox.message.title")
	p.Data = e
	s.render(w, r, http.StatusOK, "admin_outbox_message", p)
	return nil
}
