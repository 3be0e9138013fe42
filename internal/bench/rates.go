package bench

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/signintech/gopdf"
	"golang.org/x/crypto/argon2"

	"github.com/espeks/espeks/internal/password"
	"github.com/espeks/espeks/internal/payslip"
	"github.com/espeks/espeks/internal/pdf"
)

// argonRate is raw argon2id with the production parameters, as many at once as the
// Hasher allows (its cap: the CPUs), hashes per second; and the CPU time of a hash.
func argonRate(n int) (float64, time.Duration) {
	before := snapCPU(0, os.Getpid())
	p := password.DefaultParams()
	pw := []byte("a password of a usual length")
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range hashCap() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			salt := make([]byte, p.SaltLen)
			for next.Add(1) <= int64(n) {
				_, _ = rand.Read(salt)
				_ = argon2.IDKey(pw, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
			}
		}()
	}
	wg.Wait()
	rate := float64(n) / time.Since(start).Seconds()
	after := snapCPU(0, os.Getpid())
	var per time.Duration
	if before.ok && after.ok {
		per = time.Duration(float64(after.procs[0]-before.procs[0]) / userHZ / float64(n) * float64(time.Second))
	}
	return rate, per
}

// parallelRate calls fn on every CPU for d and returns calls per second.
func parallelRate(d time.Duration, fn func() error) (float64, error) {
	var n atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	start := time.Now()
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				if err := fn(); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, err
	}
	return float64(n.Load()) / time.Since(start).Seconds(), nil
}

// pdfRates measures the payslip PDF (internal/pdf, as the portal calls it) and the PDF
// library's raw rate for a page of the same content. No database is involved, so it is
// measured once per run.
func (r *runner) pdfRates(ctx context.Context) error {
	p := r.sample
	if p == nil {
		return errors.New("no sample payslip")
	}
	m := pdf.Meta{StateName: stateName, PrintedAt: time.Now()}
	if _, err := pdf.Payslip(*p, m); err != nil { // parse the fonts outside the timing
		return err
	}
	r.logf("PDF: internal/pdf payslip")
	rate, err := parallelRate(r.spec.pdfDur, func() error { _, err := pdf.Payslip(*p, m); return err })
	if err != nil {
		return err
	}
	r.rep.PDF = Measure{Value: rate, OK: true}
	raw, src, err := rawPDF(*p)
	if err != nil {
		r.rep.PDFRaw = Measure{Note: err.Error()}
		return nil
	}
	r.logf("PDF: gopdf alone")
	rate, err = parallelRate(r.spec.pdfDur, raw)
	if err != nil {
		return err
	}
	r.rep.PDFRaw = Measure{Value: rate, OK: true, Note: src}
	r.rep.PDFItems = len(p.Income) + len(p.Deductions) + len(p.Employer)
	return nil
}

// rawPDF mirrors BenchmarkPayslipRaw of internal/pdf: the payslip's strings written at
// fixed positions with the same fonts, shared and parsed once, no layout logic.
func rawPDF(p payslip.Payslip) (func() error, string, error) {
	regular, bold, src, err := dejaVu()
	if err != nil {
		return nil, "", err
	}
	fc := &gopdf.FontContainer{}
	if err := fc.AddTTFFontData("DejaVuSans", regular); err != nil {
		return nil, "", err
	}
	if err := fc.AddTTFFontData("DejaVuSans-Bold", bold); err != nil {
		return nil, "", err
	}
	strs := []string{"Kerajaan Negeri " + stateName, "PENYATA GAJI / PAYSLIP", p.PayrollID, p.Name,
		p.ICNo, p.Position, p.Grade, p.DepartmentName, p.PTJName, p.BankName, p.MaskedAccount(),
		p.EPFNo, p.SOCSONo, p.TaxNo, p.StaffNo, "Penyata ini dijana oleh komputer. Tiada tandatangan diperlukan."}
	for _, g := range [][]payslip.Item{p.Income, p.Deductions, p.Employer} {
		for _, it := range g {
			strs = append(strs, it.Code, it.Name, it.Amount.Format())
		}
	}
	return func() error {
		g := &gopdf.GoPdf{}
		g.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: *gopdf.PageSizeA4})
		if err := g.AddTTFFontFromFontContainer("DejaVuSans", fc); err != nil {
			return err
		}
		if err := g.AddTTFFontFromFontContainer("DejaVuSans-Bold", fc); err != nil {
			return err
		}
		g.AddPage()
		for i, s := range strs {
			fam := "DejaVuSans"
			if i%5 == 0 {
				fam = "DejaVuSans-Bold"
			}
			_ = g.SetFont(fam, "", 8)
			g.SetXY(40+float64(i%3)*170, 40+float64(i/3)*14)
			if err := g.Cell(nil, s); err != nil {
				return err
			}
		}
		_, err := g.GetBytesPdfReturnErr()
		return err
	}, src, nil
}

// dejaVu finds the fonts internal/pdf embeds: in the source tree (the bench normally runs
// in the repository), else the system's copy of the same fonts.
func dejaVu() (regular, bold []byte, src string, err error) {
	var dirs []string
	if root, ok := moduleRoot(); ok {
		dirs = append(dirs, filepath.Join(root, "internal", "pdf", "fonts"))
	}
	dirs = append(dirs, "/usr/share/fonts/truetype/dejavu")
	for _, dir := range dirs {
		regular, err1 := os.ReadFile(filepath.Join(dir, "DejaVuSans.ttf"))
		bold, err2 := os.ReadFile(filepath.Join(dir, "DejaVuSans-Bold.ttf"))
		if err1 == nil && err2 == nil {
			return regular, bold, dir, nil
		}
	}
	return nil, nil, "", fmt.Errorf("%w: DejaVuSans.ttf not found (run in the repository)", errSkip)
}

// moduleRoot walks up from the working directory to eSPEKS's go.mod.
func moduleRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && containsModule(b) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func containsModule(gomod []byte) bool {
	const m = "module github.com/espeks/espeks\n"
	return len(gomod) >= len(m) && string(gomod[:len(m)]) == m
}
