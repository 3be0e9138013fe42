package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/dbtest"
	"github.com/espeks/espeks/internal/mail"
	"github.com/espeks/espeks/internal/password"
)

func newService(t *testing.T) *account.Service {
	t.Helper()
	d := dbtest.Open(t)
	now := func() time.Time { return time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) }
	r, err := mail.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	return &account.Service{DB: d, Store: &account.Store{DB: d},
		Hasher: password.NewHasher(password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 0),
		Policy: password.Policy{MinLength: 12, MaxLength: 128, StateName: "Melaka"}, Outbox: mail.NewOutbox(d, r, now),
		Audit: &audit.Log{DB: d, Now: now}, Now: now, BaseURL: "http://espeks.test", StateName: "Melaka"}
}

func create(t *testing.T, s *account.Service, typ, id, name, email string, role account.Role) account.User {
	t.Helper()
	r := account.Registration{UserType: typ, LoginID: id, Name: name, Email: email, Phone: "012-3456789",
		Question: "ibu", Answer: "Fatimah", Password: "kopi susu panas pagi", Confirm: "kopi susu panas pagi"}
	if typ == "KAKITANGAN" {
		r.Department, r.StaffNo = "Jabatan Kewangan", "G"+id[:5]
	}
	u, err := s.CreateActive(context.Background(), r, role)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestAdminUserActions: each action changes the account and writes its record in one
// transaction; refusals change nothing.
func TestAdminUserActions(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	admin := create(t, s, "KAKITANGAN", "800101-14-5007", "Pentadbir Satu", "p1@contoh.gov.my", account.RoleAdmin)
	staff := create(t, s, "KAKITANGAN", "850101-14-5123", "Siti Aminah", "siti@contoh.gov.my", account.RoleUser)
	act := account.AdminAction{Admin: admin, UserID: staff.ID, Source: "10.0.0.9"}
	records := func(event string) []audit.Event {
		events, err := s.Audit.Search(ctx, audit.Filter{Event: event, Subject: staff.LoginID})
		if err != nil {
			t.Fatal(err)
		}
		return events
	}

	// The caller's part failing rolls back the change and its record.
	failing := act
	failing.InTx = func(context.Context, account.User) error { return errors.New("sessions table gone") }
	if err := s.Suspend(ctx, failing); err == nil {
		t.Fatal("suspension committed although its second half failed")
	}
	if u, _ := s.Store.ByID(ctx, staff.ID); u.Status != account.Active || len(records(audit.Suspend)) != 0 {
		t.Fatalf("after a failed suspension: %s, %d records", u.Status, len(records(audit.Suspend)))
	}

	called := 0
	withPart := act
	withPart.InTx = func(_ context.Context, u account.User) error {
		if u.ID != staff.ID {
			t.Errorf("InTx got %d", u.ID)
		}
		called++
		return nil
	}
	for _, tc := range []struct {
		name  string
		do    func() error
		want  error
		event string
	}{
		{"suspend", func() error { return s.Suspend(ctx, withPart) }, nil, audit.Suspend},
		{"suspend again", func() error { return s.Suspend(ctx, withPart) }, account.ErrUnchanged, ""},
		{"promote while suspended", func() error { return s.SetRole(ctx, withPart, account.RoleAdmin) }, account.ErrNotActive, ""},
		{"temporary password while suspended", func() error { return s.SendTemporaryPassword(ctx, act, time.Hour) }, account.ErrNotActive, ""},
		{"reactivate", func() error { return s.Reactivate(ctx, act) }, nil, audit.Reactivate},
		{"reactivate again", func() error { return s.Reactivate(ctx, act) }, account.ErrUnchanged, ""},
		{"promote", func() error { return s.SetRole(ctx, withPart, account.RoleAdmin) }, nil, audit.RoleChange},
		{"unlock", func() error { return s.Unlock(ctx, withPart) }, nil, audit.Unlock},
		{"temporary password", func() error { return s.SendTemporaryPassword(ctx, act, time.Hour) }, nil, audit.AdminTempPassword},
		{"unknown account", func() error {
			a := act
			a.UserID = 999999
			return s.Reactivate(ctx, a)
		}, account.ErrNotFound, ""},
	} {
		before := 0
		if tc.event != "" {
			before = len(records(tc.event))
		}
		if err := tc.do(); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			continue
		}
		if tc.event == "" {
			continue
		}
		events := records(tc.event)
		if len(events) != before+1 || events[0].ActorID != admin.ID || events[0].Source != "10.0.0.9" || events[0].Outcome != audit.Success {
			t.Errorf("%s: records %+v", tc.name, events)
		}
	}
	if called != 3 {
		t.Errorf("InTx called %d times, want 3 (suspend, promote, unlock)", called)
	}
	if u, _ := s.Store.ByID(ctx, staff.ID); u.Status != account.Active || u.Role != account.RoleAdmin {
		t.Errorf("final state %s %s", u.Status, u.Role)
	}
	if list, _, _ := s.Outbox.List(ctx, "", 10, 0); len(list) != 1 || list[0].Template != "temporary_password" || list[0].To != staff.Email {
		t.Errorf("outbox %+v", list)
	}
}

// TestAdminSelfAndSupplier: no Pentadbir demotes or suspends themself; a supplier's
// account never becomes Pentadbir.
func TestAdminSelfAndSupplier(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	admin := create(t, s, "KAKITANGAN", "800101-14-5007", "Pentadbir Satu", "p1@contoh.gov.my", account.RoleAdmin)
	supplier := create(t, s, "PEMBEKAL", "201901000005", "Syarikat Maju Sdn Bhd", "akaun@maju.com.my", account.RoleUser)
	self := account.AdminAction{Admin: admin, UserID: admin.ID, Source: "10.0.0.9"}
	if err := s.SetRole(ctx, self, account.RoleUser); !errors.Is(err, account.ErrSelf) {
		t.Errorf("self-demotion: %v", err)
	}
	if err := s.Suspend(ctx, self); !errors.Is(err, account.ErrSelf) {
		t.Errorf("self-suspension: %v", err)
	}
	if err := s.SetRole(ctx, self, account.RoleAdmin); !errors.Is(err, account.ErrUnchanged) {
		t.Errorf("self to the same role: %v", err)
	}
	if u, _ := s.Store.ByID(ctx, admin.ID); u.Role != account.RoleAdmin || u.Status != account.Active {
		t.Errorf("admin now %s %s", u.Role, u.Status)
	}
	events, _ := s.Audit.Search(ctx, audit.Filter{Subject: admin.LoginID})
	refused := 0
	for _, e := range events {
		if e.Outcome == audit.Failure && e.ActorID == admin.ID {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("%d refusals recorded, want 2: %+v", refused, events)
	}
	err := s.SetRole(ctx, account.AdminAction{Admin: admin, UserID: supplier.ID, Source: "10.0.0.9"}, account.RoleAdmin)
	if !errors.Is(err, account.ErrNotStaff) {
		t.Errorf("supplier promoted: %v", err)
	}
}

// TestStoreSearch: by ID with or without dashes, name or email, any status, paged.
func TestStoreSearch(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	create(t, s, "KAKITANGAN", "800101-14-5007", "Pentadbir Satu", "p1@contoh.gov.my", account.RoleAdmin)
	create(t, s, "KAKITANGAN", "850101-14-5123", "Siti Aminah", "siti@contoh.gov.my", account.RoleUser)
	create(t, s, "PEMBEKAL", "201901000005", "Syarikat Maju Sdn Bhd", "akaun@maju.com.my", account.RoleUser)
	for q, want := range map[string]int{"": 3, "850101-14-5123": 1, "850101145123": 1, "2019-01": 1, "SITI": 1,
		"contoh.gov.my": 2, "maju": 1, "%": 0, `\`: 0, "x' OR '1'='1": 0} {
		users, total, err := s.Store.Search(ctx, q, 10, 0)
		if err != nil || total != want || len(users) != want {
			t.Errorf("Search(%q) = %d users, total %d, %v; want %d", q, len(users), total, err, want)
		}
	}
	page, total, _ := s.Store.Search(ctx, "", 2, 2)
	if total != 3 || len(page) != 1 || page[0].Name != "Syarikat Maju Sdn Bhd" {
		t.Errorf("second page %+v (total %d)", page, total)
	}
}
