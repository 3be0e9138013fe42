// Copyright 2017 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Derived from golang.org/x/crypto/argon2 v0.59.0 (argon2.go), under the
// BSD licence in the LICENSE file of this directory. Changes:
//   - package renamed to argon2id; the Argon2i function Key is dropped (the
//     Argon2i/Argon2d mode constants stay, as the shared code tests them);
//   - the memory blocks come from a pool per size instead of a fresh
//     make([]block, memory) per call (getBlocks/putBlocks, initBlocks takes
//     the buffer);
//   - the first pass overwrites blocks (processBlock) instead of XORing into
//     them (processBlockXOR), so that the reused memory need not be zeroed.

// Package argon2id is a minimal fork of golang.org/x/crypto/argon2 that
// computes Argon2id (RFC 9106, version 0x13) with reused block memory.
//
// x/crypto allocates the whole Argon2 memory (19 MiB at the OWASP baseline
// m=19456) on every call. Fresh memory of that size is expensive beyond the
// hash itself: page faults, zeroing, cache misses and garbage collection.
// Measured with 2 goroutines hashing in a loop, x/crypto costs 25 ms CPU per
// hash with GOGC=100 and a small heap, 31 ms with GOGC=400 and
// GOMEMLIMIT=192MiB, and 145 ms with GOGC=off. This package takes the
// memory from a sync.Pool per size instead, so a busy server reuses a few
// buffers, and idle ones are released by the garbage collector as with any
// sync.Pool. The results are identical to x/crypto's argon2.IDKey.
//
// For a detailed specification of Argon2 see [argon2-specs.pdf] and
// [RFC 9106].
//
// [argon2-specs.pdf]: https://github.com/P-H-C/phc-winner-argon2/blob/master/argon2-specs.pdf
// [RFC 9106]: https://www.rfc-editor.org/rfc/rfc9106.html
package argon2id

import (
	"encoding/binary"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/blake2b"
)

// The Argon2 version implemented by this package.
const Version = 0x13

const (
	argon2d = iota
	argon2i
	argon2id
)

// IDKey derives a key from the password, salt, and cost parameters using
// Argon2id returning a byte slice of length keyLen that can be used as
// cryptographic key. The CPU cost and parallelism degree must be greater than
// zero.
//
// For example, you can get a derived key for e.g. AES-256 (which needs a
// 32-byte key) by doing:
//
//	key := argon2id.IDKey([]byte("some password"), salt, 1, 2*1024*1024, 4, 32)
//
// The example above uses the first [RFC 9106 Section 4] recommended option.
// If much less memory is available, the second recommended option is time=3,
// memory=64*1024 KiB (64 MiB), and threads=4.
//
// The time parameter specifies the number of passes over the memory and the
// memory parameter specifies the size of the memory in KiB. For example
// memory=2*1024*1024 sets the memory cost to ~2 GiB. The number of threads can
// be adjusted to the numbers of available CPUs. The cost parameters should be
// increased as memory latency and CPU parallelism increases. Remember to get a
// good random salt.
//
// [RFC 9106 Section 4]: https://www.rfc-editor.org/rfc/rfc9106.html#section-4
func IDKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	return deriveKey(argon2id, password, salt, nil, nil, time, memory, threads, keyLen)
}

func deriveKey(mode int, password, salt, secret, data []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	if time < 1 {
		panic("argon2: number of rounds too small")
	}
	if threads < 1 {
		panic("argon2: parallelism degree too low")
	}
	h0 := initHash(password, salt, secret, data, time, memory, uint32(threads), keyLen, mode)

	memory = memory / (syncPoints * uint32(threads)) * (syncPoints * uint32(threads))
	if memory < 2*syncPoints*uint32(threads) {
		memory = 2 * syncPoints * uint32(threads)
	}
	bp := getBlocks(memory)
	B := *bp
	initBlocks(&h0, B, memory, uint32(threads))
	processBlocks(B, time, memory, uint32(threads), mode)
	key := extractKey(B, memory, uint32(threads), keyLen)
	putBlocks(memory, bp)
	return key
}

// Pooled block memory.
//
// A buffer taken from the pool still holds the blocks of an earlier hash
// (of another password). It is used without zeroing because Argon2's first
// pass writes every block before anything reads it:
//
//   - initBlocks writes blocks 0 and 1 of each lane;
//   - in pass 0, processSegment starts at index 2 of slice 0 and writes
//     every further block of its segment in order, with processBlock,
//     which overwrites its output (x/crypto XORs into the zeroed memory
//     there instead, which is why this fork switches pass 0 to
//     processBlock, as the reference implementation does);
//   - what pass 0 reads was written earlier in pass 0: the previous block
//     (offset-1; the wrap-around to the lane's last block happens only
//     for index 0 of slice 0, which pass 0 skips), and the reference block,
//     which indexAlpha picks in pass 0 only among blocks already computed
//     (earlier in this segment of the same lane, or in finished slices of
//     any lane);
//   - the later passes and extractKey only read blocks written in pass 0
//     or later.
//
// Buffers are put back without zeroing either. That is not a leak: the
// leftover blocks (derived from a password) stay in this process's memory,
// which the plain password itself has passed through; nothing outside this
// package can reach the pool, and the next hash overwrites every block in its
// first pass before reading it. x/crypto also leaves its buffer to the
// garbage collector without zeroing it, so only the lifetime differs.
// Zeroing 19 MiB per hash would cost much of what the reuse saves.

// maxPools bounds the number of distinct memory sizes with a pool. Callers
// verifying stored hashes use the parameters recorded in each hash, so a
// few sizes are normal (the current one and older ones), but a map keyed
// by a value read from a database should not grow without limit. Sizes
// beyond the bound are allocated per call, as in x/crypto.
const maxPools = 16

var (
	pools    sync.Map // memory in blocks (uint32) -> *sync.Pool of *[]block
	numPools atomic.Int32
)

// getBlocks returns a buffer of memory blocks with arbitrary contents.
func getBlocks(memory uint32) *[]block {
	if p := blockPool(memory); p != nil {
		return p.Get().(*[]block)
	}
	B := make([]block, memory)
	return &B
}

// putBlocks returns a buffer from getBlocks(memory) for reuse.
func putBlocks(memory uint32, bp *[]block) {
	if p := blockPool(memory); p != nil {
		p.Put(bp)
	}
}

// blockPool returns the pool of buffers of memory blocks, or nil if there
// are already maxPools pools for other sizes. Each pool holds *[]block
// rather than []block so that Put does not allocate.
func blockPool(memory uint32) *sync.Pool {
	if p, ok := pools.Load(memory); ok {
		return p.(*sync.Pool)
	}
	if numPools.Load() >= maxPools {
		return nil
	}
	p, loaded := pools.LoadOrStore(memory, &sync.Pool{New: func() any {
		B := make([]block, memory)
		return &B
	}})
	if !loaded {
		numPools.Add(1)
	}
	return p.(*sync.Pool)
}

const (
	blockLength = 128
	syncPoints  = 4
)

type block [blockLength]uint64

func initHash(password, salt, key, data []byte, time, memory, threads, keyLen uint32, mode int) [blake2b.Size + 8]byte {
	var (
		h0     [blake2b.Size + 8]byte
		params [24]byte
		tmp    [4]byte
	)

	b2, _ := blake2b.New512(nil)
	binary.LittleEndian.PutUint32(params[0:4], threads)
	binary.LittleEndian.PutUint32(params[4:8], keyLen)
	binary.LittleEndian.PutUint32(params[8:12], memory)
	binary.LittleEndian.PutUint32(params[12:16], time)
	binary.LittleEndian.PutUint32(params[16:20], uint32(Version))
	binary.LittleEndian.PutUint32(params[20:24], uint32(mode))
	b2.Write(params[:])
	binary.LittleEndian.PutUint32(tmp[:], uint32(len(password)))
	b2.Write(tmp[:])
	b2.Write(password)
	binary.LittleEndian.PutUint32(tmp[:], uint32(len(salt)))
	b2.Write(tmp[:])
	b2.Write(salt)
	binary.LittleEndian.PutUint32(tmp[:], uint32(len(key)))
	b2.Write(tmp[:])
	b2.Write(key)
	binary.LittleEndian.PutUint32(tmp[:], uint32(len(data)))
	b2.Write(tmp[:])
	b2.Write(data)
	b2.Sum(h0[:0])
	return h0
}

// initBlocks writes the first two blocks of each lane of B, which has
// memory blocks.
func initBlocks(h0 *[blake2b.Size + 8]byte, B []block, memory, threads uint32) {
	var block0 [1024]byte
	for lane := uint32(0); lane < threads; lane++ {
		j := lane * (memory / threads)
		binary.LittleEndian.PutUint32(h0[blake2b.Size+4:], lane)

		binary.LittleEndian.PutUint32(h0[blake2b.Size:], 0)
		blake2bHash(block0[:], h0[:])
		for i := range B[j+0] {
			B[j+0][i] = binary.LittleEndian.Uint64(block0[i*8:])
		}

		binary.LittleEndian.PutUint32(h0[blake2b.Size:], 1)
		blake2bHash(block0[:], h0[:])
		for i := range B[j+1] {
			B[j+1][i] = binary.LittleEndian.Uint64(block0[i*8:])
		}
	}
}

func processBlocks(B []block, time, memory, threads uint32, mode int) {
	lanes := memory / threads
	segments := lanes / syncPoints

	processSegment := func(n, slice, lane uint32, wg *sync.WaitGroup) {
		var addresses, in, zero block
		if mode == argon2i || (mode == argon2id && n == 0 && slice < syncPoints/2) {
			in[0] = uint64(n)
			in[1] = uint64(lane)
			in[2] = uint64(slice)
			in[3] = uint64(memory)
			in[4] = uint64(time)
			in[5] = uint64(mode)
		}

		index := uint32(0)
		if n == 0 && slice == 0 {
			index = 2 // we have already generated the first two blocks
			if mode == argon2i || mode == argon2id {
				in[6]++
				processBlock(&addresses, &in, &zero)
				processBlock(&addresses, &addresses, &zero)
			}
		}

		offset := lane*lanes + slice*segments + index
		var random uint64
		for index < segments {
			prev := offset - 1
			if index == 0 && slice == 0 {
				prev += lanes // last block in lane
			}
			if mode == argon2i || (mode == argon2id && n == 0 && slice < syncPoints/2) {
				if index%blockLength == 0 {
					in[6]++
					processBlock(&addresses, &in, &zero)
					processBlock(&addresses, &addresses, &zero)
				}
				random = addresses[index%blockLength]
			} else {
				random = B[prev][0]
			}
			newOffset := indexAlpha(random, lanes, segments, threads, n, slice, lane, index)
			// Version 0x13 XORs the new block into the old one in
			// passes after the first. In the first pass, overwrite: the
			// pooled memory holds an earlier hash's blocks, not zeros.
			if n == 0 {
				processBlock(&B[offset], &B[prev], &B[newOffset])
			} else {
				processBlockXOR(&B[offset], &B[prev], &B[newOffset])
			}
			index, offset = index+1, offset+1
		}
		wg.Done()
	}

	for n := uint32(0); n < time; n++ {
		for slice := uint32(0); slice < syncPoints; slice++ {
			var wg sync.WaitGroup
			for lane := uint32(0); lane < threads; lane++ {
				wg.Add(1)
				go processSegment(n, slice, lane, &wg)
			}
			wg.Wait()
		}
	}

}

func extractKey(B []block, memory, threads, keyLen uint32) []byte {
	lanes := memory / threads
	for lane := uint32(0); lane < threads-1; lane++ {
		for i, v := range B[(lane*lanes)+lanes-1] {
			B[memory-1][i] ^= v
		}
	}

	var block [1024]byte
	for i, v := range B[memory-1] {
		binary.LittleEndian.PutUint64(block[i*8:], v)
	}
	key := make([]byte, keyLen)
	blake2bHash(key, block[:])
	return key
}

func indexAlpha(rand uint64, lanes, segments, threads, n, slice, lane, index uint32) uint32 {
	refLane := uint32(rand>>32) % threads
	if n == 0 && slice == 0 {
		refLane = lane
	}
	m, s := 3*segments, ((slice+1)%syncPoints)*segments
	if lane == refLane {
		m += index
	}
	if n == 0 {
		m, s = slice*segments, 0
		if slice == 0 || lane == refLane {
			m += index
		}
	}
	if index == 0 || lane == refLane {
		m--
	}
	return phi(rand, uint64(m), uint64(s), refLane, lanes)
}

func phi(rand, m, s uint64, lane, lanes uint32) uint32 {
	p := rand & 0xFFFFFFFF
	p = (p * p) >> 32
	p = (p * m) >> 32
	return lane*lanes + uint32((s+m-(p+1))%uint64(lanes))
}
