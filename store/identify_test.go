package store_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/store"
)

// peerVoiceID is PeerVoice's application_id: "PVdb" in ASCII.
const peerVoiceID = 0x50566462

// headerAppID reads the application_id from the header of the file.
func headerAppID(t *testing.T, path string) uint32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 100 {
		t.Fatalf("read header of %s: %d bytes, %v", path, len(b), err)
	}
	return binary.BigEndian.Uint32(b[68:72])
}

// otherApp makes a SQLite database as another program would, running
// stmts on a plain connection.
func otherApp(t *testing.T, path string, stmts ...string) {
	t.Helper()
	raw := rawDB(t, path)
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusesOtherDatabases(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		stmts []string
		want  []string
	}{
		{
			name:  "tables of its own",
			stmts: []string{`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`, `INSERT INTO notes (body) VALUES ('keep me')`, `CREATE TABLE tags (name TEXT)`},
			want:  []string{"not a PeerVoice database", "tables of its own (notes, tags)", "nothing was changed", "check --db"},
		},
		{
			name: "write-ahead log",
			stmts: []string{`PRAGMA journal_mode = WAL`, `CREATE TABLE notes (body TEXT)`, `INSERT INTO notes VALUES ('keep me')`,
				`CREATE TABLE a (x)`, `CREATE TABLE b (x)`, `CREATE TABLE c (x)`, `CREATE TABLE d (x)`, `CREATE TABLE e (x)`},
			want: []string{"not a PeerVoice database", "tables of its own (a, b, c, d, e and 1 more)"},
		},
		{
			name:  "its own migrations table",
			stmts: []string{`CREATE TABLE migrations (version INTEGER)`, `INSERT INTO migrations VALUES (1)`},
			want:  []string{"not a PeerVoice database", "tables of its own (migrations)"},
		},
		{
			name:  "another application id",
			stmts: []string{`PRAGMA application_id = 1234`},
			want:  []string{"not a PeerVoice database", "application_id is 0x000004d2"},
		},
	}
	for _, tt := range tests {
		for _, mustExist := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/MustExist=%v", tt.name, mustExist), func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "app.db")
				otherApp(t, path, tt.stmts...)
				before := snapshot(t, dir)
				db, err := store.Open(ctx, path, store.Options{MustExist: mustExist})
				if err == nil {
					db.Close()
					t.Fatalf("Open(another program's database, MustExist %v) = nil error; want ErrNotPeerVoice", mustExist)
				}
				if !errors.Is(err, store.ErrNotPeerVoice) {
					t.Errorf("Open() = %v; want ErrNotPeerVoice", err)
				}
				for _, w := range append(tt.want, path) {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("Open() = %q; want it to contain %q", err, w)
					}
				}
				if after := snapshot(t, dir); !equalSnapshots(before, after) {
					t.Errorf("Open() failed but changed files: before %v, after %v", keys(before), keys(after))
				}
			})
		}
	}
}

func TestOpenMustExist(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string
	}{
		{"no file", func(t *testing.T, dir string) string { return filepath.Join(dir, "peervoce.db") }},
		{"no directory", func(t *testing.T, dir string) string { return filepath.Join(dir, "typo", "peervoice.db") }},
		{"empty file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "peervoice.db")
			os.WriteFile(p, nil, 0o600)
			return p
		}},
		{"database without tables", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "peervoice.db")
			otherApp(t, p, `CREATE TABLE x (y)`, `DROP TABLE x`)
			return p
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tt.setup(t, dir)
			before := snapshot(t, dir)
			db, err := store.Open(ctx, path, store.Options{MustExist: true})
			if err == nil {
				db.Close()
				t.Fatalf("Open(%s, MustExist) = nil error; want ErrNotExist", path)
			}
			if !errors.Is(err, store.ErrNotExist) || !strings.Contains(err.Error(), path) {
				t.Errorf("Open(%s, MustExist) = %v; want ErrNotExist naming the path", path, err)
			}
			if after := snapshot(t, dir); !equalSnapshots(before, after) {
				t.Errorf("Open(MustExist) failed but changed files: before %v, after %v", keys(before), keys(after))
			}
		})
	}

	// An existing database opens with MustExist, and nothing is created.
	path := newPath(t)
	db := open(t, path, store.Options{})
	if created, key := db.Created(); !created || key != path+".key" {
		t.Errorf("Created() of a new database = %v, %q; want true, %q", created, key, path+".key")
	}
	db.Close()
	db = open(t, path, store.Options{MustExist: true})
	if created, _ := db.Created(); created {
		t.Errorf("Created() of an existing database = true; want false")
	}
}

func TestOpenCreatedWithSecret(t *testing.T) {
	db := open(t, newPath(t), store.Options{Secret: testSecret})
	if created, key := db.Created(); !created || key != "" {
		t.Errorf("Created() with Options.Secret = %v, %q; want true and no key file", created, key)
	}
}

func TestOpenMarksApplicationID(t *testing.T) {
	path := newPath(t)
	open(t, path, store.Options{}).Close()
	if got := headerAppID(t, path); got != peerVoiceID {
		t.Errorf("application_id of a new database = %#x; want %#x", got, peerVoiceID)
	}
}

// TestOpenOlderDatabase covers a PeerVoice database made before the
// application id: its migrations table says it is PeerVoice's, and the
// id is set when it is next opened.
func TestOpenOlderDatabase(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	f := newFixture(t, path)
	f.step(t, "s1", store.StatusActive, textAnswer("q1", "older words"))
	f.db.Close()
	otherApp(t, path, `PRAGMA journal_mode = DELETE`, `PRAGMA application_id = 0`)
	if got := headerAppID(t, path); got != 0 {
		t.Fatalf("application_id = %#x after resetting it; want 0", got)
	}
	db := open(t, path, store.Options{MustExist: true})
	if st, err := db.Stats(ctx); err != nil || st.Answers != 1 {
		t.Errorf("Stats() of the older database = %+v, %v; want its 1 answer", st, err)
	}
	db.Close()
	if got := headerAppID(t, path); got != peerVoiceID {
		t.Errorf("application_id after opening an older database = %#x; want %#x", got, peerVoiceID)
	}
}

// TestOpenAfterCrash covers a new database whose first writes are still
// in the write-ahead log, as a crash leaves it: the header has no id yet,
// but the log's migrations table tells it is PeerVoice's.
func TestOpenAfterCrash(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	f := newFixture(t, path)
	f.step(t, "s1", store.StatusActive, textAnswer("q1", "logged words"))
	// Copy the files while the database is open: the copy is what a
	// power cut would leave.
	crashed := filepath.Join(t.TempDir(), "peervoice.db")
	for _, ext := range []string{"", "-wal", ".key", ".keyring", ".keyring-wal"} {
		b, err := os.ReadFile(path + ext)
		if errors.Is(err, os.ErrNotExist) && strings.HasPrefix(ext, ".keyring") {
			continue // checkpointed already
		} else if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(crashed+ext, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if got := headerAppID(t, crashed); got != 0 {
		t.Skipf("the application id reached the database file before the copy (%#x); nothing to test", got)
	}
	db := open(t, crashed, store.Options{MustExist: true})
	if st, err := db.Stats(ctx); err != nil || st.Answers != 1 {
		t.Errorf("Stats() after a crash = %+v, %v; want the 1 answer in the log", st, err)
	}
}

func TestOpenMemoryRefused(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	db, err := store.Open(context.Background(), ":memory:", store.Options{})
	if err == nil {
		db.Close()
		t.Fatal(`Open(":memory:") = nil error; want one saying it is not supported`)
	}
	if !strings.Contains(err.Error(), "temporary directory") {
		t.Errorf(`Open(":memory:") = %q; want it to suggest a temporary directory`, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf(`Open(":memory:") created %v`, entries)
	}
}
