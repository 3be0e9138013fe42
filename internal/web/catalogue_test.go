package web

import (
	"fmt"
	"io/fs"
	"regexp"
	"testing"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/i18n"
)

// TestTemplateWordsTranslated: every message ID a template names exists in both
// catalogues, as do the IDs templates build (questions, user types, outbox states).
func TestTemplateWordsTranslated(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	ids := regexp.MustCompile(`\.T "([a-z0-9_.A-Z]+)"|\.Field "[a-z_]+" "[a-z]+" "([a-z0-9_.]+)" "[a-z-]*"(?: "([a-z0-9_.]+)")?`)
	err = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, p)
		if err != nil {
			return err
		}
		for _, m := range ids.FindAllStringSubmatch(string(b), -1) {
			for _, id := range m[1:] {
				if id == "" {
					continue
				}
				found++
				if !cat.Has(id) {
					t.Errorf("%s: %q is in no catalogue", p, id)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 100 {
		t.Errorf("only %d message IDs found in the templates: the pattern no longer matches them", found)
	}
	var built []string
	for _, q := range account.SecurityQuestions {
		built = append(built, "question."+q)
	}
	built = append(built, "usertype.KAKITANGAN", "usertype.PEMBEKAL", "outbox.PENDING", "outbox.SENDING", "outbox.SENT", "outbox.FAILED",
		"login.pending", "login.rejected", "login.suspended", "outcome.success", "outcome.failure")
	for _, ev := range []string{audit.Login, audit.LoginFailed, audit.Lockout, audit.SourceBlocked, audit.Logout, audit.Register,
		audit.RegisterExisting, audit.Activate, audit.Reject, audit.PasswordChange, audit.EmailConfirm, audit.AdminCreate,
		audit.AccessDenied, audit.EmailChange, audit.EmailChangeAsk, audit.ProfileUpdate, audit.QuestionChange,
		audit.ResetRequest, audit.ResetFailed, audit.TempLogin, audit.DataLoad, audit.APIKeyCreate, audit.APIKeyRevoke,
		audit.AccountCheckFailed} {
		built = append(built, "event."+ev)
	}
	for _, st := range []string{"DIHANTAR", "DITERIMA", "GAGAL", "DIKELUARKAN", "DIBATALKAN"} {
		built = append(built, "status."+st)
	}
	for _, m := range []string{"EFT", "CEK", "DRAF", "TT"} {
		built = append(built, "mode."+m)
	}
	for m := 1; m <= 12; m++ {
		built = append(built, fmt.Sprintf("month.%d", m))
	}
	for _, k := range []string{"payroll", "payments"} {
		built = append(built, "admin.loads.kind."+k)
	}
	for _, st := range []string{"ACCEPTED", "REJECTED", "DUPLICATE"} {
		built = append(built, "load.status."+st)
	}
	for _, id := range built {
		if !cat.Has(id) {
			t.Errorf("%q is in no catalogue", id)
		}
	}
}
