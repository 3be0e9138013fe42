package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/apptest"
	"github.com/espeks/espeks/internal/audit"
)

// TestRegistrationValidation submits the PK 0101 form with one thing wrong at a time:
// each error must appear beside its field in Malay, the form must keep what was typed
// (never the passwords or the answer), and nothing may be created.
func TestRegistrationValidation(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	cases := []struct {
		name, field, value, errField, want string
	}{
		{"no user type", "user_type", "", "user_type", "Pilih Jenis Pengguna"},
		{"unknown user type", "user_type", "PENTADBIR", "user_type", "Pilih Jenis Pengguna"},
		{"no ID", "login_id", "", "login_id", "wajib diisi"},
		{"MyKad bad date", "login_id", "851301-14-5123", "login_id", "bukan tarikh lahir"},
		{"MyKad 30 Feb", "login_id", "850230-14-5123", "login_id", "bukan tarikh lahir"},
		{"MyKad bad place code", "login_id", "850101-17-5123", "login_id", "kod tempat lahir"},
		{"MyKad too short", "login_id", "85010114512", "login_id", "Format tidak sah"},
		{"staff with SSM number", "login_id", "201901012345", "login_id", "mesti menggunakan No. KP"},
		{"no name", "name", "   ", "name", "wajib diisi"},
		{"name too long", "name", strings.Repeat("a", 151), "name", "paling banyak 150"},
		{"no email", "email", "", "email", "wajib diisi"},
		{"bad email", "email", "siti@", "email", "Emel tidak sah"},
		{"email with display name", "email", "Siti <siti@contoh.gov.my>", "email", "Emel tidak sah"},
		{"no phone", "phone", "", "phone", "wajib diisi"},
		{"bad phone", "phone", "12345", "phone", "No. Telefon tidak sah"},
		{"no department", "department", "", "department", "wajib diisi"},
		{"no staff number", "staff_no", "", "staff_no", "wajib diisi"},
		{"bad staff number", "staff_no", "G 123;", "staff_no", "No. Gaji hanya"},
		{"no question", "question", "", "question", "Pilih satu Soalan"},
		{"question not in list", "question", "warna", "question", "Pilih satu Soalan"},
		{"no answer", "answer", "", "answer", "wajib diisi"},
		{"short answer", "answer", "ab", "answer", "terlalu pendek"},
		{"no password", "password", "", "password", "wajib diisi"},
		{"short password", "password", "pendek", "password", "sekurang-kurangnya 12"},
		{"common password", "password", "password1234", "password", "terlalu biasa"},
		{"password contains name", "password", "aminah sayang kucing", "password", "tidak boleh mengandungi"},
		{"password contains ID", "password", "850101145123abc", "password", "tidak boleh mengandungi"},
		{"password contains state", "password", "saya orang melaka sejati", "password", "tidak boleh mengandungi"},
		{"confirm mismatch", "confirm", "lain sekali kata laluan", "confirm", "tidak sama"},
		{"no confirm", "confirm", "", "confirm", "wajib diisi"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := validRegistration()
			f.Set(tc.field, tc.value)
			if tc.field == "password" && tc.value != "" {
				f.Set("confirm", tc.value) // one error at a time
			}
			r := e.Client().Post("/daftar", f)
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.StatusCode)
			}
			got := text(t, r.Body, "#f-"+tc.errField+"-error")
			if !strings.Contains(got, tc.want) {
				t.Errorf("error beside %s = %q, want it to contain %q", tc.errField, got, tc.want)
			}
			d := doc(t, r.Body)
			if n := d.Find(".error-message").Length(); n != 1 {
				t.Errorf("%d error messages shown, want exactly 1", n)
			}
			if tc.errField != "name" && tc.field != "name" {
				if v, _ := d.Find("#f-name").Attr("value"); v != "Siti Aminah binti Abu" {
					t.Errorf("typed name not kept: %q", v)
				}
			}
			for _, secret := range []string{"password", "confirm", "answer"} {
				if v, ok := d.Find("#f-" + secret).Attr("value"); ok && v != "" {
					t.Errorf("%s echoed back: %q", secret, v)
				}
			}
			if _, err := e.App.Accounts.Store.ByLoginID(context.Background(), "850101145123"); err != account.ErrNotFound {
				t.Errorf("an account was created from an invalid form (err %v)", err)
			}
		})
	}
}

// TestRegistrationErrorsAllAtOnce: "Hantar" validates everything at once.
func TestRegistrationErrorsAllAtOnce(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	r := e.Client().Post("/daftar", map[string][]string{"user_type": {"KAKITANGAN"}})
	d := doc(t, r.Body)
	for _, f := range []string{"login_id", "name", "email", "phone", "department", "staff_no", "question", "answer", "password", "confirm"} {
		if d.Find("#f-"+f+"-error").Length() != 1 {
			t.Errorf("no error beside %s", f)
		}
		if _, ok := d.Find("#f-" + f).Attr("aria-invalid"); !ok {
			t.Errorf("%s not marked aria-invalid", f)
		}
	}
}

// TestRegistrationEnglish: errors are in the user's language.
func TestRegistrationEnglish(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c := e.Client()
	c.Post("/bahasa", map[string][]string{"lang": {"en"}, "next": {"/daftar"}})
	f := validRegistration()
	f.Set("email", "nope")
	r := c.Post("/daftar", f)
	if got := text(t, r.Body, "#f-email-error"); !strings.Contains(got, "Invalid email address") {
		t.Errorf("English error = %q", got)
	}
	if lang, _ := doc(t, r.Body).Find("html").Attr("lang"); lang != "en" {
		t.Errorf("html lang = %q", lang)
	}
}

// TestRegistrationCreatesPendingAccount: a valid form creates a pending account with
// normalised ID, sends the acknowledgement and is audited.
func TestRegistrationCreatesPendingAccount(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	r := e.Client().Post("/daftar", validRegistration())
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/daftar/diterima" {
		t.Fatalf("status %d location %q", r.StatusCode, r.Header.Get("Location"))
	}
	u := user(t, e, staffID)
	if u.Status != account.Pending || u.LoginID != "850101145123" || u.Type != account.Staff || u.Role != account.RoleUser {
		t.Errorf("account = %+v", u)
	}
	if u.Phone != "0123456789" || u.Email != "siti@contoh.gov.my" || u.StaffNo != "G12345" {
		t.Errorf("fields not normalised: %q %q %q", u.Phone, u.Email, u.StaffNo)
	}
	if strings.Contains(u.PasswordHash, staffPW) || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Errorf("password not hashed with argon2id")
	}
	if !strings.HasPrefix(u.SecurityAnswerHash, "$argon2id$") {
		t.Errorf("answer not hashed")
	}
	ack := emailsTo(t, e, "siti@contoh.gov.my", "registration_received")
	if len(ack) != 1 || !strings.Contains(ack[0].Body, e.URL+"/sahkan-emel?t=") {
		t.Fatalf("acknowledgement emails = %+v", ack)
	}
	events, _ := e.App.Audit.ForSubject(context.Background(), u.ID, 10)
	if len(events) != 1 || events[0].Type != audit.Register {
		t.Errorf("audit = %+v", events)
	}
	page := e.Client().Get("/daftar/diterima")
	if !strings.Contains(page.Body, "Menunggu Pengesahan") {
		t.Errorf("done page does not say what happens next")
	}
}

// TestRegistrationSupplier: suppliers may use SSM numbers in both formats, or a MyKad.
func TestRegistrationSupplier(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	for i, id := range []string{"201901012345", "123456-a", "JM0123456-X", "900215-10-5678"} {
		f := validRegistration()
		f.Set("user_type", "PEMBEKAL")
		f.Set("login_id", id)
		f.Set("email", "pembekal"+string(rune('a'+i))+"@syarikat.com.my")
		f.Del("department")
		f.Del("staff_no")
		if r := e.Client().Post("/daftar", f); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d: %s", id, r.StatusCode, text(t, r.Body, ".error-message"))
		}
	}
	for _, want := range []string{"201901012345", "123456A", "JM0123456X", "900215105678"} {
		if u := user(t, e, want); u.Type != account.Supplier {
			t.Errorf("%s: %+v", want, u)
		}
	}
}

// TestDuplicateRegistrationNotRevealed: registering an existing ID answers exactly as a
// new one, creates nothing, and emails the existing owner instead.
func TestDuplicateRegistrationNotRevealed(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	first := e.Client().Post("/daftar", validRegistration())
	f := validRegistration()
	f.Set("login_id", "850101145123") // same ID typed without dashes
	f.Set("email", "penyamar@jahat.com")
	f.Set("name", "Orang Lain")
	second := e.Client().Post("/daftar", f)
	if first.StatusCode != second.StatusCode || first.Header.Get("Location") != second.Header.Get("Location") || first.Body != second.Body {
		t.Fatalf("responses differ: %d %q vs %d %q", first.StatusCode, first.Header.Get("Location"), second.StatusCode, second.Header.Get("Location"))
	}
	if u := user(t, e, staffID); u.Email != "siti@contoh.gov.my" || u.Name != "Siti Aminah binti Abu" {
		t.Errorf("existing account changed: %+v", u)
	}
	if n := len(emailsTo(t, e, "penyamar@jahat.com", "registration_received")); n != 0 {
		t.Errorf("the impostor got %d acknowledgements", n)
	}
	if n := len(emailsTo(t, e, "siti@contoh.gov.my", "registration_exists")); n != 1 {
		t.Errorf("owner got %d warnings, want 1", n)
	}
}

// TestConfirmEmailLink: the link in the acknowledgement confirms the address once; a
// GET alone changes nothing.
func TestConfirmEmailLink(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	e.Client().Post("/daftar", validRegistration())
	body := emailsTo(t, e, "siti@contoh.gov.my", "registration_received")[0].Body
	i := strings.Index(body, "/sahkan-emel?t=")
	token := strings.Fields(body[i+len("/sahkan-emel?t="):])[0]
	c := e.Client()
	c.Get("/sahkan-emel?t=" + token)
	if !user(t, e, staffID).EmailConfirmedAt.IsZero() {
		t.Fatal("GET confirmed the email")
	}
	if r := c.Post("/sahkan-emel", map[string][]string{"t": {token}}); r.StatusCode != 200 {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	if user(t, e, staffID).EmailConfirmedAt.IsZero() {
		t.Fatal("email not confirmed")
	}
	if r := c.Post("/sahkan-emel", map[string][]string{"t": {token}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("second use: %d, want 400", r.StatusCode)
	}
	if r := c.Post("/sahkan-emel", map[string][]string{"t": {"bogus"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("bogus token: %d, want 400", r.StatusCode)
	}
}
