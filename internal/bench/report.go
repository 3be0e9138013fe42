package bench

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Measure is one number, or why there is none.
type Measure struct {
	Value float64
	OK    bool
	Note  string
}

// Report is a whole run.
type Report struct {
	Mode                  Mode
	Command               string
	Start, End            time.Time
	Machine               Machine
	LoadBefore, LoadAfter string
	DBs                   []*DBResult
	PDF, PDFRaw           Measure // payslip PDFs per second: internal/pdf, gopdf alone
	PDFItems              int
	ProfileDir            string
}

// DBResult is one database's figures at both sizes.
type DBResult struct {
	Name  string
	Info  string
	Sizes [2]*SizeResult
	// Bounds explains, from measurements, what limits each missed target (by row name).
	Bounds map[string][]string
	Notes  []string
}

// SizeResult is one data set on one database.
type SizeResult struct {
	Spec  sizeSpec
	Files *dataFiles

	Payslips, Items, Payments int // in the database after the loads (and the padding)
	Padded                    int // payslips without items added for the page tests
	PadDur                    time.Duration

	PayrollLoad, PaymentsLoad, HeavyLoad loadRun
	PayrollRaw, PaymentsRaw              rawRun

	Logins, Sessions int
	LoginRate        float64
	ArgonRate        float64
	LoginPeakRSS     int64
	LoginCPU         string
	LoginServerCPU   time.Duration // CPU time of espeks serve per login
	LoginConns       int64         // PostgreSQL connections opened during the flood (-1: not counted)
	LoginOther       float64       // cores used by the rest of the machine during the flood
	ArgonCPU         time.Duration // CPU time of a raw hash
	Page, PageRaw    attackResult
	ServeRSS         int64  // peak RSS of espeks serve during the page test
	ServeMetrics     string // the Go runtime's memory figures from its /metrics
	RawRSS           int64  // peak RSS of the bare handler during its page test
	List, ListRaw    attackResult
	ListCount        int
	FirstStartup     time.Duration // the first start after the loads
	Startups         []time.Duration
	RawStartup       time.Duration
	HashCap          int
	PageCheck        string
	ListCheck        string
	Notes            []string
}

type rawRun struct {
	Rows    int
	Dur     time.Duration // the writing, from opening the database to the commit
	Wall    time.Duration // the process
	PeakRSS int64
}

func (r rawRun) rate() float64 {
	if r.Dur <= 0 {
		return 0
	}
	return float64(r.Rows) / r.Dur.Seconds()
}

func (l loadRun) rate() float64 {
	if l.Wall <= 0 {
		return 0
	}
	return float64(l.Rows) / l.Wall.Seconds()
}

func (s *SizeResult) startup() time.Duration {
	if len(s.Startups) == 0 {
		return s.FirstStartup
	}
	d := append([]time.Duration(nil), s.Startups...)
	for i := range d {
		for j := i + 1; j < len(d); j++ {
			if d[j] < d[i] {
				d[i], d[j] = d[j], d[i]
			}
		}
	}
	return d[len(d)/2]
}

// Rows are the rows of QUALITY.md's Performance table, in its order.
var Rows = []string{"payroll load", "payments load", "load memory", "payslip page", "eMaklum list", "login", "PDF",
	"serving memory", "start-up"}

var targets = map[string]string{
	"payroll load":   "≥ 150,000 rows/s, and ≥ 50% of a raw prepared-INSERT (SQLite) / COPY (PostgreSQL) of the same rows",
	"payments load":  "≥ 150,000 rows/s",
	"load memory":    "peak RSS ≤ 200 MB for a 1 GB file",
	"payslip page":   "≥ 3,000 requests/s, p99 ≤ 50 ms, and ≥ 30% of a bare `net/http` handler running the same query (64 concurrent clients, 1,000,000 payslips)",
	"eMaklum list":   "p99 ≤ 100 ms (a supplier with 10,000 payments, one year)",
	"login":          "≥ 90% of the raw argon2id rate with the same parameters, concurrent hashes capped",
	"PDF":            "≥ 250 payslip PDFs/s, and ≥ 80% of the PDF library's raw rate for a page of the same content",
	"serving memory": "RSS ≤ 150 MB during the page test",
	"start-up":       "ready in ≤ 1 s (1,000,000 payslips)",
}

const megabyte = 1_000_000 // QUALITY.md's MB

// QUALITY.md's figures that the explanations of misses also reason with.
const (
	targetLoadRate = 150000                // rows/s, payroll and payments loads
	targetPageRate = 3000                  // payslip pages/s
	targetPageP99  = 50 * time.Millisecond // payslip page
)

// judge says whether the large data set's figure meets the target, and if not why.
func (rep *Report) judge(row string, s *SizeResult) (pass bool, why string) {
	var miss []string
	check := func(ok bool, what string) {
		if !ok {
			miss = append(miss, what)
		}
	}
	switch row {
	case "payroll load":
		rate := s.PayrollLoad.rate()
		check(rate >= targetLoadRate, "rate")
		check(rate >= 0.5*s.PayrollRaw.rate(), "ratio")
	case "payments load":
		check(s.PaymentsLoad.rate() >= targetLoadRate, "rate")
	case "load memory":
		check(s.PayrollLoad.PeakRSS <= 200*megabyte && s.PaymentsLoad.PeakRSS <= 200*megabyte, "RSS")
	case "payslip page":
		check(s.Page.RPS >= targetPageRate, "req/s")
		check(s.Page.P99 <= targetPageP99, "p99")
		check(s.Page.RPS >= 0.3*s.PageRaw.RPS, "ratio")
		check(s.Page.OK == s.Page.Requests && s.Page.OK > 0, "errors")
	case "eMaklum list":
		check(s.List.P99 <= 100*time.Millisecond, "p99")
		check(s.List.OK == s.List.Requests && s.List.OK > 0, "errors")
	case "login":
		check(s.LoginRate >= 0.9*s.ArgonRate, "ratio")
	case "PDF":
		check(rep.PDF.OK && rep.PDF.Value >= 250, "rate")
		check(!rep.PDFRaw.OK || rep.PDF.Value >= 0.8*rep.PDFRaw.Value, "ratio")
	case "serving memory":
		check(s.ServeRSS <= 150*megabyte, "RSS")
	case "start-up":
		check(s.startup() <= time.Second, "time")
	}
	return len(miss) == 0, strings.Join(miss, ", ")
}

// Misses lists the rows whose target the large data set misses on a database.
func (rep *Report) Misses(d *DBResult) []string {
	var out []string
	for _, row := range Rows {
		if d.Sizes[1] == nil {
			continue
		}
		if ok, _ := rep.judge(row, d.Sizes[1]); !ok {
			out = append(out, row)
		}
	}
	return out
}

// cells renders one row: the figure at a size, the baseline, the ratio.
func (rep *Report) figure(row string, d *DBResult, s *SizeResult) string {
	switch row {
	case "payroll load":
		return num(s.PayrollLoad.rate()) + " rows/s"
	case "payments load":
		return num(s.PaymentsLoad.rate()) + " rows/s"
	case "load memory":
		return fmt.Sprintf("%s (payroll file %s); payments %s", mb(s.PayrollLoad.PeakRSS), mb(s.Files.PayrollBytes), mb(s.PaymentsLoad.PeakRSS))
	case "payslip page":
		return fmt.Sprintf("%s req/s, p99 %s%s", num(s.Page.RPS), ms(s.Page.P99), errNote(s.Page))
	case "eMaklum list":
		return fmt.Sprintf("p99 %s (%s req/s)%s", ms(s.List.P99), num(s.List.RPS), errNote(s.List))
	case "login":
		return fmt.Sprintf("%s logins/s", num1(s.LoginRate))
	case "PDF":
		if !rep.PDF.OK {
			return "not measured"
		}
		return num(rep.PDF.Value) + " PDFs/s"
	case "serving memory":
		return mb(s.ServeRSS)
	case "start-up":
		return ms(s.startup())
	}
	return ""
}

func (rep *Report) baseline(row string, d *DBResult, s *SizeResult) (base, ratio string) {
	pg := strings.HasPrefix(d.Name, "PostgreSQL")
	pct := func(a, b float64) string {
		if b <= 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f%%", 100*a/b)
	}
	switch row {
	case "payroll load":
		how := "prepared INSERT"
		if pg {
			how = "COPY"
		}
		return fmt.Sprintf("raw %s %s rows/s", how, num(s.PayrollRaw.rate())), pct(s.PayrollLoad.rate(), s.PayrollRaw.rate())
	case "payments load":
		how := "prepared INSERT"
		if pg {
			how = "COPY"
		}
		return fmt.Sprintf("raw %s %s rows/s", how, num(s.PaymentsRaw.rate())), pct(s.PaymentsLoad.rate(), s.PaymentsRaw.rate())
	case "load memory":
		base := "raw load process " + mb(s.PayrollRaw.PeakRSS)
		if s.Files.PayrollBytes >= 100*megabyte {
			base += fmt.Sprintf("; the loader's peak RSS per GB of file: %.0f MB", float64(s.PayrollLoad.PeakRSS)/megabyte/(float64(s.Files.PayrollBytes)/1e9))
		}
		return base, fmt.Sprintf("×%.1f", float64(s.PayrollLoad.PeakRSS)/math.Max(1, float64(s.PayrollRaw.PeakRSS)))
	case "payslip page":
		return fmt.Sprintf("bare handler %s req/s, p99 %s", num(s.PageRaw.RPS), ms(s.PageRaw.P99)), pct(s.Page.RPS, s.PageRaw.RPS)
	case "eMaklum list":
		return fmt.Sprintf("bare handler p99 %s (%s req/s)", ms(s.ListRaw.P99), num(s.ListRaw.RPS)), pct(s.List.RPS, s.ListRaw.RPS) + " of the rate"
	case "login":
		return fmt.Sprintf("raw argon2id %s hashes/s (%d at once)", num1(s.ArgonRate), s.HashCap), pct(s.LoginRate, s.ArgonRate)
	case "PDF":
		if !rep.PDFRaw.OK {
			return "gopdf alone: " + rep.PDFRaw.Note, "—"
		}
		return fmt.Sprintf("gopdf alone %s PDFs/s", num(rep.PDFRaw.Value)), pct(rep.PDF.Value, rep.PDFRaw.Value)
	case "serving memory":
		return "bare handler " + mb(s.RawRSS), fmt.Sprintf("×%.1f", float64(s.ServeRSS)/math.Max(1, float64(s.RawRSS)))
	case "start-up":
		return "bare handler " + ms(s.RawStartup), fmt.Sprintf("×%.1f", float64(s.startup())/math.Max(1, float64(s.RawStartup)))
	}
	return "", ""
}

// value is the number growth is computed on.
func (rep *Report) value(row string, s *SizeResult) float64 {
	switch row {
	case "payroll load":
		return s.PayrollLoad.rate()
	case "payments load":
		return s.PaymentsLoad.rate()
	case "load memory":
		return float64(s.PayrollLoad.PeakRSS)
	case "payslip page":
		return s.Page.RPS
	case "eMaklum list":
		return float64(s.List.P99)
	case "login":
		return s.LoginRate
	case "PDF":
		return rep.PDF.Value
	case "serving memory":
		return float64(s.ServeRSS)
	case "start-up":
		return float64(s.startup())
	}
	return 0
}

func errNote(a attackResult) string {
	if a.Requests == 0 {
		return " (no requests)"
	}
	if a.OK < a.Requests {
		return fmt.Sprintf(" (%d errors)", a.Requests-a.OK)
	}
	return ""
}

func num(v float64) string {
	if v >= 100 {
		return commas(int64(math.Round(v)))
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func num1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func ms(d time.Duration) string {
	switch {
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
}

// Table is the results of one database as a Markdown table.
func (rep *Report) Table(d *DBResult) string {
	var b strings.Builder
	b.WriteString("| what | small | large | growth small→large | baseline (large, same run) | ratio | target | result |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	small, large := d.Sizes[0], d.Sizes[1]
	for _, row := range Rows {
		if small == nil || large == nil {
			fmt.Fprintf(&b, "| %s | not measured | | | | | %s | |\n", row, targets[row])
			continue
		}
		base, ratio := rep.baseline(row, d, large)
		growth := "—"
		if v0, v1 := rep.value(row, small), rep.value(row, large); v0 > 0 && v1 > 0 {
			growth = fmt.Sprintf("×%.2f", v1/v0)
		}
		if row == "PDF" {
			growth = "— (no database: measured once)"
		}
		result := "**pass**"
		if ok, why := rep.judge(row, large); !ok {
			result = "**MISS** (" + why + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", row, rep.figure(row, d, small), rep.figure(row, d, large),
			growth, base, ratio, targets[row], result)
	}
	return b.String()
}

// Markdown is BENCHMARKS.md.
func (rep *Report) Markdown() string {
	var b strings.Builder
	m := rep.Machine
	b.WriteString("# eSPEKS benchmarks\n\n")
	fmt.Fprintf(&b, "Generated by `%s` on %s (mode %s, %s). Do not edit by hand: run the command again. "+
		"Targets are the Performance table of `../shared/spec/QUALITY.md`; every figure is measured in this run beside its raw baseline.\n\n",
		rep.Command, rep.Start.UTC().Format("2006-01-02 15:04 MST"), rep.Mode, rep.End.Sub(rep.Start).Round(time.Second))
	b.WriteString("## Summary\n\n")
	for _, d := range rep.DBs {
		var met, missed []string
		for _, row := range Rows {
			if d.Sizes[1] == nil {
				continue
			}
			if ok, _ := rep.judge(row, d.Sizes[1]); ok {
				met = append(met, row)
			} else {
				missed = append(missed, row)
			}
		}
		fmt.Fprintf(&b, "- %s: %d of %d targets met (%s); missed: %s.\n", d.Name, len(met), len(Rows), orDash(strings.Join(met, ", ")),
			orDash(strings.Join(missed, ", ")))
	}
	if rep.ProfileDir != "" {
		b.WriteString("\nEach missed target has a measured explanation under its database's table.\n\n")
	} else {
		b.WriteString("\nThis run took no profiles: the full `espeks bench` (or `--quick --profile`) explains each missed target.\n\n")
	}
	b.WriteString("## Machine\n\n")
	fmt.Fprintf(&b, "- CPU: %s, %d cores (GOMAXPROCS %d)\n", m.CPU, m.Cores, runtime.GOMAXPROCS(0))
	fmt.Fprintf(&b, "- Memory: %s\n", m.Memory)
	fmt.Fprintf(&b, "- OS: %s\n", m.OS)
	fmt.Fprintf(&b, "- Go: %s\n", m.Go)
	other, where := rep.maxOther()
	fmt.Fprintf(&b, "- Load average (1, 5, 15 min) before the run: %s (after it, the bench's own work included: %s). "+
		"Other work on the machine during the timed tests: at most %.2f of the %d cores (%s)%s\n",
		rep.LoadBefore, rep.LoadAfter, other, m.Cores, where, busyNote(rep.LoadBefore, other))
	for _, d := range rep.DBs {
		fmt.Fprintf(&b, "- %s: %s\n", d.Name, d.Info)
	}
	b.WriteString("\n## Data sets\n\n")
	b.WriteString(rep.dataSets())
	b.WriteString("\n## How each figure is measured\n\n")
	b.WriteString(method)
	for _, d := range rep.DBs {
		fmt.Fprintf(&b, "\n## %s\n\n", d.Name)
		b.WriteString(rep.Table(d))
		b.WriteString(rep.details(d))
		if misses := rep.Misses(d); len(misses) > 0 {
			fmt.Fprintf(&b, "\n### What bounds the missed targets (%s)\n\n", d.Name)
			for _, row := range misses {
				_, why := rep.judge(row, d.Sizes[1])
				fmt.Fprintf(&b, "- **%s** (missed: %s)", row, why)
				if lines := d.Bounds[row]; len(lines) > 0 {
					b.WriteString(": " + lines[0] + "\n")
					for _, l := range lines[1:] {
						fmt.Fprintf(&b, "  - %s\n", l)
					}
				} else {
					b.WriteString(": not profiled in this mode.\n")
				}
			}
		}
		for _, n := range d.Notes {
			fmt.Fprintf(&b, "\nNote: %s\n", n)
		}
	}
	if rep.ProfileDir != "" {
		fmt.Fprintf(&b, "\nCPU profiles of this run: `%s` (`go tool pprof -top FILE`).\n", rep.ProfileDir)
	}
	return b.String()
}

func busyNote(before string, other float64) string {
	v, _ := strconv.ParseFloat(strings.Fields(before + " 0")[0], 64)
	switch {
	case other >= 0.25:
		return " — **the machine was busy with other work during the tests: the figures are lower than on a quiet machine**"
	case v >= 1.5:
		return " — the load average was high before the run, but other work took little CPU during the timed tests"
	}
	return ""
}

// maxOther is the most CPU the rest of the machine used during a timed test.
func (rep *Report) maxOther() (float64, string) {
	best, where := 0.0, "none measured"
	for _, d := range rep.DBs {
		for _, s := range d.Sizes {
			if s == nil {
				continue
			}
			for _, c := range []struct {
				v    float64
				name string
			}{{s.LoginOther, "login flood"}, {s.Page.Other, "payslip page"}, {s.PageRaw.Other, "bare payslip handler"},
				{s.List.Other, "eMaklum list"}, {s.ListRaw.Other, "bare list handler"}} {
				if where == "none measured" || c.v > best {
					best, where = c.v, fmt.Sprintf("%s, %s, %s data set", c.name, d.Name, s.Spec.Name)
				}
			}
		}
	}
	return best, where
}

func (rep *Report) dataSets() string {
	if len(rep.DBs) == 0 || rep.DBs[0].Sizes[0] == nil || rep.DBs[0].Sizes[1] == nil {
		return "none\n"
	}
	s0, s1 := rep.DBs[0].Sizes[0], rep.DBs[0].Sizes[1]
	var b strings.Builder
	b.WriteString("| | small | large | QUALITY.md's condition |\n| --- | --- | --- | --- |\n")
	desc := func(s *SizeResult) string {
		f := s.Files
		d := fmt.Sprintf("%s staff × %d months: %s payslips, %s rows, %s (one file)", commas(int64(s.Spec.Staff)), s.Spec.Months,
			commas(int64(f.Payslips)), commas(int64(f.PayrollRows)), mb(f.PayrollBytes))
		if s.Padded > 0 {
			d += fmt.Sprintf("; after the load tests %s payslips without items were added (SQL, %s), so the page, eMaklum and start-up tests ran with %s payslips and %s item rows in the database",
				commas(int64(s.Padded)), s.PadDur.Round(100*time.Millisecond), commas(int64(s.Payslips)), commas(int64(s.Items)))
		}
		return d
	}
	fmt.Fprintf(&b, "| payroll (demo generator) | %s | %s | 1,000,000 payslips in the database; a 1 GB file for load memory |\n", desc(s0), desc(s1))
	pay := func(s *SizeResult) string {
		return fmt.Sprintf("%s suppliers, %s staff claims, %d months: %s rows, %s", commas(int64(s.Spec.Suppliers)),
			commas(int64(s.Spec.Staff)), s.Spec.Months, commas(int64(s.Files.PaymentsRows)), mb(s.Files.PaymentsBytes))
	}
	fmt.Fprintf(&b, "| payments (demo generator) | %s | %s | — |\n", pay(s0), pay(s1))
	heavy := func(s *SizeResult) string {
		return fmt.Sprintf("%s payments (%s rows) in %d", commas(int64(s.Files.HeavyPayments)), commas(int64(s.Files.HeavyRows)), s.Files.HeavyYear)
	}
	fmt.Fprintf(&b, "| eMaklum supplier | %s | %s | 10,000 payments in one year |\n", heavy(s0), heavy(s1))
	load := func(s *SizeResult) string {
		return fmt.Sprintf("%d clients over %d sessions, %s after a %s warm-up; eMaklum %d clients, %s; %d logins",
			s.Spec.Clients, s.Sessions, s.Spec.PageDur, s.Spec.PageDur/5, s.Spec.ListClients, s.Spec.ListDur, s.Logins)
	}
	fmt.Fprintf(&b, "| load | %s | %s | 64 concurrent logged-in clients |\n", load(s0), load(s1))
	if s1.Files.Payslips < 1_000_000 {
		fmt.Fprintf(&b, "\nThe large payroll file has %s payslips, %.0f%% of the 1,000,000 of the target condition: loading 1,000,000 payslips "+
			"(about %s item rows, %s of CSV) twice per database (the load and its raw baseline) would not fit a run of about 15 minutes on this machine. "+
			"The growth column shows how each figure changes from the small to the large set (×%.0f the rows loaded, ×%.0f the payslips in the database); "+
			"page and start-up figures depend on the index depth (logarithmic in the row count), not linearly on the size.\n",
			commas(int64(s1.Files.Payslips)), 100*float64(s1.Files.Payslips)/1e6,
			commas(int64(float64(s1.Files.PayrollRows)/float64(max(1, s1.Files.Payslips))*1e6)),
			mb(int64(float64(s1.Files.PayrollBytes)/float64(max(1, s1.Files.Payslips))*1e6)),
			float64(s1.Files.PayrollRows)/float64(max(1, s0.Files.PayrollRows)), float64(s1.Payslips)/float64(max(1, s0.Payslips)))
	}
	return b.String()
}

func (rep *Report) details(d *DBResult) string {
	var b strings.Builder
	b.WriteString("\nDetails:\n")
	for _, s := range d.Sizes {
		if s == nil {
			continue
		}
		fmt.Fprintf(&b, "\n- %s data set:\n", s.Spec.Name)
		fmt.Fprintf(&b, "  - loads: `espeks load payroll` %s rows in %s (the loader's own time, before its commit: %s; raw %s); "+
			"`espeks load payments` %s rows in %s (raw %s); the eMaklum supplier's file %s rows in %s. "+
			"Peak RSS: payroll load %s (raw %s), payments load %s (raw %s).\n",
			commas(int64(s.PayrollLoad.Rows)), s.PayrollLoad.Wall.Round(time.Millisecond), s.PayrollLoad.Reported,
			s.PayrollRaw.Dur.Round(time.Millisecond), commas(int64(s.PaymentsLoad.Rows)), s.PaymentsLoad.Wall.Round(time.Millisecond),
			s.PaymentsRaw.Dur.Round(time.Millisecond), commas(int64(s.HeavyLoad.Rows)), s.HeavyLoad.Wall.Round(time.Millisecond),
			mb(s.PayrollLoad.PeakRSS), mb(s.PayrollRaw.PeakRSS), mb(s.PaymentsLoad.PeakRSS), mb(s.PaymentsRaw.PeakRSS))
		fmt.Fprintf(&b, "  - login flood: %d logins by %d clients at once, at most %d hashes at once in the server; peak RSS of `espeks serve` %s; "+
			"CPU time of the server per login %s, of a raw argon2id hash %s. %s.\n",
			s.Logins, s.Spec.Clients, s.HashCap, mb(s.LoginPeakRSS), ms(s.LoginServerCPU), ms(s.ArgonCPU), orNone(s.LoginCPU)+connNote(s.LoginConns))
		fmt.Fprintf(&b, "  - payslip page: %d requests%s, p50 %s; %s. Bare handler: %d requests, p50 %s; %s.\n",
			s.Page.Requests, failNote(s.Page), ms(s.Page.P50), orNone(s.Page.CPU)+connNote(s.Page.NewConns), s.PageRaw.Requests,
			ms(s.PageRaw.P50), orNone(s.PageRaw.CPU)+connNote(s.PageRaw.NewConns))
		if s.ServeMetrics != "" {
			fmt.Fprintf(&b, "  - `espeks serve` after the page test (its /metrics): %s.\n", s.ServeMetrics)
		}
		fmt.Fprintf(&b, "  - eMaklum list: the year has %s payments; %d requests%s, p50 %s; %s. Bare handler: %d requests, p50 %s.\n",
			commas(int64(s.ListCount)), s.List.Requests, failNote(s.List), ms(s.List.P50), orNone(s.List.CPU)+connNote(s.List.NewConns),
			s.ListRaw.Requests, ms(s.ListRaw.P50))
		fmt.Fprintf(&b, "  - start-up: first after the loads %s, then %s.\n", ms(s.FirstStartup), durs(s.Startups))
		for _, n := range s.Notes {
			fmt.Fprintf(&b, "  - note: %s.\n", n)
		}
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "CPU not measured"
	}
	return s
}

func failNote(a attackResult) string {
	if f := a.failures(); f != "" {
		return " — " + f
	}
	return ""
}

func durs(ds []time.Duration) string {
	var s []string
	for _, d := range ds {
		s = append(s, ms(d))
	}
	return strings.Join(s, ", ")
}

const method = `- **payroll load / payments load**: a child ` + "`espeks load payroll|payments FILE`" + ` on an empty, migrated database; rows of the file ÷ the process's wall time (start to exit: start-up, validation, hashing, writing, commit). Baseline: the same rows written into the same tables of another empty database (same schema, indexes and foreign keys, one transaction) by a prepared INSERT per row (SQLite, production connection settings) or pgx COPY (PostgreSQL), reading the file with encoding/csv once per table, no validation, in a child process of its own (` + "`espeks bench --raw-load`" + `); rows ÷ the time from opening the database to the commit (its process start-up excluded, which favours the baseline).
- **load memory**: peak RSS of the ` + "`espeks load`" + ` process: its VmHWM, polled from /proc every 10 ms until it exits (getrusage's maxrss of a child is not used: on Linux it includes the parent's memory shared between fork and exec). Baseline: the raw load process's, measured the same way.
- **payslip page**: ` + "`espeks serve`" + ` as a child process; an in-process vegeta attacker with a fixed number of workers (closed loop: each sends its next request when its answer is read), each request ` + "`GET /epayslip/{public_id}`" + ` with the session cookie of one of the logged-in staff, cycling over every payslip of theirs; req/s counts 200 answers only. Baseline: a bare net/http handler in a child process (` + "`espeks bench --raw-serve`" + `) running the same payslip.Store.Get query and writing plain text, hit by the same attacker with the same workers and payslips. The attacker runs in the bench process on the same 2 cores as the server (and the PostgreSQL server): the CPU lines of the details show each one's share. Before the page tests the database is settled as a running portal's would be after a load: VACUUM ANALYZE and a CHECKPOINT on PostgreSQL (what autovacuum does soon after a bulk load), a WAL checkpoint on SQLite.
- **eMaklum list**: ` + "`GET /emaklum?mula=YYYY-01-01&akhir=YYYY-12-31`" + ` (first page: count, total and 25 rows of the year) by the supplier with many payments, over several sessions of theirs; baseline: the bare handler running payment.Store.List.
- **login**: ` + "`POST /log-masuk`" + ` (the browser's same-origin form post) by the page test's clients all at once, successful logins per second, after a warm-up of one login per client that is not counted (as the page tests warm up: a fresh server opens its database connections on its first requests); the server hashes with internal/password/argon2id, x/crypto's argon2 code with its 19 MiB of block memory reused from a pool rather than allocated per hash; baseline: argon2id of golang.org/x/crypto itself with password.DefaultParams (m = 19 MiB, t = 2, p = 1), as many at once as the server's Hasher allows (its cap is the number of CPUs), in the bench process, just before the flood and again just after it, the higher rate kept.
- **PDF**: internal/pdf's Payslip of a loaded payslip, on every CPU, in the bench process; baseline: gopdf alone writing the same strings with the same fonts at fixed positions (BenchmarkPayslipRaw of internal/pdf).
- **serving memory**: peak RSS (VmHWM, reset through /proc/PID/clear_refs just before) of ` + "`espeks serve`" + ` during the page test. The page and eMaklum tests run on a server started afresh after the login flood (sessions live in the database), so the heap the flood's 19 MiB hashes left behind is not counted as page-serving memory; the flood's own peak is in the details. Baseline: the bare handler's peak during its page test.
- **start-up**: from starting ` + "`espeks serve`" + ` on the loaded database to the first 200 from /readyz (the median of the start-ups after the first: the one before the page tests and those after all the tests); baseline: the bare handler's process start to its first answer.
`

// Machine describes the computer.
type Machine struct {
	CPU, Memory, OS, Go string
	Cores               int
}

func machineInfo() Machine {
	m := Machine{CPU: "unknown", Memory: "unknown", OS: runtime.GOOS, Go: runtime.Version(), Cores: runtime.NumCPU()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
				m.Memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	osName := runtime.GOOS
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				osName = strings.Trim(v, `"`)
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		osName += ", Linux " + strings.TrimSpace(string(b))
	}
	m.OS = osName + " (" + runtime.GOOS + "/" + runtime.GOARCH + ")"
	return m
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func connNote(n int64) string {
	if n < 0 {
		return ""
	}
	return fmt.Sprintf("; %s new PostgreSQL connections", commas(n))
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
