package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrBackupExists means the backup's target file is already there: a backup never
// overwrites anything (the file there may be the only good copy).
var ErrBackupExists = errors.New("backup file already exists")

// ErrBackupPostgres means Backup was asked of PostgreSQL, whose own tools do it better.
var ErrBackupPostgres = errors.New("espeks backup copies the SQLite database only; for PostgreSQL use pg_dump or pg_basebackup (see docs/operations.md)")

// BackupInfo describes a finished backup.
type BackupInfo struct {
	Path string // absolute path of the copy
	Size int64  // bytes
}

// Backup writes a consistent copy of the SQLite database to dest while the database is
// in use (QUALITY.md: espeks backup). VACUUM INTO runs on a reader connection: it reads
// one snapshot of the database (WAL lets the writer go on meanwhile) and writes a
// compact, self-contained file with no -wal beside it. The copy is made under a
// temporary name in dest's directory, checked with PRAGMA integrity_check, synced,
// and only then given its name — with a hard link, which fails rather than replace a
// file that appeared meanwhile. So dest either does not exist or is a whole, checked
// database.
func (d *DB) Backup(ctx context.Context, dest string) (BackupInfo, error) {
	if d.Dialect != SQLite {
		return BackupInfo{}, ErrBackupPostgres
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return BackupInfo{}, err
	}
	if _, err := os.Lstat(abs); err == nil {
		return BackupInfo{}, fmt.Errorf("%w: %s", ErrBackupExists, abs)
	} else if !errors.Is(err, os.ErrNotExist) {
		return BackupInfo{}, err
	}
	dir := filepath.Dir(abs)
	if fi, err := os.Stat(dir); err != nil {
		return BackupInfo{}, fmt.Errorf("backup directory: %w", err)
	} else if !fi.IsDir() {
		return BackupInfo{}, fmt.Errorf("backup directory: %s is not a directory", dir)
	}
	rnd := make([]byte, 6)
	_, _ = rand.Read(rnd)
	tmp := filepath.Join(dir, "."+filepath.Base(abs)+".tmp-"+hex.EncodeToString(rnd))
	removeTmp := func() {
		for _, p := range []string{tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm"} {
			_ = os.Remove(p)
		}
	}
	defer removeTmp()

	if _, err := d.reader.ExecContext(ctx, `VACUUM INTO $1`, tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("copy the database: %w", err)
	}
	if err := checkCopy(ctx, tmp); err != nil {
		return BackupInfo{}, err
	}
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return BackupInfo{}, err
	}
	err = f.Chmod(0o600) // the copy holds everything the database holds
	if err == nil {
		err = f.Sync()
	}
	fi, serr := f.Stat()
	if cerr := f.Close(); err == nil {
		err = cmpErr(serr, cerr)
	}
	if err != nil {
		return BackupInfo{}, fmt.Errorf("write the copy: %w", err)
	}
	if err := os.Link(tmp, abs); err != nil {
		if errors.Is(err, os.ErrExist) {
			return BackupInfo{}, fmt.Errorf("%w: %s", ErrBackupExists, abs)
		}
		return BackupInfo{}, fmt.Errorf("name the copy: %w", err)
	}
	if df, err := os.Open(dir); err == nil { // make the new name durable too
		_ = df.Sync()
		df.Close()
	}
	return BackupInfo{Path: abs, Size: fi.Size()}, nil
}

func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkCopy opens the copy on its own and runs SQLite's integrity check on it.
func checkCopy(ctx context.Context, path string) error {
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer c.Close()
	var res string
	if err := c.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("check the copy: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("check the copy: integrity_check says %q", res)
	}
	return nil
}
