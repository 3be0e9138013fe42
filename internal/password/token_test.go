package password

import (
	"encoding/base64"
	"encoding/hex"
	"math"
	"strings"
	"testing"
)

func TestTemporaryAlphabet(t *testing.T) {
	if n := len(temporaryAlphabet); n != 56 {
		t.Fatalf("alphabet has %d symbols, want 56", n)
	}
	seen := map[rune]bool{}
	for _, r := range temporaryAlphabet {
		if seen[r] {
			t.Fatalf("duplicate symbol %q", r)
		}
		seen[r] = true
	}
	if strings.ContainsAny(temporaryAlphabet, "0Oo1lI") {
		t.Fatal("alphabet contains an ambiguous character")
	}
	// The documented entropy: 16 * log2(56) ≈ 92.9 bits >= 80.
	bits := float64(TemporaryLength) * math.Log2(float64(len(temporaryAlphabet)))
	if bits < 80 {
		t.Fatalf("entropy %.1f bits, want >= 80", bits)
	}
}

func TestGenerateTemporary(t *testing.T) {
	const n = 1000
	policy := DefaultPolicy()
	seen := make(map[string]bool, n)
	used := map[rune]bool{}
	for range n {
		s := GenerateTemporary()
		if len(s) != TemporaryLength {
			t.Fatalf("%q has length %d, want %d", s, len(s), TemporaryLength)
		}
		for _, r := range s {
			if !strings.ContainsRune(temporaryAlphabet, r) {
				t.Fatalf("%q contains %q, not in the alphabet", s, r)
			}
			used[r] = true
		}
		if err := policy.Check(s, Context{}); err != nil {
			t.Fatalf("%q fails DefaultPolicy: %v", s, err)
		}
		if seen[s] {
			t.Fatalf("duplicate temporary password %q", s)
		}
		seen[s] = true
	}
	// 16,000 uniform draws from 56 symbols miss one with probability
	// about 56 * (55/56)^16000 ≈ 1e-123: a miss means a biased generator.
	if len(used) != len(temporaryAlphabet) {
		t.Fatalf("only %d of %d symbols used in %d passwords", len(used), len(temporaryAlphabet), n)
	}
}

func TestRandomStringLengths(t *testing.T) {
	for _, n := range []int{0, 1, 7, 16, 100} {
		if s := randomString(n, "ab"); len(s) != n || strings.Trim(s, "ab") != "" {
			t.Errorf("randomString(%d) = %q", n, s)
		}
	}
}

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		plain, hash := NewToken()
		raw, err := base64.RawURLEncoding.DecodeString(plain)
		if err != nil || len(raw) != TokenBytes {
			t.Fatalf("plain %q: %d bytes, err %v; want %d bytes", plain, len(raw), err, TokenBytes)
		}
		if len(plain) != 43 || strings.ContainsAny(plain, "+/=") {
			t.Fatalf("plain %q is not 43 chars of unpadded base64url", plain)
		}
		if hash != HashToken(plain) {
			t.Fatalf("hash %q != HashToken(plain) %q", hash, HashToken(plain))
		}
		if b, err := hex.DecodeString(hash); err != nil || len(b) != 32 || strings.ToLower(hash) != hash {
			t.Fatalf("hash %q is not 64 lower-case hex digits", hash)
		}
		if seen[plain] {
			t.Fatalf("duplicate token %q", plain)
		}
		seen[plain] = true
	}
}

func TestHashToken(t *testing.T) {
	tests := []struct{ in, want string }{
		// SHA-256 test vectors (FIPS 180-2).
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tt := range tests {
		if got := HashToken(tt.in); got != tt.want {
			t.Errorf("HashToken(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
