package store_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/store"
)

func TestKeyFile(t *testing.T) {
	path := newPath(t)
	db := open(t, path, store.Options{})
	pseudonym := db.Pseudonym("discord", rawUserID)
	db.Close()

	keyFile := path + ".key"
	fi, err := os.Stat(keyFile)
	if err != nil {
		t.Fatalf("key file not created: %v", err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("key file mode = %04o; want 0600", got)
	}
	key, _ := os.ReadFile(keyFile)
	if len(key) != 65 || key[64] != '\n' {
		t.Errorf("key file holds %d bytes; want 64 hex characters and a newline", len(key))
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("database file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}

	db = open(t, path, store.Options{})
	if got := db.Pseudonym("discord", rawUserID); got != pseudonym {
		t.Errorf("Pseudonym after reopen = %s; want %s: the key file was not reused", got, pseudonym)
	}
	db.Close()
	if again, _ := os.ReadFile(keyFile); !bytes.Equal(again, key) {
		t.Errorf("key file changed on reopen")
	}

	// The same secret given as an option opens the database too.
	secret, err := store.ParseSecret(string(key))
	if err != nil {
		t.Fatalf("ParseSecret(key file) = %v", err)
	}
	db = open(t, path, store.Options{Secret: secret, SecretFile: filepath.Join(t.TempDir(), "absent.key")})
	if got := db.Pseudonym("discord", rawUserID); got != pseudonym {
		t.Errorf("Pseudonym with Options.Secret = %s; want %s", got, pseudonym)
	}
}

func TestOpenKeyErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(t *testing.T, path string) store.Options
		want  []string // substrings of the error
	}{
		{
			name: "missing key file with data",
			setup: func(t *testing.T, path string) store.Options {
				newFixture(t, path).db.Close()
				os.Remove(path + ".key")
				return store.Options{}
			},
			want: []string{"key file", ".key", "missing", "restore", "backup", "cannot be read"},
		},
		{
			name: "missing key file, database opened once",
			setup: func(t *testing.T, path string) store.Options {
				open(t, path, store.Options{}).Close()
				os.Remove(path + ".key")
				return store.Options{}
			},
			want: []string{"missing", "restore"},
		},
		{
			name: "wrong secret",
			setup: func(t *testing.T, path string) store.Options {
				newFixture(t, path).db.Close()
				return store.Options{Secret: bytes.Repeat([]byte{1}, 32)}
			},
			want: []string{"the secret does not match this database (wrong key file or PEERVOICE_SECRET)"},
		},
		{
			name: "wrong key file",
			setup: func(t *testing.T, path string) store.Options {
				newFixture(t, path).db.Close()
				other := filepath.Join(t.TempDir(), "other.key")
				os.WriteFile(other, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
				return store.Options{SecretFile: other}
			},
			want: []string{"the secret does not match this database"},
		},
		{
			name: "key file readable by others",
			setup: func(t *testing.T, path string) store.Options {
				open(t, path, store.Options{}).Close()
				os.Chmod(path+".key", 0o644)
				return store.Options{}
			},
			want: []string{"chmod 600", ".key", "0644"},
		},
		{
			name: "key file with bad content",
			setup: func(t *testing.T, path string) store.Options {
				os.WriteFile(path+".key", []byte("not a key\n"), 0o600)
				return store.Options{}
			},
			want: []string{".key", "64 hexadecimal characters"},
		},
		{
			name: "key file with non-hex content",
			setup: func(t *testing.T, path string) store.Options {
				os.WriteFile(path+".key", []byte(strings.Repeat("zz", 32)), 0o600)
				return store.Options{}
			},
			want: []string{".key", "not hexadecimal"},
		},
		{
			name: "secret option of the wrong size",
			setup: func(t *testing.T, path string) store.Options {
				return store.Options{Secret: []byte("short")}
			},
			want: []string{"5 bytes", "want 32"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := newPath(t)
			opt := tt.setup(t, path)
			before := snapshot(t, filepath.Dir(path))
			db, err := store.Open(ctx, path, opt)
			if err == nil {
				db.Close()
				t.Fatalf("Open() = nil error; want one containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Open() = %q; want it to contain %q", err, w)
				}
			}
			assertNoSecret(t, err.Error(), opt.Secret)
			if after := snapshot(t, filepath.Dir(path)); !equalSnapshots(before, after) {
				t.Errorf("Open() failed but changed files: before %v, after %v", keys(before), keys(after))
			}
		})
	}
}

// assertNoSecret fails if s shows the secret, raw or in hex.
func assertNoSecret(t *testing.T, s string, secret []byte) {
	t.Helper()
	if len(secret) == 0 {
		return
	}
	if strings.Contains(s, string(secret)) || strings.Contains(strings.ToLower(s), hex.EncodeToString(secret)) {
		t.Errorf("error %q shows the secret", s)
	}
}

func TestSecretOption(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	db := open(t, path, store.Options{Secret: testSecret})
	pseudonym := db.Pseudonym("discord", rawUserID)
	if _, err := db.EnsureParticipant(ctx, pseudonym); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path + ".key"); !os.IsNotExist(err) {
		t.Errorf("Open(Options.Secret) created a key file (stat: %v); want none", err)
	}
	db = open(t, path, store.Options{Secret: bytes.Clone(testSecret)})
	if got := db.Pseudonym("discord", rawUserID); got != pseudonym {
		t.Errorf("Pseudonym with the same secret = %s; want %s", got, pseudonym)
	}
	db.Close()
	if _, err := store.Open(ctx, path, store.Options{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Open(no secret, no key file, data) = %v; want a missing key file error", err)
	}
	if _, err := os.Stat(path + ".key"); !os.IsNotExist(err) {
		t.Errorf("a failed Open created a key file (stat: %v)", err)
	}
}

func TestParseSecret(t *testing.T) {
	hex64 := strings.Repeat("0f", 32)
	tests := []struct {
		in   string
		want string // "" for success
	}{
		{hex64, ""},
		{hex64 + "\n", ""},
		{hex64 + "\r\n", ""},
		{strings.ToUpper(hex64), ""},
		{hex64[:62], "62 characters"},
		{hex64 + "00", "66 characters"},
		{strings.Repeat("x", 64), "not hexadecimal"},
		{"", "0 characters"},
	}
	for _, tt := range tests {
		got, err := store.ParseSecret(tt.in)
		if tt.want == "" {
			if err != nil || len(got) != 32 {
				t.Errorf("ParseSecret(%q) = %x, %v; want 32 bytes", tt.in, got, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSecret(%q) = %v; want an error containing %q", tt.in, err, tt.want)
		}
		if err != nil && len(tt.in) > 8 && strings.Contains(err.Error(), tt.in) {
			t.Errorf("ParseSecret(%q) error shows the input: %v", tt.in, err)
		}
	}
}
