package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrDecrypt is returned, wrapped, when a stored ciphertext cannot be
// decrypted: it was altered, moved from another row, or written under
// another key.
var ErrDecrypt = errors.New("store: cannot decrypt")

const (
	// secretSize is the size of the master secret: 256 bits.
	secretSize = 32
	// keyVersion is recorded on every row whose value depends on the keys,
	// so that keys can be rotated later.
	keyVersion = 1

	infoPseudonym = "peervoice pseudonym v1"
	infoAnswers   = "peervoice answers v1"
	infoCheck     = "peervoice key check v1"
	// checkConstant is what the key check value is an HMAC of.
	checkConstant = "peervoice key check value"
	// metaKeyCheck names the key check value in the meta table.
	metaKeyCheck = "key_check_v1"
)

// ParseSecret decodes a master secret written as 64 hexadecimal characters,
// the format of the key file and of PEERVOICE_SECRET. Its errors never
// contain the input.
func ParseSecret(s string) ([]byte, error) {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")
	if len(s) != 2*secretSize {
		return nil, fmt.Errorf("the secret has %d characters; want %d hexadecimal characters (a 256-bit key)", len(s), 2*secretSize)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, errors.New("the secret is not hexadecimal; want 64 characters 0-9 and a-f (a 256-bit key)")
	}
	return b, nil
}

// keyring holds the subkeys derived from the master secret. The secret
// itself is not kept.
type keyring struct {
	pseudonym []byte
	check     []byte
	aead      cipher.AEAD
}

// newKeyring derives the subkeys from secret with HKDF-SHA256.
func newKeyring(secret []byte) (*keyring, error) {
	derive := func(info string) ([]byte, error) {
		return hkdf.Key(sha256.New, secret, nil, info, 32)
	}
	pseudonym, err := derive(infoPseudonym)
	if err != nil {
		return nil, fmt.Errorf("derive pseudonym key: %w", err)
	}
	check, err := derive(infoCheck)
	if err != nil {
		return nil, fmt.Errorf("derive check key: %w", err)
	}
	enc, err := derive(infoAnswers)
	if err != nil {
		return nil, fmt.Errorf("derive encryption key: %w", err)
	}
	defer clear(enc)
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	// NewGCMWithRandomNonce draws a random 12-byte nonce per message and
	// puts it in front of the ciphertext.
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	return &keyring{pseudonym: pseudonym, check: check, aead: aead}, nil
}

// checkValue is stored in meta so a wrong secret is caught at Open.
func (k *keyring) checkValue() []byte {
	m := hmac.New(sha256.New, k.check)
	m.Write([]byte(checkConstant))
	return m.Sum(nil)
}

// matches reports whether stored is this keyring's check value.
func (k *keyring) matches(stored []byte) bool {
	return hmac.Equal(stored, k.checkValue())
}

// seal encrypts plain, binding it to ad (the table, column and row key).
func (k *keyring) seal(ad string, plain []byte) []byte {
	return k.aead.Seal(nil, nil, plain, []byte(ad))
}

// open decrypts a value sealed under ad with key version version.
func (k *keyring) open(version int, ad string, sealed []byte) ([]byte, error) {
	if version != keyVersion {
		return nil, fmt.Errorf("%w: key version %d is unknown (this build has key version %d)", ErrDecrypt, version, keyVersion)
	}
	plain, err := k.aead.Open(nil, nil, sealed, []byte(ad))
	if err != nil {
		return nil, fmt.Errorf("%w: authentication failed: the value was altered, copied from another row or written with another key", ErrDecrypt)
	}
	return plain, nil
}

// Pseudonym returns hex(HMAC-SHA256(pseudonym key, platform + ":" + userID)),
// the only form in which a participant's identity is stored. The raw id is
// never stored.
func (db *DB) Pseudonym(platform, userID string) string {
	m := hmac.New(sha256.New, db.keys.pseudonym)
	m.Write([]byte(platform + ":" + userID))
	return hex.EncodeToString(m.Sum(nil))
}

// checkPseudonym rejects anything that is not shaped like a Pseudonym, so a
// raw user id passed by mistake is never stored.
func checkPseudonym(p string) error {
	if len(p) != 2*sha256.Size || strings.ToLower(p) != p {
		return fmt.Errorf("%q is not a pseudonym (64 lower-case hexadecimal characters); derive it with DB.Pseudonym", redact(p))
	}
	if _, err := hex.DecodeString(p); err != nil {
		return fmt.Errorf("%q is not a pseudonym (64 lower-case hexadecimal characters); derive it with DB.Pseudonym", redact(p))
	}
	return nil
}

// redact keeps a mistaken raw id out of error messages and logs.
func redact(s string) string {
	if len(s) <= 4 {
		return strings.Repeat("*", len(s))
	}
	return s[:2] + strings.Repeat("*", len(s)-4) + s[len(s)-2:]
}

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

// createKeyFile creates name with a new random secret, mode 0600. It never
// overwrites an existing file.
func createKeyFile(name string) ([]byte, error) {
	secret := make([]byte, secretSize)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("create key file %s: %w", name, err)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create key file %s: %w", name, err)
	}
	if err := writeKeyFile(f, secret); err != nil {
		f.Close()
		os.Remove(name) // ours: O_EXCL guarantees we created it
		clear(secret)
		return nil, fmt.Errorf("create key file %s: %w", name, err)
	}
	return secret, nil
}

// writeKeyFile writes secret as hex to the new file f, syncs and closes it,
// and syncs its directory so the new name survives a crash.
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
	d, err := os.Open(filepath.Dir(f.Name()))
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}
