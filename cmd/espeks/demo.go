package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/app"
	"github.com/espeks/espeks/internal/config"
	"github.com/espeks/espeks/internal/demo"
	"github.com/espeks/espeks/internal/load"
)

// demoLoginsFile keeps the sample logins (with their random passwords) in the data
// directory, readable by its owner only, so ./scripts/run.sh can show them every time.
const demoLoginsFile = "demo-logins.txt"

// runDemo is `espeks demo`: it writes deterministic sample CSV files, loads them through
// the same loader as real files, and creates a staff, a supplier and a Pentadbir login.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	o := demo.Options{Staff: 200, Suppliers: 50, Months: 14, Seed: 1}
	var out string
	var noLoad bool
	cfg, _, err := config.Load("espeks demo", args, getenv, func(fs *flag.FlagSet) {
		fs.IntVar(&o.Staff, "staff", o.Staff, "staff on the payroll")
		fs.IntVar(&o.Suppliers, "suppliers", o.Suppliers, "suppliers")
		fs.IntVar(&o.Months, "months", o.Months, "months of payroll and payments, ending last month")
		fs.Int64Var(&o.Seed, "seed", o.Seed, "random seed (the same seed gives the same data)")
		fs.StringVar(&out, "out", "", "directory for the CSV files (default: DATA_DIR/demo)")
		fs.BoolVar(&noLoad, "no-load", false, "only write the CSV files")
	})
	if err != nil {
		return err
	}
	if o.Staff < 1 || o.Suppliers < 1 || o.Months < 1 || o.Months > 120 {
		return errors.New("--staff and --suppliers must be at least 1, --months from 1 to 120")
	}
	end := time.Now().AddDate(0, -1, 0)
	o.EndYear, o.EndMonth, o.StateName = end.Year(), end.Month(), cfg.StateName
	if out == "" {
		out = filepath.Join(cfg.DataDir, "demo")
	}
	files, err := writeDemoFiles(out, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Fail contoh ditulis / sample files written: %s (%d)\n", out, len(files))
	if noLoad {
		return nil
	}
	a, err := app.New(ctx, cfg, app.Options{Logger: newLogger(stderr, "warn")})
	if err != nil {
		return err
	}
	defer a.DB.Close()
	for _, f := range files {
		res, err := a.Loader.Load(ctx, load.Request{Kind: f.kind, Path: f.path, FileName: filepath.Base(f.path), Via: "cli", Source: "demo"})
		if err != nil {
			return fmt.Errorf("%s: %w", f.path, err)
		}
		if res.Status == load.Rejected {
			return fmt.Errorf("%s: the generator wrote a file the loader refuses (%d errors, first: line %d %s %s)",
				f.path, res.Errors.Len(), res.Errors.List[0].Line, res.Errors.List[0].Column, res.Errors.List[0].Code)
		}
		fmt.Fprintf(stdout, "  %-28s %-9s %7d baris/rows %6d ditambah/added\n", filepath.Base(f.path), res.Status, res.Rows, res.Added)
	}
	logins, err := demoAccounts(ctx, a, o)
	if err != nil {
		return err
	}
	path := filepath.Join(cfg.DataDir, demoLoginsFile)
	if err := os.WriteFile(path, []byte(logins), 0o600); err != nil {
		return err
	}
	fmt.Fprint(stdout, logins)
	return nil
}

type demoFile struct{ kind, path string }

func writeDemoFiles(dir string, o demo.Options) ([]demoFile, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	var files []demoFile
	write := func(name, kind string, fn func(io.Writer) error) error {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			f.Close()
			return err
		}
		files = append(files, demoFile{kind, p})
		return f.Close()
	}
	start := time.Date(o.EndYear, o.EndMonth, 1, 0, 0, 0, 0, time.UTC).AddDate(0, -(o.Months - 1), 0)
	for m := 0; m < o.Months; m++ {
		t := start.AddDate(0, m, 0)
		err := write(fmt.Sprintf("gaji-%04d-%02d.csv", t.Year(), t.Month()), load.Payroll, func(w io.Writer) error {
			_, err := demo.WritePayrollMonth(w, o, t.Year(), t.Month())
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	err := write("bayaran.csv", load.Payments, func(w io.Writer) error {
		_, err := demo.WritePayments(w, o)
		return err
	})
	return files, err
}

// demoAccounts makes the first staff member, the first supplier and a Pentadbir active
// with random passwords, and returns the text that tells how to log in.
func demoAccounts(ctx context.Context, a *app.App, o demo.Options) (string, error) {
	staff, suppliers := demo.People(demo.Options{Staff: 1, Suppliers: 1, Months: 1, Seed: o.Seed, EndYear: o.EndYear, EndMonth: o.EndMonth, StateName: o.StateName})
	var b strings.Builder
	b.WriteString("\nLog masuk contoh / sample logins (http://localhost:8080/log-masuk):\n")
	add := func(label string, r account.Registration, role account.Role) error {
		r.Password, r.Confirm = demoPassword(), ""
		r.Confirm = r.Password
		r.Question, r.Answer = "ibu", "Aminah"
		if _, err := a.Accounts.CreateActive(ctx, r, role); err != nil {
			if errors.Is(err, account.ErrExists) {
				fmt.Fprintf(&b, "  %-22s %s (sudah wujud / already exists)\n", label, r.LoginID)
				return nil
			}
			return fmt.Errorf("%s: %w", label, err)
		}
		fmt.Fprintf(&b, "  %-22s ID %-16s kata laluan / password %s\n", label, r.LoginID, r.Password)
		return nil
	}
	s := staff[0]
	if err := add("Kakitangan / staff", account.Registration{UserType: string(account.Staff), LoginID: s.ID, Name: s.Name,
		Email: s.Email, Phone: s.Phone, Department: s.Department, StaffNo: s.StaffNo}, account.RoleUser); err != nil {
		return "", err
	}
	p := suppliers[0]
	if err := add("Pembekal / supplier", account.Registration{UserType: string(account.Supplier), LoginID: p.ID, Name: p.Name,
		Email: p.Email, Phone: p.Phone}, account.RoleUser); err != nil {
		return "", err
	}
	if err := add("Pentadbir / admin", account.Registration{UserType: string(account.Staff), LoginID: "800101-14-5007",
		Name: "Pentadbir Contoh", Email: "pentadbir@contoh.gov.my", Phone: "0123456789", Department: "Unit Teknologi Maklumat",
		StaffNo: "G000001"}, account.RoleAdmin); err != nil {
		return "", err
	}
	return b.String(), nil
}

// demoPassword is random, so a sample instance left running is not open to anyone who
// read this source.
func demoPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
