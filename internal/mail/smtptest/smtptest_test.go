package smtptest

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		subject string
		text    string
		wantErr bool
	}{
		{
			name:    "plain 7bit",
			raw:     "Subject: Hello\r\n\r\nLine one\r\nLine two\r\n",
			subject: "Hello",
			text:    "Line one\nLine two\n",
		},
		{
			name: "quoted-printable with encoded-word subject",
			raw: "Subject: =?UTF-8?q?Kata_laluan_=E2=80=94_ujian?=\r\n" +
				"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
				"Salam =E2=80=94 panjang=\r\n sambungan\r\n",
			subject: "Kata laluan — ujian",
			text:    "Salam — panjang sambungan\n",
		},
		{
			name: "base64",
			raw: "Subject: =?utf-8?b?VWppYW4gw7w=?=\r\n" +
				"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				"U2FsYW0g4oCUIMO8\r\nCg==\r\n",
			subject: "Ujian ü",
			text:    "Salam — ü\n",
		},
		{
			name: "multipart/alternative picks text/plain",
			raw: "Subject: Alt\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=XX\r\n\r\n" +
				"--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML</p>\r\n" +
				"--XX\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nTeks =C3=BC\r\n" +
				"--XX--\r\n",
			subject: "Alt",
			text:    "Teks ü",
		},
		{
			name:    "no text part",
			raw:     "Subject: x\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n",
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.raw))
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tt.subject || m.Text != tt.text {
				t.Errorf("got %q / %q, want %q / %q", m.Subject, m.Text, tt.subject, tt.text)
			}
		})
	}
}

func TestServer(t *testing.T) {
	s := Start(t)
	if !strings.HasPrefix(s.URL(), "smtp://127.0.0.1:") {
		t.Errorf("URL = %s", s.URL())
	}
	msg := "Subject: Hi\r\n\r\nHello\r\n"
	if err := smtp.SendMail(s.Addr(), nil, "a@example.com", []string{"b@example.com", "c@example.com"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	got := s.WaitFor(t, "C@example.com", 1)
	if len(got) != 1 || got[0].From != "a@example.com" || len(got[0].To) != 2 || got[0].Text != "Hello\n" {
		t.Errorf("received %+v", got)
	}

	s.SetFailing(true)
	err := smtp.SendMail(s.Addr(), nil, "a@example.com", []string{"b@example.com"}, []byte(msg))
	var terr *textproto.Error
	if !errors.As(err, &terr) || terr.Code != 451 {
		t.Errorf("failing server: err = %v, want 451", err)
	}
	s.SetFailing(false)
	if n := len(s.Messages()); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}
