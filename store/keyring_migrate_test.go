package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// write006Database makes a database as PeerVoice wrote it after
// migration 006 and before the keyring: the wrapped keys in the
// database's own participant_keys table, no keyring file. It builds the
// current format and moves the keys back, and returns the database's
// path and its participants' wrapped keys.
func write006Database(t *testing.T) (string, map[int64][]byte) {
	t.Helper()
	ctx := context.Background()
	f := newShredFixture(t)
	keys := map[int64][]byte{}
	for _, pid := range []int64{f.gone, f.kept} {
		w, err := f.db.ring.wrappedKey(ctx, pid)
		if err != nil || w == nil {
			t.Fatalf("key of %d: %x, %v", pid, w, err)
		}
		keys[pid] = w
	}
	f.db.Close()
	buf, err := fs.ReadFile(migrationFS, "migrations/006_participant_keys.sql")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+f.path+"?_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	for _, q := range []string{string(buf), `DELETE FROM meta WHERE key = '` + metaKeyringID + `'`} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for pid, w := range keys {
		if _, err := raw.ExecContext(ctx, `INSERT INTO participant_keys VALUES (?, ?, '2026-01-01T00:00:00.000000000Z')`, pid, w); err != nil {
			t.Fatal(err)
		}
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(f.path + ".keyring" + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	return f.path, keys
}

// checkKeysMoved opens a database whose keys were in its own table and
// checks that the keys are in the keyring, the table gone, the text
// readable, and no key left in the database's files.
func checkKeysMoved(t *testing.T, path string, keys map[int64][]byte) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, path, Options{MustExist: true})
	if err != nil {
		t.Fatalf("Open(a 006 database) = %v", err)
	}
	for pid, w := range keys {
		if got, err := db.ring.wrappedKey(ctx, pid); err != nil || !bytes.Equal(got, w) {
			t.Errorf("the keyring's key of %d = %x, %v; want %x", pid, got, err, w)
		}
		if as, err := db.Answers(ctx, pid); err != nil || len(as) != 1 || as[0].Unreadable || !strings.HasPrefix(as[0].Text, "words of the participant") {
			t.Errorf("Answers(%d) after the move = %+v, %v; want their words", pid, as, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'participant_keys'`); n != 0 {
		t.Errorf("the database still has its participant_keys table")
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		buf := fileBytes(t, path+suffix)
		for pid, w := range keys {
			if bytes.Contains(buf, w) {
				t.Errorf("after the move, the database's %q file still holds the key of participant %d", suffix, pid)
			}
		}
	}
}

func TestMoveKeysToKeyring(t *testing.T) {
	path, keys := write006Database(t)
	if buf := fileBytes(t, path); !bytes.Contains(buf, keys[1]) {
		t.Fatal("the 006 database's file does not hold its keys; the test would prove nothing")
	}
	checkKeysMoved(t, path, keys)
	checkKeysMoved(t, path, keys) // again: nothing to move, nothing lost
}

// TestMoveKeysKilled kills a process after the keys are committed to
// the keyring and before the database's table is dropped; the next Open
// resumes the move.
func TestMoveKeysKilled(t *testing.T) {
	if path := os.Getenv("PEERVOICE_TEST_KEYRING_KILL"); path != "" {
		afterKeysCopied = killSelf
		Open(context.Background(), path, Options{})
		t.Fatal("Open ended without copying the keys")
	}
	path, keys := write006Database(t)
	killChild(t, "TestMoveKeysKilled", path)
	if n := rawCount(t, path+".keyring", `SELECT COUNT(*) FROM participant_keys`); n != len(keys) {
		t.Fatalf("after kill -9, the keyring holds %d keys; want %d", n, len(keys))
	}
	if n := rawCount(t, path, `SELECT COUNT(*) FROM participant_keys`); n != len(keys) {
		t.Fatalf("after kill -9, the database's table holds %d keys; want %d, not yet dropped", n, len(keys))
	}
	checkKeysMoved(t, path, keys)
}

// TestKeyringRefused: a database that has a keyring does not open
// without it, nor with another database's, one made with another secret
// or a file that is no keyring; a keyring holding keys is not taken by a
// new database. Each error names the file and the fix, and nothing is
// created or changed.
func TestKeyringRefused(t *testing.T) {
	ctx := context.Background()
	secret := bytes.Repeat([]byte{5}, secretSize)
	other := func(t *testing.T, secret []byte) string {
		f := newPathFixture(t, secret)
		return f + ".keyring"
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, path string)
		want  []string
	}{
		{"missing", func(t *testing.T, path string) {
			os.Remove(path + ".keyring")
		}, []string{"the keyring", ".keyring is missing", "restore", "backup", "will not make one"}},
		{"another database's", func(t *testing.T, path string) {
			copyFile(t, other(t, secret), path+".keyring")
		}, []string{".keyring", "another PeerVoice database", "restore this database's keyring from backup"}},
		{"another secret", func(t *testing.T, path string) {
			copyFile(t, other(t, bytes.Repeat([]byte{6}, secretSize)), path+".keyring")
		}, []string{".keyring", "another secret", "restore it from backup"}},
		{"not a keyring", func(t *testing.T, path string) {
			os.WriteFile(path+".keyring", []byte("not a keyring at all, not even SQLite"), 0o600)
		}, []string{".keyring", "restore it from backup"}},
		{"another program's database", func(t *testing.T, path string) {
			copyFile(t, path, path+".keyring")
		}, []string{".keyring", "not a PeerVoice keyring", "move it away"}},
	}
	if fi, err := os.Stat(newPathFixture(t, secret) + ".keyring"); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("a new keyring has mode %04o; want 0600", fi.Mode().Perm())
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := newPathFixture(t, secret)
			c.setup(t, path)
			before := fileBytes(t, path+".keyring")
			_, err := Open(ctx, path, Options{Secret: secret})
			if err == nil {
				t.Fatal("Open succeeded")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Open() = %v; want it to say %q", err, w)
				}
			}
			if after := fileBytes(t, path+".keyring"); !bytes.Equal(before, after) {
				t.Errorf("Open changed or created the keyring file")
			}
		})
	}
	t.Run("keys beside a new database", func(t *testing.T) {
		ring := other(t, secret)
		path := ring[:len(ring)-len(".keyring")] + "-new.db"
		copyFile(t, ring, path+".keyring")
		_, err := Open(ctx, path, Options{Secret: secret})
		if err == nil || !strings.Contains(err.Error(), "holds the keys of another database") || !strings.Contains(err.Error(), "move peervoice.db-new.db.keyring away") {
			t.Errorf("Open(new database, a keyring with keys) = %v; want it refused, saying to move the keyring away", err)
		}
	})
}

// newPathFixture makes a database with one participant's key, closed,
// with the secret, and returns its path.
func newPathFixture(t *testing.T, secret []byte) string {
	t.Helper()
	ctx := context.Background()
	path := t.TempDir() + "/peervoice.db"
	db, err := Open(ctx, path, Options{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnsureParticipant(ctx, db.Pseudonym("discord", "111111111111111111")); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	buf, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, buf, 0o600); err != nil {
		t.Fatal(fmt.Errorf("copy %s: %w", from, err))
	}
}
