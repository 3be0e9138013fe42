package bench

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
)

// cpuProfile runs fn under the CPU profiler, writes the profile to dir/name.pprof and
// returns it parsed.
func cpuProfile(dir, name string, fn func() error) (*profile, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		return nil, err
	}
	err := fn()
	pprof.StopCPUProfile()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".pprof"), buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	return parseProfile(buf.Bytes())
}

// profile is a CPU profile reduced to stacks of function names (leaf first) with their
// CPU time.
type profile struct {
	samples []sample
}

type sample struct {
	stack []string
	value int64
}

// A minimal reader of the pprof protobuf format (profile.proto): samples, locations,
// functions and the string table are all this needs.
func parseProfile(gz []byte) (*profile, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	type rawSample struct {
		locs []uint64
		vals []int64
	}
	var (
		strs     []string
		samples  []rawSample
		locLines = map[uint64][]uint64{} // location → function IDs, innermost first
		funcName = map[uint64]int64{}    // function → string index
	)
	err = fields(b, func(num int, wt int, v uint64, data []byte) error {
		switch num {
		case 2: // sample
			var s rawSample
			err := fields(data, func(num, wt int, v uint64, data []byte) error {
				switch {
				case num == 1 && wt == 0:
					s.locs = append(s.locs, v)
				case num == 1 && wt == 2:
					return varints(data, func(x uint64) { s.locs = append(s.locs, x) })
				case num == 2 && wt == 0:
					s.vals = append(s.vals, int64(v))
				case num == 2 && wt == 2:
					return varints(data, func(x uint64) { s.vals = append(s.vals, int64(x)) })
				}
				return nil
			})
			samples = append(samples, s)
			return err
		case 4: // location
			var id uint64
			var fns []uint64
			err := fields(data, func(num, wt int, v uint64, data []byte) error {
				switch num {
				case 1:
					id = v
				case 4:
					return fields(data, func(num, wt int, v uint64, _ []byte) error {
						if num == 1 {
							fns = append(fns, v)
						}
						return nil
					})
				}
				return nil
			})
			locLines[id] = fns
			return err
		case 5: // function
			var id uint64
			var name int64
			err := fields(data, func(num, wt int, v uint64, _ []byte) error {
				switch num {
				case 1:
					id = v
				case 2:
					name = int64(v)
				}
				return nil
			})
			funcName[id] = name
			return err
		case 6: // string table
			strs = append(strs, string(data))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p := &profile{}
	for _, s := range samples {
		if len(s.vals) == 0 {
			continue
		}
		var stack []string
		for _, l := range s.locs {
			for _, f := range locLines[l] {
				if i := funcName[f]; i >= 0 && int(i) < len(strs) {
					stack = append(stack, strs[i])
				}
			}
		}
		p.samples = append(p.samples, sample{stack: stack, value: s.vals[len(s.vals)-1]})
	}
	return p, nil
}

var errProto = errors.New("malformed profile")

// fields walks a protobuf message, calling fn with each field's number, wire type, and
// its varint value or bytes.
func fields(b []byte, fn func(num, wt int, v uint64, data []byte) error) error {
	for len(b) > 0 {
		key, n := uvarint(b)
		if n <= 0 {
			return errProto
		}
		b = b[n:]
		num, wt := int(key>>3), int(key&7)
		var v uint64
		var data []byte
		switch wt {
		case 0:
			v, n = uvarint(b)
			if n <= 0 {
				return errProto
			}
			b = b[n:]
		case 1:
			if len(b) < 8 {
				return errProto
			}
			b = b[8:]
		case 2:
			l, n := uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return errProto
			}
			data = b[n : n+int(l)]
			b = b[n+int(l):]
		case 5:
			if len(b) < 4 {
				return errProto
			}
			b = b[4:]
		default:
			return errProto
		}
		if err := fn(num, wt, v, data); err != nil {
			return err
		}
	}
	return nil
}

func varints(b []byte, fn func(uint64)) error {
	for len(b) > 0 {
		v, n := uvarint(b)
		if n <= 0 {
			return errProto
		}
		fn(v)
		b = b[n:]
	}
	return nil
}

func uvarint(b []byte) (uint64, int) {
	var x uint64
	var s uint
	for i, c := range b {
		if i == 10 {
			return 0, -1
		}
		if c < 0x80 {
			return x | uint64(c)<<s, i + 1
		}
		x |= uint64(c&0x7f) << s
		s += 7
	}
	return 0, 0
}

// share is a part of the CPU time.
type share struct {
	name string
	frac float64
}

// summary describes where the CPU time of the samples that keep goes: the share of
// the whole, the packages by their own (flat) time, and the hottest functions.
func (p *profile) summary(label string, keep func(stack []string) bool, top int) string {
	var total, kept int64
	pkgs, funcs := map[string]int64{}, map[string]int64{}
	for _, s := range p.samples {
		total += s.value
		if keep != nil && !keep(s.stack) {
			continue
		}
		kept += s.value
		leaf := "?"
		if len(s.stack) > 0 {
			leaf = s.stack[0]
		}
		funcs[leaf] += s.value
		pkgs[pkgGroup(leaf)] += s.value
	}
	if kept == 0 {
		return label + ": no CPU samples"
	}
	rank := func(m map[string]int64) []share {
		var out []share
		for k, v := range m {
			out = append(out, share{k, float64(v) / float64(kept)})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].frac > out[j].frac })
		return out[:min(top, len(out))]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%.0f%% of the process's CPU samples): by package ", label, 100*float64(kept)/float64(max(total, 1)))
	for i, s := range rank(pkgs) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.0f%%", s.name, 100*s.frac)
	}
	b.WriteString("; hottest functions ")
	for i, s := range rank(funcs) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "`%s` %.0f%%", shortFunc(s.name), 100*s.frac)
	}
	return b.String()
}

// cumShare is the share of the samples (those keep keeps; all with nil) whose stack
// contains a function matching any of the prefixes (with no prefixes: every kept one,
// as a share of all samples).
func (p *profile) cumShare(keep func([]string) bool, prefixes ...string) float64 {
	var kept, hit int64
	for _, s := range p.samples {
		if len(prefixes) == 0 {
			kept += s.value
			if keep == nil || keep(s.stack) {
				hit += s.value
			}
			continue
		}
		if keep != nil && !keep(s.stack) {
			continue
		}
		kept += s.value
		if stackHas(s.stack, prefixes...) {
			hit += s.value
		}
	}
	if kept == 0 {
		return 0
	}
	return float64(hit) / float64(kept)
}

func stackHas(stack []string, prefixes ...string) bool {
	for _, f := range stack {
		for _, p := range prefixes {
			if strings.HasPrefix(f, p) {
				return true
			}
		}
	}
	return false
}

// pkgGroup is a function's package, with the runtime's parts named by what they do.
func pkgGroup(fn string) string {
	switch {
	case strings.HasPrefix(fn, "runtime.gc") || strings.HasPrefix(fn, "runtime.scanobject") ||
		strings.HasPrefix(fn, "runtime.markBits") || strings.HasPrefix(fn, "runtime.greyobject") ||
		strings.HasPrefix(fn, "runtime.findObject") || strings.HasPrefix(fn, "runtime.(*gcWork)") ||
		strings.HasPrefix(fn, "runtime.sweepone") || strings.HasPrefix(fn, "runtime.(*mspan)"):
		return "runtime (GC)"
	case strings.HasPrefix(fn, "runtime.mallocgc") || strings.HasPrefix(fn, "runtime.memclr") ||
		strings.HasPrefix(fn, "runtime.(*mcache)") || strings.HasPrefix(fn, "runtime.(*mheap)"):
		return "runtime (allocation)"
	case strings.HasPrefix(fn, "syscall.") || strings.HasPrefix(fn, "internal/runtime/syscall") ||
		strings.HasPrefix(fn, "runtime.futex") || strings.HasPrefix(fn, "runtime.epoll") || strings.HasPrefix(fn, "runtime.netpoll"):
		return "system calls"
	}
	slash := strings.LastIndexByte(fn, '/')
	dot := strings.IndexByte(fn[slash+1:], '.')
	if dot < 0 {
		return fn
	}
	return fn[:slash+1+dot]
}

func shortFunc(fn string) string {
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		return fn[i+1:]
	}
	return fn
}

// serverSide keeps the samples of the HTTP server (not the load generator in the same
// process).
func serverSide(stack []string) bool {
	return stackHas(stack, "net/http.(*conn).serve", "github.com/espeks/espeks/internal/web.", "github.com/espeks/espeks/internal/auth.",
		"database/sql.", "modernc.org/sqlite", "github.com/jackc/pgx")
}

// heapProfile writes the heap profile to dir/name.pprof and returns it parsed (its
// last value per sample: the bytes in use).
func heapProfile(dir, name string) (*profile, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&buf, 0); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".pprof"), buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	return parseProfile(buf.Bytes())
}

// heapSummary names the functions that allocated the bytes in use, with the bytes per
// item (payslip) when items > 0.
func (p *profile) heapSummary(label string, top int, items int64) string {
	var total int64
	funcs := map[string]int64{}
	for _, s := range p.samples {
		total += s.value
		leaf := "?"
		for _, f := range s.stack {
			if !strings.HasPrefix(f, "runtime.") {
				leaf = f
				break
			}
		}
		funcs[leaf] += s.value
	}
	var list []share
	for k, v := range funcs {
		list = append(list, share{k, float64(v)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].frac > list[j].frac })
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", label, mb(total))
	if items > 0 {
		fmt.Fprintf(&b, " (%s bytes per payslip)", commas(total/items))
	}
	b.WriteString(", allocated by ")
	for i, s := range list[:min(top, len(list))] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "`%s` %s", shortFunc(s.name), mb(int64(s.frac)))
	}
	return b.String()
}
