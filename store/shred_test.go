package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// shredFixture is a database with two participants who wrote free text:
// gone, who will withdraw, and kept.
type shredFixture struct {
	path       string
	db         *DB
	gone, kept int64
}

const (
	goneWords = "words of the participant who withdraws, about the ward"
	keptWords = "words of the participant who stays"
)

func newShredFixture(t *testing.T) *shredFixture {
	t.Helper()
	ctx := context.Background()
	f := &shredFixture{path: filepath.Join(t.TempDir(), "peervoice.db")}
	db := mustOpen(t, f.path)
	if err := db.SaveFlowVersion(ctx, FlowVersion{Hash: "h1", FlowID: "recovery", Source: []byte("id: recovery\n")}); err != nil {
		t.Fatal(err)
	}
	for i, words := range []string{goneWords, keptWords} {
		p, err := db.EnsureParticipant(ctx, db.Pseudonym("discord", string(rune('1'+i))+"23456789012345678"))
		if err != nil {
			t.Fatal(err)
		}
		s := Session{ID: "s" + string(rune('1'+i)), ParticipantID: p.ID, FlowID: "recovery", FlowVersion: "h1",
			Status: StatusActive, State: []byte(`{"answers":{"own_words":"` + words + `"}}`)}
		if err := db.SaveStep(ctx, s, []Answer{{QuestionID: "own_words", Kind: "text", Text: words}}, nil); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.gone = p.ID
		} else {
			f.kept = p.ID
		}
	}
	// Closing checkpoints: the keys and answers are in the main file.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	f.db = mustOpen(t, f.path)
	return f
}

func mustOpen(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// copyFiles copies the database and its -wal and -shm files to dir, as a
// backup or a snapshot of the disk would.
func copyFiles(t *testing.T, path, dir string) string {
	t.Helper()
	to := filepath.Join(dir, filepath.Base(path))
	for _, suffix := range []string{"", "-wal", "-shm"} {
		buf, err := os.ReadFile(path + suffix)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, buf, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

func fileBytes(t *testing.T, name string) []byte {
	t.Helper()
	buf, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		t.Fatal(err)
	}
	return buf
}

// TestWithdrawShredsTheKey: a withdrawal while other connections hold
// read transactions open on the database and on the keyring (a digest,
// an export, another process) deletes the participant's wrapped data key
// from the keyring at once, and from the keyring's files, and their rows
// from the database's, as soon as the readers move on, the checkpoint
// being retried until then. The key is never in the database's files;
// the text never on disk in clear.
func TestWithdrawShredsTheKey(t *testing.T) {
	ctx := context.Background()
	f := newShredFixture(t)
	ring := f.path + ".keyring"
	var sealed []byte
	var version int
	wrapped, err := f.db.ring.wrappedKey(ctx, f.gone)
	if err != nil || wrapped == nil {
		t.Fatalf("the keyring has no key for the participant: %v", err)
	}
	if err := f.db.rd.QueryRowContext(ctx, `SELECT text, key_version FROM answers WHERE session_id = 's1'`).Scan(&sealed, &version); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(fileBytes(t, ring), wrapped) {
		t.Fatal("the wrapped key is not in the keyring file before the withdrawal; is the scan reading the right file?")
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if bytes.Contains(fileBytes(t, f.path+suffix), wrapped) {
			t.Errorf("the database's %q file holds a wrapped key; keys belong in the keyring only", suffix)
		}
	}

	readers := map[string]*sql.Tx{}
	for name, query := range map[string]string{f.path: `SELECT COUNT(*) FROM answers`, ring: `SELECT COUNT(*) FROM participant_keys`} {
		reader, err := sql.Open("sqlite3", "file:"+name+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer reader.Close()
		rtx, err := reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := rtx.QueryRowContext(ctx, query).Scan(&n); err != nil || n != 2 {
			t.Fatalf("reader of %s sees %d rows, %v; want 2", filepath.Base(name), n, err)
		}
		readers[name] = rtx
	}

	// The store's own reader (a digest, an export under way), its
	// snapshot taken before the withdrawal and the key cached.
	own, err := f.db.rd.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer own.Rollback()
	if as, err := f.db.findAnswers(ctx, own, f.db.keyReader(), f.gone); err != nil || len(as) != 1 || as[0].Text != goneWords {
		t.Fatalf("before the withdrawal, the store's reader reads %+v, %v; want the words", as, err)
	}

	if err := f.db.Withdraw(ctx, f.gone); err != nil {
		t.Fatalf("Withdraw() = %v", err)
	}
	// The store's reader still sees the rows in its snapshot, but their
	// key is gone from the keyring and the cache: the text is not given
	// back.
	if as, err := f.db.findAnswers(ctx, own, f.db.keyReader(), f.gone); err != nil || len(as) != 1 || !as[0].Unreadable || as[0].Text != "" {
		t.Errorf("after the withdrawal, the reader held open reads %+v, %v; want the row unreadable", as, err)
	}
	own.Rollback()
	if _, ok := f.db.keys.cache.get(f.gone); ok {
		t.Errorf("the withdrawn participant's key is still cached")
	}
	if got, err := f.db.ring.wrappedKey(ctx, f.gone); err != nil || got != nil {
		t.Errorf("the keyring's live key of the withdrawn participant = %x, %v; want none", got, err)
	}
	// The readers' snapshots predate the withdrawal, so no checkpoint can
	// overwrite the key's page in the keyring file while they last.
	if !bytes.Contains(fileBytes(t, ring), wrapped) {
		t.Fatal("the keyring file lost the wrapped key while a reader still needed it; the test no longer exercises the retry")
	}
	before := f.db.checkpointer.completed()
	for _, rtx := range readers {
		if err := rtx.Rollback(); err != nil {
			t.Fatal(err)
		}
	}

	// The readers have moved on (their connections are still open): the
	// checkpoint is retried until it completes.
	deadline := time.Now().Add(60 * time.Second)
	for f.db.checkpointer.completed() == before || bytes.Contains(fileBytes(t, ring), wrapped) ||
		len(fileBytes(t, f.path+"-wal")) > 0 || len(fileBytes(t, ring+"-wal")) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the checkpoint never completed after the readers moved on: key in keyring %v, -wal %d bytes, keyring -wal %d bytes",
				bytes.Contains(fileBytes(t, ring), wrapped), len(fileBytes(t, f.path+"-wal")), len(fileBytes(t, ring+"-wal")))
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, name := range []string{f.path, f.path + "-wal", f.path + "-shm", ring, ring + "-wal", ring + "-shm"} {
		buf := fileBytes(t, name)
		for what, needle := range map[string][]byte{"wrapped key": wrapped, "answer ciphertext": sealed, "text": []byte(goneWords)} {
			if bytes.Contains(buf, needle) {
				t.Errorf("after the checkpoint, %s holds the withdrawn participant's %s", filepath.Base(name), what)
			}
		}
	}
	// The outside readers' next transactions find nothing of them.
	for name, query := range map[string]string{f.path: `SELECT COUNT(*) FROM sessions WHERE participant_id = ?`,
		ring: `SELECT COUNT(*) FROM participant_keys WHERE participant_id = ?`} {
		if n := rawCount(t, name, query, f.gone); n != 0 {
			t.Errorf("a new read of %s finds %d rows of the withdrawn participant; want 0", filepath.Base(name), n)
		}
	}
	if version != keyVersion {
		t.Errorf("answer key version = %d; want %d (the participant's key)", version, keyVersion)
	}
	if _, err := f.db.keys.open(keyVersionDatabase, nil, textAD("s1", "own_words"), sealed); !errors.Is(err, ErrDecrypt) {
		t.Errorf("the database key opens the withdrawn participant's answer: %v; want ErrDecrypt", err)
	}
	// Nothing is left pending.
	var pending int
	if err := f.db.ring.rd.QueryRowContext(ctx, `SELECT COUNT(*) FROM pending`).Scan(&pending); err != nil || pending != 0 {
		t.Errorf("pending changes in the keyring after the withdrawal: %d, %v; want 0", pending, err)
	}

	// The participant who stayed is untouched.
	as, err := f.db.Answers(ctx, f.kept)
	if err != nil || len(as) != 1 || as[0].Text != keptWords {
		t.Errorf("Answers(kept) = %+v, %v; want their one answer", as, err)
	}
}

// TestKeyCache: the cache of unwrapped keys is bounded, drops a
// withdrawn participant's key, and refuses a key read from a snapshot
// older than a withdrawal.
func TestKeyCache(t *testing.T) {
	k, err := newKeyring(bytes.Repeat([]byte{7}, secretSize))
	if err != nil {
		t.Fatal(err)
	}
	c := newKeyCache(2)
	for pid := int64(1); pid <= 3; pid++ {
		dk, _, err := k.newDataKey(pid)
		if err != nil {
			t.Fatal(err)
		}
		c.put(pid, dk, c.currentEpoch())
	}
	if _, ok := c.get(1); ok || c.len() != 2 {
		t.Errorf("cache of 2 after 3 puts: holds key 1 %v, %d keys; want the oldest evicted, 2 keys", ok, c.len())
	}
	epoch := c.currentEpoch() // a reader begins
	c.drop(3)                 // a withdrawal commits
	if _, ok := c.get(3); ok {
		t.Errorf("key 3 still cached after drop")
	}
	dk, _, _ := k.newDataKey(3)
	c.put(3, dk, epoch) // the reader found the key in its old snapshot
	if _, ok := c.get(3); ok {
		t.Errorf("a key read before the withdrawal was cached after it")
	}
	_, wrapped, _ := k.newDataKey(9)
	if _, err := k.unwrap(8, wrapped); !errors.Is(err, ErrDecrypt) {
		t.Errorf("unwrap with another participant's id = %v; want ErrDecrypt", err)
	}
	if _, err := k.unwrap(9, wrapped[:len(wrapped)-1]); !errors.Is(err, ErrDecrypt) {
		t.Errorf("unwrap of a truncated key = %v; want ErrDecrypt", err)
	}
}

// TestExportLeavesTheCache: an export reads every participant's key but
// caches none, so the keys of the participants active now stay cached;
// a participant's own read caches theirs.
func TestExportLeavesTheCache(t *testing.T) {
	ctx := context.Background()
	f := newShredFixture(t)
	texts := 0
	err := f.db.ReadExport(ctx, func(ExportHeader) error { return nil }, func(a ExportAnswer) error {
		if a.Text != "" && !a.Unreadable {
			texts++
		}
		return nil
	})
	if err != nil || texts != 2 {
		t.Fatalf("ReadExport: %d texts, %v; want 2", texts, err)
	}
	if n := f.db.keys.cache.len(); n != 0 {
		t.Errorf("after an export, %d keys cached; want 0", n)
	}
	if _, err := f.db.Answers(ctx, f.kept); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.db.keys.cache.get(f.kept); !ok {
		t.Errorf("a participant's own read did not cache their key")
	}
}
