package argon2id

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"
)

// The RFC 9106 section 5.3 Argon2id test vector, as in x/crypto's
// argon2_test.go (genKat* and testArgon2id).
var (
	genKatPassword = bytes.Repeat([]byte{0x01}, 32)
	genKatSalt     = bytes.Repeat([]byte{0x02}, 16)
	genKatSecret   = bytes.Repeat([]byte{0x03}, 8)
	genKatAAD      = bytes.Repeat([]byte{0x04}, 12)
	genKatWant     = []byte{
		0x0d, 0x64, 0x0d, 0xf5, 0x8d, 0x78, 0x76, 0x6c,
		0x08, 0xc0, 0x37, 0xa3, 0x4a, 0x8b, 0x53, 0xc9,
		0xd0, 0x1e, 0xf0, 0x45, 0x2d, 0x75, 0xb6, 0x5e,
		0xb5, 0x25, 0x20, 0xe9, 0x6b, 0x01, 0xe6, 0x59,
	}
)

// The Argon2id entries of x/crypto's testVectors (password "password",
// salt "somesalt"), generated with the reference implementation's CLI.
var testVectors = []struct {
	time, memory uint32
	threads      uint8
	hash         string
}{
	{time: 1, memory: 64, threads: 1, hash: "655ad15eac652dc59f7170a7332bf49b8469be1fdb9c28bb"},
	{time: 2, memory: 64, threads: 1, hash: "068d62b26455936aa6ebe60060b0a65870dbfa3ddf8d41f7"},
	{time: 2, memory: 64, threads: 2, hash: "350ac37222f436ccb5c0972f1ebd3bf6b958bf2071841362"},
	{time: 3, memory: 256, threads: 2, hash: "4668d30ac4187e6878eedeacf0fd83c5a0a30db2cc16ef0b"},
	{time: 4, memory: 4096, threads: 4, hash: "145db9733a9f4ee43edf33c509be96b934d505a4efb33c5a"},
	{time: 4, memory: 1024, threads: 8, hash: "8dafa8e004f8ea96bf7c0f93eecf67a6047476143d15577f"},
	{time: 2, memory: 64, threads: 3, hash: "4a15b31aec7c2590b87d1f520be7d96f56658172deaa3079"},
	{time: 3, memory: 1024, threads: 6, hash: "1640b932f4b60e272f5d2207b9a9c626ffa1bd88d2349016"},
}

// forEachImpl runs f with the SSE4 assembly (if the CPU has it) and with
// the generic Go code.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	defer func(sse4 bool) { useSSE4 = sse4 }(useSSE4)
	if useSSE4 {
		t.Run("SSE4", f)
		useSSE4 = false
	}
	t.Run("generic", f)
}

func TestRFC9106Vector(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		// Twice: the second run gets the first run's memory from the pool.
		for range 2 {
			got := deriveKey(argon2id, genKatPassword, genKatSalt, genKatSecret, genKatAAD, 3, 32, 4, 32)
			if !bytes.Equal(got, genKatWant) {
				t.Errorf("got %x, want %x", got, genKatWant)
			}
		}
	})
}

func TestVectors(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		password, salt := []byte("password"), []byte("somesalt")
		for range 2 {
			for i, v := range testVectors {
				want, _ := hex.DecodeString(v.hash)
				got := IDKey(password, salt, v.time, v.memory, v.threads, uint32(len(want)))
				if !bytes.Equal(got, want) {
					t.Errorf("vector %d: got %x, want %x", i, got, want)
				}
			}
		}
	})
}

type params struct {
	password, salt []byte
	time, memory   uint32
	threads        uint8
	keyLen         uint32
}

func (p params) String() string {
	return fmt.Sprintf("t=%d m=%d p=%d len=%d pw=%x salt=%x", p.time, p.memory, p.threads, p.keyLen, p.password, p.salt)
}

// randomParams returns n random parameter sets. Memory sizes come from a
// small set, so that sizes repeat (pooled buffers are reused, and by
// differently shaped hashes: other lane counts, passes, passwords) and
// include odd sizes that argon2 rounds (19, 100) or raises (8 KiB with 4
// lanes becomes 32).
func randomParams(r *rand.Rand, n int) []params {
	memories := []uint32{8, 16, 19, 24, 32, 64, 100}
	ps := make([]params, n)
	for i := range ps {
		ps[i] = params{
			password: randBytes(r, r.IntN(33)),
			salt:     randBytes(r, 8+r.IntN(25)),
			time:     1 + r.Uint32N(3),
			memory:   memories[r.IntN(len(memories))],
			threads:  uint8(1 + r.IntN(4)),
			keyLen:   16 + r.Uint32N(49),
		}
	}
	return ps
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func checkAgainstXCrypto(t *testing.T, p params) {
	t.Helper()
	want := argon2.IDKey(p.password, p.salt, p.time, p.memory, p.threads, p.keyLen)
	got := IDKey(p.password, p.salt, p.time, p.memory, p.threads, p.keyLen)
	if !bytes.Equal(got, want) {
		t.Errorf("%v: got %x, want %x (x/crypto)", p, got, want)
	}
}

// TestMatchesXCrypto compares IDKey with x/crypto's on random inputs, one
// after another, so that most calls get a dirty buffer from the pool.
func TestMatchesXCrypto(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		ps := randomParams(r, 30)
		for range 2 {
			for _, p := range ps {
				checkAgainstXCrypto(t, p)
			}
		}
	})
}

// TestMatchesXCryptoConcurrent hashes from several goroutines at once, so
// that buffers move between goroutines and some calls find the pool empty.
func TestMatchesXCryptoConcurrent(t *testing.T) {
	const goroutines = 8
	var wg sync.WaitGroup
	for g := range goroutines {
		r := rand.New(rand.NewPCG(3, uint64(g)))
		ps := randomParams(r, 10)
		wg.Go(func() {
			for range 2 {
				for _, p := range ps {
					checkAgainstXCrypto(t, p)
				}
			}
		})
	}
	wg.Wait()
	if n := numPools.Load(); n > maxPools {
		t.Errorf("%d pools, want at most %d", n, maxPools)
	}
}

// TestDirtyMemory runs the algorithm on memory filled with garbage rather
// than taken from the pool, so it does not depend on sync.Pool returning a
// used buffer: the result must not depend on what the memory held.
func TestDirtyMemory(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, threads := range []uint32{1, 2, 3, 4} {
			for _, time := range []uint32{1, 2, 3} {
				memory := 16 * threads // a multiple of 4*threads, at least 8*threads: no rounding
				pw, salt := randBytes(r, 16), randBytes(r, 16)
				want := argon2.IDKey(pw, salt, time, memory, uint8(threads), 32)

				B := make([]block, memory)
				for i := range B {
					for j := range B[i] {
						B[i][j] = r.Uint64()
					}
				}
				h0 := initHash(pw, salt, nil, nil, time, memory, threads, 32, argon2id)
				initBlocks(&h0, B, memory, threads)
				processBlocks(B, time, memory, threads, argon2id)
				got := extractKey(B, memory, threads, 32)
				if !bytes.Equal(got, want) {
					t.Errorf("t=%d m=%d p=%d: got %x, want %x", time, memory, threads, got, want)
				}
			}
		}
	})
}

// TestReusesMemory checks that a second hash of the same size takes its
// memory from the pool: it allocates far less than the 19 MiB that
// x/crypto allocates on every call.
func TestReusesMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("19 MiB hashes in -short mode")
	}
	const memory = 19 * 1024 // KiB: 19 MiB of blocks
	pw, salt := []byte("password"), []byte("somesalt")
	hash := func() uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		IDKey(pw, salt, 1, memory, 1, 32)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	first := hash()
	if first < memory*1024 {
		t.Fatalf("first hash allocated %d bytes, want at least %d (a fresh buffer)", first, memory*1024)
	}
	// sync.Pool may drop a buffer (two garbage collections before the next
	// Get, or at random under the race detector), so allow a few tries.
	// Without the pool every try allocates 19 MiB.
	var got uint64
	for range 5 {
		if got = hash(); got < 1<<20 {
			return
		}
	}
	t.Errorf("repeated hash allocated %d bytes, want < 1 MiB (memory reused)", got)
}

// BenchmarkIDKey compares this package with x/crypto at the OWASP baseline
// parameters (m=19456 KiB, t=2, p=1), hashing on all Ps at once.
func BenchmarkIDKey(b *testing.B) {
	pw, salt := []byte("correct horse battery staple"), []byte("0123456789abcdef")
	for _, impl := range []struct {
		name  string
		idKey func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte
	}{
		{"fork", IDKey},
		{"x-crypto", argon2.IDKey},
	} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					impl.idKey(pw, salt, 2, 19*1024, 1, 32)
				}
			})
		})
	}
}
