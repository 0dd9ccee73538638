package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestCopyBeforeWithdrawal: a copy of the database and its -wal taken
// before a withdrawal (a backup, a snapshot of the disk), opened after it
// with the current key file and keyring, cannot give back the withdrawn
// participant's words: their key is in neither the copy nor the keyring.
// The participant who stayed reads as before, so the copy is usable.
func TestCopyBeforeWithdrawal(t *testing.T) {
	ctx := context.Background()
	f := newShredFixture(t)
	wrapped, err := f.db.ring.wrappedKey(ctx, f.gone)
	if err != nil || wrapped == nil {
		t.Fatalf("no key for the participant: %v", err)
	}
	// A step in the log too, so that the copy has a -wal.
	s := Session{ID: "s1", ParticipantID: f.gone, FlowID: "recovery", FlowVersion: "h1", Status: StatusActive, State: []byte(`{}`)}
	if err := f.db.SaveStep(ctx, s, []Answer{{QuestionID: "more", Kind: "text", Text: goneWords + " (more)"}}, nil); err != nil {
		t.Fatal(err)
	}
	backup := copyFiles(t, f.path, t.TempDir())
	if len(fileBytes(t, backup+"-wal")) == 0 {
		t.Fatal("the copy has no -wal; the test no longer covers a copy of the log")
	}

	if err := f.db.Withdraw(ctx, f.gone); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}

	for _, suffix := range []string{"", "-wal", "-shm"} {
		buf := fileBytes(t, backup+suffix)
		if bytes.Contains(buf, []byte(goneWords)) || bytes.Contains(buf, wrapped) {
			t.Errorf("the copy's %q file holds the text in clear or the wrapped key", suffix)
		}
	}
	copied, err := Open(ctx, backup, Options{SecretFile: f.path + ".key", KeyringFile: f.path + ".keyring", MustExist: true})
	if err != nil {
		t.Fatalf("Open(the copy, the current key file and keyring) = %v", err)
	}
	defer copied.Close()
	as, err := copied.Answers(ctx, f.gone)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) == 0 {
		t.Fatal("the copy holds no answers of the withdrawn participant; the test no longer covers reading them")
	}
	for _, a := range as {
		if !a.Unreadable || a.Text != "" {
			t.Errorf("the copy gives back %q (unreadable %v) of the withdrawn participant; want it unreadable", a.Text, a.Unreadable)
		}
	}
	err = copied.ReadExport(ctx, func(ExportHeader) error { return nil }, func(a ExportAnswer) error {
		if strings.Contains(a.Text, goneWords) {
			t.Errorf("the copy's export gives back the withdrawn participant's words")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if as, err := copied.Answers(ctx, f.kept); err != nil || len(as) != 1 || as[0].Text != keptWords {
		t.Errorf("the copy's Answers(kept) = %+v, %v; want their words", as, err)
	}
}

// killChild runs this test binary again as a child that runs test with
// PEERVOICE_TEST_KEYRING_KILL set to arg, and checks that it was killed
// by SIGKILL (the child's hooks kill it between two writes).
func killChild(t *testing.T, test, arg string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PEERVOICE_TEST_KEYRING_KILL="+arg)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !strings.Contains(ee.String(), "killed") {
		t.Fatalf("child = %v; want it killed by SIGKILL\n%s", err, out)
	}
}

func killSelf() { syscall.Kill(os.Getpid(), syscall.SIGKILL) }

// rawCount counts rows of the file name with query, without the store.
func rawCount(t *testing.T, name, query string, args ...any) int {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+name+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestWithdrawKilled kills a process (kill -9) after a withdrawal has
// deleted the key from the keyring and before it deletes the rows. The
// rows left are unreadable, and the next Open finishes the withdrawal.
func TestWithdrawKilled(t *testing.T) {
	ctx := context.Background()
	if path := os.Getenv("PEERVOICE_TEST_KEYRING_KILL"); path != "" {
		db, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		afterKeyShredded = func(int64) { killSelf() }
		db.Withdraw(ctx, 1)
		t.Fatal("the withdrawal ended without deleting the key")
	}
	f := newShredFixture(t)
	if f.gone != 1 {
		t.Fatalf("the participant who withdraws is %d; the child withdraws 1", f.gone)
	}
	f.db.Close()
	killChild(t, "TestWithdrawKilled", f.path)
	ring := f.path + ".keyring"
	if n := rawCount(t, ring, `SELECT COUNT(*) FROM participant_keys WHERE participant_id = ?`, f.gone); n != 0 {
		t.Fatalf("after kill -9, the keyring holds %d keys of the participant; want the key deleted first", n)
	}
	if n := rawCount(t, f.path, `SELECT COUNT(*) FROM sessions WHERE participant_id = ?`, f.gone); n == 0 {
		t.Fatal("after kill -9, the participant's rows are gone already; the test no longer stops between the two")
	}
	db := mustOpen(t, f.path)
	if as, err := db.Answers(ctx, f.gone); err == nil && len(as) > 0 {
		t.Errorf("after reopening, Answers(withdrawn) = %+v; want the withdrawal finished", as)
	}
	if st, err := db.Stats(ctx); err != nil || st.Participants != 1 || st.Sessions != 1 {
		t.Errorf("after reopening, Stats() = %+v, %v; want the one participant who stayed", st, err)
	}
	if n := rawCount(t, ring, `SELECT COUNT(*) FROM pending`); n != 0 {
		t.Errorf("after reopening, %d changes still pending in the keyring; want 0", n)
	}
	if as, err := db.Answers(ctx, f.kept); err != nil || len(as) != 1 || as[0].Text != keptWords {
		t.Errorf("Answers(kept) = %+v, %v; want their words", as, err)
	}
}

// TestNewKeyKilled kills a process after a new participant's key is
// committed to the keyring and before the participant is: the next Open
// deletes the key, which encrypted nothing, and a new participant gets a
// key of their own.
func TestNewKeyKilled(t *testing.T) {
	ctx := context.Background()
	if path := os.Getenv("PEERVOICE_TEST_KEYRING_KILL"); path != "" {
		db, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		afterKeyStored = func(int64) { killSelf() }
		db.EnsureParticipant(ctx, db.Pseudonym("discord", "333333333333333333"))
		t.Fatal("EnsureParticipant ended without storing a key")
	}
	f := newShredFixture(t)
	f.db.Close()
	killChild(t, "TestNewKeyKilled", f.path)
	ring := f.path + ".keyring"
	if n := rawCount(t, ring, `SELECT COUNT(*) FROM participant_keys`); n != 3 {
		t.Fatalf("after kill -9, the keyring holds %d keys; want 3 (the new one committed first)", n)
	}
	if n := rawCount(t, f.path, `SELECT COUNT(*) FROM participants`); n != 2 {
		t.Fatalf("after kill -9, %d participants; want 2 (the new one not committed)", n)
	}
	db := mustOpen(t, f.path)
	if n := rawCount(t, ring, `SELECT COUNT(*) FROM participant_keys`); n != 2 {
		t.Errorf("after reopening, the keyring holds %d keys; want the orphan deleted, 2 left", n)
	}
	if n := rawCount(t, ring, `SELECT COUNT(*) FROM pending`); n != 0 {
		t.Errorf("after reopening, %d changes still pending in the keyring; want 0", n)
	}
	p, err := db.EnsureParticipant(ctx, db.Pseudonym("discord", "333333333333333333"))
	if err != nil {
		t.Fatal(err)
	}
	s := Session{ID: "s3", ParticipantID: p.ID, FlowID: "recovery", FlowVersion: "h1", Status: StatusActive, State: []byte(`{}`)}
	if err := db.SaveStep(ctx, s, []Answer{{QuestionID: "own_words", Kind: "text", Text: "new words"}}, nil); err != nil {
		t.Fatal(err)
	}
	if as, err := db.Answers(ctx, p.ID); err != nil || len(as) != 1 || as[0].Text != "new words" {
		t.Errorf("Answers(new) = %+v, %v; want their words", as, err)
	}
	if n := rawCount(t, ring, `SELECT COUNT(*) FROM pending`); n != 0 {
		t.Errorf("after a new participant, %d changes pending in the keyring; want 0", n)
	}
}
