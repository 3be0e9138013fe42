package bench

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/espeks/espeks/internal/demo"
)

// dataFiles are the CSV files of one data set.
type dataFiles struct {
	Dir                       string
	Payroll, Payments, Heavy  string // paths
	PayrollRows, PaymentsRows int
	PayrollBytes              int64
	PaymentsBytes             int64
	HeavyRows, HeavyPayments  int
	HeavyID                   string // the eMaklum test's supplier (SSM number)
	HeavyName                 string
	HeavyYear                 int
	Staff                     []demo.Person // the first staff: the logged-in clients
	Runs                      []string      // the payroll file's payroll IDs
	Payslips                  int           // the payroll file's payslips
}

func demoOptions(s sizeSpec) demo.Options {
	return demo.Options{Staff: s.Staff, Suppliers: s.Suppliers, Months: s.Months, EndYear: 2026, EndMonth: time.October,
		Seed: 1, StateName: stateName}
}

// writeData writes the payroll file (every month in one file, as one large load), the
// payments file and the file of the eMaklum test's supplier.
func writeData(dir string, s sizeSpec) (*dataFiles, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	o := demoOptions(s)
	f := &dataFiles{Dir: dir, Payroll: filepath.Join(dir, "gaji.csv"), Payments: filepath.Join(dir, "bayaran.csv"),
		Heavy: filepath.Join(dir, "pembekal-besar.csv"), HeavyYear: 2025, HeavyPayments: s.HeavyPayments,
		HeavyID: "201901012345", HeavyName: "Syarikat Pembekal Utama Sdn. Bhd."}
	var err error
	if f.PayrollRows, f.PayrollBytes, err = writeFile(f.Payroll, func(w *bufio.Writer) (int, error) { return demo.WritePayroll(w, o) }); err != nil {
		return nil, err
	}
	if f.Runs, f.Payslips, err = payrollRuns(f.Payroll); err != nil {
		return nil, err
	}
	if f.PaymentsRows, f.PaymentsBytes, err = writeFile(f.Payments, func(w *bufio.Writer) (int, error) { return demo.WritePayments(w, o) }); err != nil {
		return nil, err
	}
	staff, suppliers := demo.People(demo.Options{Staff: min(s.Staff, max(s.Clients, s.Logins)), Suppliers: s.Suppliers,
		Months: 1, EndYear: o.EndYear, EndMonth: o.EndMonth, Seed: o.Seed, StateName: stateName})
	f.Staff = staff
	for _, p := range suppliers {
		if p.ID == f.HeavyID || p.ID == "201901-012345" {
			f.HeavyID = "201801054321"
		}
	}
	if f.HeavyRows, _, err = writeFile(f.Heavy, func(w *bufio.Writer) (int, error) { return writeHeavy(w, f) }); err != nil {
		return nil, err
	}
	return f, nil
}

func writeFile(path string, fn func(w *bufio.Writer) (int, error)) (int, int64, error) {
	file, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	w := bufio.NewWriterSize(file, 1<<20)
	n, err := fn(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	return n, fi.Size(), nil
}

// writeHeavy writes the payments of one supplier with many payments in one year (the
// demo generator's suppliers have a few a month): EFT payments of two voucher lines
// each, spread over the working days of the year.
func writeHeavy(w *bufio.Writer, f *dataFiles) (int, error) {
	w.WriteString("payee_id,payee_name,payment_no,payment_mode,payment_date,status,bank_name,bank_account,payment_amount,voucher_no,voucher_date,invoice_no,ptj_code,ptj_name,description,amount\n")
	start := time.Date(f.HeavyYear, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := 0
	for i := range f.HeavyPayments {
		day := start.AddDate(0, 0, i*365/f.HeavyPayments)
		d := day.Format("2006-01-02")
		a1, a2 := 10000+int64(i%997)*137, 2500+int64(i%89)*11
		status := "DITERIMA"
		if i%50 == 0 {
			status = "GAGAL"
		}
		for l, amt := range []int64{a1, a2} {
			fmt.Fprintf(w, "%s,%s,EFTB%09d,EFT,%s,%s,Maybank,514012345678,%d.%02d,VB%08d,%s,INV-%d-%d,1001,Jabatan Kewangan Negeri %s,Bekalan pejabat bil %d,%d.%02d\n",
				f.HeavyID, f.HeavyName, i+1, d, status, (a1+a2)/100, (a1+a2)%100, 2*i+l+1, d, f.HeavyYear, i+1, stateName, i+1, amt/100, amt%100)
			rows++
		}
	}
	return rows, nil
}
