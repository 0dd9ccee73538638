package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingKeyringRefused: with the keyring of an existing database
// gone, `config check` names it as a problem and the fix, and the
// commands that open the database refuse to, rather than make a new,
// empty keyring that would not open the stored answers.
func TestMissingKeyringRefused(t *testing.T) {
	dir := t.TempDir()
	if r := peervoice(t, dir, "", nil, "chat", "--user", "sam"); r.code != 0 {
		t.Fatalf("first chat: exit %d\n%s", r.code, r.stderr)
	}
	if r := peervoice(t, dir, "", nil, "config", "check"); r.code != 0 {
		t.Fatalf("config check with the keyring in place: exit %d\n%s", r.code, r.stderr)
	}
	ring := filepath.Join(dir, "peervoice.db.keyring")
	if err := os.Remove(ring); err != nil {
		t.Fatal(err)
	}
	want := []string{ring + " is missing", "restore peervoice.db.keyring", "backup", "will not make one"}
	for _, args := range [][]string{{"config", "check"}, {"chat", "--user", "sam"}, {"mydata", "--user", "sam"}} {
		r := peervoice(t, dir, "", nil, args...)
		if r.code == 0 {
			t.Errorf("%s without the keyring: exit 0; want it refused", strings.Join(args, " "))
		}
		for _, w := range want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s without the keyring: stderr %q; want it to say %q", strings.Join(args, " "), r.stderr, w)
			}
		}
		if _, err := os.Stat(ring); !os.IsNotExist(err) {
			t.Fatalf("%s made a new keyring: %v", strings.Join(args, " "), err)
		}
	}
}
