package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/i18n"
)

// auditFields are the audit search's query parameters: Pelaku, Subjek, Jenis, Tarikh
// Mula and Tarikh Akhir.
var auditFields = []string{"pelaku", "subjek", "jenis", "mula", "akhir"}

// auditQuery reads the filter from the query string, naming each wrong field. The
// dates are Malaysian calendar days, both inclusive.
func auditQuery(v url.Values) (audit.Query, i18n.FieldErrors) {
	errs := i18n.FieldErrors{}
	q := audit.Query{Event: strings.TrimSpace(v.Get("jenis"))}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"pelaku", &q.Actor}, {"subjek", &q.Subject}} {
		s := strings.TrimSpace(v.Get(f.name))
		if len(s) > 64 {
			errs.Add(f.name, i18n.Msg("form.too_long", "Max", 64))
			continue
		}
		*f.dst = audit.NormalizeLogin(s)
		if s != "" && *f.dst == "" {
			errs.Add(f.name, i18n.Msg("admin.audit.err.login"))
		}
	}
	if q.Event != "" && !audit.IsType(q.Event) {
		errs.Add("jenis", i18n.Msg("admin.audit.err.type"))
	}
	var from, to civil.Date
	for _, f := range []struct {
		name string
		dst  *civil.Date
	}{{"mula", &from}, {"akhir", &to}} {
		s := strings.TrimSpace(v.Get(f.name))
		if s == "" {
			continue
		}
		d, err := civil.Parse(s)
		var ce *civil.Error
		switch {
		case errors.As(err, &ce):
			errs.Add(f.name, i18n.Msg(ce.Code)) // date.format, date.invalid, date.range
		case err != nil:
			errs.Add(f.name, i18n.Msg("date.format"))
		default:
			*f.dst = d
		}
	}
	if !from.IsZero() {
		q.From = from.In(account.Malaysia())
	}
	if !to.IsZero() {
		q.Until = to.AddDays(1).In(account.Malaysia()) // inclusive: up to the end of that day
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs.Add("akhir", i18n.Msg("admin.audit.err.reversed"))
	}
	return q, errs
}

// auditFilter is the query string of the filter alone (for the pager and the CSV link).
func auditFilter(v url.Values) url.Values {
	out := url.Values{}
	for _, n := range auditFields {
		if s := strings.TrimSpace(v.Get(n)); s != "" {
			out.Set(n, s)
		}
	}
	return out
}

func auditPageLink(v url.Values, pageNo, total int) string {
	if pageNo < 1 || (pageNo-1)*pageSize >= total {
		return ""
	}
	q := auditFilter(v)
	q.Set("hal", strconv.Itoa(pageNo))
	return "?" + q.Encode()
}

// adminAudit is the audit log: filtered by actor, subject, event type and date range,
// newest first, paged, with the same filter downloadable as CSV.
func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "admin.audit.title")
	p.Form = r.URL.Query()
	q, errs := auditQuery(p.Form)
	data := map[string]any{"Types": audit.Types}
	status := http.StatusOK
	if len(errs) > 0 {
		p.Errors, status = errs, http.StatusUnprocessableEntity
	} else {
		pageNo, _ := strconv.Atoi(p.Form.Get("hal"))
		pageNo = max(pageNo, 1)
		q.Limit, q.Offset = pageSize, (pageNo-1)*pageSize
		events, total, err := s.audit.Find(r.Context(), q)
		if err != nil {
			return err
		}
		data["Events"], data["Total"], data["Page"] = events, total, pageNo
		data["Prev"], data["Next"] = auditPageLink(p.Form, pageNo-1, total), auditPageLink(p.Form, pageNo+1, total)
		data["CSV"] = "/pentadbir/audit.csv?" + auditFilter(p.Form).Encode()
	}
	p.Data = data
	s.render(w, r, status, "admin_audit", p)
	return nil
}

// adminAuditCSV exports the filtered log. Every text cell goes through csvCell: login
// IDs typed at the login page and details are attacker-chosen, and a spreadsheet must
// show them, never run them [ASVS 1.2.10].
func (s *Server) adminAuditCSV(w http.ResponseWriter, r *http.Request) error {
	q, errs := auditQuery(r.URL.Query())
	if len(errs) > 0 {
		return errBadInput
	}
	p := s.page(r, "admin.audit.title")
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="audit-%s.csv"`,
		s.now().In(account.Malaysia()).Format("20060102-1504")))
	cw := csv.NewWriter(w)
	header := []string{}
	for _, id := range []string{"admin.audit.col.when", "admin.audit.col.event", "admin.audit.col.outcome",
		"admin.audit.col.actor", "admin.audit.col.subject", "admin.audit.col.source", "admin.audit.col.detail"} {
		header = append(header, p.T(id))
	}
	_ = cw.Write(header)
	err := s.audit.Each(r.Context(), q, func(e audit.Event) error {
		return cw.Write([]string{e.At.In(account.Malaysia()).Format("2006-01-02 15:04:05"), csvCell(e.Type),
			csvCell(e.Outcome), csvCell(e.ActorLogin), csvCell(e.SubjectLogin), csvCell(e.Source), csvCell(e.Detail)})
	})
	cw.Flush()
	if err != nil {
		// The header is sent: the download ends short, and the operator hears of it.
		s.log.Error("audit csv export", "err", err)
	}
	return cw.Error()
}
