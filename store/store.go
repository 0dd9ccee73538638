// Package store is PeerVoice's SQLite database, with privacy by design:
// participants are known only by an HMAC pseudonym, and free-text answers
// and session state are encrypted with AES-256-GCM under a data key of
// each participant's own, wrapped by a key derived from one master secret
// that never enters the database, and kept in a keyring file beside the
// database, not in it; withdrawal deletes the data key first
// (crypto-shredding, docs/security.md).
//
// It owns, each in its own file:
//
//   - participants, their consents and withdrawal (participant.go,
//     consent.go), the keys derived from the master secret (keys.go), the
//     key file (keyfile.go), the participants' data keys (datakeys.go)
//     and the keyring file that holds them (keyringfile.go,
//     keyringkeys.go), the re-encryption of older rows under them
//     (reencrypt.go) and the checkpoint after a withdrawal
//     (checkpoint.go);
//   - flow versions, sessions and answers (flowversion.go, session.go,
//     answer.go), saved a step at a time through one writer that commits
//     concurrent steps together (commit.go), and the checks that a file
//     is a PeerVoice database before it is opened (identify.go);
//   - the digest's read-only counts (digest.go, digest_count.go,
//     digest_result.go) and the research export's one read (export.go);
//   - community prompt schedules made with /prompt schedule, and the
//     claims that make each scheduled post or digest go out once
//     (schedule.go, schedule_post.go, digest_post.go);
//   - moderators' reviews of quote candidates, by quote id: the quote's
//     text is never stored (quote_review.go);
//   - the embedded migrations (migration.go, migrations/), and opening:
//     the connections' pragmas (conn.go), the checks before a file is
//     opened (opencheck.go) and stored times (times.go).
//
// Writes go through one connection and reads through a pool; times are
// stored in UTC with nanosecond precision and come back in UTC.
//
// The store imports no other PeerVoice package but digest/figures, the
// leaf that types the digest's raw figures it returns, and audit, whose
// entries and chain the audit log keeps (a session's state is an opaque
// JSON blob and answers are store-level records): never
// digest itself, discordgo nor viper; internal/archtest checks it.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrNotFound is returned, wrapped, when a participant, session or flow
// version does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrNotExist is returned, wrapped, by Open with Options.MustExist when
// there is no PeerVoice database at the path (no file, or an empty one).
// Its text reads inside a sentence, so it has no "store:" prefix.
var ErrNotExist = errors.New("no PeerVoice database there")

// ErrNotPeerVoice is returned, wrapped, by Open when the file at the path
// belongs to another program: it is not SQLite, or it is a SQLite database
// with tables of its own and neither PeerVoice's application id nor its
// migrations. Open changes nothing in such a file.
var ErrNotPeerVoice = errors.New("not a PeerVoice database")

// applicationID marks a SQLite file as PeerVoice's (PRAGMA application_id,
// bytes 68-71 of the file header): "PVdb" in ASCII. Databases made before
// it was set are recognised by their migrations table, and get it on
// their next Open.
const applicationID = 0x50566462

// ErrNoCgo is returned by Open in a program built without cgo
// (CGO_ENABLED=0, which Go chooses when it finds no C compiler): the
// SQLite driver is C, compiled by cgo.
var ErrNoCgo = errors.New("store: this peervoice was built without cgo (CGO_ENABLED=0), and SQLite needs it: " +
	"install a C compiler such as gcc (Debian or Ubuntu: apt install gcc; macOS: xcode-select --install) " +
	"and build again with CGO_ENABLED=1, e.g. CGO_ENABLED=1 go build ./cmd/peervoice")

// Options tunes Open. The zero value is ready to use.
type Options struct {
	// Secret is the optional 32-byte master secret (from config or
	// PEERVOICE_SECRET, see ParseSecret). If nil, the key file is used, and
	// created when the database is new.
	Secret []byte
	// SecretFile is the key file path; default: the database path + ".key".
	SecretFile string
	// KeyringFile is the path of the keyring, which holds the
	// participants' wrapped data keys; default: the database path +
	// ".keyring". It is created with a new database, and a database that
	// has one refuses to open without it (docs/security.md).
	KeyringFile string
	// Synchronous is SQLite's synchronous setting: "FULL" (default, an
	// acknowledged answer survives a power cut), "NORMAL" or "EXTRA".
	Synchronous string
	// BusyTimeout is how long to wait for another process's lock; default 5s.
	BusyTimeout time.Duration
	// Now is the clock used for timestamps the caller leaves zero;
	// default time.Now. It must be safe for concurrent use.
	Now func() time.Time
	// MustExist makes Open refuse to create a database: where there is
	// none (no file, or an empty one) it returns ErrNotExist and creates
	// nothing, neither the database nor the key file. Commands that read
	// or change an existing study set it, so that a mistyped path is an
	// error rather than a new, empty study. The zero value creates, as
	// the bot and the terminal chat do on their first run.
	MustExist bool
}

// DB is an open PeerVoice store. It is safe for concurrent use.
type DB struct {
	path string
	// wr has a single connection whose transactions BEGIN IMMEDIATE: writers
	// queue in Go instead of spinning on SQLITE_BUSY, and a transaction never
	// has to upgrade a read lock to a write lock.
	wr *sql.DB
	// rd is a pool of query-only connections; in WAL mode readers do not
	// wait for the writer.
	rd   *sql.DB
	keys *keyring
	// ring is the keyring file with the participants' wrapped data keys
	// (keyringfile.go), at keyringFile.
	ring        *keyringDB
	keyringFile string
	now         func() time.Time
	// checkpointer empties the write-ahead log after withdrawals
	// (checkpoint.go).
	checkpointer *checkpointer
	// created and keyFile are what Created reports.
	created bool
	keyFile string

	// the group committer of SaveStep (commit.go)
	steps    chan *stepReq
	quit     chan struct{}
	stopped  chan struct{}
	stopOnce sync.Once
	// committing is held while a batch is committed: by the committer,
	// or by a step that found it idle and commits itself (commit.go).
	committing sync.Mutex
}

// Open opens (creating if needed, unless Options.MustExist) the database at
// path, applies pending migrations and loads or creates the master secret.
// It refuses, without changing anything, a path that is a directory, a file
// that is not PeerVoice's (ErrNotPeerVoice), a read-only file or directory,
// a missing key file for a database that holds data, a secret that does
// not match the database, and a missing or wrong keyring (keyringfile.go).
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if !haveCgo {
		return nil, ErrNoCgo
	}
	switch path {
	case "":
		return nil, errors.New("open database: no path given; set --db")
	case ":memory:":
		// SQLite's in-memory database would be a different, empty one
		// on each pooled connection, and it has no key file.
		return nil, errors.New("open database: :memory: is not supported: each connection would see its own empty database; " +
			"give a file path (for a throwaway database, one in a temporary directory)")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	syncMode, err := synchronous(opt.Synchronous)
	if err != nil {
		return nil, err
	}
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = 5 * time.Second
	}
	if opt.SecretFile == "" {
		opt.SecretFile = abs + ".key"
	}
	if opt.KeyringFile == "" {
		opt.KeyringFile = abs + ".keyring"
	} else if opt.KeyringFile, err = filepath.Abs(opt.KeyringFile); err != nil {
		return nil, fmt.Errorf("open keyring %s: %w", opt.KeyringFile, err)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if _, err := os.Stat(abs); opt.MustExist && errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open database %s: %w; check --db", abs, ErrNotExist)
	}
	exists, err := checkPath(abs)
	if err != nil {
		return nil, err
	}
	ours := false
	if exists {
		if ours, err = identify(ctx, abs); err != nil {
			return nil, err
		}
	}
	if !ours && opt.MustExist {
		return nil, fmt.Errorf("open database %s: %w: the file is empty; check --db", abs, ErrNotExist)
	}

	// Everything that can be checked without writing is checked before the
	// first write, so a bad invocation leaves no trace.
	var secret []byte
	if opt.Secret != nil {
		if len(opt.Secret) != secretSize {
			return nil, fmt.Errorf("open database: the secret is %d bytes; want %d (64 hexadecimal characters in PEERVOICE_SECRET)", len(opt.Secret), secretSize)
		}
		secret = append([]byte(nil), opt.Secret...)
	} else if secret, err = readKeyFile(opt.SecretFile); err != nil {
		return nil, err
	}
	defer clear(secret)

	if !exists {
		// Create the file ourselves so that it, and the -wal and -shm files
		// SQLite gives the same mode, are private to the owner.
		// Another process starting on the same new database at once may
		// have created it first: then it is that one's, being set up.
		f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		switch {
		case errors.Is(err, fs.ErrExist):
		case err != nil:
			return nil, fmt.Errorf("create database %s: %w", abs, err)
		default:
			if err := f.Close(); err != nil {
				return nil, fmt.Errorf("create database %s: %w", abs, err)
			}
		}
	}

	db := &DB{path: abs, keyringFile: opt.KeyringFile, now: opt.Now, created: !ours}
	if opt.Secret == nil {
		db.keyFile = opt.SecretFile
	}
	if db.wr, err = sql.Open("sqlite3", dsn(abs, syncMode, opt.BusyTimeout, true)); err != nil {
		return nil, fmt.Errorf("open database %s: %w", abs, err)
	}
	db.wr.SetMaxOpenConns(1)
	if db.rd, err = sql.Open("sqlite3", dsn(abs, syncMode, opt.BusyTimeout, false)); err != nil {
		db.wr.Close()
		return nil, fmt.Errorf("open database %s: %w", abs, err)
	}
	source := "the key file " + opt.SecretFile
	if opt.Secret != nil {
		source = "Options.Secret (PEERVOICE_SECRET)"
	}
	// The checkpointer first: migration 006 asks it to empty the log. It
	// connects only when asked.
	if err := db.startCheckpointer(syncMode); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.openRetrying(ctx, secret, opt, source); err != nil {
		db.Close()
		return nil, err
	}
	db.startCommitter()
	return db, nil
}

// openRetrying is open, tried again while SQLite says the database is
// busy, for up to busy. A connection switching a new database to WAL
// mode can get SQLITE_BUSY at once, without waiting, when another
// process is setting up the same new database; each step of open can be
// repeated.
func (db *DB) openRetrying(ctx context.Context, secret []byte, opt Options, source string) error {
	deadline := time.Now().Add(opt.BusyTimeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := db.open(ctx, secret, opt, source)
		if code, _, ok := sqliteCodes(err); !ok || code != codeBusy || time.Now().After(deadline) {
			return err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return err
		}
	}
}

// open checks the secret against the database, creating the key file for a
// new database, opens the keyring, applies the migrations and settles
// what a crash left half done. source says where the secret came from,
// for errors.
func (db *DB) open(ctx context.Context, secret []byte, opt Options, source string) error {
	keyFile := opt.SecretFile
	if err := db.wr.PingContext(ctx); err != nil {
		return db.explain("open", err)
	}
	hasData, check, ringID, err := db.inspect(ctx)
	if err != nil {
		return db.explain("inspect", err)
	}
	if secret == nil && hasData {
		// Another process may have created the database and its key
		// file since Open looked for it.
		if secret, err = readKeyFile(keyFile); err != nil {
			return err
		}
		defer clear(secret)
	}
	if secret == nil {
		if hasData {
			return fmt.Errorf("open database %s: the key file %s is missing, but the database already holds data; "+
				"restore the key file from your backup (or set PEERVOICE_SECRET): without it the stored answers cannot be read, "+
				"and a new key would not match them", db.path, keyFile)
		}
		if secret, err = createKeyFile(keyFile); err != nil {
			return err
		}
		defer clear(secret)
	}
	if db.keys, err = newKeyring(secret); err != nil {
		return fmt.Errorf("open database %s: %w", db.path, err)
	}
	if check != nil && !db.keys.matches(check) {
		return fmt.Errorf("open database %s: the secret does not match this database (wrong key file or PEERVOICE_SECRET); "+
			"it came from %s: use the key file or secret the database was created with", db.path, source)
	}
	if err := db.openKeyring(ctx, ringID, opt.BusyTimeout); err != nil {
		return err
	}
	if err := db.migrate(ctx); err != nil {
		return db.explain("migrate", err)
	}
	if err := db.settle(ctx); err != nil {
		return db.explain("settle the keyring "+db.keyringFile, err)
	}
	if check == nil {
		// OR IGNORE: another process opening the new database at once
		// may have saved its own; the check below says whether it is ours.
		if _, err := db.wr.ExecContext(ctx, `INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)`, metaKeyCheck, db.keys.checkValue()); err != nil {
			return db.explain("save key check value", err)
		}
		if err := db.wr.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaKeyCheck).Scan(&check); err != nil {
			return db.explain("read key check value", err)
		}
		if !db.keys.matches(check) {
			return fmt.Errorf("open database %s: another process created it at the same time with another secret; "+
				"it came from %s: use the key file or secret the database was created with", db.path, source)
		}
	}
	return nil
}

// Created reports whether Open made a new database (or initialised an empty
// file), and the key file that holds its secret: "" when the secret came
// from Options.Secret.
func (db *DB) Created() (created bool, keyFile string) { return db.created, db.keyFile }

// Path returns the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// Close closes the database. The last connection to close checkpoints the
// write-ahead log into the database file and removes it.
func (db *DB) Close() error {
	db.stopCommitter()
	errs := []error{db.checkpointer.stop()}
	if db.rd != nil {
		errs = append(errs, db.rd.Close())
	}
	if db.wr != nil {
		errs = append(errs, db.wr.Close())
	}
	errs = append(errs, db.ring.close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database %s: %w", db.path, err)
	}
	return nil
}

// Stats counts what the store holds.
type Stats struct {
	Participants, Sessions, Answers int
}

// Stats returns how many participants, sessions and answers are stored.
func (db *DB) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := db.rd.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM participants),
		(SELECT COUNT(*) FROM sessions),
		(SELECT COUNT(*) FROM answers)`).Scan(&s.Participants, &s.Sessions, &s.Answers)
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	return s, nil
}
