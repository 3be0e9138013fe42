// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on a loopback
// port for tests: it accepts any or no PLAIN credentials without TLS, keeps every message
// it receives decoded (subject from MIME encoded-words, the text/plain body from
// quoted-printable or base64, inside multipart/alternative too), and can be switched to
// answer 451 to MAIL, RCPT and DATA to test what happens when the mail server is down.
//
//	srv := smtptest.Start(t)
//	sender, _ := mail.NewSMTPSender(srv.URL(), "eSPEKS <noreply@example.gov.my>")
//	...
//	msgs := srv.WaitFor(t, "user@example.com", 1)
package smtptest
