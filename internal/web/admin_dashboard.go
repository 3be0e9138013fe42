package web

import (
	"net/http"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/mail"
)

// adminDashboard is the Pentadbir's landing page: the work waiting (pending
// registrations, failed emails) and the system's state at a glance, each with a link.
func (s *Server) adminDashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	pending, err := s.users.CountByStatus(ctx, account.Pending)
	if err != nil {
		return err
	}
	active, err := s.users.CountByStatus(ctx, account.Active)
	if err != nil {
		return err
	}
	suspended, err := s.users.CountByStatus(ctx, account.Suspended)
	if err != nil {
		return err
	}
	loads, _, err := s.loader.Records(ctx, 5, 0)
	if err != nil {
		return err
	}
	counts, err := s.outbox.Counts(ctx)
	if err != nil {
		return err
	}
	p := s.page(r, "admin.dashboard.title")
	p.Data = map[string]any{"Pending": pending, "Active": active, "Suspended": suspended, "Loads": loads,
		"Outbox": counts, "Statuses": mail.Statuses, "Failed": counts[mail.StatusFailed], "SMTP": s.cfg.SMTPURL != ""}
	s.render(w, r, http.StatusOK, "admin_dashboard", p)
	return nil
}
