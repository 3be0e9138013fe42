package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/espeks/espeks/internal/app"
	"github.com/espeks/espeks/internal/config"
	"github.com/espeks/espeks/internal/i18n"
	"github.com/espeks/espeks/internal/load"
)

// loadFile is `espeks load payroll|payments FILE`: the same code path as the upload and
// the API, with a progress bar on standard error and a summary on standard output.
// A refused file exits 1 with every error listed.
func loadFile(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) < 2 || (args[0] != load.Payroll && args[0] != load.Payments) {
		fmt.Fprintln(stderr, "usage: espeks load payroll|payments FILE [flags]")
		return errUsage
	}
	kind, path := args[0], args[1]
	cfg, _, err := config.Load("espeks load", args[2:], getenv, nil)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, app.Options{Logger: newLogger(stderr, "warn")})
	if err != nil {
		return err
	}
	defer a.DB.Close()
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	bar := newProgressBar(stderr)
	res, err := a.Loader.Load(ctx, load.Request{Kind: kind, Path: path, FileName: filepath.Base(path), Via: "cli",
		Source: "cli", Progress: bar.update})
	bar.done()
	if errors.Is(err, load.ErrBusy) {
		return errors.New("fail yang sama sedang dimuatkan oleh proses lain / the same file is being loaded by another process")
	}
	if err != nil {
		return err
	}
	switch res.Status {
	case load.Duplicate:
		fmt.Fprintf(stdout, "Fail ini telah dimuatkan sebelum ini; tiada perubahan. / This file was loaded before; nothing changed.\n")
	case load.Accepted:
		fmt.Fprintf(stdout, "Dimuatkan / Loaded: %s, %d baris / rows, %d ditambah / added, %d diganti / replaced, %d status dikemas kini / status updated, %s (load %d)\n",
			kind, res.Rows, res.Added, res.Replaced, res.Updated, res.Duration.Round(time.Millisecond), res.LoadID)
	default:
		fmt.Fprintf(stderr, "Fail ditolak: %d ralat; tiada apa-apa ditulis. / File refused: %d error(s); nothing was written.\n", res.Errors.Len(), res.Errors.Len())
		for _, e := range res.Errors.List {
			fmt.Fprintf(stderr, "  %s\n", describe(cat, e))
		}
		if res.Errors.Omitted > 0 {
			fmt.Fprintf(stderr, "  … dan %d lagi / and %d more\n", res.Errors.Omitted, res.Errors.Omitted)
		}
		return errRefused
	}
	return nil
}

var errRefused = errors.New("file refused")

// describe words an error in Malay and English for the terminal.
func describe(cat *i18n.Catalogue, e load.CellError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "baris/line %d", e.Line)
	if e.Column != "" {
		fmt.Fprintf(&b, ", lajur/column %s", e.Column)
	}
	if e.Value != "" {
		fmt.Fprintf(&b, ", nilai/value %q", e.Value)
	}
	m := i18n.Msg(e.Code)
	fmt.Fprintf(&b, ": %s / %s", cat.M(i18n.Malay, m), cat.M(i18n.English, m))
	return b.String()
}

// progressBar draws "[#####.....] 50% semak" on a terminal, or a line per quarter
// otherwise (so CI logs stay readable).
type progressBar struct {
	w        io.Writer
	tty      bool
	phase    string
	lastPct  int
	lastDraw time.Time
}

func newProgressBar(w io.Writer) *progressBar {
	tty := false
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressBar{w: w, tty: tty, lastPct: -1}
}

func (p *progressBar) update(phase string, done, total int64) {
	pct := 100
	if total > 0 {
		pct = int(done * 100 / total)
	}
	label := map[string]string{"semak": "menyemak / validating", "tulis": "menulis / writing"}[phase]
	if phase != p.phase {
		if p.tty && p.phase != "" {
			fmt.Fprintln(p.w)
		}
		p.phase, p.lastPct = phase, -1
	}
	if p.tty {
		if pct == p.lastPct || (time.Since(p.lastDraw) < 100*time.Millisecond && pct < 100) {
			return
		}
		p.lastPct, p.lastDraw = pct, time.Now()
		n := pct / 5
		fmt.Fprintf(p.w, "\r[%s%s] %3d%% %s", strings.Repeat("#", n), strings.Repeat(".", 20-n), pct, label)
		return
	}
	if q := pct / 25; q != p.lastPct {
		p.lastPct = q
		fmt.Fprintf(p.w, "%3d%% %s\n", q*25, label)
	}
}

func (p *progressBar) done() {
	if p.tty && p.phase != "" {
		fmt.Fprintln(p.w)
	}
}
