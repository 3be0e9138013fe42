// Package mail renders and delivers eSPEKS's emails through a durable outbox.
//
// Templates are embedded files, templates/<name>.txt: a first line
// "Subject: <Malay> / <English>", a blank line, then the body — the Malay text, a line
// "---", the English text — rendered with text/template from a Data (or a map with the
// same keys). A Renderer parses them all at start-up.
//
// Outbox.Enqueue renders an email and inserts it into the outbox table through db.Q, so
// inside db.WithTx the email exists if and only if the change that caused it commits
// (ARCHITECTURE.md, house rule 7). After the commit the caller calls Notify to wake the
// Worker; outside a transaction Enqueue does it itself.
//
// A Worker claims due rows (PENDING and due, or SENDING with an expired lease after a
// crash) in one UPDATE … RETURNING, so several workers on one database never send a row
// twice, sends them with a Sender and records the outcome: SENT, or PENDING again after
// an exponential backoff, or FAILED after MaxAttempts, which the Pentadbir sees on the
// outbox page (List, Get, Counts) and can Retry. Delivery is at least once: an email sent
// by a worker that dies before recording it is sent again.
//
// Senders: SMTPSender (ESPEKS_SMTP_URL, via github.com/wneessen/go-mail) and LogSender,
// which writes emails to the log when no SMTP server is configured.
//
// Secrets: the body of a secret template (temporary_password) is never logged, never
// shown (Entry.Body is SecretPlaceholder) and never copied into last_error.
package mail
