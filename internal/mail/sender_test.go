package mail

import (
	"strings"
	"testing"

	"github.com/espeks/espeks/internal/mail/smtptest"
)

func TestNewSMTPSender(t *testing.T) {
	tests := []struct {
		url, from string
		want      string // String(); "" means an error is expected
	}{
		{"smtp://mail.example.com", testFrom, "smtp://mail.example.com:25"},
		{"smtp://user:s3cret@mail.example.com:587", testFrom, "smtp://user@mail.example.com:587"},
		{"smtps://user:s3cret@mail.example.com", testFrom, "smtps://user@mail.example.com:465"},
		{"smtps://[::1]:2465", "noreply@example.com", "smtps://[::1]:2465"},
		{"http://mail.example.com", testFrom, ""},
		{"smtp://", testFrom, ""},
		{"smtp://user:s3cret@mail.example.com:99999", testFrom, ""},
		{"smtp://user:s3cret@mail.example.com:x", testFrom, ""},
		{"smtp://user:s3cret@mail.example.com:587", "", ""},
		{"smtp://user:s3cret@mail.example.com:587", "not an address", ""},
		{"smtp://user:s3cret@%zz", testFrom, ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			s, err := NewSMTPSender(tt.url, tt.from)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("no error, got %v", s)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSMTPSenderAuthOnLoopback(t *testing.T) {
	srv := smtptest.Start(t)
	tests := []struct {
		name      string
		userinfo  string
		wantAuths int
	}{
		{"without credentials", "", 0},
		{"PLAIN without TLS to a loopback host", "user:s3cret@", 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSMTPSender("smtp://"+tt.userinfo+srv.Addr(), testFrom)
			if err != nil {
				t.Fatal(err)
			}
			to := "r" + string(rune('a'+i)) + "@example.com"
			err = s.Send(t.Context(), Envelope{To: to, Subject: "Ujian / Test ✓", Body: "Salam sejahtera — ü\n---\nHello\n"})
			if err != nil {
				t.Fatal(err)
			}
			m := srv.WaitFor(t, to, 1)[0]
			if m.Subject != "Ujian / Test ✓" || m.Text != "Salam sejahtera — ü\n---\nHello\n" {
				t.Errorf("received %q / %q", m.Subject, m.Text)
			}
			if m.From != "noreply@espeks.test" {
				t.Errorf("envelope from %q, want the default sender", m.From)
			}
		})
		if got := srv.Auths(); got != tt.wantAuths {
			t.Errorf("%s: %d AUTH exchanges, want %d", tt.name, got, tt.wantAuths)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.3.4.5": true, "::1": true,
		"mail.example.com": false, "10.0.0.1": false, "localhost.example.com": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}
