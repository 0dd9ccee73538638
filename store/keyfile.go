package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// readKeyFile reads the master secret from name. It returns nil, nil when
// the file does not exist.
func readKeyFile(name string) ([]byte, error) {
	fi, err := os.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("key file %s: %w; it holds the database's secret: make it readable or restore it from backup", name, err)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("key file %s is not a regular file; it must hold 64 hexadecimal characters", name)
	case fi.Mode().Perm()&0o077 != 0:
		return nil, fmt.Errorf("key file %s can be read by other users (mode %04o); run chmod 600 %s", name, fi.Mode().Perm(), name)
	}
	buf, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w; it holds the database's secret: make it readable or restore it from backup", name, err)
	}
	defer clear(buf)
	secret, err := ParseSecret(string(buf))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w, optionally followed by a newline", name, err)
	}
	return secret, nil
}

// createKeyFile creates name with a new random secret, mode 0600, and
// returns the secret. It never overwrites an existing file, and it is
// atomic: the secret is written to a temporary file beside name, synced,
// and then linked to name, which fails if name exists. So no process ever
// reads a key file half written, and when two processes create a new
// database at once, the one that loses the race reads the winner's secret
// instead of failing.
func createKeyFile(name string) ([]byte, error) {
	secret := make([]byte, secretSize)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("create key file %s: %w", name, err)
	}
	// CreateTemp makes the file with mode 0600.
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create key file %s: %w", name, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // ours; once linked, name holds the secret
	if err := writeKeyFile(f, secret); err != nil {
		f.Close()
		clear(secret)
		return nil, fmt.Errorf("create key file %s: %w", name, err)
	}
	err = os.Link(tmp, name)
	if errors.Is(err, fs.ErrExist) {
		// Another process created it first: use its secret.
		clear(secret)
		won, err := readKeyFile(name)
		if err == nil && won == nil {
			err = errors.New("it was created and removed at once; try again")
		}
		if err != nil {
			return nil, fmt.Errorf("create key file %s: another process created it first, and reading it failed: %w", name, err)
		}
		return won, nil
	}
	if err != nil {
		clear(secret)
		return nil, fmt.Errorf("create key file %s: %w", name, err)
	}
	if err := syncDir(filepath.Dir(name)); err != nil {
		return nil, fmt.Errorf("create key file %s: %w", name, err)
	}
	return secret, nil
}

// writeKeyFile writes secret as hex to the new file f, syncs and closes
// it.
func writeKeyFile(f *os.File, secret []byte) error {
	text := make([]byte, hex.EncodedLen(len(secret))+1)
	defer clear(text)
	hex.Encode(text, secret)
	text[len(text)-1] = '\n'
	if _, err := f.Write(text); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return nil
}

// syncDir syncs a directory, so a new name in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}
