package main_test

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/peervoice/peervoice/store" // the sqlite3 driver
	"github.com/peervoice/peervoice/uitext"
)

// rawDB opens the study's database file directly, as a reader of the
// bytes would, to age rows and read ciphertexts.
func rawDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "peervoice.db")+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// inDBFiles reports whether b is in the database file or its -wal.
func inDBFiles(t *testing.T, dir string, b []byte) bool {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		buf, err := os.ReadFile(filepath.Join(dir, "peervoice.db"+suffix))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(buf, b) {
			return true
		}
	}
	return false
}

// TestRetentionRunBinary: two participants answer own_words in chat; one
// answer is aged 40 days. With retention.free_text at 30d, `retention run
// --dry-run` says it would delete one answer's words and deletes nothing;
// `retention run` deletes them, and says the same counts, and the
// ciphertext is gone from the database's bytes while the newer answer's
// stays. Without a period, or with a bad one, it refuses.
func TestRetentionRunBinary(t *testing.T) {
	dir := t.TempDir()
	for _, u := range []struct{ id, words string }{{"olduser", "words from long ago"}, {"newuser", "words from this week"}} {
		if r := peervoice(t, dir, "1\n1\n"+u.words+"\n", nil, "chat", "--user", u.id, "--flow", "recovery"); r.code != 0 {
			t.Fatalf("chat as %s: exit %d\n%s", u.id, r.code, r.stderr)
		}
	}
	raw := rawDB(t, dir)
	sealed := map[string][]byte{}
	rows, err := raw.Query(`SELECT a.answered_at, a.text FROM answers a WHERE a.text IS NOT NULL ORDER BY a.answered_at`)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for rows.Next() {
		var at string
		var b []byte
		if err := rows.Scan(&at, &b); err != nil {
			t.Fatal(err)
		}
		order = append(order, at)
		sealed[at] = b
	}
	rows.Close()
	if len(order) != 2 {
		t.Fatalf("%d free-text answers stored; want 2", len(order))
	}
	oldAt, newAt := order[0], order[1]
	if _, err := raw.Exec(`UPDATE answers SET answered_at = strftime('%Y-%m-%dT%H:%M:%S.000000000Z', 'now', '-40 days') WHERE answered_at = ?`, oldAt); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if !inDBFiles(t, dir, sealed[oldAt]) {
		t.Fatal("the old answer's ciphertext is not in the files before retention: the search cannot fail")
	}

	env := []string{"PEERVOICE_RETENTION_FREE_TEXT=30d"}
	want := "the words of 1 free-text answer(s), 0 whole answer(s) and 0 session(s) left empty\n"
	r := peervoice(t, dir, "", env, "retention", "run", "--dry-run")
	if r.code != 0 || r.stdout != "retention (free text 30d, answers off): would delete "+want {
		t.Fatalf("retention run --dry-run: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	if !inDBFiles(t, dir, sealed[oldAt]) {
		t.Fatal("--dry-run deleted the old answer's words")
	}
	r = peervoice(t, dir, "", env, "retention", "run")
	if r.code != 0 || r.stdout != "retention (free text 30d, answers off): deleted "+want {
		t.Fatalf("retention run: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	if inDBFiles(t, dir, sealed[oldAt]) {
		t.Error("the old answer's ciphertext is still in the database's files")
	}
	if !inDBFiles(t, dir, sealed[newAt]) {
		t.Error("the newer answer's ciphertext is gone; want it kept")
	}
	var texts int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM answers WHERE text IS NOT NULL`).Scan(&texts); err != nil || texts != 1 {
		t.Errorf("answers with text = %d, %v; want 1", texts, err)
	}
	if r := peervoice(t, dir, "", nil, "mydata", "--user", "newuser"); !strings.Contains(r.stdout, "words from this week") {
		t.Errorf("mydata of the newer participant lacks their words:\n%s", r.stdout)
	}

	// The run, not the dry run, is on the audit log, with counts only.
	r = peervoice(t, dir, "", nil, "audit", "--action", "retention")
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); r.code != 0 || len(lines) != 1 || !strings.Contains(lines[0], "\tcli:") ||
		!strings.Contains(lines[0], "\tretention.run\tanswers\tok\t") || strings.Contains(lines[0], "newuser") {
		t.Errorf("audit --action retention: exit %d\n%s\nwant the one run, by the person at the shell", r.code, r.stdout)
	}

	if r := peervoice(t, dir, "", nil, "retention", "run"); r.code != 1 || !strings.Contains(r.stderr, "no retention period is set") {
		t.Errorf("retention run without a period: exit %d\n%s", r.code, r.stderr)
	}
	r = peervoice(t, dir, "", []string{"PEERVOICE_RETENTION_ANSWERS=3"}, "retention", "run")
	if r.code != 1 || !strings.Contains(r.stderr, "config: retention.answers = \"3\": expected a duration such as 30d") {
		t.Errorf("retention run with answers = 3: exit %d\n%s", r.code, r.stderr)
	}
}

// TestChatAfterExpiry: a participant who left recovery unfinished more
// than sessions.expire_after ago starts afresh in chat and is told, kindly,
// that their earlier answers were kept; those answers are still exported.
func TestChatAfterExpiry(t *testing.T) {
	dir := t.TempDir()
	if r := peervoice(t, dir, "1\n1\nan answer left half way\n", nil, "chat", "--user", "sam", "--flow", "recovery"); r.code != 0 {
		t.Fatalf("chat: exit %d\n%s", r.code, r.stderr)
	}
	raw := rawDB(t, dir)
	if _, err := raw.Exec(`UPDATE sessions SET updated_at = strftime('%Y-%m-%dT%H:%M:%S.000000000Z', 'now', '-31 days')`); err != nil {
		t.Fatal(err)
	}
	r := peervoice(t, dir, "", nil, "chat", "--user", "sam", "--flow", "recovery")
	if r.code != 0 || !strings.Contains(r.stdout, uitext.T("en", uitext.ExpiredKept)) {
		t.Fatalf("chat after 31 days: exit %d; want the kind message in:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var expired int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM sessions WHERE status = 'expired' AND expired_at IS NOT NULL`).Scan(&expired); err != nil || expired != 1 {
		t.Errorf("expired sessions = %d, %v; want 1", expired, err)
	}
	r = peervoice(t, dir, "", nil, "export", "--format", "csv", "--out", "-", "--table", "answers")
	if r.code != 0 || !strings.Contains(r.stdout, "an answer left half way") || !strings.Contains(r.stdout, ",partial") {
		t.Errorf("export after expiry: exit %d; want the old answer, marked partial:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := peervoice(t, dir, "", []string{"PEERVOICE_SESSIONS_EXPIRE_AFTER=30"}, "chat", "--user", "sam"); r.code != 1 || !strings.Contains(r.stderr, "sessions.expire_after") {
		t.Errorf("chat with expire_after = 30: exit %d\n%s", r.code, r.stderr)
	}
}

// quoteIDLine finds the first quote id `quotes list` prints.
var quoteIDLine = regexp.MustCompile(`(?m)\b([0-9a-f]{12,})\b`)

// TestRetentionForgetsQuoteReviews: a quote approved in the terminal
// whose words retention deletes loses its review too: the database keeps
// nothing of it.
func TestRetentionForgetsQuoteReviews(t *testing.T) {
	dir := t.TempDir()
	if r := peervoice(t, dir, "1\n1\nrecovery is getting my own life back\n", nil, "chat", "--user", "quoted", "--flow", "recovery"); r.code != 0 {
		t.Fatalf("chat: exit %d\n%s", r.code, r.stderr)
	}
	raw := rawDB(t, dir)
	for _, q := range []string{
		`UPDATE answers SET answered_at = strftime('%Y-%m-%dT%H:%M:%S.000000000Z', 'now', '-40 days')`,
		`UPDATE sessions SET started_at = strftime('%Y-%m-%dT%H:%M:%S.000000000Z', 'now', '-40 days'), updated_at = strftime('%Y-%m-%dT%H:%M:%S.000000000Z', 'now', '-40 days')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	r := peervoice(t, dir, "", nil, "quotes", "list", "--all")
	id := quoteIDLine.FindStringSubmatch(r.stdout)
	if r.code != 0 || id == nil {
		t.Fatalf("quotes list --all: exit %d, no quote id in:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := peervoice(t, dir, "", nil, "quotes", "approve", id[1]); r.code != 0 {
		t.Fatalf("quotes approve %s: exit %d\n%s\n%s", id[1], r.code, r.stdout, r.stderr)
	}
	checkReviewTable(t, dir, 1)
	if r := peervoice(t, dir, "", []string{"PEERVOICE_RETENTION_FREE_TEXT=30d"}, "retention", "run"); r.code != 0 {
		t.Fatalf("retention run: exit %d\n%s", r.code, r.stderr)
	}
	checkReviewTable(t, dir, 0, id[1])
}

// TestRunHousekeeping: `peervoice run` closes a session left unfinished
// past sessions.expire_after and applies retention on start (then hourly
// and daily), logging what it did; the rows show it.
func TestRunHousekeeping(t *testing.T) {
	dir := t.TempDir()
	for _, u := range []string{"idle", "fresh"} {
		if r := peervoice(t, dir, "1\n1\nwords of "+u+"\n", nil, "chat", "--user", u, "--flow", "recovery"); r.code != 0 {
			t.Fatalf("chat as %s: exit %d\n%s", u, r.code, r.stderr)
		}
	}
	raw := rawDB(t, dir)
	// The first session stored is idle's: 40 days idle, its words 40 days old.
	for _, q := range []string{
		`UPDATE sessions SET updated_at = strftime('%Y-%m-%dT%H:%M:%S.000000000Z', 'now', '-40 days') WHERE rowid = (SELECT MIN(rowid) FROM sessions WHERE flow_id = 'recovery')`,
		`UPDATE answers SET answered_at = strftime('%Y-%m-%dT%H:%M:%S.000000000Z', 'now', '-40 days') WHERE session_id = (SELECT id FROM sessions WHERE status = 'paused' ORDER BY updated_at LIMIT 1)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	e := newEmulator(t)
	logs, stop := startBot(t, dir, []string{"PEERVOICE_DISCORD_TOKEN=" + e.Token(), "PEERVOICE_DISCORD_API_URL=" + e.URL(),
		"PEERVOICE_RETENTION_FREE_TEXT=30d"})
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), "retention: deleted") {
		if time.Now().After(deadline) {
			t.Fatalf("the bot never ran retention:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if !strings.Contains(logs.String(), "closed sessions left unfinished as partial responses") || !strings.Contains(logs.String(), "sessions=1") {
		t.Errorf("the bot's log does not say it closed one session:\n%s", logs.String())
	}
	var got string
	if err := raw.QueryRow(`SELECT group_concat(s.status || ':' || (a.text IS NOT NULL), ' ') FROM (SELECT * FROM sessions ORDER BY updated_at) s
		JOIN answers a ON a.session_id = s.id WHERE s.flow_id = 'recovery'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "expired:0 paused:1" {
		t.Errorf("sessions and their words after the bot started = %q; want the idle one expired without its words, the fresh one as it was", got)
	}
}
