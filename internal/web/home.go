package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/civil"
	"github.com/espeks/espeks/internal/money"
)

// home is the page after login: name, the previous successful login, failed attempts
// since, and the menu; staff also see their latest payslip and a chart of net pay over
// the last 12 months.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	p := s.page(r, "home.title")
	data := map[string]any{"Session": st.session}
	if st.session.User.Type == account.Staff {
		recent, err := s.payslips.Recent(r.Context(), st.session.User.LoginID, 40)
		if err != nil {
			return err
		}
		if len(recent) > 0 {
			data["Latest"] = recent[0]
		}
		labels, values := s.lastTwelveMonths(p, func(y, m int) money.Sen {
			var sum money.Sen
			for _, ps := range recent {
				if ps.Year == y && ps.Month == m {
					sum += ps.NetPay
				}
			}
			return sum
		})
		data["Chart"] = newBarChart(labels, values)
	}
	if st.session.User.Type == account.Supplier {
		recent, err := s.payments.Recent(r.Context(), st.session.User.LoginID, 5)
		if err != nil {
			return err
		}
		data["Payments"] = recent
		now := civil.Of(s.now().In(account.Malaysia()))
		from := civil.Date{Year: now.Year, Month: now.Month, Day: 1}
		from = civil.Of(time.Date(from.Year, from.Month-11, 1, 0, 0, 0, 0, time.UTC))
		totals, err := s.payments.MonthTotals(r.Context(), st.session.User.LoginID, from)
		if err != nil {
			return err
		}
		labels, values := s.lastTwelveMonths(p, func(y, m int) money.Sen {
			return totals[fmt.Sprintf("%04d-%02d", y, m)]
		})
		data["PayChart"] = newBarChart(labels, values)
	}
	p.Data = data
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}

// lastTwelveMonths labels the 12 months ending this month (oldest first) and totals each.
func (s *Server) lastTwelveMonths(p *Page, total func(year, month int) money.Sen) ([]string, []money.Sen) {
	now := s.now().In(account.Malaysia())
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
	labels := make([]string, 12)
	values := make([]money.Sen, 12)
	for i := range 12 {
		t := first.AddDate(0, i, 0)
		labels[i] = p.MonthName(int(t.Month()))[:3] + " " + strconv.Itoa(t.Year()%100)
		values[i] = total(t.Year(), int(t.Month()))
	}
	return labels, values
}
