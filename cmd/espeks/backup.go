package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/espeks/espeks/internal/config"
	"github.com/espeks/espeks/internal/db"
)

const backupUsage = "usage: espeks backup FILE [flags]   (FILE must not exist)"

// backup is `espeks backup FILE`: a consistent copy of the SQLite database, made while
// `espeks serve` runs (docs/operations.md says how to restore it). It never overwrites
// a file, and on PostgreSQL it says which tools to use instead.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	cfg, fs, err := config.Load("espeks backup", args, getenv, nil)
	if err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		file = ""
	}
	if file == "" {
		fmt.Fprintln(stderr, backupUsage)
		return errUsage
	}
	if cfg.DatabaseURL != "" {
		return errors.New("salinan ini untuk pangkalan data SQLite sahaja; untuk PostgreSQL gunakan pg_dump atau pg_basebackup (lihat docs/operations.md) / " +
			"this copies the SQLite database only; for PostgreSQL use pg_dump or pg_basebackup (see docs/operations.md)")
	}
	path := filepath.Join(cfg.DataDir, db.FileName)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("tiada pangkalan data / no database at %s (ESPEKS_DATA_DIR): %w", path, err)
	}
	d, err := db.OpenSQLite(ctx, path)
	if err != nil {
		return err
	}
	defer d.Close()
	info, err := d.Backup(ctx, file)
	if errors.Is(err, db.ErrBackupExists) {
		return fmt.Errorf("fail sudah wujud; tidak ditimpa / the file already exists; not overwritten: %s", file)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Salinan dibuat / Backup written: %s (%.1f MB, integrity_check ok)\n", info.Path, float64(info.Size)/1e6)
	return nil
}
