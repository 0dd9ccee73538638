package store

import (
	"container/list"
	"context"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"fmt"
	"strconv"
	"sync"
)

// Participants' data keys: crypto-shredding. Each participant has a
// random 256-bit data key of their own, which encrypts their free text
// and session state (key version 2). It is stored only wrapped: sealed
// with AES-256-GCM under the wrapping key derived from the database's
// master secret, bound to the participant's id, one row per participant
// in the keyring file beside the database (keyringfile.go), never in the
// database itself. Withdrawal deletes it from the keyring first, then
// their rows; once both files' write-ahead logs are checkpointed
// (checkpoint.go), no copy of the key is left in either, and any remnant
// of their rows (an old frame in the log, a freed page, a copy of the
// database taken before or after the withdrawal) is ciphertext under a
// key that no longer exists anywhere.

// dataKeySize is the size of a participant's data key: 256 bits.
const dataKeySize = 32

// keyCacheSize bounds the unwrapped data keys kept in memory: a few
// thousand participants active at once cost a few hundred kilobytes.
const keyCacheSize = 4096

// wrapAD binds a wrapped data key to its participant.
func wrapAD(pid int64) []byte {
	return []byte("participant_keys.wrapped\x00" + strconv.FormatInt(pid, 10))
}

// newDataKey makes a random data key for participant pid and returns it
// ready to use and wrapped for storage.
func (k *keyring) newDataKey(pid int64) (cipher.AEAD, []byte, error) {
	raw := make([]byte, dataKeySize)
	defer clear(raw)
	if _, err := rand.Read(raw); err != nil {
		return nil, nil, fmt.Errorf("make data key: %w", err)
	}
	aead, err := newAEAD(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("make data key: %w", err)
	}
	return aead, k.wrap.Seal(nil, nil, raw, wrapAD(pid)), nil
}

// unwrap opens a wrapped data key of participant pid.
func (k *keyring) unwrap(pid int64, wrapped []byte) (cipher.AEAD, error) {
	raw, err := k.wrap.Open(nil, nil, wrapped, wrapAD(pid))
	if err != nil || len(raw) != dataKeySize {
		return nil, fmt.Errorf("%w: the data key of participant %d was altered, cut short or wrapped with another key", ErrDecrypt, pid)
	}
	defer clear(raw)
	return newAEAD(raw)
}

// insertDataKey gives participant pid a data key unless they have one,
// committing it to the keyring before the caller's transaction tx, which
// holds the database's write lock, writes anything encrypted with it. It
// reports whether it made one: the caller then marks it done (doneKeys)
// once tx is committed.
func (db *DB) insertDataKey(ctx context.Context, tx *sql.Tx, pid int64) (made bool, err error) {
	if _, ok := db.keys.cache.get(pid); ok {
		return false, nil
	}
	wrapped, err := db.ring.wrappedKey(ctx, pid)
	if err != nil {
		return false, fmt.Errorf("data key: %w", err)
	}
	if wrapped != nil {
		return false, nil
	}
	_, wrapped, err = db.keys.newDataKey(pid)
	if err != nil {
		return false, err
	}
	if err := db.ring.storeKeys(ctx, []newKey{{pid, wrapped}}, formatTime(db.now())); err != nil {
		return false, fmt.Errorf("store data key: %w", err)
	}
	if afterKeyStored != nil {
		afterKeyStored(pid)
	}
	return true, nil
}

// doneKeys unmarks the keys just made for pids, once the transaction
// that stored their rows is committed. A failure is left for the next
// Open to settle: the key is kept, since its participant exists.
func (db *DB) doneKeys(ctx context.Context, pids ...int64) {
	if len(pids) > 0 {
		db.ring.done(ctx, pids...)
	}
}

// ensureDataKey makes sure participant pid has a data key before a step
// is queued for the group committer, which only reads keys. Participants
// made by EnsureParticipant have one already; this covers any made by an
// older PeerVoice after migration 006. A missing participant is left for
// the step to report.
func (db *DB) ensureDataKey(ctx context.Context, pid int64) error {
	if _, ok := db.keys.cache.get(pid); ok {
		return nil
	}
	dk, err := db.keyReader().key(ctx, pid)
	if err != nil || dk != nil {
		return err
	}
	wtx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer wtx.Rollback()
	if err := participantExists(ctx, wtx, pid); err != nil {
		return nil
	}
	made, err := db.insertDataKey(ctx, wtx, pid)
	if err != nil {
		return err
	}
	if err := wtx.Commit(); err != nil {
		return err
	}
	if made {
		db.doneKeys(ctx, pid)
	}
	return nil
}

// keyReader finds participants' data keys in the keyring for one
// transaction. Make it right after BeginTx, before the transaction's
// first read: the cache's epoch it notes then is what keeps a key read
// before a withdrawal out of the cache after it. The keyring is read
// outside the transaction's snapshot, which is safe: a participant's key
// never changes, and once deleted it stays deleted, so a key read later
// than the rows either is theirs or is missing (withdrawn since).
type keyReader struct {
	db    *DB
	epoch uint64
	// the last participant's key: exports and sessions read one
	// participant's rows together.
	lastPID int64
	last    cipher.AEAD
	// bulk is set for a read of every participant (an export): it does
	// not fill the cache, so the keys of the participants active now
	// stay in it.
	bulk bool
}

func (db *DB) keyReader() *keyReader {
	return &keyReader{db: db, epoch: db.keys.cache.currentEpoch(), lastPID: -1}
}

// key returns participant pid's data key, or nil, nil when they have
// none that can be read (withdrawn, a participant of an older
// PeerVoice, or a damaged wrapped key): their rows then read as
// unreadable, one by one, rather than failing the whole read.
func (r *keyReader) key(ctx context.Context, pid int64) (cipher.AEAD, error) {
	if pid == r.lastPID {
		return r.last, nil
	}
	dk, ok := r.db.keys.cache.get(pid)
	if !ok {
		wrapped, err := r.db.ring.wrappedKey(ctx, pid)
		switch {
		case err != nil:
			return nil, fmt.Errorf("data key of participant %d: %w", pid, err)
		case wrapped != nil:
			if dk, err = r.db.keys.unwrap(pid, wrapped); err == nil && !r.bulk {
				r.db.keys.cache.put(pid, dk, r.epoch)
			}
		}
	}
	r.lastPID, r.last = pid, dk
	return dk, nil
}

// keyCache is a bounded, least recently used cache of unwrapped data
// keys. A withdrawal drops the participant's key and moves the epoch on,
// so a reader whose snapshot predates it cannot put the key back.
type keyCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *keyEntry, most recently used first
	byPID map[int64]*list.Element
	epoch uint64
}

type keyEntry struct {
	pid int64
	key cipher.AEAD
}

func newKeyCache(max int) *keyCache {
	return &keyCache{max: max, order: list.New(), byPID: map[int64]*list.Element{}}
}

func (c *keyCache) get(pid int64) (cipher.AEAD, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byPID[pid]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*keyEntry).key, true
}

func (c *keyCache) currentEpoch() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// put caches a key read at epoch, unless a withdrawal came since.
func (c *keyCache) put(pid int64, key cipher.AEAD, epoch uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	if e, ok := c.byPID[pid]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.byPID[pid] = c.order.PushFront(&keyEntry{pid: pid, key: key})
	if c.order.Len() > c.max {
		old := c.order.Remove(c.order.Back()).(*keyEntry)
		delete(c.byPID, old.pid)
	}
}

// drop forgets a withdrawn participant's key.
func (c *keyCache) drop(pid int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	if e, ok := c.byPID[pid]; ok {
		c.order.Remove(e)
		delete(c.byPID, pid)
	}
}

// len is how many keys are cached, for tests.
func (c *keyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
