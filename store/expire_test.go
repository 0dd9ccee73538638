package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// TestMigration010KeepsEverySession runs migration 010 as Open does (one
// transaction, foreign keys on) over a database at 009 holding sessions
// in every status with answers: every row is kept as it was, every
// answer still has its session, and the new CHECK takes 'expired' only
// with its time.
func TestMigration010KeepsEverySession(t *testing.T) {
	ctx := context.Background()
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "m.db")+"?_foreign_keys=on&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	sort.Strings(names)
	var m010 string
	for _, name := range names {
		buf, _ := fs.ReadFile(migrationFS, name)
		if path.Base(name) >= "010" {
			if path.Base(name) == "010_session_expiry.sql" {
				m010 = string(buf)
			}
			continue
		}
		if _, err := raw.ExecContext(ctx, string(buf)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if m010 == "" {
		t.Fatal("no migration 010_session_expiry.sql")
	}
	at := "2026-01-02T00:00:00.000000000Z"
	for _, q := range []string{
		`INSERT INTO flow_versions VALUES ('h1', 'recovery', x'00', '` + at + `')`,
		`INSERT INTO participants (pseudonym, key_version, created_at) VALUES ('p1', 1, '` + at + `')`,
		`INSERT INTO sessions VALUES ('s-active', 1, 'recovery', 'h1', 'active', x'01', 2, '` + at + `', '` + at + `')`,
		`INSERT INTO sessions VALUES ('s-paused', 1, 'recovery', 'h1', 'paused', x'02', 2, '` + at + `', '` + at + `')`,
		`INSERT INTO sessions VALUES ('s-done', 1, 'recovery', 'h1', 'done', x'03', 2, '` + at + `', '` + at + `')`,
		`INSERT INTO answers VALUES ('s-paused', 'q', 'recovery', 'h1', 'text', NULL, x'0405', NULL, 0, 2, '` + at + `')`,
		`INSERT INTO answers VALUES ('s-done', 'q', 'recovery', 'h1', 'choice', '["a"]', NULL, NULL, 0, 2, '` + at + `')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	dump := func() string {
		var s string
		if err := raw.QueryRowContext(ctx, `SELECT group_concat(id || ':' || participant_id || ':' || flow_id || ':' || flow_version || ':' ||
			status || ':' || hex(state) || ':' || key_version || ':' || started_at || ':' || updated_at, ' ')
			FROM (SELECT * FROM sessions ORDER BY id)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := dump()

	// A migration rolled back (a crash) leaves the table as it was.
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, m010); err != nil {
		t.Fatalf("010: %v", err)
	}
	tx.Rollback()
	if got := dump(); got != before {
		t.Fatalf("after a rolled back 010 the sessions are\n%s\nwant\n%s", got, before)
	}

	tx, err = raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, m010); err != nil {
		t.Fatalf("010: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit 010: %v", err)
	}
	if got := dump(); got != before {
		t.Errorf("after 010 the sessions are\n%s\nwant\n%s", got, before)
	}
	var orphans int
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_foreign_key_check`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("foreign key check after 010: %d problems, %v", orphans, err)
	}
	var answers int
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM answers`).Scan(&answers); err != nil || answers != 2 {
		t.Errorf("answers after 010 = %d, %v; want 2", answers, err)
	}
	for _, tt := range []struct {
		q  string
		ok bool
	}{
		{`UPDATE sessions SET status = 'expired', expired_at = '` + at + `' WHERE id = 's-paused'`, true},
		{`UPDATE sessions SET status = 'expired' WHERE id = 's-active'`, false},                         // no time
		{`UPDATE sessions SET expired_at = '` + at + `' WHERE id = 's-done'`, false},                    // done, with a time
		{`UPDATE sessions SET status = 'gone', expired_at = '` + at + `' WHERE id = 's-active'`, false}, // no such status
		{`DELETE FROM sessions WHERE id = 's-done'`, false},                                             // its answer refers to it
	} {
		_, err := raw.ExecContext(ctx, tt.q)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err %v; want ok %v", tt.q, err, tt.ok)
		}
	}
}

// TestExpireSessions closes exactly the unfinished sessions idle since
// before the cut, keeps their answers, and refuses a later step to one.
func TestExpireSessions(t *testing.T) {
	ctx := context.Background()
	w := newRetentionWorld(t)
	w.session(t, "ana", "idle-paused", 40, StatusPaused)
	w.session(t, "bo", "idle-active", 31, StatusActive)
	w.session(t, "cy", "recent", 10, StatusPaused)
	w.session(t, "di", "old-done", 90, StatusDone)
	cut := w.now.AddDate(0, 0, -30)
	n, err := w.db.ExpireSessions(ctx, cut, time.Time{})
	if err != nil || n != 2 {
		t.Fatalf("ExpireSessions = %d, %v; want 2", n, err)
	}
	got := w.query(t, `SELECT group_concat(id || ':' || status || ':' || COALESCE(expired_at, '-'), ' ') FROM (SELECT * FROM sessions ORDER BY id)`)
	want := "idle-active:expired:" + formatTime(w.now) + " idle-paused:expired:" + formatTime(w.now) + " old-done:done:- recent:paused:-"
	if got != want {
		t.Errorf("sessions = %s; want %s", got, want)
	}
	if n := w.query(t, `SELECT COUNT(*) FROM answers`); n != "8" {
		t.Errorf("%s answers after expiry; want all 8 kept", n)
	}
	if ok, err := w.db.ExpireSession(ctx, "recent", cut, time.Time{}); ok || err != nil {
		t.Errorf("ExpireSession(recent) = %v, %v; want false: not idle long enough", ok, err)
	}
	s, err := w.db.Session(ctx, "idle-paused")
	if err != nil || s.Status != StatusExpired || !s.ExpiredAt.Equal(w.now) {
		t.Fatalf("Session(idle-paused) = %+v, %v; want expired now", s, err)
	}
	s.Status = StatusActive
	err = w.db.SaveStep(ctx, s, nil, nil)
	if err == nil || !errors.Is(err, ErrExpired) {
		t.Errorf("SaveStep to an expired session = %v; want ErrExpired", err)
	}
}
