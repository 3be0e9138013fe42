package password

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestIsCommon(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"password123", true},
		{"iloveyou1", true},
		{"qwerty123", true},
		{"passw0rd", true},
		{"password1234", true},
		{"PASSWORD123", true},
		{"ILoveYou1", true},
		{"passwordpassword", true},
		{"téméraire", true},
		{"te\u0301me\u0301raire", true}, // NFD of an entry
		{"TÉMÉRAIRE", true},
		{"contraseña", true},
		{"zq8#Lm2!pX4v", false},
		{"correct horse battery staple", false},
		{"password123 ", false}, // exact match only, nothing trimmed
		{" password123", false},
		{"password123\n", false},
		{"\npassword123", false},
		{"password", true},
		{"abc", false}, // shorter than 8: never bundled
		{"", false},
		{"\n", false},
		{"\xff\xfe invalid utf-8", false},
	}
	for _, tt := range tests {
		if got := IsCommon(tt.in); got != tt.want {
			t.Errorf("IsCommon(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCommonCount(t *testing.T) {
	n := CommonCount()
	if n < 100000 {
		t.Fatalf("CommonCount() = %d, want >= 100000", n)
	}
	// The count must agree with the provenance file written by
	// scripts/vendor-passwords.sh.
	f, err := os.Open("common-passwords.SOURCE")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	found := false
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "entries: "); ok {
			found = true
			if want, err := strconv.Atoi(v); err != nil || want != n {
				t.Fatalf("SOURCE says %q entries, CommonCount() = %d", v, n)
			}
		}
	}
	if !found {
		t.Fatal("common-passwords.SOURCE has no entries: line")
	}
}

// TestCommonListCanonical checks the properties searchSorted and IsCommon
// rely on, for every entry: canonical form (NFC, lower-cased exactly as Go
// does it), minimum length, strict byte order, and that each entry is
// found. It catches a list regenerated with a different tool whose
// lower-casing or sort order differs from Go's.
func TestCommonListCanonical(t *testing.T) {
	CommonCount() // load
	if !strings.HasSuffix(commonList, "\n") {
		t.Fatal("list does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(commonList, "\n"), "\n")
	if len(lines) != CommonCount() {
		t.Fatalf("%d lines, CommonCount() = %d", len(lines), CommonCount())
	}
	prev := ""
	for i, line := range lines {
		switch {
		case line == "":
			t.Fatalf("line %d is empty", i+1)
		case strings.ToLower(Normalize(line)) != line:
			t.Fatalf("line %d %q is not NFC lower-case", i+1, line)
		case utf8.RuneCountInString(line) < AbsoluteMinLength:
			t.Fatalf("line %d %q is shorter than %d", i+1, line, AbsoluteMinLength)
		case i > 0 && line <= prev:
			t.Fatalf("line %d %q is not after %q in byte order", i+1, line, prev)
		case strings.ContainsRune(line, '\r'):
			t.Fatalf("line %d contains CR", i+1)
		}
		if !isCommonLower(line) {
			t.Fatalf("line %d %q not found by binary search", i+1, line)
		}
		// A key just after this entry in byte order must not match.
		if isCommonLower(line + "\x00") {
			t.Fatalf("%q + NUL found", line)
		}
		prev = line
	}
}

func TestSearchSorted(t *testing.T) {
	lists := map[string][]string{
		"":                   nil,
		"m\n":                {"m"},
		"b\nd\nf\n":          {"b", "d", "f"},
		"aa\nab\nb\nba\n":    {"aa", "ab", "b", "ba"},
		"a\nbbbbbbbbbb\nc\n": {"a", "bbbbbbbbbb", "c"},
	}
	probes := []string{"", "a", "aa", "ab", "abc", "b", "ba", "bb", "bbbbbbbbbb", "c", "d", "e", "f", "g", "m", "z", "\n", "b\nd"}
	for list, members := range lists {
		for _, p := range probes {
			want := false
			for _, m := range members {
				want = want || m == p
			}
			if got := searchSorted(list, p); got != want {
				t.Errorf("searchSorted(%q, %q) = %v, want %v", list, p, got, want)
			}
		}
	}
}

func BenchmarkIsCommon(b *testing.B) {
	CommonCount()
	for b.Loop() {
		IsCommon("correct horse battery staple")
	}
}

func TestCommonListMemory(t *testing.T) {
	CommonCount()
	// Loading allocates the one big string (sized exactly from the gzip
	// trailer) plus the decompressor's state, nothing per entry. A map or
	// a slice of ~200,000 strings would need several times more.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	loadCommon() // reload; the result is identical
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	if limit := uint64(len(commonList)) + 256<<10; allocated > limit {
		t.Fatalf("loading the list allocated %d bytes for a %d-byte list", allocated, len(commonList))
	}
	if mallocs := after.Mallocs - before.Mallocs; mallocs > 1000 { // per-entry storage would be ~200,000
		t.Fatalf("loading the list made %d allocations", mallocs)
	}
}
