package demo

import (
	"fmt"
	"io"
	"time"
)

// WritePayroll writes the payroll CSV (DATA.md header, one row per payslip
// item) for all the months of o, oldest first. It returns the number of data
// rows written.
func WritePayroll(w io.Writer, o Options) (rows int, err error) {
	o = o.normalized()
	if err := checkMonth(o.EndMonth); err != nil {
		return 0, err
	}
	p := newPayrollWriter(w, o)
	p.rw.write(appendHeader(nil, payrollColumns), 0)
	end := o.EndYear*12 + int(o.EndMonth) - 1
	for abs := end - o.Months + 1; abs <= end && p.rw.err == nil; abs++ {
		p.month(abs/12, abs%12+1)
	}
	return p.rw.flush()
}

// WritePayrollMonth writes the payroll CSV of one month, as SPEKS produces
// it: the main run (YYYY-MM-UTAMA) and, in about one month in six, a
// supplementary run (YYYY-MM-TAMBAHAN-1) for some staff. Its rows are
// exactly those WritePayroll writes for that month.
func WritePayrollMonth(w io.Writer, o Options, year int, month time.Month) (rows int, err error) {
	o = o.normalized()
	if err := checkMonth(month); err != nil {
		return 0, err
	}
	if year < 1 || year > 9999 {
		return 0, fmt.Errorf("demo: year %d out of range", year)
	}
	p := newPayrollWriter(w, o)
	p.rw.write(appendHeader(nil, payrollColumns), 0)
	p.month(year, int(month))
	return p.rw.flush()
}

func checkMonth(m time.Month) error {
	if m < time.January || m > time.December {
		return fmt.Errorf("demo: month %d out of range", m)
	}
	return nil
}

type line struct {
	it  int
	amt int64
}

type payrollWriter struct {
	o      Options
	c      *catalogue
	rw     *rowWriter
	people *rng // person streams
	g      *rng // payslip streams
	s      staffRec
	lines  [64]line
	n      int
	hdr    []byte
	buf    []byte
}

func newPayrollWriter(w io.Writer, o Options) *payrollWriter {
	return &payrollWriter{o: o, c: newCatalogue(o.StateName), rw: newRowWriter(w),
		people: newRNG(), g: newRNG(), hdr: make([]byte, 0, 512), buf: make([]byte, 0, 16<<10)}
}

// hasTambahan reports whether month abs has a supplementary run: one month
// in each block of six, chosen by the seed.
func hasTambahan(seed int64, abs int) bool {
	return hash3(seed, tagTambahan, uint64(abs/6))%6 == uint64(abs%6)
}

func (p *payrollWriter) month(y, m int) {
	abs := y*12 + m - 1
	seed := p.o.Seed
	runID := fmt.Appendf(nil, "%04d-%02d-UTAMA,%d,%d,", y, m, y, m)
	runID = appendISODate(runID, p.c.payDay(seed, 0, y, m, 24, 2))
	runID = append(runID, ',')
	for i := 0; i < p.o.Staff && p.rw.err == nil; i++ {
		p.c.makeStaff(&p.s, seed, i, p.people, true)
		p.g.at(seed, tagPayslip, uint64(i), uint64(abs))
		p.utama(&p.s, y, m)
		p.emit(runID)
	}
	if !hasTambahan(seed, abs) {
		return
	}
	runID = fmt.Appendf(runID[:0], "%04d-%02d-TAMBAHAN-1,%d,%d,", y, m, y, m)
	runID = appendISODate(runID, p.c.payDay(seed, 1, y, m, 10, 6))
	runID = append(runID, ',')
	for i := 0; i < p.o.Staff && p.rw.err == nil; i++ {
		p.g.at(seed, tagTambahan, uint64(i), uint64(abs))
		if !p.g.pm(70) {
			continue
		}
		p.c.makeStaff(&p.s, seed, i, p.people, true)
		p.tambahan(&p.s, y, m)
		p.emit(runID)
	}
}

func (p *payrollWriter) add(it int, amt int64) {
	if amt > 0 && p.n < len(p.lines) {
		p.lines[p.n] = line{it, amt}
		p.n++
	}
}

// utama computes the main-run payslip of s for month m of year y.
func (p *payrollWriter) utama(s *staffRec, y, m int) {
	g, band := p.g, s.band()
	p.n = 0
	basic := s.basic(y)
	p.add(iBasic, basic)
	if s.pensioner {
		p.add(iPension, s.pension)
	}
	p.add(iITKA, itka[band]*100)
	p.add(iITP, itp[band]*100)
	p.add(iBSH, bsh[band]*100)
	p.add(iITK, itk[band]*100)
	allow := s.taxableAllowances()
	for _, a := range s.allow[:s.nAllow] {
		p.add(a.it, a.amt)
	}

	// Irregular income, taxed at the marginal rate; some of it is EPF wages.
	var extra, epfExtra int64
	if positions[s.pos].ot && g.pm(300) {
		ot := basic * g.between(8, 40) * 125 / (209 * 100) // hours × 1.25 × hourly rate
		p.add(iOT, ot)
		extra += ot
	}
	switch {
	case m == 3 && band < 4:
		b := int64(50000)
		if s.contract {
			b = 25000
		}
		p.add(iBonusRaya, b)
		extra, epfExtra = extra+b, epfExtra+b
	case m == 12:
		b := basic / 2 / 100 * 100
		p.add(iBonusDec, b)
		extra, epfExtra = extra+b, epfExtra+b
	}
	if s.contract && m == s.anniv {
		gr := basic * 12 * 175 / 1000
		p.add(iGratuity, gr)
		extra += gr
	}
	yr := p.people // free here: s is already made
	yr.at(p.o.Seed, tagPersonYear, uint64(s.idx), uint64(y))
	apc, arrears := yr.pm(80), yr.pm(50)
	if apc && m == 9 {
		p.add(iAPC, 100000)
		extra += 100000
	}
	if arrears && m == 1 {
		a := kgt[band] * 100 * g.between(1, 6)
		p.add(iArrears, a)
		extra, epfExtra = extra+a, epfExtra+a
	}

	// Statutory deductions.
	if !s.pensioner {
		p.add(iEPF, ceilRM((basic+epfExtra)*11/100))
	}
	socsoMid := min(basic+allow, 600000)/10000*10000 + 5000 // PERKESO RM100 wage bands, capped at RM6,000
	if !s.pensioner {
		p.add(iSOCSO, round5(socsoMid*5/1000))
		p.add(iEIS, round5(socsoMid*2/1000))
	}
	p.add(iPCB, s.pcb(basic, allow, extra))
	if s.cp38 > 0 && (y*12+m+s.cp38Phase)%24 < 12 {
		p.add(iCP38, s.cp38)
	}
	p.add(iZakat, s.zakat)
	for _, d := range s.deds[:s.nDeds] {
		p.add(d.it, d.amt)
	}

	// Employer's contributions.
	switch {
	case s.pensioner:
		p.add(iEmpEPF, ceilRM((basic+epfExtra)*4/100))
		p.add(iEmpSOCSO, round5(socsoMid*125/10000))
	default:
		rate := int64(13)
		if basic > 500000 {
			rate = 12
		}
		p.add(iEmpEPF, ceilRM((basic+epfExtra)*rate/100))
		p.add(iEmpSOCSO, round5(socsoMid*175/10000))
		p.add(iEmpEIS, round5(socsoMid*2/1000))
	}
	p.keepNetPositive()
}

// tambahan computes a supplementary-run payslip: arrears and overtime.
func (p *payrollWriter) tambahan(s *staffRec, y, m int) {
	g, band := p.g, s.band()
	p.n = 0
	var extra, epfWage int64
	if g.pm(600) {
		a := kgt[band] * 100 * g.between(1, 6)
		p.add(iBasicArrears, a)
		extra, epfWage = extra+a, epfWage+a
	}
	if positions[s.pos].ot && g.pm(500) {
		a := g.between(5000, 80000)
		p.add(iOTArrears, a)
		extra += a
	}
	if m <= 4 && g.pm(500) || p.n == 0 {
		a := kgt[band] * 100 * g.between(2, 12)
		p.add(iArrears, a)
		extra, epfWage = extra+a, epfWage+a
	}
	basic := s.basic(y)
	if !s.pensioner {
		p.add(iEPF, ceilRM(epfWage*11/100))
	}
	_, rate := s.annualTax(basic, s.taxableAllowances())
	if pcb := round5(extra * rate / 10000); pcb >= 1000 {
		p.add(iPCB, pcb)
	}
	empRate := int64(13)
	switch {
	case s.pensioner:
		empRate = 4
	case basic > 500000:
		empRate = 12
	}
	p.add(iEmpEPF, ceilRM(epfWage*empRate/100))
}

// keepNetPositive drops voluntary deductions, last first, while the net pay
// is under a tenth of the gross (the rules never get there; this is a guard).
func (p *payrollWriter) keepNetPositive() {
	for {
		var gross, ded int64
		last := -1
		for k, l := range p.lines[:p.n] {
			switch items[l.it].cat {
			case "BASIC", "OVERTIME", "BONUS", "ALLOWANCE", "OTHER_INCOME", "ALLOWANCE_EXEMPT", "GRATUITY", "ARREARS", "PENSION":
				gross += l.amt
			case "EMPLOYER_EPF", "EMPLOYER_SOCSO", "EMPLOYER_EIS":
			case "LOAN", "OTHER_DEDUCTION":
				ded += l.amt
				last = k
			default:
				ded += l.amt
			}
		}
		if gross-ded >= gross/10 || last < 0 {
			return
		}
		copy(p.lines[last:p.n], p.lines[last+1:p.n])
		p.n--
	}
}

// emit writes the payslip's rows; the header columns are escaped once.
func (p *payrollWriter) emit(runID []byte) {
	s := &p.s
	h := append(p.hdr[:0], runID...)
	h = appendFields(h, s.id, s.staffNo, s.name, s.position, positions[s.pos].grade)
	h = append(h, p.c.ptjs[s.ptj].csv...)
	h = appendFields(h, s.bank.name, s.account, s.epfNo, s.socso, s.taxNo)
	b := p.buf[:0]
	for _, l := range p.lines[:p.n] {
		b = append(b, h...)
		b = append(b, items[l.it].csv...)
		b = appendAmount(b, l.amt)
		b = append(b, '\n')
	}
	p.rw.write(b, p.n)
	p.hdr, p.buf = h, b
}

// Income tax schedule (YA 2023 onwards): chargeable income up to, in RM, and
// rate in basis points.
var taxBands = [...]struct{ upTo, bp int64 }{
	{5000, 0}, {20000, 100}, {35000, 300}, {50000, 600}, {70000, 1100}, {100000, 1900},
	{400000, 2500}, {600000, 2600}, {2000000, 2800}, {1 << 40, 3000},
}

// annualTax returns the year's tax in sen on pay like this month's, after the
// usual reliefs, and the marginal rate in basis points.
func (s *staffRec) annualTax(basic, allow int64) (tax, rate int64) {
	relief := int64(900000 + 35000) // individual; PERKESO and SIP
	if !s.pensioner {
		relief += min(400000, 12*ceilRM(basic*11/100))
	}
	if s.married {
		relief += 400000
	}
	relief += int64(s.children) * 200000
	ch := max(0, 12*(basic+allow)-relief)
	prev := int64(0)
	for _, b := range taxBands {
		top := b.upTo * 100
		if ch <= prev {
			break
		}
		tax += (min(ch, top) - prev) * b.bp / 10000
		rate = b.bp
		prev = top
	}
	if ch <= 3500000 { // rebates
		tax -= 40000
		if s.married {
			tax -= 40000
		}
	}
	return max(tax, 0), rate
}

// pcb is the month's Potongan Cukai Bulanan: a twelfth of the year's tax less
// zakat, plus the marginal rate on irregular income; none under RM10.
func (s *staffRec) pcb(basic, allow, extra int64) int64 {
	tax, rate := s.annualTax(basic, allow)
	pcb := round5(max(tax/12-s.zakat, 0) + extra*rate/10000)
	if pcb < 1000 {
		return 0
	}
	return pcb
}

// ceilRM rounds sen up to whole ringgit, as the KWSP schedule does.
func ceilRM(sen int64) int64 { return (sen + 99) / 100 * 100 }

// round5 rounds sen to the nearest 5 sen.
func round5(sen int64) int64 { return (sen + 2) / 5 * 5 }
