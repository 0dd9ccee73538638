package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// The keyring file: the participants' wrapped data keys, kept out of the
// database file so that a copy of the database (a backup, a snapshot)
// holds none. It is a small SQLite database of its own beside the
// database (peervoice.db.keyring), mode 0600, in WAL mode with
// secure_delete like the database, and with application id "PVkr". Its
// meta table holds a random keyring id, also recorded in the database's
// meta, and the database's key check value: a keyring of another
// database, or made with another secret, is refused at open.
//
// SQLite makes no transaction span the two files, so the store relies on
// order instead, and on the database's write lock: every write to the
// keyring is made while the writer holds a transaction open on the
// database (BEGIN IMMEDIATE, across processes), so no other write to
// either file comes between the two halves of a change. A key is
// committed to the keyring, durably, before any row encrypted with it; a
// withdrawal deletes the key from the keyring, durably, before the
// database's rows. Each of those two-file changes is marked pending in
// the keyring, in the transaction of its first half, and unmarked after
// its second, so that Open, after a crash between the two, finishes it
// (settle, keyringkeys.go): a participant never stored loses the key made
// for them; a withdrawn participant's rows, unreadable already, are
// deleted.

// keyringAppID marks a SQLite file as a PeerVoice keyring: "PVkr".
const keyringAppID = 0x50566b72

// metaKeyringID names the keyring id, in the keyring's meta and the
// database's.
const metaKeyringID = "keyring_id"

// Pending actions: a key made for a participant whose row may not be
// committed yet, and a withdrawal whose rows may not be deleted yet.
const (
	pendingCreate   = "create"
	pendingWithdraw = "withdraw"
)

// keyringSchema is the keyring's whole schema.
const keyringSchema = `
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
CREATE TABLE participant_keys (
    participant_id INTEGER PRIMARY KEY,
    wrapped        BLOB    NOT NULL,
    created_at     TEXT    NOT NULL
) STRICT;
CREATE TABLE pending (
    participant_id INTEGER PRIMARY KEY,
    action         TEXT    NOT NULL CHECK (action IN ('create', 'withdraw'))
) STRICT;`

// keyringDB is the open keyring file.
type keyringDB struct {
	path string
	id   string
	// wr has one connection; rd is a pool for reading keys.
	wr, rd *sql.DB
}

// openKeyring opens the keyring file of the database, creating it when
// the database has never had one (wantID is ""; a new database, or one
// whose keys are still in its own participant_keys table). A database
// that has one (wantID is its id) refuses to open without it. Open calls
// it before its first write.
func (db *DB) openKeyring(ctx context.Context, wantID string, busy time.Duration) error {
	if db.ring != nil {
		return nil // a retry of open: checked already
	}
	path := db.keyringFile
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && wantID != "":
		return missingKeyring(db.path, path)
	case errors.Is(err, fs.ErrNotExist):
		if err := createKeyringFile(ctx, path, db.keys.checkValue()); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("open keyring %s: %w", path, err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("open keyring %s: not a regular file; move it away or set the keyring file to a file's path", path)
	}
	r := &keyringDB{path: path}
	// The keyring always syncs fully: the order of writes across the two
	// files must survive a power cut.
	if r.wr, err = sql.Open("sqlite3", dsn(path, "FULL", busy, true)); err != nil {
		return fmt.Errorf("open keyring %s: %w", path, err)
	}
	r.wr.SetMaxOpenConns(1)
	if r.rd, err = sql.Open("sqlite3", dsn(path, "FULL", busy, false)); err != nil {
		r.wr.Close()
		return fmt.Errorf("open keyring %s: %w", path, err)
	}
	if err := r.identify(ctx, db, wantID); err != nil {
		r.close()
		return err
	}
	db.ring = r
	db.checkpointer.watch(path)
	return nil
}

// identify checks that the file is a PeerVoice keyring, made with this
// database's secret, and this database's.
func (r *keyringDB) identify(ctx context.Context, db *DB, wantID string) error {
	var app int64
	if err := r.wr.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&app); err != nil {
		return fmt.Errorf("open keyring %s: %w; it should be the keyring of the database %s: restore it from backup", r.path, err, db.path)
	}
	if app != keyringAppID {
		return fmt.Errorf("open keyring %s: it is not a PeerVoice keyring; move it away, or restore the keyring of the database %s from backup", r.path, db.path)
	}
	var id, check []byte
	err := r.wr.QueryRowContext(ctx, `SELECT (SELECT value FROM meta WHERE key = ?), (SELECT value FROM meta WHERE key = ?)`,
		metaKeyringID, metaKeyCheck).Scan(&id, &check)
	if err != nil || id == nil {
		return fmt.Errorf("open keyring %s: it has no keyring id (%v); restore the keyring of the database %s from backup", r.path, err, db.path)
	}
	r.id = string(id)
	if !hmac.Equal(check, db.keys.checkValue()) {
		return fmt.Errorf("open keyring %s: it was made with another secret than the database %s; "+
			"use the keyring made with this database (restore it from backup), or the key file or secret it was made with", r.path, db.path)
	}
	switch {
	case wantID != "" && r.id != wantID:
		return fmt.Errorf("open keyring %s: it belongs to another PeerVoice database than %s (keyring id %s; the database wants %s); "+
			"restore this database's keyring from backup", r.path, db.path, r.id, wantID)
	case wantID == "":
		// A keyring this database has not recorded is adopted only while
		// it holds no key: the database's first open made it and stopped
		// before recording it. Keys in it are another database's, unless
		// another process opening this database recorded it meanwhile
		// (its id is recorded before the first key is written).
		var has bool
		if err := r.rd.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM participant_keys)`).Scan(&has); err != nil {
			return fmt.Errorf("open keyring %s: %w", r.path, err)
		}
		var now []byte
		if has {
			db.wr.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaKeyringID).Scan(&now) // no meta: none recorded
		}
		if has && string(now) != r.id {
			return fmt.Errorf("open keyring %s: it holds the keys of another database: %s has never used a keyring "+
				"(it is new, or older than keyrings, or a backup restored from before it had one); "+
				"if this is the database the keyring belongs to, restore the database's newer backup; otherwise move %s away",
				r.path, db.path, filepath.Base(r.path))
		}
	}
	return nil
}

// missingKeyring is the error for a database whose keyring is missing.
func missingKeyring(dbPath, ring string) error {
	return fmt.Errorf("open database %s: the keyring %s is missing, but the database's free-text answers are encrypted with the keys it holds; "+
		"restore %s (and any %s-wal beside it) from your backup of the keyring: without it those answers cannot be read, "+
		"and a new, empty keyring would not open them, so PeerVoice will not make one", dbPath, ring, filepath.Base(ring), filepath.Base(ring))
}

// CheckKeyring reports, without opening the database for writing or
// creating anything, whether the PeerVoice database at path is missing
// its keyring (Options.KeyringFile, default path + ".keyring"), which
// Open would refuse; config check uses it. No database there, or one
// that has never had a keyring, is no problem.
func CheckKeyring(ctx context.Context, path string, opt Options) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil // Open reports it
	}
	ring := opt.KeyringFile
	if ring == "" {
		ring = abs + ".keyring"
	}
	if _, err := os.Stat(ring); err == nil {
		return nil
	}
	if fi, err := os.Stat(abs); err != nil || fi.Size() == 0 {
		return nil
	}
	if ours, err := identify(ctx, abs); err != nil || !ours {
		return nil // not PeerVoice's: Open says so
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: "mode=ro"}
	conn, err := sql.Open("sqlite3", u.String())
	if err != nil {
		return nil
	}
	defer conn.Close()
	var id []byte
	if err := conn.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaKeyringID).Scan(&id); err != nil || len(id) == 0 {
		return nil // no keyring yet: Open makes it
	}
	return missingKeyring(abs, ring)
}

// bindKeyring records the keyring's id in the database, unless it is
// there already, before the first key is written to the keyring.
func (db *DB) bindKeyring(ctx context.Context) error {
	if _, err := db.wr.ExecContext(ctx, `INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)`, metaKeyringID, []byte(db.ring.id)); err != nil {
		return fmt.Errorf("record keyring id: %w", err)
	}
	var id []byte
	if err := db.wr.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaKeyringID).Scan(&id); err != nil {
		return fmt.Errorf("read keyring id: %w", err)
	}
	if string(id) != db.ring.id {
		return fmt.Errorf("open database %s: another process recorded another keyring (%s) at the same time; open it again", db.path, id)
	}
	return nil
}

// createKeyringFile makes a new, empty keyring at path, atomically, as
// createKeyFile makes the key file: it is built in a temporary file
// beside path (mode 0600), closed (which checkpoints it), and linked to
// path, which fails if path exists. So no process opens a keyring half
// made, and of two processes making one at once, the loser uses the
// winner's.
func createKeyringFile(ctx context.Context, path string, check []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create keyring %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
	}()
	if err := f.Close(); err != nil {
		return fmt.Errorf("create keyring %s: %w", path, err)
	}
	if err := initKeyring(ctx, tmp, check); err != nil {
		return fmt.Errorf("create keyring %s: %w", path, err)
	}
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create keyring %s: %w", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("create keyring %s: %w", path, err)
	}
	return nil
}

// initKeyring writes the schema and a new id to the empty file name.
func initKeyring(ctx context.Context, name string, check []byte) error {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	conn, err := sql.Open("sqlite3", dsn(name, "FULL", 5*time.Second, true))
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	for _, q := range []string{keyringSchema, fmt.Sprintf(`PRAGMA application_id = %d`, keyringAppID)} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)`,
		metaKeyringID, []byte(hex.EncodeToString(raw)), metaKeyCheck, check); err != nil {
		return err
	}
	return conn.Close() // the last connection checkpoints: all in the file
}

// close closes the keyring's connections.
func (r *keyringDB) close() error {
	if r == nil {
		return nil
	}
	return errors.Join(r.rd.Close(), r.wr.Close())
}
