package password

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// testParams keep tests fast: 64 KiB and one pass instead of 19 MiB and two.
var testParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func mustHash(t testing.TB, h *Hasher, plain string) string {
	t.Helper()
	enc, err := h.Hash(context.Background(), plain)
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	return enc
}

func TestHashVerifyRoundTrip(t *testing.T) {
	h := NewHasher(testParams, 2)
	ctx := t.Context()
	tests := []struct {
		name          string
		stored, typed string
		want          bool
	}{
		{"same", "correct horse battery staple", "correct horse battery staple", true},
		{"wrong", "correct horse battery staple", "correct horse battery stapler", false},
		{"case matters", "Correct Horse", "correct horse", false},
		{"no trimming", "correct horse", "correct horse ", false},
		{"NFC stored, NFD typed", "Café-au-lait-2024", "Cafe\u0301-au-lait-2024", true},
		{"NFD stored, NFC typed", "Cafe\u0301-au-lait-2024", "Café-au-lait-2024", true},
		{"emoji", "🔐🔑 kunci rahsia", "🔐🔑 kunci rahsia", true},
		{"empty", "", "", true},
		{"empty vs space", "", " ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := mustHash(t, h, tt.stored)
			ok, err := h.Verify(ctx, enc, tt.typed)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if ok != tt.want {
				t.Fatalf("Verify = %v, want %v", ok, tt.want)
			}
		})
	}
}

func TestHashUsesFreshSalt(t *testing.T) {
	h := NewHasher(testParams, 1)
	a, b := mustHash(t, h, "same password"), mustHash(t, h, "same password")
	if a == b {
		t.Fatal("two hashes of the same password are identical; salt not random")
	}
	if strings.Contains(a, "same password") {
		t.Fatal("hash contains the password")
	}
}

// One test with the real default cost, to check the encoding and that it
// works end to end.
func TestHashDefaultParams(t *testing.T) {
	if testing.Short() {
		t.Skip("19 MiB argon2id in -short mode")
	}
	h := NewHasher(DefaultParams(), 0)
	if cap(h.sem) < 1 {
		t.Fatalf("semaphore capacity %d", cap(h.sem))
	}
	enc := mustHash(t, h, "correct horse battery staple")
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("encoded = %q", enc)
	}
	d, err := decodeHash(enc)
	if err != nil {
		t.Fatal(err)
	}
	if d.params != DefaultParams() {
		t.Fatalf("decoded params %+v, want %+v", d.params, DefaultParams())
	}
	if ok, err := h.Verify(t.Context(), enc, "correct horse battery staple"); !ok || err != nil {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
	if ok, err := h.Verify(t.Context(), enc, "wrong"); ok || err != nil {
		t.Fatalf("Verify(wrong) = %v, %v", ok, err)
	}
	if h.NeedsRehash(enc) {
		t.Fatal("NeedsRehash = true for current params")
	}
}

// TestReferenceVectors verifies hashes produced by the Argon2 reference
// implementation (phc-winner-argon2, src/test.c), so that hashes made
// elsewhere (or by us, elsewhere) interoperate.
func TestReferenceVectors(t *testing.T) {
	h := NewHasher(testParams, 1)
	tests := []struct {
		plain, encoded string
		big            bool
	}{
		{"password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", false},
		{"password", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", false},
		{"password", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", true},
	}
	for _, tt := range tests {
		if tt.big && testing.Short() {
			continue
		}
		if ok, err := h.Verify(t.Context(), tt.encoded, tt.plain); !ok || err != nil {
			t.Errorf("Verify(%s, %q) = %v, %v; want true", tt.encoded, tt.plain, ok, err)
		}
		if ok, err := h.Verify(t.Context(), tt.encoded, "passwore"); ok || err != nil {
			t.Errorf("Verify(%s, wrong) = %v, %v; want false", tt.encoded, ok, err)
		}
	}
}

func TestDefaultParams(t *testing.T) {
	want := Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
	if got := DefaultParams(); got != want {
		t.Fatalf("DefaultParams() = %+v, want %+v", got, want)
	}
	if err := want.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestParamsEncodedAndParsedBack(t *testing.T) {
	tests := []Params{
		testParams,
		{Memory: 128, Time: 3, Threads: 2, SaltLen: 24, KeyLen: 48},
		{Memory: 8, Time: 1, Threads: 1, SaltLen: 8, KeyLen: 16},
		{Memory: 256, Time: 2, Threads: 4, SaltLen: 64, KeyLen: 64},
	}
	verifier := NewHasher(testParams, 1) // different params: must read them from the hash
	for _, p := range tests {
		t.Run(fmt.Sprintf("%+v", p), func(t *testing.T) {
			enc := mustHash(t, NewHasher(p, 1), "kata laluan")
			wantPrefix := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$", p.Memory, p.Time, p.Threads)
			if !strings.HasPrefix(enc, wantPrefix) {
				t.Fatalf("encoded %q, want prefix %q", enc, wantPrefix)
			}
			d, err := decodeHash(enc)
			if err != nil {
				t.Fatal(err)
			}
			if d.params != p || len(d.salt) != int(p.SaltLen) || len(d.key) != int(p.KeyLen) {
				t.Fatalf("decoded %+v (salt %d, key %d), want %+v", d.params, len(d.salt), len(d.key), p)
			}
			if re := encodeHash(d.params, d.salt, d.key); re != enc {
				t.Fatalf("re-encoded %q, want %q", re, enc)
			}
			if ok, err := verifier.Verify(t.Context(), enc, "kata laluan"); !ok || err != nil {
				t.Fatalf("Verify with other hasher = %v, %v", ok, err)
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	current := Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
	h := NewHasher(current, 1)
	tests := []struct {
		name string
		p    Params
		want bool
	}{
		{"same", current, false},
		{"lower memory", Params{64, 2, 1, 16, 32}, true},
		{"lower time", Params{128, 1, 1, 16, 32}, true},
		{"shorter salt", Params{128, 2, 1, 8, 32}, true},
		{"shorter key", Params{128, 2, 1, 16, 16}, true},
		{"higher memory", Params{256, 2, 1, 16, 32}, false},
		{"higher time", Params{128, 3, 1, 16, 32}, false},
		{"more lanes only", Params{128, 2, 2, 16, 32}, false},
		{"higher memory, lower time", Params{256, 1, 1, 16, 32}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := mustHash(t, NewHasher(tt.p, 1), "x")
			if got := h.NeedsRehash(enc); got != tt.want {
				t.Fatalf("NeedsRehash(%s) = %v, want %v", enc, got, tt.want)
			}
		})
	}
	if !h.NeedsRehash("not a hash") {
		t.Fatal("NeedsRehash(malformed) = false, want true")
	}
}

func TestMalformedHashes(t *testing.T) {
	const (
		salt = "c29tZXNhbHRzb21lc2FsdA"                      // 16 bytes
		key  = "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U" // 32 bytes
	)
	valid := "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key
	if _, err := decodeHash(valid); err != nil {
		t.Fatalf("control hash rejected: %v", err)
	}
	tests := []struct{ name, enc string }{
		{"empty", ""},
		{"dollar", "$"},
		{"garbage", "not a hash"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"no leading dollar", "argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"leading space", " " + valid},
		{"trailing newline", valid + "\n"},
		{"newline inside salt", "$argon2id$v=19$m=64,t=1,p=1$c29tZXNh\nbHRzb21lc2FsdA$" + key},
		{"CR inside key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$a2V5\r" + key[4:]},
		{"trailing dollar", valid + "$"},
		{"extra field", valid + "$extra"},
		{"missing key", "$argon2id$v=19$m=64,t=1,p=1$" + salt},
		{"missing version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + key},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"argon2d", "$argon2d$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"upper-case algorithm", "$ARGON2ID$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"version 16", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key},
		{"version empty", "$argon2id$v=$m=64,t=1,p=1$" + salt + "$" + key},
		{"version huge", "$argon2id$v=99999999999999999999$m=64,t=1,p=1$" + salt + "$" + key},
		{"params missing p", "$argon2id$v=19$m=64,t=1$" + salt + "$" + key},
		{"params reordered", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key},
		{"params extra keyid", "$argon2id$v=19$m=64,t=1,p=1,keyid=abc$" + salt + "$" + key},
		{"params spaces", "$argon2id$v=19$m=64, t=1, p=1$" + salt + "$" + key},
		{"m zero", "$argon2id$v=19$m=0,t=1,p=1$" + salt + "$" + key},
		{"m below 8 per lane", "$argon2id$v=19$m=15,t=1,p=2$" + salt + "$" + key},
		{"m negative", "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key},
		{"m plus sign", "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key},
		{"m leading zero", "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key},
		{"m hex", "$argon2id$v=19$m=0x40,t=1,p=1$" + salt + "$" + key},
		{"m exponent", "$argon2id$v=19$m=1e3,t=1,p=1$" + salt + "$" + key},
		{"m underscore", "$argon2id$v=19$m=1_024,t=1,p=1$" + salt + "$" + key},
		{"m overflows uint32", "$argon2id$v=19$m=4294967296,t=1,p=1$" + salt + "$" + key},
		{"m above ceiling", "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key},
		{"m empty", "$argon2id$v=19$m=,t=1,p=1$" + salt + "$" + key},
		{"m non-ASCII digits", "$argon2id$v=19$m=٦٤,t=1,p=1$" + salt + "$" + key},
		{"t zero", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key},
		{"t above ceiling", "$argon2id$v=19$m=64,t=100000,p=1$" + salt + "$" + key},
		{"p zero", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key},
		{"p overflows uint8", "$argon2id$v=19$m=4096,t=1,p=256$" + salt + "$" + key},
		{"salt bad base64", "$argon2id$v=19$m=64,t=1,p=1$!!!!$" + key},
		{"salt padded", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key},
		{"salt url alphabet", "$argon2id$v=19$m=64,t=1,p=1$c29tZX-hbHRzb21lc2FsdA$" + key},
		{"salt non-canonical trailing bits", "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdB$" + key},
		{"salt too short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + key},
		{"salt empty", "$argon2id$v=19$m=64,t=1,p=1$$" + key},
		{"salt too long", "$argon2id$v=19$m=64,t=1,p=1$" + strings.Repeat("A", 88) + "$" + key},
		{"key empty", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$"},
		{"key too short", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$a2V5"},
		{"key too long", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + strings.Repeat("A", 100)},
		{"key bad base64", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key[:len(key)-1] + "*"},
		{"key length 4n+1", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "AA"},
	}
	h := NewHasher(testParams, 1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(t.Context(), tt.enc, "password")
			if ok || !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("Verify = %v, %v; want false, ErrMalformedHash", ok, err)
			}
			if len(tt.enc) > 8 && strings.Contains(err.Error(), tt.enc) {
				t.Fatalf("error %q contains the hash", err)
			}
			if !h.NeedsRehash(tt.enc) {
				t.Fatal("NeedsRehash = false for a malformed hash")
			}
		})
	}
}

func TestVerifyContext(t *testing.T) {
	h := NewHasher(testParams, 1)
	enc := mustHash(t, h, "kata laluan")

	// Already cancelled: no hash is started even though a slot is free.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := h.Hash(ctx, "x"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Hash(cancelled) err = %v", err)
	}
	if ok, err := h.Verify(ctx, enc, "kata laluan"); ok || !errors.Is(err, context.Canceled) {
		t.Fatalf("Verify(cancelled) = %v, %v", ok, err)
	}
	h.DummyVerify(ctx) // must return, not block

	// Cancelled while waiting for a busy slot. Whether cancel() runs
	// before or after Verify starts waiting, the outcome is the same.
	h.sem <- struct{}{} // occupy the only slot
	ctx2, cancel2 := context.WithCancel(t.Context())
	go cancel2()
	if ok, err := h.Verify(ctx2, enc, "kata laluan"); ok || !errors.Is(err, context.Canceled) {
		t.Fatalf("Verify(waiting, cancelled) = %v, %v", ok, err)
	}
	<-h.sem
	if ok, err := h.Verify(t.Context(), enc, "kata laluan"); !ok || err != nil {
		t.Fatalf("Verify after slot freed = %v, %v", ok, err)
	}
}

func TestPlainTooLong(t *testing.T) {
	h := NewHasher(testParams, 1)
	huge := strings.Repeat("a", MaxPlainBytes+1)
	if _, err := h.Hash(t.Context(), huge); !errors.Is(err, ErrPlainTooLong) {
		t.Fatalf("Hash(huge) err = %v", err)
	}
	enc := mustHash(t, h, "x")
	if ok, err := h.Verify(t.Context(), enc, huge); ok || !errors.Is(err, ErrPlainTooLong) {
		t.Fatalf("Verify(huge) = %v, %v", ok, err)
	}
	if _, err := h.Hash(t.Context(), strings.Repeat("a", MaxPlainBytes)); err != nil {
		t.Fatalf("Hash(MaxPlainBytes) err = %v", err)
	}
}

// TestHasherConcurrencyBound starts limit+5 hashes and verifications at
// once and checks that at most limit run at the same time. The hook blocks
// each admitted call until the test releases it, so the schedule is driven
// by channels, not by timing: the test first waits until limit calls are
// inside (the bound is reached), then lets them finish one by one, each
// release admitting exactly one waiter.
func TestHasherConcurrencyBound(t *testing.T) {
	const limit = 2
	const n = limit + 5
	h := NewHasher(testParams, limit)
	enc := mustHash(t, h, "kata laluan")

	var mu sync.Mutex
	maxSeen := 0
	entered := make(chan struct{})
	release := make(chan struct{})
	h.testHook = func(inFlight int) {
		mu.Lock()
		maxSeen = max(maxSeen, inFlight)
		mu.Unlock()
		entered <- struct{}{}
		<-release
	}

	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, err = h.Hash(t.Context(), fmt.Sprint("password ", i))
			} else {
				var ok bool
				if ok, err = h.Verify(t.Context(), enc, "kata laluan"); err == nil && !ok {
					err = errors.New("Verify = false")
				}
			}
			errs <- err
		})
	}

	for range limit {
		<-entered
	}
	if got := len(h.sem); got != limit {
		t.Fatalf("%d slots taken with %d calls inside, want %d", got, limit, limit)
	}
	for range n - limit {
		release <- struct{}{}
		<-entered
	}
	for range limit {
		release <- struct{}{}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if maxSeen != limit {
		t.Fatalf("max in flight = %d, want %d", maxSeen, limit)
	}
	if got := h.inFlight.Load(); got != 0 {
		t.Fatalf("in flight after all done = %d", got)
	}
	if got := len(h.sem); got != 0 {
		t.Fatalf("%d slots still taken", got)
	}
}

func TestDummyVerify(t *testing.T) {
	h := NewHasher(testParams, 1)
	d, err := decodeHash(h.dummyEncoded)
	if err != nil {
		t.Fatalf("dummy hash malformed: %v", err)
	}
	// Same cost as verifying a hash made with the current parameters.
	if d.params != h.Params() {
		t.Fatalf("dummy params %+v, want %+v", d.params, h.Params())
	}
	calls := 0
	h.testHook = func(int) { calls++ }
	h.DummyVerify(t.Context())
	if calls != 1 {
		t.Fatalf("DummyVerify took %d semaphore slots, want 1 (an argon2id computation)", calls)
	}
	// Two hashers do not share a dummy hash.
	if NewHasher(testParams, 1).dummyEncoded == h.dummyEncoded {
		t.Fatal("dummy hashes are not random")
	}
}

func TestIsCurrentFunc(t *testing.T) {
	h := NewHasher(testParams, 1)
	enc := mustHash(t, h, "Café-au-lait-2024")
	p := DefaultPolicy()
	tests := []struct {
		name, encoded, plain, want string
	}{
		{"same", enc, "Café-au-lait-2024", CodeSameAsCurrent},
		{"same, NFD", enc, "Cafe\u0301-au-lait-2024", CodeSameAsCurrent},
		{"different", enc, "Teh-tarik-2025!", ""},
		{"no current password", "", "Café-au-lait-2024", ""},
		{"malformed current", "garbage", "Café-au-lait-2024", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.Check(tt.plain, Context{IsCurrent: h.IsCurrentFunc(t.Context(), tt.encoded)})
			got := ""
			if v, ok := AsViolation(err); ok {
				got = v.Code
			} else if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Check = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewHasherRejectsInvalidParams(t *testing.T) {
	tests := []struct {
		name string
		p    Params
	}{
		{"zero", Params{}},
		{"time 0", Params{64, 0, 1, 16, 32}},
		{"time too high", Params{64, 1000, 1, 16, 32}},
		{"threads 0", Params{64, 1, 0, 16, 32}},
		{"memory below 8 per lane", Params{31, 1, 4, 16, 32}},
		{"memory too high", Params{1<<20 + 1, 1, 1, 16, 32}},
		{"salt too short", Params{64, 1, 1, 4, 32}},
		{"salt too long", Params{64, 1, 1, 65, 32}},
		{"key too short", Params{64, 1, 1, 16, 8}},
		{"key too long", Params{64, 1, 1, 16, 65}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.p.Validate() == nil {
				t.Fatal("Validate() = nil")
			}
			defer func() {
				if recover() == nil {
					t.Fatal("NewHasher did not panic")
				}
			}()
			NewHasher(tt.p, 1)
		})
	}
}

func TestNewHasherDefaultConcurrency(t *testing.T) {
	for _, n := range []int{0, -1} {
		if c := cap(NewHasher(testParams, n).sem); c < 1 {
			t.Fatalf("NewHasher(_, %d): capacity %d", n, c)
		}
	}
	if c := cap(NewHasher(testParams, 3).sem); c != 3 {
		t.Fatalf("capacity %d, want 3", c)
	}
}

// fuzzParams are tiny so that each fuzz execution that reaches argon2 is
// cheap.
var fuzzParams = Params{Memory: 8, Time: 1, Threads: 1, SaltLen: 8, KeyLen: 16}

// FuzzVerifyEncoded feeds arbitrary strings to the hash parser through
// Verify and NeedsRehash. Invariants: no panic; a string the parser rejects
// makes Verify fail with ErrMalformedHash and NeedsRehash report true; a
// string it accepts re-encodes to itself, has valid parameters and (when
// cheap enough to compute) verifies without error.
func FuzzVerifyEncoded(f *testing.F) {
	h := NewHasher(fuzzParams, 4)
	good := mustHash(f, h, "kata laluan")
	f.Add(good, "kata laluan")
	f.Add(good, "salah")
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U", "x")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$", "")
	f.Add("$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$a2V5", "x")
	f.Add("", "")

	f.Fuzz(func(t *testing.T, encoded, plain string) {
		ctx := context.Background()
		d, err := decodeHash(encoded)
		if err != nil {
			if !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("decode error %v does not wrap ErrMalformedHash", err)
			}
			if ok, verr := h.Verify(ctx, encoded, plain); ok || verr == nil {
				t.Fatalf("Verify of malformed hash = %v, %v", ok, verr)
			}
			if !h.NeedsRehash(encoded) {
				t.Fatal("NeedsRehash(malformed) = false")
			}
			return
		}
		if err := d.params.Validate(); err != nil {
			t.Fatalf("accepted hash with invalid params: %v", err)
		}
		if re := encodeHash(d.params, d.salt, d.key); re != encoded {
			t.Fatalf("accepted %q, re-encodes to %q", encoded, re)
		}
		// Keep executions fast: only run argon2 for cheap parameters.
		if d.params.Memory > 1024 || d.params.Time > 2 || d.params.Threads > 4 || len(plain) > MaxPlainBytes {
			return
		}
		if _, err := h.Verify(ctx, encoded, plain); err != nil {
			t.Fatalf("Verify of well-formed hash: %v", err)
		}
		// A fresh hash of plain with the parsed parameters verifies.
		again := mustHash(t, NewHasher(d.params, 1), plain)
		if ok, err := h.Verify(ctx, again, plain); !ok || err != nil {
			t.Fatalf("Verify(Hash(plain), plain) = %v, %v", ok, err)
		}
	})
}
