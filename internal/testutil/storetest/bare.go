package storetest

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// BareInsert opens, in dir, the benchmarks' baseline: a bare go-sqlite3
// table under the store's durability pragmas (WAL, synchronous=FULL), and
// returns a function inserting one row per transaction through a
// prepared statement. The store's and the participant service's
// benchmarks measure against it in the same process, so they share one.
// Everything is closed when the test ends.
func BareInsert(tb testing.TB, dir string) func(ctx context.Context, question string, body []byte) error {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(dir, "bare.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_foreign_keys=on&_busy_timeout=5000")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE bare (id INTEGER PRIMARY KEY, question TEXT NOT NULL, body BLOB NOT NULL)`); err != nil {
		tb.Fatal(err)
	}
	stmt, err := db.PrepareContext(ctx, `INSERT INTO bare (question, body) VALUES (?, ?)`)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { stmt.Close() })
	return func(ctx context.Context, question string, body []byte) error {
		_, err := stmt.ExecContext(ctx, question, body)
		return err
	}
}
