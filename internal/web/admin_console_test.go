package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/mail"
)

// console starts eSPEKS with the standard staff member in everyday use (password
// staffPW2) and a Pentadbir logged in; it returns the Pentadbir's client and both users.
func console(t *testing.T, o apptest.Options) (e *apptest.Env, c *apptest.Client, admin, staff account.User) {
	t.Helper()
	e = apptest.Start(t, o)
	activeUser(t, e)
	c = e.Client()
	c.Login(adminID, adminPW)
	return e, c, user(t, e, adminID), user(t, e, staffID)
}

func userPath(u account.User, action string) string {
	if action == "" {
		return fmt.Sprintf("/pentadbir/pengguna/%d", u.ID)
	}
	return fmt.Sprintf("/pentadbir/pengguna/%d/%s", u.ID, action)
}

// act posts an action and expects the redirect back to the user's page with ok.
func act(t *testing.T, c *apptest.Client, u account.User, action string, form url.Values, ok string) apptest.Response {
	t.Helper()
	r := c.Post(userPath(u, action), form)
	if want := userPath(u, "") + "?ok=" + ok; r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != want {
		t.Fatalf("%s: %d %q, want 303 %q\n%s", action, r.StatusCode, r.Header.Get("Location"), want, text(t, r.Body, "main"))
	}
	return c.Get(r.Header.Get("Location"))
}

// wantAudit finds the newest record of event about subject and checks who, from where
// and the outcome.
func wantAudit(t *testing.T, e *apptest.Env, event string, actor, subject account.User, outcome string) audit.Event {
	t.Helper()
	events, err := e.App.Audit.ForSubject(context.Background(), subject.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if ev.Type != event {
			continue
		}
		if ev.ActorID != actor.ID || ev.ActorLogin != actor.LoginID || ev.SubjectLogin != subject.LoginID ||
			ev.Source != "127.0.0.1" || ev.Outcome != outcome {
			t.Errorf("%s record: %+v", event, ev)
		}
		return ev
	}
	t.Errorf("no %s record about %s", event, subject.LoginID)
	return audit.Event{}
}

func sessionsOf(t *testing.T, e *apptest.Env, u account.User) int {
	t.Helper()
	var n int
	if err := e.App.DB.Q(context.Background()).QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM sessions WHERE user_id = $1`, u.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func loginAttempt(e *apptest.Env, pw string) apptest.Response {
	return e.Client().Post("/log-masuk", url.Values{"login_id": {staffID}, "password": {pw}})
}

// TestConsoleUserSearch: users of every status are found by ID with or without dashes,
// name or email, and each one's page shows status, role, type, last login and lock.
func TestConsoleUserSearch(t *testing.T) {
	e, c, _, staff := console(t, apptest.Options{})
	other := validRegistration()
	other.Set("login_id", "900215-10-5678")
	other.Set("name", "Ahmad bin Ismail")
	other.Set("email", "ahmad@contoh.gov.my")
	e.Client().Post("/daftar", other) // pending
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"", 3}, {"850101-14-5123", 1}, {"850101145123", 1}, {"0101-14-51", 1}, {"siti", 1}, {"AHMAD", 1},
		{"contoh.gov.my", 2}, {"pentadbir", 1}, {"tiada-siapa", 0}, {"%", 0}, {"_", 0},
	} {
		r := c.Get("/pentadbir/pengguna?q=" + url.QueryEscape(tc.q))
		if n := doc(t, r.Body).Find("tbody tr").Length(); r.StatusCode != http.StatusOK || n != tc.want {
			t.Errorf("search %q: %d, %d rows, want %d", tc.q, r.StatusCode, n, tc.want)
		}
	}
	r := c.Get("/pentadbir/pengguna?q=siti")
	href, _ := doc(t, r.Body).Find("tbody a").First().Attr("href")
	if href != userPath(staff, "") {
		t.Fatalf("link %q", href)
	}
	page := c.Get(href)
	for sel, want := range map[string]string{"#user-status": "Aktif", "#user-role": "Pengguna", "#user-lock": "Tidak dikunci."} {
		if got := text(t, page.Body, sel); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if s := text(t, page.Body, "dl.summary"); !strings.Contains(s, "850101-14-5123") || !strings.Contains(s, "Kakitangan") ||
		!strings.Contains(s, "02/03/2026 09:00") {
		t.Errorf("summary lacks ID, type or last login: %s", s)
	}
	if s := text(t, page.Body, "tbody"); !strings.Contains(s, "Log masuk") || !strings.Contains(s, "Kata laluan ditukar") {
		t.Errorf("recent events: %s", s)
	}
	if r := c.Get("/pentadbir/pengguna/999999"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown user: %d", r.StatusCode)
	}
	// Paging: 30 more users make two pages; the pager keeps the search.
	for i := range 30 {
		f := validRegistration()
		f.Set("login_id", fmt.Sprintf("7001%02d-10-5%03d", i%28+1, i))
		f.Set("name", fmt.Sprintf("Pembantu %02d", i))
		f.Set("email", fmt.Sprintf("p%d@contoh.gov.my", i))
		if _, err := e.App.Accounts.CreateActive(context.Background(), toRegistration(f), account.RoleUser); err != nil {
			t.Fatal(err)
		}
	}
	r = c.Get("/pentadbir/pengguna?q=pembantu")
	next, _ := doc(t, r.Body).Find(`a[rel="next"]`).Attr("href")
	if n := doc(t, r.Body).Find("tbody tr").Length(); n != 25 || next != "?hal=2&q=pembantu" {
		t.Fatalf("page 1: %d rows, next %q", n, next)
	}
	if n := doc(t, c.Get("/pentadbir/pengguna"+next).Body).Find("tbody tr").Length(); n != 5 {
		t.Errorf("page 2: %d rows", n)
	}
}

// TestConsoleSuspendReactivate: Gantung ends the user's sessions and stops logins;
// Aktifkan semula lets them log in again; each is audited, a repeat changes nothing.
func TestConsoleSuspendReactivate(t *testing.T) {
	e, c, admin, staff := console(t, apptest.Options{})
	browser := e.Client()
	browser.Login(staffID, staffPW2)
	if r := browser.Get("/utama"); r.StatusCode != http.StatusOK {
		t.Fatalf("before: %d", r.StatusCode)
	}

	page := act(t, c, staff, "gantung", nil, "gantung")
	if !strings.Contains(text(t, page.Body, ".notice"), "digantung") || text(t, page.Body, "#user-status") != "Digantung" {
		t.Errorf("after suspension: %s", text(t, page.Body, "main"))
	}
	if n := sessionsOf(t, e, staff); n != 0 {
		t.Errorf("%d sessions left", n)
	}
	if r := browser.Get("/utama"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/log-masuk" {
		t.Errorf("old session still works: %d", r.StatusCode)
	}
	if r := loginAttempt(e, staffPW2); r.StatusCode == http.StatusSeeOther || !strings.Contains(r.Body, "telah digantung") {
		t.Errorf("suspended login: %d %s", r.StatusCode, text(t, r.Body, "main"))
	}
	if ev := wantAudit(t, e, audit.Suspend, admin, staff, audit.Success); ev.Detail != "AKTIF -> DIGANTUNG" {
		t.Errorf("detail %q", ev.Detail)
	}
	act(t, c, staff, "gantung", nil, "sudah")

	page = act(t, c, staff, "aktifkan-semula", nil, "aktif")
	if text(t, page.Body, "#user-status") != "Aktif" {
		t.Errorf("after reactivation: %s", text(t, page.Body, "#user-status"))
	}
	e.Client().Login(staffID, staffPW2)
	wantAudit(t, e, audit.Reactivate, admin, staff, audit.Success)
	act(t, c, staff, "aktifkan-semula", nil, "sudah")
}

// TestConsoleUnlock: after a lockout the user's page says until when; Buka kunci lets
// the right password in at once.
func TestConsoleUnlock(t *testing.T) {
	e, c, admin, staff := console(t, apptest.Options{})
	for range 5 {
		loginAttempt(e, "bukan kata laluan ini")
	}
	if r := loginAttempt(e, staffPW2); r.StatusCode == http.StatusSeeOther || !strings.Contains(r.Body, "dikunci") {
		t.Fatalf("not locked: %d", r.StatusCode)
	}
	page := c.Get(userPath(staff, ""))
	if got := text(t, page.Body, "#user-lock"); got != "Dikunci sehingga 02/03/2026 09:15" {
		t.Errorf("lock state %q", got)
	}
	page = act(t, c, staff, "buka-kunci", nil, "kunci")
	if got := text(t, page.Body, "#user-lock"); got != "Tidak dikunci." {
		t.Errorf("after unlock: %q", got)
	}
	if until, _ := e.App.Auth.Throttle.LockedUntil(context.Background(), staff.LoginID); !until.IsZero() {
		t.Errorf("still locked until %v", until)
	}
	e.Client().Login(staffID, staffPW2)
	wantAudit(t, e, audit.Unlock, admin, staff, audit.Success)
}

// TestConsoleTempPassword: Hantar kata laluan sementara emails the user (never the
// Pentadbir) a password that opens Tukar Kata Laluan only; refused for a suspended user.
func TestConsoleTempPassword(t *testing.T) {
	e, c, admin, staff := console(t, apptest.Options{SMTP: true})
	page := act(t, c, staff, "kata-laluan-sementara", nil, "sementara")
	if !strings.Contains(text(t, page.Body, ".notice"), "emel berdaftar") {
		t.Errorf("notice: %s", text(t, page.Body, ".notice"))
	}
	sent := emailsTo(t, e, staff.Email, "temporary_password")
	if len(sent) != 1 || !sent[0].Secret {
		t.Fatalf("temporary password emails: %+v", sent)
	}
	if n := len(emailsTo(t, e, admin.Email, "temporary_password")); n != 0 {
		t.Errorf("%d emails to the Pentadbir", n)
	}
	pw := temps(t, e)
	if len(pw) != 1 || strings.Contains(page.Body, pw[0]) {
		t.Fatalf("temporary passwords %v (or shown to the Pentadbir)", pw)
	}
	if r := loginAttempt(e, pw[0]); r.Header.Get("Location") != "/akaun/tukar-kata-laluan" {
		t.Errorf("login with the temporary password: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if ev := wantAudit(t, e, audit.AdminTempPassword, admin, staff, audit.Success); ev.Detail != "to "+staff.Email {
		t.Errorf("detail %q", ev.Detail)
	}

	act(t, c, staff, "gantung", nil, "gantung")
	r := c.Post(userPath(staff, "kata-laluan-sementara"), nil)
	if r.StatusCode != http.StatusConflict || !strings.Contains(text(t, r.Body, "#temp-error"), "tidak aktif") {
		t.Errorf("temporary password to a suspended user: %d %q", r.StatusCode, text(t, r.Body, "#temp-error"))
	}
	if n := len(emailsTo(t, e, staff.Email, "temporary_password")); n != 1 {
		t.Errorf("%d temporary password emails after the refusal", n)
	}
}

// TestConsoleRoleChange: Tukar peranan ends the user's sessions; after logging in again
// they see the Pentadbir menu, and lose it when demoted.
func TestConsoleRoleChange(t *testing.T) {
	e, c, admin, staff := console(t, apptest.Options{})
	browser := e.Client()
	browser.Login(staffID, staffPW2)

	page := act(t, c, staff, "peranan", url.Values{"role": {"PENTADBIR"}}, "peranan")
	if text(t, page.Body, "#user-role") != "Pentadbir" {
		t.Errorf("role shown: %q", text(t, page.Body, "#user-role"))
	}
	if r := browser.Get("/utama"); r.StatusCode != http.StatusSeeOther || sessionsOf(t, e, staff) != 0 {
		t.Errorf("the old session survived the role change: %d", r.StatusCode)
	}
	browser.Login(staffID, staffPW2)
	if home := browser.Get("/utama"); !strings.Contains(text(t, home.Body, "nav.menu"), "Pengguna") ||
		doc(t, home.Body).Find(`nav.menu a[href="/pentadbir/audit"]`).Length() != 1 {
		t.Errorf("no Pentadbir menu: %s", text(t, home.Body, "nav.menu"))
	}
	if r := browser.Get("/pentadbir/pengguna"); r.StatusCode != http.StatusOK {
		t.Errorf("new Pentadbir: %d", r.StatusCode)
	}
	if ev := wantAudit(t, e, audit.RoleChange, admin, staff, audit.Success); ev.Detail != "PENGGUNA -> PENTADBIR" {
		t.Errorf("detail %q", ev.Detail)
	}
	act(t, c, staff, "peranan", url.Values{"role": {"PENTADBIR"}}, "sudah")

	act(t, c, staff, "peranan", url.Values{"role": {"PENGGUNA"}}, "peranan")
	if r := browser.Get("/pentadbir"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("session after demotion: %d", r.StatusCode)
	}
	browser.Login(staffID, staffPW2)
	if r := browser.Get("/pentadbir"); r.StatusCode != http.StatusNotFound {
		t.Errorf("demoted user: %d", r.StatusCode)
	}
	if r := c.Post(userPath(staff, "peranan"), url.Values{"role": {"RAJA"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown role: %d", r.StatusCode)
	}
}

// TestConsoleSelfRefused: a Pentadbir cannot demote or suspend themself; the refusal
// is explained beside the action, changes nothing and is audited as a failure.
func TestConsoleSelfRefused(t *testing.T) {
	e, c, admin, _ := console(t, apptest.Options{})
	for _, tc := range []struct {
		action string
		form   url.Values
		errSel string
		event  string
	}{
		{"peranan", url.Values{"role": {"PENGGUNA"}}, "#role-error", audit.RoleChange},
		{"gantung", nil, "#suspend-error", audit.Suspend},
	} {
		r := c.Post(userPath(admin, tc.action), tc.form)
		if r.StatusCode != http.StatusConflict || !strings.Contains(text(t, r.Body, tc.errSel), "tidak boleh menurunkan peranan atau menggantung akaun anda sendiri") {
			t.Errorf("%s on oneself: %d %q", tc.action, r.StatusCode, text(t, r.Body, tc.errSel))
		}
		wantAudit(t, e, tc.event, admin, admin, audit.Failure)
	}
	if u := user(t, e, adminID); u.Role != account.RoleAdmin || u.Status != account.Active {
		t.Errorf("after refusals: %s %s", u.Role, u.Status)
	}
	page := c.Get(userPath(admin, ""))
	if page.StatusCode != http.StatusOK || doc(t, page.Body).Find(`form[action$="/peranan"], form[action$="/gantung"]`).Length() != 0 {
		t.Errorf("own page offers demotion or suspension: %d", page.StatusCode)
	}
}

// TestConsoleAuditSearch: the audit log filters by actor, subject (IDs typed with or
// without dashes), event type and an inclusive Malaysian date range; pages keep the
// filter; wrong filters are named beside their fields.
func TestConsoleAuditSearch(t *testing.T) {
	e, c, admin, staff := console(t, apptest.Options{})
	ctx := context.Background()
	for i := 1; i <= 30; i++ {
		if err := e.App.Audit.Record(ctx, audit.Event{Type: audit.DataLoad, ActorID: admin.ID, ActorLogin: admin.LoginID,
			Source: "127.0.0.1", Detail: fmt.Sprintf("load %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	// 03/03/2026 23:59:30 and 04/03/2026 00:00:30 in Malaysia: either side of midnight
	// (the Pentadbir logs in again at 23:59, the first session having timed out).
	e.Clock.Advance(38*time.Hour + 59*time.Minute)
	c.Login(adminID, adminPW)
	e.Clock.Advance(30 * time.Second)
	act(t, c, staff, "gantung", nil, "gantung")
	e.Clock.Advance(time.Minute)
	act(t, c, staff, "aktifkan-semula", nil, "aktif")

	all, total, err := e.App.Audit.Find(ctx, audit.Query{Limit: 500})
	if err != nil || total != len(all) || total < 35 {
		t.Fatalf("%d records (%v)", total, err)
	}
	rowsOf := func(r apptest.Response) []string {
		var out []string
		doc(t, r.Body).Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
			out = append(out, tr.Find("code").Text()+"|"+strings.TrimSpace(tr.Find("td").Eq(3).Text())+"|"+strings.TrimSpace(tr.Find("td").Eq(4).Text()))
		})
		return out
	}
	for _, tc := range []struct {
		name  string
		query url.Values
		want  []string // every row, newest first; nil: only the count is checked
		count int
	}{
		{"actor with dashes and type", url.Values{"pelaku": {adminID}, "jenis": {audit.Suspend}},
			[]string{"account.suspend|800101145007|850101145123"}, 1},
		{"subject without dashes, date from", url.Values{"subjek": {"850101145123"}, "mula": {"03/03/2026"}},
			[]string{"account.reactivate|800101145007|850101145123", "account.suspend|800101145007|850101145123"}, 2},
		{"one day, inclusive to its last second", url.Values{"mula": {"2026-03-03"}, "akhir": {"03/03/2026"}},
			[]string{"account.suspend|800101145007|850101145123", "login|800101145007|800101145007"}, 2},
		{"from the next midnight", url.Values{"mula": {"4/3/2026"}},
			[]string{"account.reactivate|800101145007|850101145123"}, 1},
		{"up to the first day", url.Values{"akhir": {"02/03/2026"}}, nil, total - 3},
		{"type and subject", url.Values{"jenis": {audit.Login}, "subjek": {staffID}}, nil, 1},
		{"nothing matches", url.Values{"pelaku": {staffID}, "jenis": {audit.Suspend}}, []string{}, 0},
	} {
		r := c.Get("/pentadbir/audit?" + tc.query.Encode())
		got := rowsOf(r)
		if r.StatusCode != http.StatusOK || !strings.Contains(text(t, r.Body, "p[role=status]"), fmt.Sprint(tc.count)+" rekod") {
			t.Errorf("%s: %d %q", tc.name, r.StatusCode, text(t, r.Body, "p[role=status]"))
		}
		if tc.want != nil && strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s: rows\n%s\nwant\n%s", tc.name, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}

	r := c.Get("/pentadbir/audit?jenis=data.load")
	next, _ := doc(t, r.Body).Find(`a[rel="next"]`).Attr("href")
	first := doc(t, r.Body).Find("tbody tr").First().Find("td").Last().Text()
	if n := len(rowsOf(r)); n != 25 || next != "?hal=2&jenis=data.load" || first != "load 30" {
		t.Fatalf("page 1: %d rows, next %q, newest %q", n, next, first)
	}
	if got := rowsOf(c.Get("/pentadbir/audit" + next)); len(got) != 5 {
		t.Errorf("page 2: %d rows", len(got))
	}

	for _, tc := range []struct {
		query url.Values
		field string
	}{
		{url.Values{"mula": {"31/02/2026"}}, "mula"},
		{url.Values{"akhir": {"kelmarin"}}, "akhir"},
		{url.Values{"mula": {"05/03/2026"}, "akhir": {"04/03/2026"}}, "akhir"},
		{url.Values{"jenis": {"drop table"}}, "jenis"},
		{url.Values{"pelaku": {"---"}}, "pelaku"},
	} {
		r := c.Get("/pentadbir/audit?" + tc.query.Encode())
		if r.StatusCode != http.StatusUnprocessableEntity || text(t, r.Body, "#f-"+tc.field+"-error") == "" {
			t.Errorf("%v: %d, no error beside %s", tc.query, r.StatusCode, tc.field)
		}
	}
}

// TestConsoleAuditCSV: the export has the page's filter, a header, every matching row,
// and cells a spreadsheet would run as formulas neutralised.
func TestConsoleAuditCSV(t *testing.T) {
	e, c, admin, _ := console(t, apptest.Options{})
	other := validRegistration()
	other.Set("login_id", "900215-10-5678")
	other.Set("email", "ahmad@contoh.gov.my")
	e.Client().Post("/daftar", other)
	ahmad := user(t, e, "900215-10-5678")
	if r := c.Post(fmt.Sprintf("/pentadbir/pendaftaran/%d/tolak", ahmad.ID), url.Values{"reason": {"=HYPERLINK(\"http://x\",\"klik\")"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d", r.StatusCode)
	}
	for _, d := range []string{"+1", "-1", "@SUM(A1)", "biasa"} {
		if err := e.App.Audit.Record(context.Background(), audit.Event{Type: audit.AccessDenied, Outcome: audit.Failure,
			ActorID: admin.ID, ActorLogin: admin.LoginID, Source: "127.0.0.1", Detail: d}); err != nil {
			t.Fatal(err)
		}
	}
	read := func(q url.Values) [][]string {
		t.Helper()
		r := c.Get("/pentadbir/audit.csv?" + q.Encode())
		if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
			r.Header.Get("Cache-Control") != "no-store" || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("csv %v: %d %v", q, r.StatusCode, r.Header)
		}
		recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 || recs[0][0] != "Masa (MYT)" || recs[0][6] != "Butiran" {
			t.Fatalf("header %v", recs)
		}
		return recs[1:]
	}
	rows := read(url.Values{"jenis": {audit.Reject}, "subjek": {"900215105678"}})
	if len(rows) != 1 || rows[0][1] != audit.Reject || rows[0][3] != admin.LoginID || rows[0][4] != "900215105678" ||
		rows[0][6] != `'=HYPERLINK("http://x","klik")` || rows[0][0] != "2026-03-02 09:00:00" {
		t.Errorf("rejection rows %q", rows)
	}
	rows = read(url.Values{"jenis": {audit.AccessDenied}, "pelaku": {adminID}, "mula": {"02/03/2026"}, "akhir": {"02/03/2026"}})
	var details []string
	for _, row := range rows {
		details = append(details, row[6])
	}
	if got := strings.Join(details, " "); got != "biasa '@SUM(A1) '-1 '+1" {
		t.Errorf("escaped details %q", got)
	}
	if rows := read(url.Values{"mula": {"03/03/2026"}}); len(rows) != 0 {
		t.Errorf("%d rows after the last day", len(rows))
	}
	// The page links to the export of exactly its filter.
	page := c.Get("/pentadbir/audit?jenis=" + audit.AccessDenied)
	if href, _ := doc(t, page.Body).Find(`a[href^="/pentadbir/audit.csv"]`).Attr("href"); href != "/pentadbir/audit.csv?jenis=access.denied" {
		t.Errorf("csv link %q", href)
	}
	if r := c.Get("/pentadbir/audit.csv?mula=32/01/2026"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("bad filter: %d", r.StatusCode)
	}
}

// TestConsoleOutboxRetry: a failed email shows Cuba semula and the retry policy; the
// retry queues it again (audited) and the worker delivers it.
func TestConsoleOutboxRetry(t *testing.T) {
	e, c, admin, staff := console(t, apptest.Options{SMTP: true})
	e.MailSettled()
	sent := emailsTo(t, e, staff.Email, "account_activated")
	if len(sent) != 1 || sent[0].Status != mail.StatusSent {
		t.Fatalf("activation email %+v", sent)
	}
	id := sent[0].ID
	if _, err := e.App.DB.Q(context.Background()).ExecContext(context.Background(),
		`UPDATE outbox SET status = 'FAILED', attempts = 5, last_error = 'connection refused' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	page := c.Get("/pentadbir/emel")
	if n := doc(t, page.Body).Find(`form[action$="/cuba-semula"]`).Length(); n != 1 {
		t.Errorf("%d retry buttons, want 1 (the failed email only)", n)
	}
	if p := text(t, page.Body, "#retry-policy"); !strings.Contains(p, "sehingga 5 kali") || !strings.Contains(p, "30 saat") || !strings.Contains(p, "60 minit") {
		t.Errorf("policy: %q", p)
	}
	if r := c.Get(fmt.Sprintf("/pentadbir/emel/%d", id)); !strings.Contains(r.Body, "connection refused") || !strings.Contains(r.Body, "Cuba semula") {
		t.Errorf("message page lacks the error or the button")
	}
	r := c.Post(fmt.Sprintf("/pentadbir/emel/%d/cuba-semula", id), nil)
	if want := fmt.Sprintf("/pentadbir/emel/%d?ok=cuba", id); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != want {
		t.Fatalf("retry: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if !strings.Contains(text(t, c.Get(r.Header.Get("Location")).Body, ".notice"), "baris gilir") {
		t.Error("no notice after the retry")
	}
	e.MailSettled()
	if got, _ := e.App.Outbox.Get(context.Background(), id); got.Status != mail.StatusSent || got.Attempts != 1 {
		t.Errorf("after retry: %s, %d attempts", got.Status, got.Attempts)
	}
	if n := len(e.SMTP.For(staff.Email)); n < 2 {
		t.Errorf("%d messages received, want the retried one again", n)
	}
	events, _ := e.App.Audit.Search(context.Background(), audit.Filter{Event: audit.OutboxRetry})
	if len(events) != 1 || events[0].ActorID != admin.ID || events[0].Source != "127.0.0.1" ||
		!strings.Contains(events[0].Detail, fmt.Sprintf("email %d (account_activated) to %s", id, staff.Email)) {
		t.Errorf("audit %+v", events)
	}
	if r := c.Post(fmt.Sprintf("/pentadbir/emel/%d/cuba-semula", id), nil); !strings.HasSuffix(r.Header.Get("Location"), "?ok=sudah") {
		t.Errorf("retry of a sent email: %q", r.Header.Get("Location"))
	}
	if r := c.Post("/pentadbir/emel/999999/cuba-semula", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown email: %d", r.StatusCode)
	}
}

// TestConsoleDashboard: /pentadbir shows pending registrations, active users, the last
// loads and the outbox by status, each with its link.
func TestConsoleDashboard(t *testing.T) {
	e, c, _, _ := console(t, apptest.Options{})
	for _, id := range []string{"900215-10-5678", "880808-08-5888"} {
		f := validRegistration()
		f.Set("login_id", id)
		f.Set("email", "x"+id[:6]+"@contoh.gov.my")
		e.Client().Post("/daftar", f)
	}
	if r := upload(t, c, "payroll", "gaji-mac.csv", payrollCSV); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	if _, err := e.App.DB.Q(context.Background()).ExecContext(context.Background(),
		`UPDATE outbox SET status = 'FAILED' WHERE id = (SELECT MIN(id) FROM outbox)`); err != nil {
		t.Fatal(err)
	}
	counts, _ := e.App.Outbox.Counts(context.Background())
	r := c.Get("/pentadbir")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", r.StatusCode)
	}
	want := map[string]string{"#count-pending": "2", "#count-active": "2", "#outbox-FAILED": "1",
		"#outbox-PENDING": fmt.Sprint(counts["PENDING"]), "#outbox-SENT": "0"}
	for sel, v := range want {
		if got := text(t, r.Body, sel); got != v {
			t.Errorf("%s = %q, want %q", sel, got, v)
		}
	}
	if got := text(t, r.Body, "#recent-loads tbody"); !strings.Contains(got, "gaji-mac.csv") {
		t.Errorf("recent loads: %q", got)
	}
	d := doc(t, r.Body)
	for _, href := range []string{"/pentadbir/pendaftaran", "/pentadbir/pengguna", "/pentadbir/emel?status=FAILED", "/pentadbir/muat"} {
		if d.Find(`main a[href="`+href+`"]`).Length() == 0 {
			t.Errorf("no link to %s", href)
		}
	}
	if !strings.Contains(text(t, r.Body, ".panel-warn"), "1 emel gagal") {
		t.Errorf("no failed-email warning")
	}
	// Six loads: the dashboard shows the newest five.
	for i := range 5 {
		upload(t, c, "payroll", fmt.Sprintf("gaji-%d.csv", i), strings.Replace(payrollCSV, "3500.00", fmt.Sprintf("35%02d.00", i), 1))
	}
	rows := doc(t, c.Get("/pentadbir").Body).Find("#recent-loads tbody tr")
	if rows.Length() != 5 || !strings.Contains(rows.First().Text(), "gaji-4.csv") {
		t.Errorf("%d recent loads, newest %q", rows.Length(), rows.First().Text())
	}
}

// TestConsoleEnglish: the console follows the language choice.
func TestConsoleEnglish(t *testing.T) {
	_, c, _, staff := console(t, apptest.Options{})
	c.Post("/bahasa", url.Values{"lang": {"en"}, "next": {"/"}})
	for path, want := range map[string][]string{
		userPath(staff, ""):   {"Suspend", "Send a temporary password", "Change role", "Active"},
		"/pentadbir/audit":    {"Audit Log", "From date", "Download CSV"},
		"/pentadbir":          {"Pending registrations", "Active users"},
		"/pentadbir/emel":     {"tried up to 5 times"},
		"/pentadbir/pengguna": {"users found"},
	} {
		body := text(t, c.Get(path).Body, "main")
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
}

// TestConsoleCatalogue: every event type, account status and role the console shows
// by a built message ID is in both languages.
func TestConsoleCatalogue(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ev := range audit.Types {
		ids = append(ids, "event."+ev)
	}
	for _, st := range []account.Status{account.Pending, account.Active, account.Rejected, account.Suspended} {
		ids = append(ids, "admin.status."+string(st))
	}
	ids = append(ids, "admin.role.PENGGUNA", "admin.role.PENTADBIR")
	for _, id := range ids {
		if !cat.Has(id) {
			t.Errorf("%q is in no catalogue", id)
		}
	}
}

// TestConsoleRoutesNeedRole: every console route sends the anonymous to Log Masuk and
// answers an ordinary user 404, before doing anything.
func TestConsoleRoutesNeedRole(t *testing.T) {
	e, _, admin, staff := console(t, apptest.Options{})
	browser := e.Client()
	browser.Login(staffID, staffPW2)
	routes := []struct{ method, path string }{
		{"GET", "/pentadbir"},
		{"GET", "/pentadbir/pengguna"},
		{"GET", userPath(admin, "")},
		{"POST", userPath(admin, "gantung")},
		{"POST", userPath(admin, "aktifkan-semula")},
		{"POST", userPath(admin, "buka-kunci")},
		{"POST", userPath(admin, "kata-laluan-sementara")},
		{"POST", userPath(admin, "peranan")},
		{"POST", userPath(staff, "peranan")},
		{"GET", "/pentadbir/audit"},
		{"GET", "/pentadbir/audit.csv"},
		{"POST", "/pentadbir/emel/1/cuba-semula"},
	}
	for _, rt := range routes {
		send := func(c *apptest.Client) apptest.Response {
			if rt.method == "POST" {
				return c.Post(rt.path, url.Values{"role": {"PENTADBIR"}})
			}
			return c.Get(rt.path)
		}
		if r := send(e.Client()); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/log-masuk" {
			t.Errorf("anonymous %s %s: %d %q", rt.method, rt.path, r.StatusCode, r.Header.Get("Location"))
		}
		if r := send(browser); r.StatusCode != http.StatusNotFound {
			t.Errorf("user %s %s: %d, want 404", rt.method, rt.path, r.StatusCode)
		}
	}
	if u := user(t, e, staffID); u.Role != account.RoleUser {
		t.Error("an ordinary user made themself Pentadbir")
	}
	if u := user(t, e, adminID); u.Status != account.Active || u.Role != account.RoleAdmin {
		t.Error("an ordinary user changed the Pentadbir")
	}
	for _, ev := range []string{audit.Suspend, audit.RoleChange, audit.Unlock, audit.AdminTempPassword, audit.OutboxRetry} {
		if events, _ := e.App.Audit.Search(context.Background(), audit.Filter{Event: ev}); len(events) != 0 {
			t.Errorf("%s recorded for a refused request", ev)
		}
	}
}
