package main_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDamagedRowExitCodes: with one stored answer damaged, export and
// digest carry on without it, say so on standard error (and in the About
// table, and the digest's notes), and exit 1 so that scripts notice.
func TestDamagedRowExitCodes(t *testing.T) {
	dir := exportFixture(t)
	raw, err := sql.Open("sqlite3", filepath.Join(dir, "peervoice.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE answers SET text = substr(text, 1, 20) WHERE rowid = (SELECT MIN(rowid) FROM answers WHERE text IS NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	r := peervoice(t, dir, "", nil, "export", "--format", "csv", "--out", "-", "--table", "about")
	if r.code != 1 || !strings.Contains(r.stderr, "1 answer(s) could not be decrypted") || !strings.Contains(r.stdout, "Unreadable,1 answer(s)") {
		t.Errorf("export with a damaged row: exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 1, the About row and a warning", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "Exported 1 answer from 1 participant") {
		t.Errorf("export with a damaged row did not export the rest:\n%s", r.stderr)
	}

	loc, _ := time.LoadLocation("Europe/London")
	year, week := time.Now().In(loc).ISOWeek()
	r = peervoice(t, dir, "", nil, "digest", "--period", fmt.Sprintf("%04d-W%02d", year, week))
	if r.code != 1 || !strings.Contains(r.stderr, "1 written answer(s) could not be decrypted") ||
		!strings.Contains(r.stdout, "1 written answer(s) could not be read") {
		t.Errorf("digest with a damaged row: exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 1, a note and a warning", r.code, r.stdout, r.stderr)
	}
}
