package password

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// temporaryAlphabet is the alphabet of temporary passwords: digits,
// upper- and lower-case letters minus the characters that are easily
// confused when a password is read aloud, printed or copied by hand:
// 0/O/o (zero and the letter O), 1/l/I (one, lower-case L, upper-case i).
// 8 digits + 24 upper-case + 24 lower-case = 56 symbols.
const temporaryAlphabet = "23456789" +
	"ABCDEFGHJKLMNPQRSTUVWXYZ" +
	"abcdefghijkmnpqrstuvwxyz"

// TemporaryLength is the length of a GenerateTemporary password.
//
// Entropy: each character is drawn uniformly from 56 symbols, so it carries
// log2(56) ≈ 5.807 bits, and 16 independent characters carry
// 16 × 5.807 ≈ 92.9 bits — comfortably above the 80-bit target. (Rejecting
// the rare candidates that fail the policy removes a negligible fraction of
// the 56^16 ≈ 9.5 × 10^27 possibilities.)
const TemporaryLength = 16

// GenerateTemporary returns a random temporary password of
// TemporaryLength characters from an unambiguous alphabet, drawn from
// crypto/rand. It always passes DefaultPolicy with an empty Context (a
// random string could, very rarely, contain a context word such as
// "negeri"; such candidates are discarded and redrawn).
//
// A temporary password is meant to be changed at first login; it is not
// exempt from hashing.
func GenerateTemporary() string {
	policy := DefaultPolicy()
	for {
		s := randomString(TemporaryLength, temporaryAlphabet)
		if policy.Check(s, Context{}) == nil {
			return s
		}
	}
}

// randomString returns n characters drawn uniformly from alphabet (at most
// 256 single-byte symbols). It uses rejection sampling: a random byte b is
// used only if b < limit, the largest multiple of len(alphabet) not above
// 256, so b % len(alphabet) is uniform (plain b % 56 would favour the first
// 256 % 56 = 32 symbols).
func randomString(n int, alphabet string) string {
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		_, _ = rand.Read(buf) // never fails; see randomBytes
		for _, b := range buf {
			if int(b) < limit {
				out = append(out, alphabet[int(b)%len(alphabet)])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out)
}

// TokenBytes is the number of random bytes in a NewToken token (256 bits).
const TokenBytes = 32

// NewToken returns a new random token for sessions and e-mail links.
// plain (32 random bytes, base64url without padding, 43 characters) goes
// to the user, in a cookie or a URL; hash (HashToken(plain)) goes to the
// database.
//
// Storing only the hash means a leaked database (or backup) does not hand
// out live sessions or reset links. A fast hash is enough here, unlike for
// passwords: with 256 random bits there is nothing to brute-force.
func NewToken() (plain, hash string) {
	plain = base64.RawURLEncoding.EncodeToString(randomBytes(TokenBytes))
	return plain, HashToken(plain)
}

// HashToken returns the lower-case hex SHA-256 of plain, the form in which
// tokens are stored and looked up. Lookups by this hash are by equality in
// the database, so no constant-time comparison is needed: an attacker who
// can time them learns about hashes, not about valid tokens.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}
