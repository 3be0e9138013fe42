package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/espeks/espeks/internal/account"
	"github.com/espeks/espeks/internal/app"
	"github.com/espeks/espeks/internal/config"
	"github.com/espeks/espeks/internal/i18n"
)

// adminCreate makes a Pentadbir. The password comes from standard input (first line) so
// it never appears in the process list or shell history.
func adminCreate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	var id, name, email string
	cfg, fs, err := config.Load("espeks admin create", args, getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&id, "id", "", "No. KP of the Pentadbir (required)")
		fs.StringVar(&name, "name", "", "Nama (required)")
		fs.StringVar(&email, "email", "", "Emel (required)")
	})
	if err != nil {
		return err
	}
	if id == "" || name == "" || email == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: espeks admin create --id <No. KP> --name <Nama> --email <Emel>  (password on standard input)")
		return errUsage
	}
	fmt.Fprintln(stderr, "Kata laluan / Password (one line on standard input):")
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	pw := strings.TrimRight(line, "\r\n")
	a, err := app.New(ctx, cfg, app.Options{Logger: newLogger(stderr, "warn")})
	if err != nil {
		return err
	}
	defer a.DB.Close()
	u, err := a.Accounts.CreateAdmin(ctx, account.NewAdmin{LoginID: id, Name: name, Email: email, Password: pw})
	var fe i18n.FieldErrors
	if errors.As(err, &fe) {
		cat, cerr := i18n.Load()
		if cerr != nil {
			return cerr
		}
		fields := make([]string, 0, len(fe))
		for f := range fe {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			fmt.Fprintf(stderr, "  --%s: %s / %s\n", f, cat.M(i18n.Malay, fe[f]), cat.M(i18n.English, fe[f]))
		}
		return errors.New("Pentadbir tidak dicipta / Pentadbir not created")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Pentadbir dicipta / Pentadbir created: %s (%s)\n", account.DisplayID(u), u.Name)
	return nil
}
