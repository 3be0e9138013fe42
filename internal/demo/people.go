// Package demo generates a deterministic, realistic sample data set for a
// Malaysian state government: staff with MyKad numbers, suppliers with SSM
// (or, for sole proprietors, MyKad) numbers, their monthly payroll and the
// payments made to them, written as the CSV files of DATA.md.
//
// The same Options always give byte-identical output, on every machine: all
// randomness comes from PCG streams keyed by Options.Seed and stable numbers
// (a person's index, a month), and no floating point reaches the output.
// Person i is the same whatever Options.Staff is, so a larger data set
// extends a smaller one. Files are streamed: memory does not grow with the
// number of rows.
//
// Identity numbers are unique: they are keyed bijections of the index, so
// every No. KP, SSM number, No. Gaji and No. KWSP is different. Every one
// passes identity.Parse (birth dates 1965–2000, place-of-birth codes 01–14;
// SSM registration years chosen so a new-format number never reads as a
// MyKad).
package demo

import (
	"strconv"
	"time"
)

// Options describe the data set.
type Options struct {
	Staff     int        // staff members on the payroll
	Suppliers int        // suppliers (companies by SSM number, some sole proprietors by MyKad)
	Months    int        // months of payroll and payments ending at EndYear/EndMonth (default 12)
	EndYear   int        // year of the last month (default 2026)
	EndMonth  time.Month // last month (default October)
	Seed      int64      // default 1
	StateName string     // e.g. "Melaka": appears in department and PTJ names; "" or "Negeri" for none
}

// Person is a staff member.
type Person struct {
	ID         string // No. KP in display form, YYMMDD-PB-###G
	Name       string
	Email      string
	Phone      string
	StaffNo    string // No. Gaji
	Department string // department name as on the payslip
}

// Supplier is a payee that is not on the payroll.
type Supplier struct {
	ID      string // SSM number (new 12-digit or old 123456-A form) or, for a sole proprietor, No. KP, in display form
	Name    string
	Email   string
	Phone   string
	Company bool // ID is an SSM number
}

// refYear is the year ages and salaries are reckoned from, so that a person
// does not change when EndYear does.
const refYear = 2026

func (o Options) normalized() Options {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.EndYear == 0 {
		o.EndYear = 2026
	}
	if o.EndMonth == 0 {
		o.EndMonth = time.October
	}
	if o.Months <= 0 {
		o.Months = 12
	}
	o.Staff = max(o.Staff, 0)
	o.Suppliers = max(o.Suppliers, 0)
	return o
}

// People returns the staff and suppliers the data set is about.
func People(o Options) (staff []Person, suppliers []Supplier) {
	o = o.normalized()
	c := newCatalogue(o.StateName)
	g := newRNG()
	staff = make([]Person, 0, o.Staff)
	var s staffRec
	for i := range o.Staff {
		c.makeStaff(&s, o.Seed, i, g, false)
		staff = append(staff, Person{ID: s.id, Name: s.name, Email: s.email, Phone: s.phone,
			StaffNo: s.staffNo, Department: c.depts[s.dept].name})
	}
	suppliers = make([]Supplier, 0, o.Suppliers)
	var p supplierRec
	for j := range o.Suppliers {
		c.makeSupplier(&p, o.Seed, j, g)
		suppliers = append(suppliers, Supplier{ID: p.id, Name: p.name, Email: p.email, Phone: p.phone, Company: p.company})
	}
	return staff, suppliers
}

// MyKad numbers: day of birth × place of birth × ###G.
const (
	kpDays   = 13149 // 1965-01-01 to 2000-12-31
	kpDomain = kpDays * 14 * 10000
)

var kpEpoch = time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC)

// mykad returns the n-th MyKad number of the data set (staff use even n,
// sole proprietors odd), in display form, with the birth date and sex.
func mykad(seed int64, n uint64) (id string, born date, male bool) {
	v := permute(kpDomain, hash3(seed, tagKP, 0), n)
	serial := v % 10000
	v /= 10000
	place := v%14 + 1
	born = dateOf(kpEpoch.AddDate(0, 0, int(v/14)))
	b := make([]byte, 0, 14)
	b = appendPadded(b, uint64(born.y%100), 2)
	b = appendPadded(b, uint64(born.m), 2)
	b = appendPadded(b, uint64(born.d), 2)
	b = append(b, '-')
	b = appendPadded(b, place, 2)
	b = append(b, '-')
	b = appendPadded(b, serial, 4)
	return string(b), born, serial%2 == 1
}

// personName returns a name and the given and family parts for an email.
// ethnic: 0 Malay, 1 Chinese, 2 Indian.
func personName(g *rng, male bool, ethnic int) (name, given, family string) {
	switch ethnic {
	case 1:
		family = pick(g, chineseSurnames)
		if male {
			given = pick(g, chineseMale)
		} else {
			given = pick(g, chineseFemale)
		}
		return family + " " + given, given, family
	case 2:
		family = pick(g, indianFathers)
		if male {
			given = pick(g, indianMale)
			return given + " a/l " + family, given, family
		}
		given = pick(g, indianFemale)
		return given + " a/p " + family, given, family
	}
	title, fatherTitle := "", ""
	if g.pm(70) {
		t := pick(g, titles)
		title, fatherTitle = t[1]+" ", t[0]+" "
		if male {
			title = t[0] + " "
		}
	}
	if male {
		switch r := g.n(100); {
		case r < 45:
			given = pick(g, malePrefixes) + " " + pick(g, maleMalay)
		case r < 55:
			given = "Abdul " + pick(g, abdulNames)
		case r < 80:
			given = pick(g, maleMalay)
		default:
			given = twoNames(g, maleMalay)
		}
	} else {
		switch r := g.n(100); {
		case r < 55:
			given = pick(g, femalePrefixes) + " " + pick(g, femaleMalay)
		case r < 80:
			given = pick(g, femaleMalay)
		default:
			given = twoNames(g, femaleMalay)
		}
	}
	family = pick(g, fatherMalay)
	rel := " binti "
	if male {
		rel = " bin "
	}
	return title + given + rel + fatherTitle + family, given, family
}

func twoNames(g *rng, list []string) string {
	i, j := g.n(len(list)), g.n(len(list)-1)
	if j >= i {
		j++
	}
	return list[i] + " " + list[j]
}

var mobilePrefixes = []string{"012", "013", "014", "016", "017", "019", "011", "018", "010", "012", "019"}

// mobile returns a Malaysian mobile number such as 012-345 6789.
func mobile(g *rng) string {
	prefix := pick(g, mobilePrefixes)
	b := append(make([]byte, 0, 14), prefix...)
	b = append(b, '-')
	if prefix == "011" {
		b = appendPadded(b, uint64(g.between(1000, 9999)), 4)
	} else {
		b = appendPadded(b, uint64(g.between(200, 999)), 3)
	}
	b = append(b, ' ')
	b = appendPadded(b, uint64(g.n(10000)), 4)
	return string(b)
}

// landline returns an office number in the state, such as 06-282 1234.
func (c *catalogue) landline(g *rng) string {
	b := append(make([]byte, 0, 14), c.st.area...)
	b = append(b, '-')
	switch len(c.st.area) {
	case 3: // Sabah, Sarawak: 6 digits
		b = appendPadded(b, uint64(g.between(200000, 799999)), 6)
		return string(b)
	case 2:
		if c.st.area == "03" {
			b = appendPadded(b, uint64(g.between(2000, 9999)), 4)
		} else {
			b = appendPadded(b, uint64(g.between(200, 999)), 3)
		}
	}
	b = append(b, ' ')
	b = appendPadded(b, uint64(g.n(10000)), 4)
	return string(b)
}

// account returns a bank account number of the bank's length.
func account(g *rng, b *bankInfo) string {
	out := append(make([]byte, 0, b.digits), b.lead...)
	for len(out) < b.digits {
		out = append(out, byte('0'+g.n(10)))
	}
	return string(out)
}

// staffNo returns No. Gaji: "G" and 6 digits for the first million staff.
func staffNo(seed int64, i int) string {
	if i >= 1_000_000 {
		return "G" + strconv.Itoa(i)
	}
	return string(appendPadded([]byte{'G'}, permute(1_000_000, hash3(seed, tagStaffNo, 0), uint64(i)), 6))
}
