package demo

import (
	"io"
	"strconv"
	"strings"
)

// supplierRec is everything about a supplier that does not change.
type supplierRec struct {
	idx                    int
	id, name, email, phone string
	company                bool
	ind                    *industry
	bank                   *bankInfo
	account                string
	ptjs                   [3]int
	nptj                   int
	invStyle               int
	chequePM               int // per mille of payments by cheque
}

// Registration years of new-format SSM numbers. 2000–2012 are left out: the
// first six digits of 2005010… read as the date 20-05-01, and identity.Parse
// prefers MyKad, so such a company number would be taken for a No. KP.
var ssmYears = func() (ys []int) {
	for y := 1975; y <= 2024; y++ {
		if y < 2000 || y > 2012 {
			ys = append(ys, y)
		}
	}
	return ys
}()

// soleEthnic is the ethnic mix of sole proprietors (see personName).
var soleEthnic = []int{0, 0, 0, 0, 0, 0, 1, 1, 1, 2}

const (
	eCompany = iota // Sdn. Bhd.
	eBusiness
	ePLT
)

// makeSupplier fills s with supplier j.
func (c *catalogue) makeSupplier(s *supplierRec, seed int64, j int, g *rng) {
	*s = supplierRec{idx: j}
	g.at(seed, tagSupplier, uint64(j), 0)
	ind := pickWeighted(g, c.indW)
	s.ind = &industries[ind]
	kind := g.n(100)
	if kind < 15 && !s.ind.soleTrade {
		kind += 30
	}
	entity := eCompany
	switch {
	case kind < 15: // sole proprietor, paid under the owner's No. KP
		var male bool
		s.id, _, male = mykad(seed, uint64(j)*2+1)
		name, given, family := personName(g, male, soleEthnic[g.n(len(soleEthnic))])
		s.name = name
		s.email = slug(given) + "." + slug(family) + "." + strconv.Itoa(j+1) + "@example.net"
		s.phone = mobile(g)
		s.chequePM = 250
	case kind < 30: // old-format SSM number
		s.company = true
		v := permute(1_299_000, hash3(seed, tagOldSSM, 0), uint64(j)) + 1000
		check := string(rune('A' + g.n(26)))
		switch {
		case g.pm(600):
			s.id = strconv.FormatUint(v, 10) + "-" + check
		case g.pm(500):
			entity = eBusiness
			s.id = string(appendPadded(nil, v, 9)) + "-" + check
		default:
			entity = eBusiness
			s.id = pick(g, oldBusinessPrefixes) + string(appendPadded(nil, v, 7)) + "-" + check
		}
	default: // new-format SSM number YYYYTTNNNNNN
		s.company = true
		typ := 1
		switch r := g.n(100); {
		case ind == indLegal:
			typ = []int{1, 6}[g.n(2)]
		case r >= 94:
			typ = 4
		case r >= 70:
			typ = 3
		}
		switch typ {
		case 3:
			entity = eBusiness
		case 4, 6:
			entity = ePLT
		}
		serial := permute(999_999, hash3(seed, tagSSM, 0), uint64(j)) + 1
		b := appendPadded(nil, uint64(pick(g, ssmYears)), 4)
		b = appendPadded(b, uint64(typ), 2)
		s.id = string(appendPadded(b, serial, 6))
	}
	if s.company {
		s.name = companyName(g, ind, entity)
		s.email = "akaun." + strconv.Itoa(j+1) + "@" + slug(firstWords(s.name, 2)) + ".example.net"
		s.phone = c.landline(g)
		if g.pm(350) {
			s.phone = mobile(g)
		}
		s.chequePM = 80
	}
	s.bank = &supplierBanks[pickWeighted(g, c.sbankW)]
	s.account = account(g, s.bank)
	s.nptj = 1 + g.n(s.ind.ptjs)
	for k := range s.nptj {
		s.ptjs[k] = g.n(len(c.ptjs))
	}
	s.invStyle = g.n(5)
}

func companyName(g *rng, ind, entity int) string {
	if ind == indLegal && (entity == ePLT || g.pm(500)) {
		name := "Tetuan " + lawName(g) + ", " + lawName(g) + " & Rakan-Rakan"
		if entity == ePLT {
			name += " PLT"
		}
		return name
	}
	var base string
	if g.pm(200) {
		base = pick(g, chineseFirms) + " " + pick(g, industries[ind].words)
	} else {
		a, b := pick(g, coreA), pick(g, coreB)
		if a == b {
			b = "Utama"
		}
		base = a + " " + b + " " + pick(g, industries[ind].words)
	}
	switch entity {
	case eCompany:
		return base + " Sdn. Bhd."
	case ePLT:
		return base + " PLT"
	}
	switch g.n(3) {
	case 0:
		return "Syarikat " + base
	case 1:
		return base + " Enterprise"
	}
	return base
}

func lawName(g *rng) string {
	switch g.n(3) {
	case 0:
		return pick(g, chineseSurnames)
	case 1:
		return pick(g, indianFathers)
	}
	return pick(g, fatherMalay)
}

// firstWords returns the first n words of a company name, without "Syarikat"
// or "Tetuan".
func firstWords(s string, n int) string {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "Syarikat "), "Tetuan ")
	f := strings.Fields(strings.ReplaceAll(s, ",", ""))
	return strings.Join(f[:min(n, len(f))], " ")
}

// Payment modes.
const (
	mEFT = iota
	mCEK
	mDRAF
	mTT
)

var (
	modeNames  = [4]string{"EFT", "CEK", "DRAF", "TT"}
	modePrefix = [4]string{"EFT", "CEK", "DRF", "TT"}
	modeWidth  = [4]int{10, 6, 8, 10}
	// per mille of payments with 1, 2, … 6 voucher lines (cumulative)
	lineCounts = []int{450, 700, 830, 910, 960, 1000}
)

type payLine struct {
	ptj     int
	voucher int
	vdate   date
	dmy     bool
	inv     int // 0: none
	desc    string
	amt     int64
}

type paymentsWriter struct {
	o      Options
	c      *catalogue
	rw     *rowWriter
	people *rng
	g      *rng
	sup    supplierRec
	st     staffRec
	lines  [6]payLine
	n      int
	nums   [4]uint64 // next payment number per mode
	endAbs int
	hdr    []byte
	buf    []byte
}

// WritePayments writes the payments CSV (DATA.md header, one row per voucher
// line) for all the months of o: the suppliers' payments, then the staff's
// claims, month by month. It returns the number of data rows written.
//
// Payment numbers come from one sequence per mode, so they are unique within
// a file and between files of the same Options.
func WritePayments(w io.Writer, o Options) (rows int, err error) {
	o = o.normalized()
	if err := checkMonth(o.EndMonth); err != nil {
		return 0, err
	}
	p := &paymentsWriter{o: o, c: newCatalogue(o.StateName), rw: newRowWriter(w), people: newRNG(), g: newRNG(),
		endAbs: o.EndYear*12 + int(o.EndMonth) - 1, hdr: make([]byte, 0, 512), buf: make([]byte, 0, 4096)}
	h := hash3(o.Seed, tagPaymentNo, 0)
	p.nums = [4]uint64{1_000_000_000 + h%8_000_000_000, 100_000 + h%400_000, 10_000_000 + h%40_000_000, 1_000_000_000 + h>>20%8_000_000_000}
	p.rw.write(appendHeader(nil, paymentColumns), 0)
	for abs := p.endAbs - o.Months + 1; abs <= p.endAbs && p.rw.err == nil; abs++ {
		p.month(abs/12, abs%12+1)
	}
	return p.rw.flush()
}

func (p *paymentsWriter) month(y, m int) {
	seed, g, abs := p.o.Seed, p.g, y*12+m-1
	for j := 0; j < p.o.Suppliers && p.rw.err == nil; j++ {
		p.c.makeSupplier(&p.sup, seed, j, p.people)
		s := &p.sup
		g.at(seed, tagSupplierMonth, uint64(j), uint64(abs))
		if !g.pm(s.ind.activity) {
			continue
		}
		for range 1 + g.n(s.ind.maxPay) {
			mode := mEFT
			switch r := g.n(1000); {
			case r < s.chequePM:
				mode = mCEK
			case s.company && r < s.chequePM+20:
				mode = mDRAF
			case s.company && r < s.chequePM+40:
				mode = mTT
			}
			paid := p.c.workday(date{y, m, 1 + g.n(daysIn(y, m))})
			ptj := s.ptjs[g.n(s.nptj)]
			p.n = 0
			for range min(1+pickWeighted(g, lineCounts), s.ind.maxLines) {
				lp := ptj
				if g.pm(100) {
					lp = s.ptjs[g.n(s.nptj)]
				}
				inv := 0
				if !g.pm(80) {
					inv = 1 + g.n(99_999)
				}
				p.addLine(lp, pick(g, s.ind.descs), skewed(g, s.ind.min*100, s.ind.max*100), paid, inv)
			}
			p.emit(s.id, s.name, mode, paid, abs, s.bank.name, s.account, s.invStyle)
		}
	}
	for i := 0; i < p.o.Staff && p.rw.err == nil; i++ {
		g.at(seed, tagClaim, uint64(i), uint64(abs))
		if !g.pm(120) {
			continue
		}
		p.c.makeStaff(&p.st, seed, i, p.people, false)
		mode := mEFT
		if g.pm(30) {
			mode = mCEK
		}
		paid := p.c.workday(date{y, m, 1 + g.n(daysIn(y, m))})
		p.n = 0
		for range 1 + g.n(3) {
			p.addLine(p.st.ptj, pick(g, claimDescs), skewed(g, 3000, 250000), paid, 0)
		}
		p.emit(p.st.id, p.st.name, mode, paid, abs, p.st.bank.name, p.st.account, 0)
	}
}

func (p *paymentsWriter) addLine(ptj int, desc string, amt int64, paid date, inv int) {
	g := p.g
	p.lines[p.n] = payLine{ptj: ptj, voucher: 1 + g.n(99_999), vdate: paid.add(-1 - g.n(21)),
		dmy: g.pm(30), inv: inv, desc: desc, amt: amt}
	p.n++
}

// status picks a payment's status: cheques and drafts are issued or
// cancelled; transfers of the last month may still be with the bank.
func (p *paymentsWriter) status(mode, abs int) string {
	r := p.g.n(1000)
	switch {
	case mode == mCEK || mode == mDRAF:
		if r < 40 {
			return "DIBATALKAN"
		}
		return "DIKELUARKAN"
	case abs == p.endAbs:
		if r < 550 {
			return "DIHANTAR"
		} else if r < 970 {
			return "DITERIMA"
		}
		return "GAGAL"
	case r < 955:
		return "DITERIMA"
	case r < 985:
		return "GAGAL"
	case r < 995:
		return "DIBATALKAN"
	}
	return "DIHANTAR"
}

// emit writes one payment: its header columns once, then a row per line.
func (p *paymentsWriter) emit(id, name string, mode int, paid date, abs int, bank, acct string, invStyle int) {
	var total int64
	for _, l := range p.lines[:p.n] {
		total += l.amt
	}
	h := appendFields(p.hdr[:0], id, name)
	h = append(h, modePrefix[mode]...)
	h = appendPadded(h, p.nums[mode], modeWidth[mode])
	p.nums[mode]++
	h = append(h, ',')
	h = append(h, modeNames[mode]...)
	h = append(h, ',')
	h = appendISODate(h, paid)
	h = append(h, ',')
	h = append(h, p.status(mode, abs)...)
	h = append(h, ',')
	if mode == mEFT || mode == mTT {
		h = appendFields(h, bank, acct)
	} else {
		h = append(h, ",,"...)
	}
	h = appendAmount(h, total)
	h = append(h, ',')

	b := p.buf[:0]
	for _, l := range p.lines[:p.n] {
		b = append(b, h...)
		pt := &p.c.ptjs[l.ptj]
		b = append(b, 'V')
		b = append(b, pt.code...)
		b = appendPadded(b, uint64(l.voucher), 5)
		b = append(b, ',')
		if l.dmy {
			b = appendDMYDate(b, l.vdate)
		} else {
			b = appendISODate(b, l.vdate)
		}
		b = append(b, ',')
		b = appendInvoice(b, invStyle, l.inv, l.vdate)
		b = append(b, ',')
		b = append(b, pt.lineCSV...)
		b = appendDescription(b, l.desc, paid)
		b = append(b, ',')
		b = appendAmount(b, l.amt)
		b = append(b, '\n')
	}
	p.rw.write(b, p.n)
	p.hdr, p.buf = h, b
}

// appendInvoice appends the supplier's invoice number in its house style.
func appendInvoice(b []byte, style, n int, d date) []byte {
	if n == 0 {
		return b
	}
	switch style {
	case 0:
		b = append(b, "INV-"...)
		b = appendPadded(b, uint64(d.y), 4)
		b = append(b, '-')
		return appendPadded(b, uint64(n), 5)
	case 1:
		b = append(b, "IV/"...)
		b = appendPadded(b, uint64(d.y), 4)
		b = append(b, '/')
		return appendPadded(b, uint64(n%10000), 4)
	case 2:
		b = append(b, "BIL-"...)
		return appendPadded(b, uint64(n), 6)
	case 3:
		b = append(b, "INV"...)
		b = appendPadded(b, uint64(d.y%100), 2)
		b = appendPadded(b, uint64(d.m), 2)
		return appendPadded(b, uint64(n%10000), 4)
	}
	b = append(b, "SO-"...)
	return appendPadded(b, uint64(n), 5)
}

// appendDescription appends a description as a CSV field; one ending in "…"
// names the month before the payment ("… bagi bulan Julai 2026").
func appendDescription(b []byte, desc string, paid date) []byte {
	base, monthly := strings.CutSuffix(desc, "…")
	if !monthly {
		return appendField(b, desc)
	}
	y, m := paid.y, paid.m-1
	if m == 0 {
		y, m = y-1, 12
	}
	start := len(b)
	b = append(b, base...)
	b = append(b, " bagi bulan "...)
	b = append(b, bulan[m-1]...)
	b = append(b, ' ')
	b = appendPadded(b, uint64(y), 4)
	if needsQuotes(b[start:]) {
		field := string(b[start:])
		b = appendField(b[:start], field)
	}
	return b
}
