package demo

// Payslip items: code, name and DATA.md category.
type item struct {
	code, name, cat string
	csv             []byte // "code,name,category,"
}

const (
	iBasic = iota
	iBasicArrears
	iPension
	iITKA
	iITP
	iBSH
	iITK
	iMemangku
	iWilayah
	iKritikal
	iTugasKhas
	iTelefon
	iPenguatkuasa
	iOT
	iOTArrears
	iBonusRaya
	iBonusDec
	iGratuity
	iAPC
	iArrears
	iPCB
	iCP38
	iZakat
	iEPF
	iSOCSO
	iEIS
	iLPPSA
	iKenderaan
	iKomputer
	iPTPTN
	iBR
	iBSN
	iBIMB
	iAngkasa
	iKoperasi
	iKelab
	iKesatuan
	iKhairat
	iTakaful
	iInsurans
	iTH
	iASB
	iASN
	iSurau
	iPersatuan
	iKebajikan
	iSSPN
	iLebihan
	iEmpEPF
	iEmpSOCSO
	iEmpEIS
	nItems
)

var items = [nItems]item{
	iBasic:        {code: "0001", name: "Gaji Pokok", cat: "BASIC"},
	iBasicArrears: {code: "0002", name: "Tunggakan Gaji Pokok", cat: "BASIC"},
	iPension:      {code: "0501", name: "Pencen Bulanan", cat: "PENSION"},
	iITKA:         {code: "0101", name: "Imbuhan Tetap Khidmat Awam (ITKA)", cat: "ALLOWANCE_EXEMPT"},
	iITP:          {code: "0102", name: "Imbuhan Tetap Perumahan (ITP)", cat: "ALLOWANCE_EXEMPT"},
	iBSH:          {code: "0103", name: "Bantuan Sara Hidup (BSH)", cat: "ALLOWANCE_EXEMPT"},
	iITK:          {code: "0104", name: "Imbuhan Tetap Keraian", cat: "ALLOWANCE_EXEMPT"},
	iMemangku:     {code: "0111", name: "Elaun Memangku", cat: "ALLOWANCE"},
	iWilayah:      {code: "0112", name: "Elaun Perumahan Wilayah", cat: "ALLOWANCE"},
	iKritikal:     {code: "0113", name: "Bayaran Insentif Tugas Kritikal", cat: "ALLOWANCE"},
	iTugasKhas:    {code: "0114", name: "Elaun Tugas Khas", cat: "ALLOWANCE"},
	iTelefon:      {code: "0115", name: "Elaun Telefon Bimbit", cat: "ALLOWANCE"},
	iPenguatkuasa: {code: "0116", name: "Elaun Penguatkuasaan", cat: "ALLOWANCE"},
	iOT:           {code: "0201", name: "Elaun Lebih Masa", cat: "OVERTIME"},
	iOTArrears:    {code: "0202", name: "Tunggakan Elaun Lebih Masa", cat: "OVERTIME"},
	iBonusRaya:    {code: "0301", name: "Bantuan Khas Kewangan", cat: "BONUS"},
	iBonusDec:     {code: "0302", name: "Bayaran Insentif Khas Akhir Tahun", cat: "BONUS"},
	iGratuity:     {code: "0401", name: "Ganjaran Kontrak", cat: "GRATUITY"},
	iAPC:          {code: "0601", name: "Anugerah Perkhidmatan Cemerlang", cat: "OTHER_INCOME"},
	iArrears:      {code: "0901", name: "Tunggakan Gaji Tahun Terdahulu", cat: "ARREARS"},
	iPCB:          {code: "4001", name: "Potongan Cukai Bulanan (PCB)", cat: "PCB"},
	iCP38:         {code: "4002", name: "Potongan Cukai CP38", cat: "CP38"},
	iZakat:        {code: "4101", name: "Zakat", cat: "ZAKAT"},
	iEPF:          {code: "4201", name: "KWSP", cat: "EPF"},
	iSOCSO:        {code: "4202", name: "PERKESO", cat: "SOCSO"},
	iEIS:          {code: "4203", name: "Sistem Insurans Pekerjaan (SIP)", cat: "EIS"},
	iLPPSA:        {code: "4301", name: "Pinjaman Perumahan (LPPSA)", cat: "LOAN"},
	iKenderaan:    {code: "4302", name: "Pinjaman Kenderaan", cat: "LOAN"},
	iKomputer:     {code: "4303", name: "Pinjaman Komputer", cat: "LOAN"},
	iPTPTN:        {code: "4304", name: "Pinjaman Pendidikan PTPTN", cat: "LOAN"},
	iBR:           {code: "4305", name: "Pembiayaan Peribadi Bank Rakyat", cat: "LOAN"},
	iBSN:          {code: "4306", name: "Pembiayaan Peribadi BSN", cat: "LOAN"},
	iBIMB:         {code: "4307", name: "Pembiayaan Peribadi Bank Islam", cat: "LOAN"},
	iAngkasa:      {code: "4308", name: "Pembiayaan Koperasi (ANGKASA)", cat: "LOAN"},
	iKoperasi:     {code: "4401", name: "Koperasi Kakitangan Kerajaan Negeri", cat: "OTHER_DEDUCTION"},
	iKelab:        {code: "4402", name: "Yuran Kelab Sukan dan Kebajikan", cat: "OTHER_DEDUCTION"},
	iKesatuan:     {code: "4403", name: "Yuran Kesatuan (CUEPACS)", cat: "OTHER_DEDUCTION"},
	iKhairat:      {code: "4404", name: "Khairat Kematian", cat: "OTHER_DEDUCTION"},
	iTakaful:      {code: "4405", name: "Takaful Keluarga", cat: "OTHER_DEDUCTION"},
	iInsurans:     {code: "4406", name: "Insurans Hayat", cat: "OTHER_DEDUCTION"},
	iTH:           {code: "4407", name: "Tabung Haji", cat: "OTHER_DEDUCTION"},
	iASB:          {code: "4408", name: "Amanah Saham Bumiputera (ASB)", cat: "OTHER_DEDUCTION"},
	iASN:          {code: "4409", name: "Amanah Saham Nasional (ASN)", cat: "OTHER_DEDUCTION"},
	iSurau:        {code: "4410", name: "Sumbangan Tabung Surau", cat: "OTHER_DEDUCTION"},
	iPersatuan:    {code: "4411", name: "Yuran Persatuan Pegawai", cat: "OTHER_DEDUCTION"},
	iKebajikan:    {code: "4412", name: "Tabung Kebajikan Jabatan", cat: "OTHER_DEDUCTION"},
	iSSPN:         {code: "4413", name: "Simpanan Pendidikan Nasional (SSPN)", cat: "OTHER_DEDUCTION"},
	iLebihan:      {code: "4414", name: "Bayaran Balik Lebihan Bayaran Gaji", cat: "OTHER_DEDUCTION"},
	iEmpEPF:       {code: "6001", name: "KWSP Majikan", cat: "EMPLOYER_EPF"},
	iEmpSOCSO:     {code: "6002", name: "PERKESO Majikan", cat: "EMPLOYER_SOCSO"},
	iEmpEIS:       {code: "6003", name: "SIP Majikan", cat: "EMPLOYER_EIS"},
}

func init() {
	for i := range items {
		items[i].csv = appendFields(nil, items[i].code, items[i].name, items[i].cat)
	}
}

// Fixed monthly amounts by pay band, in RM: the three civil-service
// allowances, Imbuhan Tetap Keraian (officers) and the annual increment.
var (
	itka = [5]int64{160, 200, 300, 450, 1500}
	itp  = [5]int64{250, 300, 550, 850, 1300}
	bsh  = [5]int64{350, 300, 300, 300, 300}
	itk  = [5]int64{0, 0, 300, 550, 1250}
	kgt  = [5]int64{110, 180, 265, 330, 400}
)

// Voluntary deductions: item, per mille of eligible staff who have it, who
// is eligible, and the amount range (RM, or per mille of basic pay when pct).
// Small ones come first: the deductions stop at 45% of basic pay.
type dedRule struct {
	it, pm, who int
	lo, hi      int64
	pct         bool
}

const (
	wAll = iota
	wMuslim
	wNonMuslim
	wSupport
	wOfficer
	wYoung
)

var dedRules = []dedRule{
	{iKelab, 800, wAll, 5, 15, false},
	{iKhairat, 700, wAll, 3, 10, false},
	{iKebajikan, 750, wAll, 2, 10, false},
	{iKesatuan, 550, wSupport, 5, 10, false},
	{iPersatuan, 500, wOfficer, 10, 30, false},
	{iSurau, 350, wMuslim, 5, 20, false},
	{iKoperasi, 800, wAll, 20, 200, false},
	{iLPPSA, 350, wAll, 80, 180, true},
	{iKenderaan, 180, wAll, 30, 80, true},
	{iPTPTN, 500, wYoung, 100, 300, false},
	{iKomputer, 50, wAll, 30, 80, false},
	{iBR, 220, wAll, 50, 120, true},
	{iBSN, 80, wAll, 40, 100, true},
	{iBIMB, 80, wMuslim, 40, 100, true},
	{iAngkasa, 200, wAll, 30, 80, true},
	{iTakaful, 550, wMuslim, 30, 250, false},
	{iInsurans, 350, wAll, 50, 300, false},
	{iTH, 500, wMuslim, 50, 500, false},
	{iASB, 400, wMuslim, 50, 500, false},
	{iASN, 300, wNonMuslim, 50, 300, false},
	{iSSPN, 400, wAll, 50, 200, false},
	{iLebihan, 15, wAll, 50, 300, false},
}

type fixed struct {
	it  int
	amt int64 // sen
}

// staffRec is everything about a staff member that does not change from
// month to month. It is regenerated from the seed whenever it is needed.
type staffRec struct {
	idx                                       int
	id, name, email, phone, staffNo, position string
	account, epfNo, taxNo, socso              string
	born                                      date
	age, ethnic, dept, ptj, pos               int
	male, muslim, contract, pensioner         bool
	married                                   bool
	children, anniv, cp38Phase                int
	bank                                      *bankInfo
	basicRef, pension, zakat, cp38            int64
	allow                                     [6]fixed
	nAllow                                    int
	deds                                      [24]fixed // at most one per dedRules entry
	nDeds                                     int
}

func (s *staffRec) band() int { return positions[s.pos].band }

// basic is the basic pay in year y: the reference pay moved by one annual
// increment a year, within the grade's range.
func (s *staffRec) basic(y int) int64 {
	p := &positions[s.pos]
	b := s.basicRef + kgt[p.band]*100*int64(y-refYear)
	return min(max(b, p.min*100), p.max*100)
}

func (s *staffRec) taxableAllowances() (t int64) {
	for _, a := range s.allow[:s.nAllow] {
		t += a.amt
	}
	return t
}

func (s *staffRec) addAllowance(it int, amt int64) {
	s.allow[s.nAllow] = fixed{it, amt}
	s.nAllow++
}

// makeStaff fills s with staff member i; with full false it stops after the
// bank account (what People and payments need), which changes nothing
// before it.
func (c *catalogue) makeStaff(s *staffRec, seed int64, i int, g *rng, full bool) {
	*s = staffRec{idx: i}
	s.id, s.born, s.male = mykad(seed, uint64(i)*2)
	s.socso = s.id[:6] + s.id[7:9] + s.id[10:]
	s.age = refYear - s.born.y
	g.at(seed, tagStaff, uint64(i), 0)
	switch r := g.n(100); {
	case r < 84:
		s.ethnic = 0
	case r < 93:
		s.ethnic = 1
	default:
		s.ethnic = 2
	}
	s.muslim = s.ethnic == 0
	name, given, family := personName(g, s.male, s.ethnic)
	s.name = name
	s.staffNo = staffNo(seed, i)
	s.email = slug(given) + "." + slug(family) + "." + s.staffNo[1:] + "@example.com"
	s.phone = mobile(g)
	s.dept = pickWeighted(g, c.deptW)
	d := &c.depts[s.dept]
	s.ptj = d.ptjs[0]
	if !g.pm(400) {
		s.ptj = d.ptjs[g.n(len(d.ptjs))]
	}
	s.pos = c.pickPosition(g, d, s.age)
	p := &positions[s.pos]
	s.pensioner = s.born.y < 1966 || s.born.y == 1966 && s.born.m < 7 // 60 by mid-2026: re-employed on contract
	s.contract = s.pensioner || s.age < 40 && g.pm(60)
	s.position = p.name
	if s.contract {
		s.position += " (Kontrak)"
	}
	s.bank = &staffBanks[pickWeighted(g, c.bankW)]
	s.account = account(g, s.bank)
	if !full {
		return
	}
	s.epfNo = string(appendPadded(nil, permute(100_000_000, hash3(seed, tagEPF, 0), uint64(i)), 8))
	if p.band > 0 || !g.pm(150) {
		s.taxNo = string(appendPadded([]byte("SG"), permute(10_000_000_000, hash3(seed, tagTax, 0), uint64(i)), 10))
	}

	// Basic pay grows with years in the grade; pensioners keep a pension.
	frac := int64(min(1000, max(0, (s.age-p.minAge)*1000/26+g.n(201)-100)))
	s.basicRef = min(p.min*100+(p.max-p.min)*100*frac/1000+int64(g.n(100)), p.max*100)
	if s.pensioner {
		s.pension = s.basicRef * g.between(40, 60) / 100
	}
	s.anniv = 1 + g.n(12)
	s.married = s.age >= 27 && g.pm(750)
	if s.married {
		s.children = g.n(5)
	}
	if s.muslim && g.pm(450) {
		s.zakat = max(30, s.basicRef*25/1000/100) * 100
	}

	// Taxable allowances.
	if p.band <= 3 && g.pm(40) {
		s.addAllowance(iMemangku, s.basicRef*g.between(8, 15)/100)
	}
	if g.pm(150) {
		s.addAllowance(iWilayah, g.between(200, 500)*100)
	}
	if p.critical && g.pm(600) {
		s.addAllowance(iKritikal, g.between(3, 10)*10000)
	}
	if s.pos == pH11D && g.pm(250) {
		s.addAllowance(iTugasKhas, 20000)
	}
	if p.band >= 3 && g.pm(600) {
		s.addAllowance(iTelefon, g.between(15, 30)*1000)
	}
	if s.pos == pKP19 || s.pos == pKP29 {
		s.addAllowance(iPenguatkuasa, g.between(15, 30)*1000)
	}

	// Voluntary deductions, within 45% of basic pay.
	budget := s.basicRef * 45 / 100
	for _, r := range dedRules {
		if !s.eligible(r.who) || !g.pm(r.pm) {
			continue
		}
		amt := g.between(r.lo, r.hi)
		if r.pct {
			amt = s.basicRef * amt / 1000
		} else {
			amt *= 100
		}
		if amt > budget {
			continue
		}
		budget -= amt
		s.deds[s.nDeds] = fixed{r.it, amt}
		s.nDeds++
	}
	if p.band > 0 && g.pm(30) {
		s.cp38 = min(g.between(100, 800)*100, s.basicRef/10/100*100)
		s.cp38Phase = g.n(24)
	}
}

func (s *staffRec) eligible(who int) bool {
	switch who {
	case wMuslim:
		return s.muslim
	case wNonMuslim:
		return !s.muslim
	case wSupport:
		return s.band() <= 1
	case wOfficer:
		return s.band() >= 2
	case wYoung:
		return s.age < 36
	}
	return true
}

// pickPosition picks a position the department has, old enough for the age.
func (c *catalogue) pickPosition(g *rng, d *dept, age int) int {
	for range 8 {
		p := pickWeighted(g, c.posW)
		if len(d.spec.special) > 0 && g.pm(450) {
			p = d.spec.special[pickWeighted(g, d.specW)]
		}
		if age >= positions[p].minAge {
			return p
		}
	}
	return pN19
}
