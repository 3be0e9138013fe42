package demo

import (
	"math/rand/v2"
	"strings"
	"time"
)

// Seeding. Every person, supplier and (person, month) pair has its own PCG
// stream derived from Options.Seed and stable numbers (index, month), so a
// person's data never depends on how many others there are or on the order
// in which they are generated.

// Stream tags, so that different uses of the same index never share a stream.
const (
	tagStaff uint64 = iota + 1
	tagSupplier
	tagPayslip
	tagTambahan
	tagSupplierMonth
	tagClaim
	tagPersonYear
	tagPayDay
	tagKP
	tagStaffNo
	tagEPF
	tagTax
	tagSSM
	tagOldSSM
	tagPaymentNo
)

// mix is the SplitMix64 finaliser: a bijective, well-scrambling hash.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hash3 hashes a seed, a tag and a number.
func hash3(seed int64, tag, a uint64) uint64 {
	return mix(mix(mix(uint64(seed))^tag) ^ a)
}

// rng is a PCG stream that can be re-seeded without allocating.
type rng struct {
	pcg rand.PCG
	r   *rand.Rand
}

func newRNG() *rng {
	g := &rng{}
	g.r = rand.New(&g.pcg)
	return g
}

// at positions g at the stream for (tag, a, b).
func (g *rng) at(seed int64, tag, a, b uint64) {
	g.pcg.Seed(hash3(seed, tag, a), mix(b^tag<<48)^a)
}

func (g *rng) n(k int) int                { return g.r.IntN(k) }
func (g *rng) pm(perMille int) bool       { return g.r.IntN(1000) < perMille }
func (g *rng) between(lo, hi int64) int64 { return lo + g.r.Int64N(hi-lo+1) }

func pick[T any](g *rng, s []T) T { return s[g.r.IntN(len(s))] }

// pickWeighted picks an index from cumulative weights.
func pickWeighted(g *rng, cum []int) int {
	x := g.n(cum[len(cum)-1])
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

func cumulative(n int, w func(int) int) []int {
	cum := make([]int, n)
	t := 0
	for i := range cum {
		t += w(i)
		cum[i] = t
	}
	return cum
}

// skewed returns an amount in [lo, hi] sen, biased towards lo (small
// purchases are more common than large ones). Integer only, so the output is
// the same on every architecture.
func skewed(g *rng, lo, hi int64) int64 {
	r := uint64(g.r.Int64N(1 << 20))
	r = r * r >> 20 * r >> 20 // r³, still below 2^20
	return lo + int64(uint64(hi-lo)*r>>20)
}

// permute is a keyed bijection on [0, n): a 4-round Feistel network on the
// smallest even number of bits covering n, with cycle walking. It turns
// indices into unique, random-looking identity numbers.
func permute(n, key, x uint64) uint64 {
	bits := uint(2)
	for uint64(1)<<bits < n {
		bits++
	}
	bits += bits & 1
	half := bits / 2
	mask := uint64(1)<<half - 1
	for {
		l, r := x>>half, x&mask
		for round := uint64(0); round < 4; round++ {
			l, r = r, l^(mix(key^round<<56^r)&mask)
		}
		x = l<<half | r
		if x < n {
			return x
		}
	}
}

// date is a calendar date.
type date struct{ y, m, d int }

func dateOf(t time.Time) date { return date{t.Year(), int(t.Month()), t.Day()} }

func (d date) add(days int) date {
	return dateOf(time.Date(d.y, time.Month(d.m), d.d+days, 0, 0, 0, 0, time.UTC))
}

func (d date) weekday() time.Weekday {
	return time.Date(d.y, time.Month(d.m), d.d, 0, 0, 0, 0, time.UTC).Weekday()
}

func daysIn(y, m int) int { return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// catalogue holds the state-dependent tables: departments, PTJs, districts.
type catalogue struct {
	st     stateInfo
	slug   string // state name for email domains
	depts  []dept
	deptW  []int
	ptjs   []ptj
	indW   []int
	posW   []int
	sbankW []int
	bankW  []int
}

type dept struct {
	code, name string
	spec       *deptSpec
	ptjs       []int
	specW      []int
}

type ptj struct {
	code, name string
	dept       int
	csv        []byte // "department_code,department_name,ptj_code,ptj_name,"
	lineCSV    []byte // "ptj_code,ptj_name,"
}

// PTJ codes are ptjPrefix, the department's two digits and the unit's two.
const ptjPrefix = "0710"

func newCatalogue(state string) *catalogue {
	c := &catalogue{st: genericState}
	key := strings.ToLower(strings.Join(strings.Fields(state), " "))
	if key == "penang" {
		key = "pulau pinang"
	}
	suffix := ""
	if key != "" && key != "negeri" {
		suffix = " " + strings.Join(strings.Fields(state), " ")
		c.slug = slug(state)
		if st, ok := states[key]; ok {
			c.st = st
		}
	}
	if c.slug == "" {
		c.slug = "negeri"
	}
	for di := range deptSpecs {
		spec := &deptSpecs[di]
		code := ptjPrefix + twoDigits(di+1)
		d := dept{code: code, name: strings.ReplaceAll(spec.name, "{N}", suffix), spec: spec}
		d.specW = cumulative(len(spec.special), func(i int) int { return specialWeight[positions[spec.special[i]].band] })
		var units []string
		for _, u := range spec.units {
			if !strings.HasPrefix(u, "@") {
				units = append(units, u)
				continue
			}
			for _, dist := range c.st.districts {
				units = append(units, strings.ReplaceAll(u[1:], "{D}", dist))
			}
		}
		for ui, u := range units {
			p := ptj{code: code + twoDigits(ui+1), name: strings.ReplaceAll(u, "{N}", suffix), dept: di}
			p.csv = appendFields(nil, d.code, d.name, p.code, p.name)
			p.lineCSV = appendFields(nil, p.code, p.name)
			d.ptjs = append(d.ptjs, len(c.ptjs))
			c.ptjs = append(c.ptjs, p)
		}
		c.depts = append(c.depts, d)
	}
	c.deptW = cumulative(len(deptSpecs), func(i int) int { return deptSpecs[i].weight })
	c.indW = cumulative(len(industries), func(i int) int { return industryWeights[i] })
	c.posW = cumulative(len(positions), func(i int) int { return positions[i].weight })
	c.bankW = cumulative(len(staffBanks), func(i int) int { return staffBanks[i].weight })
	c.sbankW = cumulative(len(supplierBanks), func(i int) int { return supplierBanks[i].weight })
	return c
}

// specialWeight weighs a department's own positions by pay band.
var specialWeight = [5]int{5, 4, 3, 1, 1}

var industryWeights = []int{14, 10, 6, 8, 12, 10, 12, 8, 8, 6, 6, 4}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10%10), byte('0' + n%10)}) }

// weekend reports whether d is a weekend day in the state (Friday–Saturday
// in Kedah, Kelantan and Terengganu, Saturday–Sunday elsewhere).
func (c *catalogue) weekend(d date) bool {
	wd := d.weekday()
	if c.st.friSat {
		return wd == time.Friday || wd == time.Saturday
	}
	return wd == time.Saturday || wd == time.Sunday
}

// workday moves d forward to a working day in its month, or back if the
// month ends first.
func (c *catalogue) workday(d date) date {
	n := daysIn(d.y, d.m)
	for d.d < n && c.weekend(d) {
		d.d++
	}
	for d.d > 1 && c.weekend(d) {
		d.d--
	}
	return d
}

// payDay is the pay date of a run: a day in [base, base+spread) moved back
// to the previous working day.
func (c *catalogue) payDay(seed int64, tag uint64, y, m, base, spread int) date {
	d := date{y, m, base + int(hash3(seed, tagPayDay^tag<<8, uint64(y*12+m))%uint64(spread))}
	for c.weekend(d) {
		d.d--
	}
	return d
}

// slug keeps the lower-case ASCII letters of s.
func slug(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case 'a' <= ch && ch <= 'z':
			b = append(b, ch)
		case 'A' <= ch && ch <= 'Z':
			b = append(b, ch-'A'+'a')
		}
	}
	return string(b)
}
