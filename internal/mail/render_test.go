package mail

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.txt from the templates")

// sample fills every field the templates use.
var sample = Data{
	Name:           "Siti Aminah binti Abdullah",
	LoginID:        "800101-14-5678",
	StateName:      "Negeri Sembilan",
	BaseURL:        "https://espeks.ns.gov.my",
	Link:           "https://espeks.ns.gov.my/sahkan-emel?t=Zm9vYmFyYmF6cXV4",
	Reason:         "No. Gaji tidak sepadan dengan data gaji yang dimuatkan.",
	TempPassword:   "q7V#pL2m!Rx9tB4z",
	ExpiresMinutes: 24 * 60,
	When:           "12/03/2026 14:05",
	NewEmail:       "siti.baru@example.com",
	Payslips:       2,
}

const (
	footerMS = "Emel ini dijana oleh komputer. Sila jangan balas emel ini."
	footerEN = "This email is computer generated. Please do not reply to it."
)

func TestTemplates(t *testing.T) {
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		secret bool
		// each of these must appear in both the Malay and the English text
		want []string
	}{
		{RegistrationReceived, false, []string{sample.Name, sample.LoginID, sample.Link, "Pentadbir"}},
		{RegistrationExists, false, []string{sample.LoginID, "Lupa Kata Laluan", sample.BaseURL + "/log-masuk"}},
		{AccountActivated, false, []string{sample.LoginID, sample.BaseURL + "/log-masuk"}},
		{AccountRejected, false, []string{sample.LoginID, sample.Reason}},
		{PasswordChanged, false, []string{sample.LoginID, sample.When}},
		{TemporaryPassword, true, []string{sample.LoginID, sample.TempPassword, sample.BaseURL + "/log-masuk"}},
		{EmailChangeConfirm, false, []string{sample.LoginID, sample.Link}},
		{EmailChangedOld, false, []string{sample.LoginID, sample.NewEmail}},
		{StatementLoaded, false, []string{sample.LoginID, sample.BaseURL + "/log-masuk"}},
	}
	if got, want := len(r.Names()), len(tests); got != want {
		t.Errorf("%d templates embedded (%v), %d tested", got, r.Names(), want)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subject, body, secret, err := r.Render(tt.name, sample)
			if err != nil {
				t.Fatal(err)
			}
			if secret != tt.secret || IsSecret(tt.name) != tt.secret {
				t.Errorf("secret = %v, IsSecret = %v, want %v", secret, IsSecret(tt.name), tt.secret)
			}
			ms, en, ok := strings.Cut(subject, " / ")
			if !ok || strings.TrimSpace(ms) == "" || strings.TrimSpace(en) == "" || ms == en {
				t.Errorf("subject %q is not <Malay> / <English>", subject)
			}
			if strings.ContainsAny(subject, "\r\n") {
				t.Errorf("subject %q spans lines", subject)
			}
			parts := strings.Split(body, "\n"+Separator+"\n")
			if len(parts) != 2 {
				t.Fatalf("body has %d parts separated by %q, want 2 (Malay, English)", len(parts), Separator)
			}
			malay, english := parts[0], parts[1]
			if !strings.HasPrefix(malay, "Tuan/Puan "+sample.Name+",") || strings.Contains(malay, "Dear") {
				t.Errorf("first part is not the Malay text:\n%s", malay)
			}
			if !strings.HasPrefix(english, "Dear "+sample.Name+",") || strings.Contains(english, "Tuan/Puan") {
				t.Errorf("second part is not the English text:\n%s", english)
			}
			if !strings.HasSuffix(strings.TrimSpace(malay), footerMS) {
				t.Errorf("Malay text does not end with %q", footerMS)
			}
			if !strings.HasSuffix(strings.TrimSpace(english), footerEN) {
				t.Errorf("English text (and email) does not end with %q", footerEN)
			}
			for _, w := range tt.want {
				if !strings.Contains(malay, w) || !strings.Contains(english, w) {
					t.Errorf("%q missing from the Malay or the English text", w)
				}
			}
			if strings.Contains(body, "<no value>") {
				t.Error("body has <no value>")
			}
			if !tt.secret && strings.Contains(body, sample.TempPassword) {
				t.Error("a non-secret template shows the temporary password")
			}

			got := "Subject: " + subject + "\n\n" + body
			golden := filepath.Join("testdata", "golden", tt.name+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the rendered email (go test -update rewrites it):\n%s", golden, got)
			}
		})
	}
}

func TestRenderMapAndErrors(t *testing.T) {
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	full := map[string]any{
		"Name": "Ali", "LoginID": "800101-14-5678", "StateName": "Perak",
		"BaseURL": "https://x", "Reason": "Tidak lengkap",
	}
	subject, body, _, err := r.Render(AccountRejected, full)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Sebab: Tidak lengkap") || !strings.Contains(subject, " / ") {
		t.Errorf("map data not rendered: %q\n%s", subject, body)
	}

	tests := []struct {
		name     string
		template string
		data     any
	}{
		{"unknown template", "no_such_template", sample},
		{"missing map key", AccountRejected, map[string]any{"Name": "Ali"}},
		{"zero expiry", TemporaryPassword, Data{Name: "Ali", TempPassword: "x"}},
		{"expiry not a number", TemporaryPassword, map[string]any{
			"Name": "A", "LoginID": "1", "StateName": "S", "BaseURL": "b", "TempPassword": "p", "ExpiresMinutes": "60"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, _, err := r.Render(tt.template, tt.data); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestMalformedTemplatesFailFast(t *testing.T) {
	tests := []struct{ name, src string }{
		{"no subject line", "Hello\n\nbody\n---\nbody\n"},
		{"subject not bilingual", "Subject: Hanya Melayu\n\nbadan\n---\nbody\n"},
		{"no blank line", "Subject: A / B\nbadan\n---\nbody\n"},
		{"no separator", "Subject: A / B\n\nbadan\nbody\n"},
		{"two separators", "Subject: A / B\n\nbadan\n---\nbody\n---\nmore\n"},
		{"bad template syntax", "Subject: A / B\n\n{{.Name\n---\nbody\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"t/x.txt": {Data: []byte(tt.src)}}
			if _, err := newRenderer(fsys, "t"); err == nil {
				t.Error("no error")
			}
		})
	}
	if _, err := newRenderer(fstest.MapFS{"t/x.txt": {Data: []byte("Subject: A / B\r\n\r\nbadan\r\n---\r\nbody\r\n")}}, "t"); err != nil {
		t.Errorf("CRLF template: %v", err)
	}
}

func TestHumanMinutes(t *testing.T) {
	tests := []struct {
		in     any
		ms, en string
	}{
		{1, "1 minit", "1 minute"},
		{30, "30 minit", "30 minutes"},
		{60, "60 minit", "60 minutes"},
		{90, "90 minit", "90 minutes"},
		{120, "2 jam", "2 hours"},
		{1440, "24 jam", "24 hours"},
		{2880, "2 hari", "2 days"},
		{int64(4320), "3 hari", "3 days"},
		{uint(180), "3 jam", "3 hours"},
	}
	for _, tt := range tests {
		ms, err := humanMinutes(tt.in, malay)
		if err != nil || ms != tt.ms {
			t.Errorf("humanMinutes(%v, malay) = %q, %v; want %q", tt.in, ms, err, tt.ms)
		}
		en, err := humanMinutes(tt.in, english)
		if err != nil || en != tt.en {
			t.Errorf("humanMinutes(%v, english) = %q, %v; want %q", tt.in, en, err, tt.en)
		}
	}
}
