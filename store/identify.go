package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// firstMigration is recorded in the migrations table of every PeerVoice
// database, including those made before the application id was set.
const firstMigration = "001_init.sql"

// identify tells whether the SQLite file at abs, which checkPath accepted,
// is PeerVoice's. It returns false, nil for a file that holds nothing yet
// (empty, or a database without tables), which Open may initialise, and
// an error wrapping ErrNotPeerVoice for another program's database. It
// writes nothing and creates no file: the header is read directly, and
// the schema only when the header does not settle it, through a
// connection that does not lock or journal.
func identify(ctx context.Context, abs string) (ours bool, err error) {
	f, err := os.Open(abs)
	if err != nil {
		return false, fmt.Errorf("open database %s: %w", abs, err)
	}
	header := make([]byte, 100)
	n, err := io.ReadFull(f, header)
	f.Close()
	switch {
	case n == 0:
		return false, nil // an empty file: SQLite makes it a database
	case err != nil:
		return false, fmt.Errorf("open %s: not a SQLite database, so %w (its header is cut short); nothing was changed: check --db", abs, ErrNotPeerVoice)
	}
	switch id := binary.BigEndian.Uint32(header[68:72]); id {
	case applicationID:
		return true, nil
	case 0:
		// Made before PeerVoice set its id, by another program that
		// sets none, or not yet written: look at the tables.
	default:
		return false, notPeerVoice(abs, fmt.Sprintf("its application_id is %#08x; PeerVoice's is %#08x", id, applicationID))
	}

	tables, migrated, err := schema(ctx, abs)
	if err != nil {
		return false, fmt.Errorf("open database %s: read its tables: %w; check --db", abs, err)
	}
	switch {
	case migrated:
		return true, nil
	case len(tables) == 0:
		return false, nil
	}
	const show = 5
	list := strings.Join(tables[:min(len(tables), show)], ", ")
	if len(tables) > show {
		list += fmt.Sprintf(" and %d more", len(tables)-show)
	}
	return false, notPeerVoice(abs, "it has tables of its own ("+list+") and no PeerVoice migrations")
}

// notPeerVoice is the error for another program's database.
func notPeerVoice(abs, why string) error {
	return fmt.Errorf("open database %s: %w: %s; nothing was changed: check --db", abs, ErrNotPeerVoice, why)
}

// schema lists the tables of the database at abs and reports whether its
// migrations table records PeerVoice's first migration. Without a
// write-ahead log beside it the file is opened immutable, which neither
// locks nor creates -wal and -shm files; with one, read-only, so that
// what is in the log counts.
func schema(ctx context.Context, abs string) (tables []string, migrated bool, err error) {
	q := url.Values{}
	if fi, err := os.Stat(abs + "-wal"); err == nil && fi.Size() > 0 {
		q.Set("mode", "ro")
	} else {
		q.Set("immutable", "1")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	raw, err := sql.Open("sqlite3", u.String())
	if err != nil {
		return nil, false, err
	}
	defer raw.Close()
	rows, err := raw.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, false, err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, false, err
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		return nil, false, err
	}
	if !slices.Contains(tables, "migrations") {
		return tables, false, nil
	}
	err = raw.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM migrations WHERE name = ?)`, firstMigration).Scan(&migrated)
	if err != nil {
		// Another program's migrations table may have other columns.
		return tables, false, nil
	}
	return tables, migrated, nil
}
