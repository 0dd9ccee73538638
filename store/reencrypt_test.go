package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// oldParticipants is how many participants the old-format database has:
// three batches, the last one short.
const oldParticipants = 2*reencryptBatch + 7

// oldSecret is the old database's master secret, in its key file.
var oldSecret = bytes.Repeat([]byte{0x3c}, secretSize)

// oldText is participant i's free text.
func oldText(i int) string { return fmt.Sprintf("old words of participant %d about the ward", i) }

// writeOldDatabase makes a database as PeerVoice wrote it before
// migration 006: the schema of migrations 001 to 005, and every session
// state and free-text answer encrypted with the database key itself (key
// version 1). Participant 3's text is damaged already.
func writeOldDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(dbPath+".key", []byte(hex.EncodeToString(oldSecret)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := newKeyring(oldSecret)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+dbPath+"?_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	run := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	run(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT`)
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	sort.Strings(names)
	for _, name := range names {
		if path.Base(name) >= "006" {
			break
		}
		buf, _ := fs.ReadFile(migrationFS, name)
		run(string(buf))
		run(`INSERT INTO migrations VALUES (?, '2026-01-01T00:00:00.000000000Z')`, path.Base(name))
	}
	run(fmt.Sprintf(`PRAGMA application_id = %d`, applicationID))
	run(`INSERT INTO meta VALUES (?, ?)`, metaKeyCheck, k.checkValue())
	run(`INSERT INTO flow_versions VALUES ('h1', 'recovery', ?, '2026-01-01T00:00:00.000000000Z')`, []byte("id: recovery"))
	at := "2026-01-02T00:00:00.000000000Z"
	for i := 1; i <= oldParticipants; i++ {
		run(`INSERT INTO participants (pseudonym, key_version, created_at) VALUES (?, 1, ?)`, fmt.Sprintf("%064x", i), at)
		run(`INSERT INTO consents (participant_id, version, take_part, quotes, given_at) VALUES (?, '1', 1, 1, ?)`, i, at)
		sid := fmt.Sprintf("s%d", i)
		state := k.aead.Seal(nil, nil, []byte(`{"n":`+fmt.Sprint(i)+`}`), []byte(stateAD(sid)))
		run(`INSERT INTO sessions VALUES (?, ?, 'recovery', 'h1', 'done', ?, 1, ?, ?)`, sid, i, state, at, at)
		text := k.aead.Seal(nil, nil, []byte(oldText(i)), []byte(textAD(sid, "own_words")))
		if i == 3 {
			text = text[:len(text)-3] // cut short
		}
		run(`INSERT INTO answers VALUES (?, 'own_words', 'recovery', 'h1', 'text', NULL, ?, NULL, 0, 1, ?)`, sid, text, at)
		run(`INSERT INTO answers VALUES (?, 'agree', 'recovery', 'h1', 'choice', '["yes"]', NULL, NULL, 0, 1, ?)`, sid, at)
	}
	return dbPath
}

// progress returns the re-encryption's recorded progress and how many
// rows are still under the database key.
func progress(t *testing.T, dbPath string) (string, int) {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var p sql.NullString
	var old int
	err = raw.QueryRow(`SELECT (SELECT CAST(value AS TEXT) FROM meta WHERE key = ?),
		(SELECT COUNT(*) FROM answers WHERE key_version = 1) + (SELECT COUNT(*) FROM sessions WHERE key_version = 1)`,
		metaReencrypt).Scan(&p, &old)
	if err != nil {
		t.Fatal(err)
	}
	return p.String, old
}

// checkMigrated opens the database and checks that every answer reads
// back under its participant's key, but the damaged one.
func checkMigrated(t *testing.T, dbPath string) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, dbPath, Options{})
	if err != nil {
		t.Fatalf("Open(old database) = %v", err)
	}
	defer db.Close()
	if p, old := progress(t, dbPath); p != reencryptDone || old != 1 {
		t.Errorf("after the migration: progress %q, %d rows under the database key; want %q and 1 (the damaged one)", p, old, reencryptDone)
	}
	for i := int64(1); i <= oldParticipants; i++ {
		as, err := db.Answers(ctx, i)
		if err != nil || len(as) != 2 {
			t.Fatalf("Answers(%d) = %+v, %v; want 2 answers", i, as, err)
		}
		for _, a := range as {
			switch {
			case a.QuestionID == "agree":
			case i == 3 && !a.Unreadable:
				t.Errorf("participant 3's damaged answer reads %q; want it Unreadable", a.Text)
			case i != 3 && (a.Unreadable || a.Text != oldText(int(i))):
				t.Errorf("participant %d's answer = %q (unreadable %v); want %q", i, a.Text, a.Unreadable, oldText(int(i)))
			}
		}
		ss, err := db.Sessions(ctx, i)
		if err != nil || len(ss) != 1 || ss[0].Unreadable || string(ss[0].State) != `{"n":`+fmt.Sprint(i)+`}` {
			t.Errorf("Sessions(%d) = %+v, %v; want the session's state", i, ss, err)
		}
	}
	var sealed []byte
	if err := db.rd.QueryRow(`SELECT text FROM answers WHERE session_id = 's1' AND question_id = 'own_words'`).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if _, err := db.keys.open(keyVersionDatabase, nil, textAD("s1", "own_words"), sealed); !errors.Is(err, ErrDecrypt) {
		t.Errorf("a migrated answer still opens with the database key: %v", err)
	}
	// A new participant's answer is under their own key from the start.
	p, err := db.EnsureParticipant(ctx, db.Pseudonym("discord", "new"))
	if err != nil {
		t.Fatal(err)
	}
	s := Session{ID: "new", ParticipantID: p.ID, FlowID: "recovery", FlowVersion: "h1", Status: StatusActive, State: []byte(`{}`)}
	if err := db.SaveStep(ctx, s, []Answer{{QuestionID: "own_words", Kind: "text", Text: "new words"}}, nil); err != nil {
		t.Fatal(err)
	}
	if as, err := db.Answers(ctx, p.ID); err != nil || len(as) != 1 || as[0].Text != "new words" {
		t.Errorf("Answers(new participant) = %+v, %v", as, err)
	}
}

func TestReencryptOldDatabase(t *testing.T) {
	dbPath := writeOldDatabase(t)
	checkMigrated(t, dbPath)
	// Opening again finds the migration done and changes nothing.
	before, _ := progress(t, dbPath)
	checkMigrated(t, dbPath)
	if after, _ := progress(t, dbPath); after != before {
		t.Errorf("progress changed on a second open: %q, then %q", before, after)
	}
}

// TestReencryptInterrupted stops the migration after its first batch,
// by cancelling Open's context, and checks that the next Open resumes it
// from the progress recorded.
func TestReencryptInterrupted(t *testing.T) {
	dbPath := writeOldDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	afterReencryptBatch = func(batch int) { cancel() }
	t.Cleanup(func() { afterReencryptBatch = nil })
	if db, err := Open(ctx, dbPath, Options{}); err == nil {
		db.Close()
		t.Fatal("Open with a context cancelled during the migration succeeded")
	}
	afterReencryptBatch = nil
	p, old := progress(t, dbPath)
	if p != fmt.Sprint(reencryptBatch) || old == 0 {
		t.Fatalf("after an interrupted run: progress %q, %d rows left; want %d and some", p, old, reencryptBatch)
	}
	checkMigrated(t, dbPath)
}

// TestReencryptKilled kills a process with SIGKILL (kill -9) right after
// the migration's first batch commits, and checks that the next Open
// resumes it. The process is this test binary, run again.
func TestReencryptKilled(t *testing.T) {
	if dbPath := os.Getenv("PEERVOICE_TEST_REENCRYPT_KILL"); dbPath != "" {
		afterReencryptBatch = func(int) { syscall.Kill(os.Getpid(), syscall.SIGKILL) }
		Open(context.Background(), dbPath, Options{})
		t.Fatal("the migration ended without its first batch")
	}
	dbPath := writeOldDatabase(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestReencryptKilled$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PEERVOICE_TEST_REENCRYPT_KILL="+dbPath)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !strings.Contains(ee.String(), "killed") {
		t.Fatalf("child = %v; want it killed by SIGKILL\n%s", err, out)
	}
	if p, old := progress(t, dbPath); p != fmt.Sprint(reencryptBatch) || old == 0 {
		t.Fatalf("after kill -9: progress %q, %d rows left; want %d and some", p, old, reencryptBatch)
	}
	checkMigrated(t, dbPath)
}
