package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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
	// so that keys can be rotated later. Version 1 rows were encrypted
	// with the database key itself, version 2 rows are encrypted with
	// their participant's own data key (datakeys.go). New rows are
	// version 2; version 1 is read, and re-encrypted by migration 006
	// (reencrypt.go).
	keyVersion = 2
	// keyVersionDatabase is the version of rows sealed with the database
	// key.
	keyVersionDatabase = 1
	// pseudonymVersion is the key version recorded on participants: that
	// of the pseudonym key, which has not changed.
	pseudonymVersion = 1

	infoPseudonym = "peervoice pseudonym v1"
	infoAnswers   = "peervoice answers v1"
	infoCheck     = "peervoice key check v1"
	infoWrap      = "peervoice participant key wrap v1"
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

// keyring holds the subkeys derived from the master secret, and the
// participants' unwrapped data keys in use. The secret itself is not kept.
type keyring struct {
	pseudonym []byte
	check     []byte
	// aead is the database key of version 1 rows, kept to read them.
	aead cipher.AEAD
	// wrap is the database key that wraps the participants' data keys.
	wrap cipher.AEAD
	// cache holds recently used participants' data keys, unwrapped.
	cache *keyCache
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
	k := &keyring{pseudonym: pseudonym, check: check, cache: newKeyCache(keyCacheSize)}
	for _, sub := range []struct {
		info string
		aead *cipher.AEAD
	}{{infoAnswers, &k.aead}, {infoWrap, &k.wrap}} {
		key, err := derive(sub.info)
		if err != nil {
			return nil, fmt.Errorf("derive encryption key: %w", err)
		}
		*sub.aead, err = newAEAD(key)
		clear(key)
		if err != nil {
			return nil, fmt.Errorf("encryption key: %w", err)
		}
	}
	return k, nil
}

// newAEAD returns AES-256-GCM with key. NewGCMWithRandomNonce draws a
// random 12-byte nonce per message and puts it in front of the
// ciphertext.
func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
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

// seal encrypts plain with a participant's data key, binding it to ad
// (the table, column and row key).
func seal(dk cipher.AEAD, ad string, plain []byte) []byte {
	return dk.Seal(nil, nil, plain, []byte(ad))
}

// open decrypts a value sealed under ad with key version version: with
// the participant's data key dk (nil when they have none), or, for a
// version 1 row, the database key.
func (k *keyring) open(version int, dk cipher.AEAD, ad string, sealed []byte) ([]byte, error) {
	var aead cipher.AEAD
	switch version {
	case keyVersion:
		if dk == nil {
			return nil, fmt.Errorf("%w: the participant has no data key (it was deleted, or never stored)", ErrDecrypt)
		}
		aead = dk
	case keyVersionDatabase:
		aead = k.aead
	default:
		return nil, fmt.Errorf("%w: key version %d is unknown (this build has key versions %d and %d)", ErrDecrypt, version, keyVersionDatabase, keyVersion)
	}
	plain, err := aead.Open(nil, nil, sealed, []byte(ad))
	if err != nil {
		return nil, fmt.Errorf("%w: authentication failed: the value was altered, cut short, copied from another row or written with another key", ErrDecrypt)
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
