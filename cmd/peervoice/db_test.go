package main_test

import (
	"database/sql"
	"encoding/hex"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// files returns every file under dir with its content, to compare before
// and after a command.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[strings.TrimPrefix(p, dir)] = hex.EncodeToString(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func names(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestDatabaseCreatedOnlyByChatAndRun: a mistyped --db (or the default in
// the wrong directory) is an error for every command that reads a study,
// and creates neither the database nor its key file.
func TestDatabaseCreatedOnlyByChatAndRun(t *testing.T) {
	dir := t.TempDir()
	r := peervoice(t, dir, "1\n1\nmy words\n", nil, "chat", "--user", "sam", "--flow", "recovery")
	if r.code != 0 {
		t.Fatalf("chat: exit %d\n%s", r.code, r.stderr)
	}
	before := files(t, dir)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"mydata", "--user", "sam", "--db", "peervoce.db"}, "no PeerVoice database at peervoce.db (" + filepath.Join(dir, "peervoce.db") + "); check --db / db (run `peervoice chat` or `peervoice run` to create one)"},
		{[]string{"withdraw", "--user", "sam", "--yes", "--db", "peervoce.db"}, "no PeerVoice database at peervoce.db"},
		{[]string{"digest", "--db", "peervoce.db"}, "no PeerVoice database at peervoce.db"},
		{[]string{"digest", "--db", filepath.Join(dir, "typo", "peervoice.db")}, "no PeerVoice database at " + filepath.Join(dir, "typo", "peervoice.db") + "; check --db"},
		{[]string{"mydata", "--user", "sam", "--db", ":memory:"}, "--db :memory: is a scratch database"},
		// export checks for the file itself, before opening the store.
		{[]string{"export", "--format", "csv", "--out", "-", "--db", "peervoce.db"}, "no database at peervoce.db"},
	}
	for _, tt := range tests {
		r := peervoice(t, dir, "", nil, tt.args...)
		if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want 1 and %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.want)
		}
		if after := files(t, dir); !maps.Equal(before, after) {
			t.Fatalf("%s changed the files: before %v, after %v", strings.Join(tt.args, " "), names(before), names(after))
		}
	}
	// The default path, from a directory without a study.
	empty := t.TempDir()
	if r := peervoice(t, empty, "", nil, "mydata", "--user", "sam"); r.code != 1 || !strings.Contains(r.stderr, "no PeerVoice database at peervoice.db") {
		t.Errorf("mydata without a database: exit %d, stderr %q", r.code, r.stderr)
	}
	if got := files(t, empty); len(got) > 0 {
		t.Errorf("mydata without a database created %v", names(got))
	}
	// The study itself is still there.
	if md := peervoice(t, dir, "", nil, "mydata", "--user", "sam"); md.code != 0 || !strings.Contains(md.stdout, "my words") {
		t.Errorf("mydata of the study: exit %d\n%s\n%s", md.code, md.stdout, md.stderr)
	}
}

// TestDatabaseCreationSaid: chat says where it created the database and
// its key file, and says nothing of the kind the next time.
func TestDatabaseCreationSaid(t *testing.T) {
	dir := t.TempDir()
	r := peervoice(t, dir, "", nil, "chat", "--user", "sam")
	path := filepath.Join(dir, "peervoice.db")
	want := "created a new PeerVoice database at " + path + " (key file " + path + ".key)"
	if r.code != 0 || !strings.Contains(r.stderr, want) {
		t.Errorf("first chat: exit %d, stderr %q; want %q", r.code, r.stderr, want)
	}
	if got := names(files(t, dir)); !slices.Equal(got, []string{"/peervoice.db", "/peervoice.db.key", "/peervoice.db.keyring"}) {
		t.Errorf("files after the first chat: %v; want the database, its key file and its keyring", got)
	}
	r = peervoice(t, dir, "", nil, "chat", "--user", "sam")
	if r.code != 0 || strings.Contains(r.stderr, "created") {
		t.Errorf("second chat: exit %d, stderr %q; want no creation message", r.code, r.stderr)
	}
}

// TestOtherProgramsDatabaseRefused: pointing --db at another program's
// SQLite file, or at a file that is no database, changes nothing in it.
func TestOtherProgramsDatabaseRefused(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "notes.db")
	raw, err := sql.Open("sqlite3", other)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`CREATE TABLE notes (body TEXT)`, `INSERT INTO notes VALUES ('my own notes')`} {
		if _, err := raw.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("not a database at all\n"), 0o644)
	before := files(t, dir)
	for _, args := range [][]string{
		{"chat", "--user", "sam", "--db", other},
		{"mydata", "--user", "sam", "--db", other},
		{"digest", "--db", other},
		{"chat", "--user", "sam", "--db", text},
	} {
		r := peervoice(t, dir, "1\n", nil, args...)
		path := args[len(args)-1]
		for _, want := range []string{path, "not a PeerVoice database", "nothing was changed", "check --db"} {
			if r.code != 1 || !strings.Contains(r.stderr, want) {
				t.Errorf("%s: exit %d, stderr %q; want 1 and %q", strings.Join(args, " "), r.code, r.stderr, want)
			}
		}
		if after := files(t, dir); !maps.Equal(before, after) {
			t.Fatalf("%s changed the files: before %v, after %v", strings.Join(args, " "), names(before), names(after))
		}
	}
}

// TestScratchChat: chat --scratch and --db :memory: keep nothing: no file
// in the working directory (none named :memory:), the temporary directory
// empty again, the configured key file not created.
func TestScratchChat(t *testing.T) {
	for _, flag := range [][]string{{"--scratch"}, {"--db", ":memory:"}} {
		t.Run(strings.Join(flag, " "), func(t *testing.T) {
			dir, tmp := t.TempDir(), t.TempDir()
			env := []string{"TMPDIR=" + tmp, "PEERVOICE_SECRET_FILE=" + filepath.Join(dir, "study.key")}
			args := append([]string{"chat", "--user", "sam", "--flow", "recovery"}, flag...)
			r := peervoice(t, dir, "1\n1\nwords for nobody\n", env, args...)
			if r.code != 0 {
				t.Fatalf("chat %v: exit %d\n%s", flag, r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, "In your own words") {
				t.Errorf("chat %v did not hold the conversation:\n%s", flag, r.stdout)
			}
			// Leaving says nothing was kept, not that the next run carries on.
			if !strings.Contains(r.stdout, "nothing you answered is kept") || strings.Contains(r.stdout, "run the same command again") {
				t.Errorf("chat %v ended without saying its answers are gone:\n%s", flag, r.stdout)
			}
			for _, want := range []string{"scratch mode: nothing is kept", "removed at exit, so nothing was kept"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("chat %v: stderr %q; want %q", flag, r.stderr, want)
				}
			}
			if got := files(t, dir); len(got) > 0 {
				t.Errorf("chat %v left files in the working directory: %v", flag, names(got))
			}
			if got, _ := os.ReadDir(tmp); len(got) > 0 {
				t.Errorf("chat %v left %v in the temporary directory", flag, got)
			}
		})
	}
	r := peervoice(t, t.TempDir(), "", nil, "chat", "--scratch", "--db", "x.db")
	if r.code != 1 || !strings.Contains(r.stderr, "give --scratch or --db, not both") {
		t.Errorf("chat --scratch --db: exit %d, stderr %q", r.code, r.stderr)
	}
}
