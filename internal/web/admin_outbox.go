package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/espeks/espeks/internal/audit"
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
	p.Notice = outboxNotices[p.Form.Get("ok")]
	p.Data = map[string]any{"Entries": entries, "Total": total, "Counts": counts, "Status": status,
		"SMTP": s.cfg.SMTPURL != "", "Page": pageNo, "Statuses": []string{"PENDING", "SENDING", "SENT", "FAILED"},
		"Prev": outboxPageLink(status, pageNo-1, total), "Next": outboxPageLink(status, pageNo+1, total),
		"Policy": s.retryPolicy()}
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
	p.Notice = outboxNotices[r.URL.Query().Get("ok")]
	s.render(w, r, http.StatusOK, "admin_outbox_message", p)
	return nil
}

// outboxNotices are the ?ok= values after Cuba semula.
var outboxNotices = map[string]string{"cuba": "admin.outbox.retried", "sudah": "admin.outbox.not_failed"}

// outboxPageLink keeps the status filter across pages.
func outboxPageLink(status string, pageNo, total int) string {
	if pageNo < 1 || (pageNo-1)*pageSize >= total {
		return ""
	}
	v := url.Values{"hal": {strconv.Itoa(pageNo)}}
	if status != "" {
		v.Set("status", status)
	}
	return "?" + v.Encode()
}

// retryPolicy is the worker's policy as the outbox page states it: how many tries, and
// the wait after the first failure (ESPEKS_MAIL_RETRY_BASE) doubling up to an hour.
func (s *Server) retryPolicy() map[string]any {
	first := s.cfg.MailRetryBase
	if first <= 0 {
		first = mail.DefaultBackoff(1)
	}
	return map[string]any{"Max": s.cfg.MailMaxAttempts,
		"FirstSeconds": int(first.Seconds()), "LimitMinutes": int(mail.DefaultBackoff(1 << 20).Minutes())}
}

// adminOutboxRetry is Cuba semula on a FAILED email: it is queued again, due now, with
// its attempts reset, and the retry is audited in the same transaction.
func (s *Server) adminOutboxRetry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	admin := state(r).session.User
	err = s.db.WithTx(r.Context(), func(ctx context.Context) error {
		e, err := s.outbox.Get(ctx, id)
		if err != nil {
			return err
		}
		if err := s.outbox.Retry(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Type: audit.OutboxRetry, ActorID: admin.ID, ActorLogin: admin.LoginID,
			Source: clientAddr(r), Detail: fmt.Sprintf("email %d (%s) to %s", e.ID, e.Template, e.To)})
	})
	ok := "cuba"
	switch {
	case errors.Is(err, mail.ErrNotFound):
		return errNotFound
	case errors.Is(err, mail.ErrNotFailed):
		ok = "sudah"
	case err != nil:
		return err
	default:
		s.outbox.Notify() // Retry inside a transaction leaves waking the worker to us
	}
	http.Redirect(w, r, fmt.Sprintf("/pentadbir/emel/%d?ok=%s", id, ok), http.StatusSeeOther)
	return nil
}
