package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"

	// argon2id is x/crypto's argon2 with the block memory reused from a
	// pool; the keys are identical. x/crypto allocates a fresh 19 MiB per
	// hash, and the page faults, zeroing and GC made a hash cost 25-30 ms
	// CPU with GOGC=100, 31 ms with the server's GOGC=400 and
	// GOMEMLIMIT=192MiB, and 133-145 ms with GOGC=off; with reused memory
	// it costs about 24 ms in all three settings.
	"github.com/espeks/espeks/internal/password/argon2id"
)

// Params are argon2id cost parameters.
type Params struct {
	// Memory is the memory cost in KiB.
	Memory uint32
	// Time is the number of passes over the memory.
	Time uint32
	// Threads is the degree of parallelism (lanes).
	Threads uint8
	// SaltLen and KeyLen are the salt and derived key lengths in bytes.
	SaltLen, KeyLen uint32
}

// DefaultParams returns the OWASP Password Storage Cheat Sheet's argon2id
// baseline: 19 MiB of memory, 2 passes, 1 lane, a 16-byte salt (RFC 9106
// recommends 128 bits) and a 32-byte key. On a typical server one hash
// takes a few tens of milliseconds.
func DefaultParams() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// Sanity limits for parameters, both configured and read back from stored
// hashes. The lower limits keep argon2 from silently adjusting the
// parameters (it rounds memory up to 8 KiB per lane) and from panicking
// (zero passes or lanes). The upper limits exist so that a corrupted or
// tampered hash in the database cannot make a login allocate gigabytes or
// spin for minutes.
const (
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
	maxMemory  = 1 << 20 // KiB, i.e. 1 GiB
	maxTime    = 64
)

// MaxPlainBytes is the longest password, in bytes, that Hash and Verify
// accept. It is far above any policy's MaxLength and only stops absurd
// inputs (a multi-megabyte "password" in a login form) before they are
// normalised and hashed.
const MaxPlainBytes = 64 << 10

// Errors returned by Hasher. ErrMalformedHash is wrapped with detail; test
// with errors.Is.
var (
	ErrMalformedHash = errors.New("password: malformed argon2id hash")
	ErrPlainTooLong  = errors.New("password: input too long")
)

// Validate reports whether p is usable: at least 1 pass and 1 lane, at
// least 8 KiB of memory per lane, salt and key lengths within sane bounds,
// and nothing above the sanity ceilings described above. It does not judge
// whether the cost is high enough; see DefaultParams for that.
func (p Params) Validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("argon2id time %d out of range [1, %d]", p.Time, maxTime)
	case p.Threads < 1:
		return errors.New("argon2id threads must be at least 1")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("argon2id memory %d KiB out of range [%d, %d]", p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("argon2id salt length %d out of range [%d, %d]", p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("argon2id key length %d out of range [%d, %d]", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// Hasher hashes and verifies passwords with argon2id. It is safe for
// concurrent use; create one per process and share it.
//
// Each hash allocates Params.Memory KiB (19 MiB by default). Without a
// bound, N simultaneous logins allocate N times that, so an attacker
// posting logins as fast as possible could exhaust memory. A Hasher
// therefore runs at most maxConcurrent hashes at a time; other callers wait
// (or give up when their context ends). Running more hashes than there are
// CPUs would not finish them sooner anyway.
type Hasher struct {
	params Params
	sem    chan struct{} // one token per running hash

	// dummyEncoded is a well-formed hash of the current parameters with
	// a random salt and key, so it matches no password. DummyVerify
	// verifies against it, following exactly the same code path as a
	// real verification.
	dummyEncoded string

	inFlight atomic.Int32
	// testHook, if set (by tests only), is called while a semaphore slot
	// is held, with the number of hashes then in flight.
	testHook func(inFlight int)
}

// NewHasher returns a Hasher using params p that runs at most
// maxConcurrent hashes at a time. If maxConcurrent <= 0 it uses the number
// of CPUs the process may use: runtime.NumCPU, capped by GOMAXPROCS, which
// since Go 1.25 also follows a container's CPU quota.
//
// NewHasher panics if p is invalid (see Params.Validate): that is a
// configuration error that must stop start-up, not something to recover
// from per request.
func NewHasher(p Params, maxConcurrent int) *Hasher {
	if err := p.Validate(); err != nil {
		panic("password.NewHasher: " + err.Error())
	}
	if maxConcurrent <= 0 {
		maxConcurrent = max(1, min(runtime.NumCPU(), runtime.GOMAXPROCS(0)))
	}
	h := &Hasher{params: p, sem: make(chan struct{}, maxConcurrent)}
	h.dummyEncoded = encodeHash(p, randomBytes(p.SaltLen), randomBytes(p.KeyLen))
	return h
}

// Params returns the parameters new hashes are made with.
func (h *Hasher) Params() Params { return h.params }

// acquire takes a semaphore slot, or returns ctx's error if ctx ends first
// (or has already ended: a request that was cancelled should not start an
// expensive hash just because a slot happened to be free).
func (h *Hasher) acquire(ctx context.Context) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	n := h.inFlight.Add(1)
	if h.testHook != nil {
		h.testHook(int(n))
	}
	return func() {
		h.inFlight.Add(-1)
		<-h.sem
	}, nil
}

// Hash returns the PHC-format argon2id hash of plain (after NFC
// normalisation) with a fresh random salt, e.g.
//
//	$argon2id$v=19$m=19456,t=2,p=1$<base64 salt>$<base64 key>
//
// It waits for a free slot (see Hasher) and fails with ctx's error if ctx
// ends while waiting. Once started, the hash itself cannot be interrupted.
func (h *Hasher) Hash(ctx context.Context, plain string) (string, error) {
	if len(plain) > MaxPlainBytes {
		return "", ErrPlainTooLong
	}
	pw := []byte(Normalize(plain))
	salt := randomBytes(h.params.SaltLen)

	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	key := argon2id.IDKey(pw, salt, h.params.Time, h.params.Memory, h.params.Threads, h.params.KeyLen)
	return encodeHash(h.params, salt, key), nil
}

// Verify reports whether plain (after NFC normalisation) matches the
// encoded hash, using the parameters recorded in the hash, so hashes made
// with older parameters keep working. The comparison is constant-time.
//
// A wrong password is (false, nil). A malformed hash is (false, error
// wrapping ErrMalformedHash); Verify never panics on bad input. If ctx ends
// while waiting for a slot, Verify returns ctx's error.
//
// When there is no hash to verify against (unknown user, no password set),
// call DummyVerify instead so the response takes the same time.
func (h *Hasher) Verify(ctx context.Context, encoded, plain string) (bool, error) {
	if len(plain) > MaxPlainBytes {
		return false, ErrPlainTooLong
	}
	d, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	pw := []byte(Normalize(plain))

	release, err := h.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	key := argon2id.IDKey(pw, d.salt, d.params.Time, d.params.Memory, d.params.Threads, d.params.KeyLen)
	return subtle.ConstantTimeCompare(key, d.key) == 1, nil
}

// DummyVerify does the work of a verification against a hash with the
// current parameters, and discards the result. Call it when a login names
// a user that does not exist (or has no password), so that the response
// time does not reveal whether an ID is registered. It goes through the
// same semaphore, parsing and argon2id computation as Verify.
func (h *Hasher) DummyVerify(ctx context.Context) {
	_, _ = h.Verify(ctx, h.dummyEncoded, "dummy password for timing equalisation")
}

// IsCurrentFunc returns a function for Context.IsCurrent that compares a
// candidate with the stored hash encoded. If encoded is empty (no current
// password) the function always reports false. Errors (malformed hash,
// ctx ended) also report false: the rule then simply does not apply, and
// the subsequent Hash of the new password fails on its own if ctx ended.
func (h *Hasher) IsCurrentFunc(ctx context.Context, encoded string) func(candidate string) bool {
	return func(candidate string) bool {
		if encoded == "" {
			return false
		}
		ok, err := h.Verify(ctx, encoded, candidate)
		return err == nil && ok
	}
}

// NeedsRehash reports whether encoded should be replaced by a fresh hash
// of the same password (typically right after a successful login, when
// the plain password is at hand): true if its memory, time, salt length or
// key length is below the Hasher's current parameters, or if it cannot be
// parsed at all. A different lane count alone does not trigger a rehash:
// it changes how work is spread over CPUs, not how much work an attacker
// must do.
func (h *Hasher) NeedsRehash(encoded string) bool {
	d, err := decodeHash(encoded)
	if err != nil {
		return true
	}
	c := h.params
	return d.params.Memory < c.Memory ||
		d.params.Time < c.Time ||
		d.params.SaltLen < c.SaltLen ||
		d.params.KeyLen < c.KeyLen
}

// b64 is the PHC string format's base64: standard alphabet, no padding.
// Strict decoding also rejects non-zero trailing bits, so every accepted
// string has exactly one encoding and re-encodes to itself.
var b64 = base64.RawStdEncoding.Strict()

func encodeHash(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2id.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decoded is a parsed hash. params.SaltLen and params.KeyLen are the
// lengths of salt and key.
type decoded struct {
	params    Params
	salt, key []byte
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformedHash, fmt.Sprintf(format, args...))
}

// decodeHash parses a PHC argon2id string. It is strict (exact field
// order, no optional fields, no leading zeros, canonical base64) so that
// every accepted string re-encodes to itself, and it validates the
// parameters against the sanity limits before anything is allocated for
// hashing. Error messages never include the hash itself.
func decodeHash(encoded string) (decoded, error) {
	var d decoded
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	if len(parts) != 6 || parts[0] != "" {
		return d, malformed("want 5 '$'-separated fields")
	}
	if parts[1] != "argon2id" {
		return d, malformed("unsupported algorithm")
	}
	v, ok := strings.CutPrefix(parts[2], "v=")
	if !ok {
		return d, malformed("missing version")
	}
	if ver, err := parseDecimal(v, 32); err != nil || ver != argon2id.Version {
		return d, malformed("unsupported version")
	}

	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return d, malformed("want parameters m, t, p")
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		s, ok := strings.CutPrefix(kv[i], name)
		if !ok {
			return d, malformed("want parameters m, t, p in that order")
		}
		bits := 32
		if i == 2 {
			bits = 8
		}
		n, err := parseDecimal(s, bits)
		if err != nil {
			return d, malformed("bad parameter %s", name[:1])
		}
		vals[i] = n
	}

	// encoding/base64 silently skips '\r' and '\n'; insist on the bare
	// alphabet so that no two accepted strings decode to the same hash.
	if !isB64(parts[4]) || !isB64(parts[5]) {
		return d, malformed("bad base64 character")
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return d, malformed("bad salt encoding")
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return d, malformed("bad key encoding")
	}
	d = decoded{
		params: Params{
			Memory:  uint32(vals[0]),
			Time:    uint32(vals[1]),
			Threads: uint8(vals[2]),
			SaltLen: uint32(len(salt)),
			KeyLen:  uint32(len(key)),
		},
		salt: salt,
		key:  key,
	}
	if err := d.params.Validate(); err != nil {
		return decoded{}, fmt.Errorf("%w: %v", ErrMalformedHash, err)
	}
	return d, nil
}

// isB64 reports whether s uses only the standard base64 alphabet.
func isB64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return false
		}
	}
	return true
}

// parseDecimal parses an unsigned decimal without sign or leading zeros
// (PHC format), fitting in bits.
func parseDecimal(s string, bits int) (uint64, error) {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, strconv.ErrSyntax
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseUint(s, 10, bits)
}

// randomBytes returns n bytes from crypto/rand. crypto/rand.Read never
// fails on supported platforms (Go 1.24+ crashes the program instead,
// as continuing without randomness would be worse).
func randomBytes(n uint32) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
