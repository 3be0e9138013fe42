package web

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/payment"
)

// emaklumQuery reads Tarikh Mula, Tarikh Akhir and the search from the query string,
// naming each wrong field.
func emaklumQuery(v url.Values) (payment.Query, i18n.FieldErrors) {
	errs := i18n.FieldErrors{}
	var q payment.Query
	for _, f := range []struct {
		name string
		dst  *civil.Date
	}{{"mula", &q.From}, {"akhir", &q.To}} {
		s := strings.TrimSpace(v.Get(f.name))
		d, err := civil.Parse(s)
		switch {
		case s == "":
			errs.Add(f.name, i18n.Msg("form.required"))
		case err != nil:
			errs.Add(f.name, i18n.Msg("emaklum.date.invalid"))
		default:
			*f.dst = d
		}
	}
	if len(errs) == 0 && q.To.Before(q.From) {
		errs.Add("akhir", i18n.Msg("emaklum.date.reversed"))
	}
	q.Search = strings.TrimSpace(v.Get("cari"))
	if len(q.Search) > 40 {
		errs.Add("cari", i18n.Msg("form.too_long", "Max", 40))
	}
	return q, errs
}

// emaklumIndex is PK 0102: Tarikh Mula + Tarikh Akhir → the payments in the range.
func (s *Server) emaklumIndex(w http.ResponseWriter, r *http.Request) error {
	u := state(r).session.User
	p := s.page(r, "emaklum.title")
	p.Form = r.URL.Query()
	data := map[string]any{}
	if p.Form.Get("mula") == "" && p.Form.Get("akhir") == "" {
		now := civil.Of(s.now().In(account.Malaysia()))
		p.Form.Set("mula", civil.Date{Year: now.Year, Month: 1, Day: 1}.String())
		p.Form.Set("akhir", now.String())
	} else if q, errs := emaklumQuery(p.Form); len(errs) > 0 {
		p.Errors = errs
	} else {
		pageNo, _ := strconv.Atoi(p.Form.Get("hal"))
		pageNo = max(pageNo, 1)
		q.Limit, q.Offset = pageSize, (pageNo-1)*pageSize
		list, count, total, err := s.payments.List(r.Context(), u.LoginID, q)
		if err != nil {
			return err
		}
		data = map[string]any{"Searched": true, "Results": list, "Count": count, "Total": total, "Page": pageNo,
			"Prev": emaklumLink(p.Form, pageNo-1, count), "Next": emaklumLink(p.Form, pageNo+1, count),
			"CSV": "/emaklum/csv?" + keep(p.Form, "mula", "akhir", "cari").Encode()}
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "emaklum", p)
	return nil
}

func keep(v url.Values, names ...string) url.Values {
	out := url.Values{}
	for _, n := range names {
		if s := v.Get(n); s != "" {
			out.Set(n, s)
		}
	}
	return out
}

func emaklumLink(v url.Values, pageNo, count int) string {
	if pageNo < 1 || (pageNo-1)*pageSize >= count {
		return ""
	}
	q := keep(v, "mula", "akhir", "cari")
	q.Set("hal", strconv.Itoa(pageNo))
	return "?" + q.Encode()
}

// emaklumCSV downloads the range as CSV. Cells that a spreadsheet would run as a formula
// are escaped [ASVS 1.2.10].
func (s *Server) emaklumCSV(w http.ResponseWriter, r *http.Request) error {
	q, errs := emaklumQuery(r.URL.Query())
	if len(errs) > 0 {
		return errBadInput
	}
	u := state(r).session.User
	p := s.page(r, "emaklum.title")
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="emaklum-%s-%s.csv"`, q.From, q.To))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{p.T("emaklum.col.no"), p.T("emaklum.col.date"), p.T("emaklum.col.mode"), p.T("emaklum.col.status"), p.T("emaklum.col.amount")})
	err := s.payments.Each(r.Context(), u.LoginID, q, func(m payment.Summary) error {
		return cw.Write([]string{csvCell(m.PaymentNo), m.PaymentDate.Display(), csvCell(m.Mode),
			p.T("status." + m.Status), m.Amount.String()})
	})
	cw.Flush()
	if err != nil {
		s.log.Error("csv export", "err", err)
	}
	return cw.Error()
}

// csvCell neutralises a leading =, +, -, @, tab or carriage return with a quote, so a
// spreadsheet shows the text instead of running it.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// paymentShow opens a payment: the advice at once for a cheque, after the account
// check for a payment credited to an account.
func (s *Server) paymentShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderPayment(w, r, http.StatusOK, nil)
}

func (s *Server) renderPayment(w http.ResponseWriter, r *http.Request, status int, errs i18n.FieldErrors) error {
	st := state(r)
	pay, id, err := s.payments.Get(r.Context(), st.session.User.LoginID, r.PathValue("id"))
	if errors.Is(err, payment.ErrNotFound) {
		return s.statementMissing(r, "payment")
	}
	if err != nil {
		return err
	}
	open := !pay.NeedsCheck()
	if !open {
		if open, err = s.payments.Checked(r.Context(), st.session.TokenHash, id); err != nil {
			return err
		}
	}
	p := s.page(r, "payment.title")
	p.Errors = errs
	p.Print = open && r.URL.Query().Get("cetak") == "1"
	p.Data = map[string]any{"Payment": pay, "Open": open}
	s.render(w, r, status, "payment", p)
	return nil
}

// paymentCheck is "Semak": the right account number opens the advice for this session;
// a wrong one says so and counts toward the ID's lock like a failed login.
func (s *Server) paymentCheck(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	u := st.session.User
	pay, id, err := s.payments.Get(r.Context(), u.LoginID, r.PathValue("id"))
	if errors.Is(err, payment.ErrNotFound) {
		return s.statementMissing(r, "payment")
	}
	if err != nil {
		return err
	}
	if !pay.NeedsCheck() {
		http.Redirect(w, r, "/emaklum/"+pay.PublicID, http.StatusSeeOther)
		return nil
	}
	th := s.auth.Throttle
	until, err := th.LockedUntil(r.Context(), u.LoginID)
	if err != nil {
		return err
	}
	p := s.page(r, "payment.title")
	if !until.IsZero() {
		return s.renderPayment(w, r, http.StatusTooManyRequests, i18n.FieldErrors{"akaun": i18n.Msg("login.locked", "Until", p.Time(until))})
	}
	if pay.AccountMatches(r.PostFormValue("akaun")) {
		if err := s.payments.MarkChecked(r.Context(), st.session.TokenHash, id); err != nil {
			return err
		}
		http.Redirect(w, r, "/emaklum/"+pay.PublicID, http.StatusSeeOther)
		return nil
	}
	var locked time.Time
	err = s.db.WithTx(r.Context(), func(ctx context.Context) error {
		var err error
		if locked, err = th.Fail(ctx, u.LoginID, clientAddr(r)); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Type: audit.AccountCheckFailed, Outcome: audit.Failure, ActorID: u.ID,
			ActorLogin: u.LoginID, SubjectID: u.ID, SubjectLogin: u.LoginID, Source: clientAddr(r), Detail: pay.PaymentNo})
	})
	if err != nil {
		return err
	}
	msg := i18n.Msg("payment.check.wrong")
	if !locked.IsZero() {
		msg = i18n.Msg("login.locked", "Until", p.Time(locked))
	}
	return s.renderPayment(w, r, http.StatusUnprocessableEntity, i18n.FieldErrors{"akaun": msg})
}
