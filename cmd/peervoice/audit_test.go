package main_test

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/audit"
)

// participantName is the terminal participant of these tests: distinctive,
// so that finding it anywhere in the audit table is a leak, not chance.
const participantName = "zebulon-quill"

// auditStudy makes a study whose audit log holds an unscrubbed export, a
// digest preview and a command-line withdrawal, by the real binary, and
// returns its directory, with the participant's pseudonym (read before
// the withdrawal deleted it).
func auditStudy(t *testing.T) (dir, pseudonym string) {
	t.Helper()
	dir = t.TempDir()
	if r := peervoice(t, dir, "1\n1\nmy words about zebulon\n", nil, "chat", "--user", participantName, "--flow", "recovery"); r.code != 0 {
		t.Fatalf("chat: exit %d\n%s", r.code, r.stderr)
	}
	pseudonym = sqlString(t, filepath.Join(dir, "peervoice.db"), `SELECT pseudonym FROM participants`)
	steps := [][]string{
		{"export", "--format", "csv", "--out", "out", "--unscrubbed"},
		{"digest"},
		{"withdraw", "--user", participantName, "--yes"},
	}
	for _, args := range steps {
		if r := peervoice(t, dir, "", nil, args...); r.code != 0 {
			t.Fatalf("%s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	return dir, pseudonym
}

func sqlString(t *testing.T, path, q string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s string
	if err := db.QueryRow(q).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

// tamper copies the study at dir and runs stmts on the copy's database
// directly, as someone with the file would; it returns the copy.
func tamper(t *testing.T, dir string, stmts ...string) string {
	t.Helper()
	to := t.TempDir()
	matches, err := filepath.Glob(filepath.Join(dir, "peervoice.db*"))
	if err != nil || len(matches) == 0 {
		t.Fatalf("no database files in %s: %v", dir, err)
	}
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(m)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite3", filepath.Join(to, "peervoice.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return to
}

// TestAuditListsCommandLineActions: the export (its format, and that it
// was not scrubbed), the digest preview and the withdrawal are listed,
// as text and as JSON, by the person at the shell, and the withdrawal
// names no one.
func TestAuditListsCommandLineActions(t *testing.T) {
	dir, _ := auditStudy(t)
	r := peervoice(t, dir, "", nil, "audit")
	if r.code != 0 {
		t.Fatalf("audit: exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	// First the built-in flows, imported into the new study as its
	// first versions, by the pack's files.
	imports := importsFirst(t, lines)
	lines = lines[imports:]
	if len(lines) != 3 {
		t.Fatalf("audit lists %d lines after the imports; want 3:\n%s", len(lines), r.stdout)
	}
	me := "cli:" + currentUser(t)
	wants := [][]string{
		{fmt.Sprint(imports+1, "\t"), "\t" + me + "\t", "\texport\tout\tok\tformat=csv scrubbed=false"},
		{fmt.Sprint(imports+2, "\t"), "\t" + me + "\t", "\tdigest.preview\t", "\tok\tformat=md"},
		{fmt.Sprint(imports+3, "\t"), "\tcli\twithdraw\t-\tok\ta participant's data was deleted; who is not recorded"},
	}
	for i, want := range wants {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d = %q; want it to hold %q", i+1, lines[i], w)
			}
		}
	}
	r = peervoice(t, dir, "", nil, "audit", "--json", "--action", "export", "--since", time.Now().UTC().Add(-time.Hour).Format(time.RFC3339))
	var got []audit.Entry
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var e audit.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit --json line %q: %v", sc.Text(), err)
		}
		got = append(got, e)
	}
	if len(got) != 1 || got[0].Action != "export" || got[0].Actor != (audit.Actor{Kind: audit.KindCLI, ID: currentUser(t)}) || got[0].Hash != audit.Hash(got[0].Prev, got[0]) {
		t.Errorf("audit --json --action export = %+v; want the export, by %s, with its hash", got, me)
	}
	if r := peervoice(t, dir, "", nil, "audit", "--since", "yesterday"); r.code == 0 || !strings.Contains(r.stderr, `--since "yesterday": want a date`) {
		t.Errorf("audit --since yesterday: exit %d, %s; want the format named", r.code, r.stderr)
	}
}

// importsFirst returns how many of the audit lines, at their start, are
// the built-in flows' first versions imported from the pack, and fails
// t if there are none or any comes later.
func importsFirst(t *testing.T, lines []string) int {
	t.Helper()
	n := 0
	for n < len(lines) && strings.Contains(lines[n], "\tfile\tflows.import\t") {
		n++
	}
	for _, l := range lines[n:] {
		if strings.Contains(l, "\tflows.import\t") {
			t.Errorf("a flow was imported after the study began: %q", l)
		}
	}
	if n == 0 {
		t.Error("the pack's flows, the study's first versions, are not on the audit log")
	}
	return n
}

func currentUser(t *testing.T) string {
	t.Helper()
	u, err := user.Current()
	if err != nil || u.Username == "" {
		t.Skip("the OS user name is unknown here")
	}
	return u.Username
}

// TestAuditNeverNamesParticipants: after a participant's chat, an export,
// a digest and their withdrawal on the command line, the audit table holds
// neither their name (their terminal id) nor their pseudonym.
func TestAuditNeverNamesParticipants(t *testing.T) {
	dir, pseudonym := auditStudy(t)
	raw := sqlString(t, filepath.Join(dir, "peervoice.db"),
		`SELECT group_concat(seq || at || actor_kind || actor_id || actor_name || action || target || outcome || details || prev || hash, '|') FROM audit`)
	for _, needle := range []string{participantName, "zebulon", pseudonym} {
		if strings.Contains(raw, needle) {
			t.Errorf("the audit table holds %q:\n%s", needle, raw)
		}
	}
}

// TestAuditVerify: verify passes on the real log, and fails, naming the
// first bad entry, on a copy with an entry edited, one deleted and one
// inserted by someone who dropped the triggers and went at the file.
func TestAuditVerify(t *testing.T) {
	dir, _ := auditStudy(t)
	imports := importsFirst(t, strings.Split(strings.TrimSpace(peervoice(t, dir, "", nil, "audit").stdout), "\n"))
	r := peervoice(t, dir, "", nil, "audit", "verify")
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprint(imports+3, " entries, chain intact.")) || !strings.Contains(r.stdout, "Last hash: ") {
		t.Fatalf("audit verify on a real log: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	db := filepath.Join(dir, "peervoice.db")
	row1 := audit.Entry{Seq: 1, Prev: "", Hash: sqlString(t, db, `SELECT hash FROM audit WHERE seq = 1`)}
	forged := audit.Chain(row1, audit.Entry{At: time.Now(), Actor: audit.Actor{Kind: audit.KindSystem}, Action: "digest.post", Target: "2026-W01", Outcome: audit.OK})
	const drop = `DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete`
	tests := []struct {
		name  string
		stmts []string
		want  string
	}{
		{"edited", []string{drop, `UPDATE audit SET details = 'format=csv scrubbed=true' WHERE action = 'export'`},
			fmt.Sprint("entry ", imports+1, ": its hash does not match its fields: it was edited")},
		{"deleted", []string{drop, `DELETE FROM audit WHERE seq = 2`},
			"entry 3: expected entry 2 next: entries 2 to 2 are missing (deleted)"},
		{"inserted", []string{drop,
			`UPDATE audit SET seq = seq + 1000 WHERE seq >= 2`, `UPDATE audit SET seq = seq - 999 WHERE seq >= 1000`,
			`INSERT INTO audit (seq, at, actor_kind, actor_id, actor_name, action, target, outcome, details, prev, hash) VALUES (2, '` +
				forged.At.Format(audit.TimeFormat) + `', 'system', '', '', 'digest.post', '2026-W01', 'ok', '', '` + forged.Prev + `', '` + forged.Hash + `')`},
			"entry 3: its prev is not the previous entry's hash: an entry was inserted before it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			copyDir := tamper(t, dir, tt.stmts...)
			r := peervoice(t, copyDir, "", nil, "audit", "verify")
			if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("audit verify: exit %d\nstdout: %s\nstderr: %s\nwant exit 1 and %q", r.code, r.stdout, r.stderr, tt.want)
			}
		})
	}
}

// TestAuditConfigAtStart: each `peervoice run` records the configuration
// it started with, once: the server, the channels and the roles, so that
// a change between two starts is on the record.
func TestAuditConfigAtStart(t *testing.T) {
	e := newEmulator(t)
	study := e.AddGuild("Peer support")
	dir := t.TempDir()
	env := []string{"PEERVOICE_DISCORD_TOKEN=" + e.Token(), "PEERVOICE_DISCORD_API_URL=" + e.URL(), "PEERVOICE_DISCORD_GUILD_ID=" + study.ID,
		"PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID=111111111111111111", "PEERVOICE_ROLES_MODERATOR=222222222222222222"}
	_, stop := startBot(t, dir, env)
	stop()
	_, stop = startBot(t, dir, append(env, "PEERVOICE_ROLES_RESEARCHER=333333333333333333"))
	stop()
	r := peervoice(t, dir, "", nil, "audit", "--action", "config")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 2 {
		t.Fatalf("audit --action config: exit %d, %d lines; want 2\n%s\n%s", r.code, len(lines), r.stdout, r.stderr)
	}
	want := "\tconfig.start\t-\tok\tguild_id=" + study.ID + " research_channel_id=111111111111111111 moderator_channel_id=(none) roles.moderator=222222222222222222 roles.researcher="
	for i, role := range []string{"(none)", "333333333333333333"} {
		if !strings.Contains(lines[i], want+role) {
			t.Errorf("start %d is recorded as %q; want it to hold %q", i+1, lines[i], want+role)
		}
	}
}
