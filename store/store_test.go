package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/store"
)

// testSecret is a fixed master secret for tests that pass Options.Secret.
var testSecret = bytes.Repeat([]byte{0x5a}, 32)

// open opens the store at path and closes it when the test ends.
func open(t testing.TB, path string, opt store.Options) *store.DB {
	t.Helper()
	return storetest.Open(t, path, opt)
}

// newPath returns a database path in a fresh temporary directory.
func newPath(t testing.TB) string {
	return storetest.Path(t)
}

// rawDB opens the database file directly, bypassing the store.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func TestOpenAppliesMigrationsOnce(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	for i := 0; i < 3; i++ {
		db := open(t, path, store.Options{})
		if err := db.Close(); err != nil {
			t.Fatalf("Close() = %v", err)
		}
	}
	raw := rawDB(t, path)
	rows, err := raw.QueryContext(ctx, `SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
	}
	want := migrationNames(t)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("migrations table = %v; want %v", got, want)
	}
}

// migrationNames lists the migration files of the package.
func migrationNames(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations found: %v", err)
	}
	for i, f := range files {
		files[i] = filepath.Base(f)
	}
	return files
}

func TestOpenPragmas(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		sync, want string
	}{
		{"", "2"}, // FULL
		{"full", "2"},
		{"NORMAL", "1"},
		{"EXTRA", "3"},
	}
	for _, tt := range tests {
		db := open(t, newPath(t), store.Options{Synchronous: tt.sync})
		for pragma, want := range map[string]string{
			"synchronous":  tt.want,
			"journal_mode": "wal",
			"foreign_keys": "1",
			"busy_timeout": "5000",
		} {
			w, r, err := store.Pragma(ctx, db, pragma)
			if err != nil {
				t.Fatalf("PRAGMA %s: %v", pragma, err)
			}
			if w != want || r != want {
				t.Errorf("Synchronous %q: PRAGMA %s = %s (writer), %s (reader); want %s", tt.sync, pragma, w, r, want)
			}
		}
	}
	if _, err := store.Open(ctx, newPath(t), store.Options{Synchronous: "OFF"}); err == nil || !strings.Contains(err.Error(), "FULL") {
		t.Errorf(`Open(Synchronous "OFF") = %v; want an error listing FULL, NORMAL, EXTRA`, err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	f := newFixture(t, path)
	f.step(t, "s1", store.StatusActive, textAnswer("q1", "kept words"))
	f.db.Close()

	db := open(t, path, store.Options{})
	p, err := db.FindParticipant(ctx, f.p.Pseudonym)
	if err != nil {
		t.Fatalf("FindParticipant after reopen = %v", err)
	}
	as, err := db.Answers(ctx, p.ID)
	if err != nil || len(as) != 1 || as[0].Text != "kept words" {
		t.Errorf("Answers after reopen = %+v, %v; want the one answer \"kept words\"", as, err)
	}
	if got := db.Pseudonym("discord", rawUserID); got != f.p.Pseudonym {
		t.Errorf("Pseudonym after reopen = %s; want %s (same key)", got, f.p.Pseudonym)
	}
}

func TestOpenBadPath(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the --db path
		want  []string
	}{
		{
			name: "text file",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "notes.txt")
				os.WriteFile(p, []byte("my notes: do not overwrite me\n"), 0o644)
				return p
			},
			want: []string{"notes.txt: not a SQLite database", "check --db"},
		},
		{
			name: "short file",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "tiny.db")
				os.WriteFile(p, []byte("SQLite"), 0o644)
				return p
			},
			want: []string{"not a SQLite database"},
		},
		{
			name: "read-only database",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "p.db")
				newFixture(t, p).db.Close()
				os.Chmod(p, 0o444)
				return p
			},
			want: []string{"p.db is read-only (mode 0444)", "make it writable or choose another --db"},
		},
		{
			name: "read-only directory",
			setup: func(t *testing.T, dir string) string {
				ro := filepath.Join(dir, "ro")
				os.Mkdir(ro, 0o555)
				t.Cleanup(func() { os.Chmod(ro, 0o755) })
				return filepath.Join(ro, "p.db")
			},
			want: []string{"is read-only (mode 0555)", "choose another --db"},
		},
		{
			name: "directory",
			setup: func(t *testing.T, dir string) string {
				return dir
			},
			want: []string{"is a directory", "peervoice.db", "--db"},
		},
		{
			name: "missing directory",
			setup: func(t *testing.T, dir string) string {
				return filepath.Join(dir, "nope", "p.db")
			},
			want: []string{"does not exist", "--db"},
		},
		{
			name: "empty path",
			setup: func(t *testing.T, dir string) string {
				return ""
			},
			want: []string{"--db"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tt.setup(t, dir)
			before := snapshot(t, dir)
			db, err := store.Open(ctx, path, store.Options{})
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) = nil error; want one containing %q", path, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Open(%q) = %q; want it to contain %q", path, err, w)
				}
			}
			if after := snapshot(t, dir); !equalSnapshots(before, after) {
				t.Errorf("Open(%q) failed but changed files: before %v, after %v", path, keys(before), keys(after))
			}
		})
	}
}

// TestOpenImmutableFile covers a database SQLite can only open read-only
// even as root: the store must say so at Open, not at the first answer.
func TestOpenImmutableFile(t *testing.T) {
	path := newPath(t)
	newFixture(t, path).db.Close()
	if err := exec.Command("chattr", "+i", path).Run(); err != nil {
		t.Skipf("chattr +i unavailable here: %v", err)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
	before := snapshot(t, filepath.Dir(path))
	db, err := store.Open(context.Background(), path, store.Options{})
	if err == nil {
		db.Close()
		t.Fatalf("Open(immutable file) = nil error; want a read-only error")
	}
	for _, w := range []string{"read-only", "choose another --db"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("Open(immutable file) = %q; want it to contain %q", err, w)
		}
	}
	if after := snapshot(t, filepath.Dir(path)); !equalSnapshots(before, after) {
		t.Errorf("Open() failed but changed files: before %v, after %v", keys(before), keys(after))
	}
}

func TestOpenEmptyFile(t *testing.T) {
	path := newPath(t)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := open(t, path, store.Options{})
	if _, err := db.Stats(context.Background()); err != nil {
		t.Errorf("Stats() on a database made from an empty file = %v", err)
	}
}

// snapshot returns every file under dir with its mode and content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		fi, _ := d.Info()
		buf, _ := os.ReadFile(p)
		out[p] = fi.Mode().String() + ":" + hex.EncodeToString(buf)
		return nil
	})
	return out
}

func equalSnapshots(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, filepath.Base(k))
	}
	return out
}

func TestStatsAndNotFound(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	f.step(t, "s1", store.StatusActive, textAnswer("q1", "a"), choiceAnswer("q2", "yes"))
	got, err := f.db.Stats(ctx)
	if want := (store.Stats{Participants: 1, Sessions: 1, Answers: 2}); err != nil || got != want {
		t.Errorf("Stats() = %+v, %v; want %+v", got, err, want)
	}
	for name, err := range map[string]error{
		"FindParticipant": second(f.db.FindParticipant(ctx, f.db.Pseudonym("discord", "nobody"))),
		"Session":         second(f.db.Session(ctx, "nope")),
		"FlowVersion":     second(f.db.FlowVersion(ctx, "nope")),
		"DeleteSession":   f.db.DeleteSession(ctx, "nope"),
		"Withdraw":        f.db.Withdraw(ctx, 999),
		"SaveConsent":     f.db.SaveConsent(ctx, 999, store.Consent{Version: "v1"}),
	} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s(missing) = %v; want ErrNotFound", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// clock is a test clock that ticks one second per reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func TestOpenOddPath(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "my data? #1 50%")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "peer voice.db")
	f := newFixture(t, path)
	f.step(t, "s1", store.StatusActive, textAnswer("q1", "x"))
	f.db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at %q: %v", path, err)
	}
	db := open(t, path, store.Options{})
	if st, err := db.Stats(ctx); err != nil || st.Answers != 1 {
		t.Errorf("Stats() after reopening %q = %+v, %v; want 1 answer", path, st, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("files beside the data directory: %d; want none (a mangled path would create one)", len(entries)-1)
	}
}
