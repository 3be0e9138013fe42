package account

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/audit"
	"github.com/espeks/espeks/internal/db"
	"github.com/espeks/espeks/internal/i18n"
)

// ProfileUpdate is the PK 0107 form. The ID and the user type are not in it: they
// cannot be changed by the user, whatever a request carries.
type ProfileUpdate struct {
	Name       string
	Email      string
	Phone      string
	Department string
	Question   string
	Answer     string // empty keeps the current answer (unless the question changes)
	Current    string // the current password: needed to change the email or the question
	Notify     bool
	PDFEncrypt bool
}

// ProfileResult says what UpdateProfile did beyond saving.
type ProfileResult struct {
	EmailPending string // the new address a confirmation link was sent to
}

// UpdateProfile saves PK 0107. A new email takes effect only when the link sent to it
// is followed (ConfirmEmail); changing the email or the security question needs the
// current password [ASVS 7.5.1].
func (s *Service) UpdateProfile(ctx context.Context, u User, f ProfileUpdate, linkTTL time.Duration, source string) (ProfileResult, error) {
	var res ProfileResult
	errs := i18n.FieldErrors{}
	name := CleanText(f.Name)
	checkText(errs, "name", name, 150)
	phone := NormalizePhone(f.Phone)
	switch {
	case phone == "":
		errs.Add("phone", i18n.Msg("form.required"))
	case !phonePattern.MatchString(phone):
		errs.Add("phone", i18n.Msg("form.phone.invalid"))
	}
	dept := u.Department
	if u.Type == Staff {
		dept = CleanText(f.Department)
		checkText(errs, "department", dept, 150)
	}
	email, err := NormalizeEmail(f.Email)
	if err != nil {
		errs.Add("email", i18n.Msg(err.Error()))
	}
	if !slices.Contains(SecurityQuestions, f.Question) {
		errs.Add("question", i18n.Msg("form.question.required"))
	}
	questionChanged := f.Question != u.SecurityQuestion
	answerGiven := strings.TrimSpace(f.Answer) != ""
	if questionChanged || answerGiven {
		checkAnswer(errs, "answer", f.Answer)
	}
	emailChanged := err == nil && email != u.Email
	if emailChanged || questionChanged || answerGiven {
		if f.Current == "" {
			errs.Add("current", i18n.Msg("profile.current.required"))
		} else if ok, err := s.Hasher.Verify(ctx, u.PasswordHash, f.Current); err != nil {
			return res, err
		} else if !ok {
			errs.Add("current", i18n.Msg("form.current.wrong"))
		}
	}
	if len(errs) > 0 {
		return res, errs
	}
	answerHash := u.SecurityAnswerHash
	if answerGiven {
		if answerHash, err = s.Hasher.Hash(ctx, NormalizeAnswer(f.Answer)); err != nil {
			return res, err
		}
	}
	var link string
	err = s.DB.WithTx(ctx, func(ctx context.Context) error {
		now := s.Now()
		if _, err := s.DB.Q(ctx).ExecContext(ctx, `
			UPDATE users SET name = $1, phone = $2, department = $3, security_question = $4,
				security_answer_hash = $5, notify_email = $6, pdf_encrypt = $7, updated_at = $8
			WHERE id = $9`, name, phone, dept, f.Question, answerHash, f.Notify, f.PDFEncrypt, db.Millis(now), u.ID); err != nil {
			return err
		}
		changed := changedFields(u, name, phone, dept, f.Notify)
		if f.PDFEncrypt != u.PDFEncrypt {
			changed = append(changed, "pdf_encrypt")
		}
		if len(changed) > 0 {
			if err := s.record(ctx, u, audit.ProfileUpdate, strings.Join(changed, ","), source); err != nil {
				return err
			}
		}
		if questionChanged || answerGiven {
			if err := s.record(ctx, u, audit.QuestionChange, "", source); err != nil {
				return err
			}
		}
		if !emailChanged {
			return nil
		}
		var err error
		if link, err = s.newEmailToken(ctx, u.ID, purposeChangeEmail, email, now.Add(linkTTL)); err != nil {
			return err
		}
		if err := s.record(ctx, u, audit.EmailChangeAsk, "", source); err != nil {
			return err
		}
		res.EmailPending = email
		return s.Outbox.Enqueue(ctx, email, "email_change_confirm", s.mailData(u, "Name", name, "Link", link,
			"NewEmail", email, "ExpiresMinutes", int(linkTTL/time.Minute)))
	})
	if err == nil && emailChanged {
		s.Outbox.Notify()
	}
	return res, err
}

func changedFields(u User, name, phone, dept string, notify bool) []string {
	var out []string
	if name != u.Name {
		out = append(out, "name")
	}
	if phone != u.Phone {
		out = append(out, "phone")
	}
	if dept != u.Department {
		out = append(out, "department")
	}
	if notify != u.NotifyEmail {
		out = append(out, "notify")
	}
	return out
}

// record writes an audit record of the user acting on their own account.
func (s *Service) record(ctx context.Context, u User, event, detail, source string) error {
	return s.Audit.Record(ctx, audit.Event{Type: event, ActorID: u.ID, ActorLogin: u.LoginID,
		SubjectID: u.ID, SubjectLogin: u.LoginID, Source: source, Detail: detail})
}
