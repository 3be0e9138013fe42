package password

import (
	"errors"
	"strings"
	"testing"
)

func TestPolicyCheck(t *testing.T) {
	def := DefaultPolicy()
	min8 := Policy{MinLength: 8, MaxLength: 128}
	ahmad := Context{
		ID:    "900101-14-5678",
		Name:  "Ahmad Zaki bin Abdullah",
		Email: "siti.nurhaliza+kerja@example.com.my",
	}
	mustNotCall := func(string) bool { panic("IsCurrent must not be called when an earlier rule fails") }

	tests := []struct {
		name      string
		policy    Policy
		plain     string
		ctx       Context
		wantCode  string // "" means accepted
		wantLimit int
	}{
		// Length, in code points after NFC.
		{name: "passphrase ok", policy: def, plain: "correct horse battery staple"},
		{name: "exactly min", policy: def, plain: "zq8#Lm2!pX4v"},
		{name: "one below min", policy: def, plain: "zq8#Lm2!pX4", wantCode: CodeTooShort, wantLimit: 12},
		{name: "empty", policy: def, plain: "", wantCode: CodeTooShort, wantLimit: 12},
		{name: "trailing space counts, not trimmed", policy: def, plain: "zq8#Lm2!pX4 "},
		{name: "leading space counts, not trimmed", policy: def, plain: " zq8#Lm2!pX4"},
		{name: "spaces only are a password too", policy: def, plain: strings.Repeat(" ", 12)},
		{name: "exactly max", policy: def, plain: strings.Repeat("z", 128)},
		{name: "one above max", policy: def, plain: strings.Repeat("z", 129), wantCode: CodeTooLong, wantLimit: 128},
		{name: "huge input refused before normalising", policy: def, plain: strings.Repeat("z", 1<<20), wantCode: CodeTooLong, wantLimit: 128},
		{name: "emoji count as one each (12)", policy: def, plain: strings.Repeat("🔐", 12)},
		{name: "emoji count as one each (11)", policy: def, plain: strings.Repeat("🔐", 11), wantCode: CodeTooShort, wantLimit: 12},
		{name: "Malay/Jawi/Chinese text", policy: def, plain: "سلامت پاڬي 早上好 kawan"},
		{name: "NFD counted after NFC (12)", policy: def, plain: strings.Repeat("e\u0301", 12)},
		{name: "NFD counted after NFC (11)", policy: def, plain: strings.Repeat("e\u0301", 11), wantCode: CodeTooShort, wantLimit: 12},
		{name: "NFD max after NFC", policy: def, plain: strings.Repeat("e\u0301", 128)},
		{name: "NFD over max after NFC", policy: def, plain: strings.Repeat("e\u0301", 129), wantCode: CodeTooLong, wantLimit: 128},
		{name: "configured min 8 ok", policy: min8, plain: "kOpi!ai5"},
		{name: "configured min 8 short", policy: min8, plain: "kOpi!ai", wantCode: CodeTooShort, wantLimit: 8},
		{name: "configured max", policy: Policy{MinLength: 12, MaxLength: 20}, plain: strings.Repeat("z", 21), wantCode: CodeTooLong, wantLimit: 20},
		{name: "invalid min floored to 8", policy: Policy{MinLength: 4, MaxLength: 128}, plain: "kOpi!ai", wantCode: CodeTooShort, wantLimit: 8},
		{name: "zero policy: min 8, max default", policy: Policy{}, plain: strings.Repeat("z", 129), wantCode: CodeTooLong, wantLimit: 128},
		{name: "length checked before common", policy: def, plain: "password123", wantCode: CodeTooShort, wantLimit: 12},

		// Common list: exact, case-insensitive, after NFC.
		{name: "common", policy: def, plain: "password1234", wantCode: CodeCommon},
		{name: "common any case", policy: def, plain: "PassWord1234", wantCode: CodeCommon},
		{name: "common iloveyou", policy: def, plain: "iloveyou1234", wantCode: CodeCommon},
		{name: "common keyboard walk", policy: def, plain: "QWERTYUIOP123", wantCode: CodeCommon},
		{name: "common repeated", policy: def, plain: "passwordpassword", wantCode: CodeCommon},
		{name: "common NFD input", policy: min8, plain: "Te\u0301me\u0301raire", wantCode: CodeCommon},
		{name: "common inside passphrase is fine", policy: def, plain: "my password1234 is long now"},
		{name: "common with extra space is different", policy: def, plain: "password1234 "},
		{name: "common before context", policy: def, plain: "password1234", ctx: Context{Name: "Password"}, wantCode: CodeCommon},

		// Context words.
		{name: "ID with dashes removed", policy: def, plain: "x900101145678y", ctx: ahmad, wantCode: CodeContext},
		{name: "ID as typed", policy: def, plain: "my-900101-14-5678", ctx: ahmad, wantCode: CodeContext},
		{name: "ID equal", policy: def, plain: "900101145678", ctx: ahmad, wantCode: CodeContext},
		{name: "ID with spaces", policy: def, plain: "id900101145678!", ctx: Context{ID: "900101 14 5678"}, wantCode: CodeContext},
		{name: "name word", policy: def, plain: "AhmadRocks2024!", ctx: ahmad, wantCode: CodeContext},
		{name: "name word 4 letters", policy: def, plain: "iamZAKIforever", ctx: ahmad, wantCode: CodeContext},
		{name: "name word last", policy: def, plain: "the-abdullah-way", ctx: ahmad, wantCode: CodeContext},
		{name: "name short words ignored", policy: def, plain: "binary-sunset-42", ctx: ahmad},
		{name: "whole name without spaces", policy: def, plain: "xAliAbuLim99x", ctx: Context{Name: "Ali Abu Lim"}, wantCode: CodeContext},
		{name: "short name parts alone ok", policy: def, plain: "ali-abu-lim-99", ctx: Context{Name: "Ali Abu Lim"}},
		{name: "name punctuation dropped", policy: def, plain: "obrien-rules-99", ctx: Context{Name: "Mary O'Brien"}, wantCode: CodeContext},
		{name: "name non-Latin", policy: def, plain: "ich-bin-Müller-7", ctx: Context{Name: "Hans Mu\u0308ller"}, wantCode: CodeContext},
		{name: "email local part", policy: def, plain: "zzsiti.nurhaliza+kerjazz", ctx: ahmad, wantCode: CodeContext},
		{name: "email local piece", policy: def, plain: "iloveNurhaliza88", ctx: ahmad, wantCode: CodeContext},
		{name: "email domain is fine", policy: def, plain: "example-com-my-42", ctx: ahmad},
		{name: "short email local ignored", policy: def, plain: "ab-cd-ef-gh-ij", ctx: Context{Email: "ab@x.my"}},
		{name: "portal name", policy: def, plain: "MyeSPEKSpass99", wantCode: CodeContext},
		{name: "portal name upper", policy: def, plain: "ESPEKS-is-great", wantCode: CodeContext},
		{name: "default state", policy: def, plain: "negeri-saya-123", wantCode: CodeContext},
		{name: "state second word", policy: Policy{12, 128, "Negeri Sembilan"}, plain: "Sembilan-rocks-1", wantCode: CodeContext},
		{name: "state other", policy: Policy{12, 128, "Pulau Pinang"}, plain: "pinang-2024-kita", wantCode: CodeContext},
		{name: "state abbreviation is fine", policy: Policy{12, 128, "Kuala Lumpur"}, plain: "xx-kl-2024-xx"},
		{name: "no state configured", policy: Policy{12, 128, ""}, plain: "negeri-saya-123"},
		{name: "context before current", policy: def, plain: "AhmadRocks2024!", ctx: Context{Name: "Ahmad", IsCurrent: mustNotCall}, wantCode: CodeContext},

		// Current password.
		{name: "same as current", policy: def, plain: "Current-Pass-2024", ctx: Context{IsCurrent: func(c string) bool { return c == "Current-Pass-2024" }}, wantCode: CodeSameAsCurrent},
		{name: "current gets NFC", policy: def, plain: "Cafe\u0301-au-lait-2024", ctx: Context{IsCurrent: func(c string) bool { return c == "Café-au-lait-2024" }}, wantCode: CodeSameAsCurrent},
		{name: "different from current", policy: def, plain: "New-Pass-2025!!", ctx: Context{IsCurrent: func(c string) bool { return c == "Current-Pass-2024" }}},
		{name: "length before current", policy: def, plain: "tiny", ctx: Context{IsCurrent: mustNotCall}, wantCode: CodeTooShort, wantLimit: 12},
		{name: "common before current", policy: def, plain: "password1234", ctx: Context{IsCurrent: mustNotCall}, wantCode: CodeCommon},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Check(tt.plain, tt.ctx)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			v, ok := AsViolation(err)
			if !ok {
				t.Fatalf("Check() = %v, want *Violation %s", err, tt.wantCode)
			}
			if v.Code != tt.wantCode || v.Limit != tt.wantLimit {
				t.Fatalf("Check() = {%s %d}, want {%s %d}", v.Code, v.Limit, tt.wantCode, tt.wantLimit)
			}
			if msg := err.Error(); tt.plain != "" && strings.Contains(msg, strings.TrimSpace(tt.plain)) {
				t.Fatalf("error message %q contains the password", msg)
			}
		})
	}
}

func TestViolationErrorNeverContainsPassword(t *testing.T) {
	for _, code := range []string{CodeTooShort, CodeTooLong, CodeCommon, CodeContext, CodeSameAsCurrent, "password.other"} {
		v := &Violation{Code: code, Limit: 12}
		if v.Error() == "" {
			t.Errorf("%s: empty message", code)
		}
		var target *Violation
		if !errors.As(error(v), &target) || target.Code != code {
			t.Errorf("%s: errors.As failed", code)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		ok     bool
	}{
		{"default", DefaultPolicy(), true},
		{"min 8", Policy{MinLength: 8, MaxLength: 64}, true},
		{"min equals max", Policy{MinLength: 16, MaxLength: 16}, true},
		{"min 7", Policy{MinLength: 7, MaxLength: 128}, false},
		{"min 0", Policy{MaxLength: 128}, false},
		{"negative", Policy{MinLength: -1, MaxLength: 128}, false},
		{"max below min", Policy{MinLength: 12, MaxLength: 11}, false},
		{"zero", Policy{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.policy.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestDefaultPolicy(t *testing.T) {
	p := DefaultPolicy()
	if p.MinLength != 12 || p.MaxLength != 128 || p.StateName != "Negeri" {
		t.Fatalf("DefaultPolicy() = %+v", p)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"e acute", "caf\u00e9", "cafe\u0301"},
		{"hangul", "\uac01", "\u1100\u1161\u11a8"},
		{"malay ascii unchanged", "Selamat Pagi", "Selamat Pagi"},
		{"reordered marks", "a\u0323\u0302", "a\u0302\u0323"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			na, nb := Normalize(tt.a), Normalize(tt.b)
			if na != nb {
				t.Fatalf("Normalize(%q) = %q, Normalize(%q) = %q; want equal", tt.a, na, tt.b, nb)
			}
			if Normalize(na) != na {
				t.Fatalf("Normalize is not idempotent on %q", na)
			}
		})
	}
}

// Passwords that are the same text in NFC and NFD must be treated
// identically by every rule.
func TestCheckNFCAndNFDAgree(t *testing.T) {
	p := DefaultPolicy()
	ctx := Context{Name: "Jose\u0301 Garci\u0301a"}
	for _, pair := range [][2]string{
		{"Crème brûlée 2024", "Cre\u0300me bru\u0302le\u0301e 2024"},
		{"josé-is-my-name", "jose\u0301-is-my-name"},
		{"téméraire!", "te\u0301me\u0301raire!"},
	} {
		a, b := p.Check(pair[0], ctx), p.Check(pair[1], ctx)
		if (a == nil) != (b == nil) || (a != nil && a.(*Violation).Code != b.(*Violation).Code) {
			t.Errorf("Check(%q) = %v, Check(%q) = %v; want the same", pair[0], a, pair[1], b)
		}
	}
}
