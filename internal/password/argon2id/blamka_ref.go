// Copyright 2017 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.
//
// Derived from golang.org/x/crypto/argon2 v0.59.0 (blamka_ref.go), under the
// BSD licence in the LICENSE file of this directory. Changed: package name;
// the build constraint no longer excludes loong64, because this fork drops
// the loong64 assembly and every architecture but amd64 uses the generic code.

//go:build !amd64 || purego || !gc

package argon2id

func processBlock(out, in1, in2 *block) {
	processBlockGeneric(out, in1, in2, false)
}

func processBlockXOR(out, in1, in2 *block) {
	processBlockGeneric(out, in1, in2, true)
}
