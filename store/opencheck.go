package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// checkPath reports whether the database file exists, and returns an error
// saying what to fix when path cannot be a writable SQLite database. It
// checks mode bits itself because root bypasses file permissions, and a
// read-only database must not be written even then.
func checkPath(abs string) (exists bool, err error) {
	dir := filepath.Dir(abs)
	di, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, fmt.Errorf("open database %s: the directory %s does not exist; create it or choose another --db", abs, dir)
	case err != nil:
		return false, fmt.Errorf("open database %s: %w", abs, err)
	case !di.IsDir():
		return false, fmt.Errorf("open database %s: %s is not a directory; choose another --db", abs, dir)
	case di.Mode().Perm()&0o222 == 0:
		return false, fmt.Errorf("database directory %s is read-only (mode %04o): SQLite must create %s-wal and %s-shm there; make it writable or choose another --db",
			dir, di.Mode().Perm(), filepath.Base(abs), filepath.Base(abs))
	}

	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("open database %s: %w", abs, err)
	case fi.IsDir():
		return false, fmt.Errorf("open database %s: it is a directory, not a database file; give a file path such as %s to --db",
			abs, filepath.Join(abs, "peervoice.db"))
	case !fi.Mode().IsRegular():
		return false, fmt.Errorf("open database %s: not a regular file (mode %s); choose another --db", abs, fi.Mode())
	case fi.Mode().Perm()&0o222 == 0:
		return false, fmt.Errorf("database %s is read-only (mode %04o): make it writable or choose another --db", abs, fi.Mode().Perm())
	}
	// Opening for writing (and writing nothing) catches what mode bits do
	// not show: an immutable file, a read-only mount, another owner. SQLite
	// would silently fall back to read-only and fail only at the first
	// answer.
	f, err := os.OpenFile(abs, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return false, fmt.Errorf("database %s is read-only (%w): make it writable or choose another --db", abs, err)
	} else if err != nil {
		return false, fmt.Errorf("open database %s: %w", abs, err)
	}
	defer f.Close()
	if fi.Size() == 0 {
		return true, nil // SQLite turns an empty file into a database
	}
	buf := make([]byte, len(sqliteHeader))
	if n, _ := f.Read(buf); n < len(buf) || string(buf) != sqliteHeader {
		return false, fmt.Errorf("open %s: not a SQLite database, so %w (it does not start with the SQLite header); nothing was changed: check --db", abs, ErrNotPeerVoice)
	}
	return true, nil
}

// explain wraps a SQLite error met while opening, adding what to do for the
// errors a person can fix.
func (db *DB) explain(step string, err error) error {
	if code, _, ok := sqliteCodes(err); ok {
		switch code {
		case codeReadonly:
			return fmt.Errorf("%s: database %s is read-only (%w): make it and its directory writable or choose another --db", step, db.path, err)
		case codeNotADB:
			return fmt.Errorf("%s: %s: not a SQLite database (%w); check --db", step, db.path, err)
		case codeCantOpen:
			return fmt.Errorf("%s: cannot open database %s (%w); check that --db names a file in a writable directory", step, db.path, err)
		}
	}
	return fmt.Errorf("%s: database %s: %w", step, db.path, err)
}

// inspect reports whether the database already holds data (so a missing key
// file is an error, not a first run) and returns the stored key check value
// and the id of its keyring ("" if it has none yet).
func (db *DB) inspect(ctx context.Context) (hasData bool, check []byte, ringID string, err error) {
	tx, err := db.rd.BeginTx(ctx, nil)
	if err != nil {
		return false, nil, "", err
	}
	defer tx.Rollback()
	tables := map[string]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table'`)
	if err != nil {
		return false, nil, "", err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return false, nil, "", err
		}
		tables[name] = true
	}
	if err := rows.Close(); err != nil {
		return false, nil, "", err
	}
	if tables["meta"] {
		var id []byte
		err := tx.QueryRowContext(ctx, `SELECT (SELECT value FROM meta WHERE key = ?), (SELECT value FROM meta WHERE key = ?)`,
			metaKeyCheck, metaKeyringID).Scan(&check, &id)
		if err != nil {
			return false, nil, "", err
		}
		hasData, ringID = check != nil, string(id)
	}
	if tables["participants"] && !hasData {
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM participants)`).Scan(&hasData); err != nil {
			return false, nil, "", err
		}
	}
	return hasData, check, ringID, nil
}
