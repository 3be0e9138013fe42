package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/dbtest"
)

// cli runs the command as a user would, on a database of the test's own.
func cli(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	_, url := dbtest.OpenURL(t)
	dir := t.TempDir()
	getenv := func(k string) string {
		switch k {
		case "ESPEKS_DATABASE_URL":
			return url
		case "ESPEKS_DATA_DIR":
			return dir
		}
		return ""
	}
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, getenv)
	return code, out.String(), errOut.String()
}

func TestAdminCreate(t *testing.T) {
	var url, dir string
	d, u := dbtest.OpenURL(t)
	url, dir = u, t.TempDir()
	if url == "" {
		dir = strings.TrimSuffix(d.Path, "/"+db.FileName)
	}
	getenv := func(k string) string {
		return map[string]string{"ESPEKS_DATABASE_URL": url, "ESPEKS_DATA_DIR": dir}[k]
	}
	run1 := func(stdin string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, getenv)
		return code, out.String(), errOut.String()
	}
	args := []string{"admin", "create", "--id", "800101-14-5007", "--name", "Pentadbir Pertama", "--email", "it@melaka.gov.my"}

	code, _, stderr := run1("pendek\n", args...)
	if code != 1 || !strings.Contains(stderr, "--password") || !strings.Contains(stderr, "too short") {
		t.Errorf("weak password: code %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := run1("bilik server tingkat tiga\n", args...)
	if code != 0 || !strings.Contains(stdout, "800101-14-5007") {
		t.Fatalf("create: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "bilik server") {
		t.Error("the password was echoed")
	}
	u2, err := (&account.Store{DB: d}).ByLoginID(context.Background(), "800101145007")
	if err != nil || u2.Role != account.RoleAdmin || u2.Status != account.Active || u2.MustChangePassword {
		t.Errorf("admin = %+v, %v", u2, err)
	}
	code, _, stderr = run1("bilik server tingkat tiga\n", args...)
	if code != 1 || !strings.Contains(stderr, "already registered") {
		t.Errorf("duplicate: code %d, stderr %q", code, stderr)
	}
	code, _, stderr = run1("x\n", "admin", "create", "--id", "800101-14-5007")
	if code != 2 || !strings.Contains(stderr, "usage") {
		t.Errorf("missing flags: code %d, stderr %q", code, stderr)
	}
	code, _, stderr = run1("bilik server tingkat tiga\n", "admin", "create", "--id", "801301-14-5007", "--name", "X Y", "--email", "a@b.my")
	if code != 1 || !strings.Contains(stderr, "--id") {
		t.Errorf("bad MyKad: code %d, stderr %q", code, stderr)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, stderr := cli(t, "", "terbang")
	if code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Errorf("code %d stderr %q", code, stderr)
	}
	if code, _, _ := cli(t, "", "migrate"); code != 0 {
		t.Errorf("migrate: code %d", code)
	}
}
