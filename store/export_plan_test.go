package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportAnswersPlan checks that SQLite reads the export's answers in
// index order: a sort would hold a million rows in a temporary B-tree.
func TestExportAnswersPlan(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "peervoice.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.rd.QueryContext(ctx, "EXPLAIN QUERY PLAN "+exportAnswersQuery)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	got := strings.Join(plan, "; ")
	if strings.Contains(got, "TEMP B-TREE") || !strings.Contains(got, "sessions_participant") {
		t.Errorf("plan of the export query: %s; want the sessions walked by sessions_participant and no sort", got)
	}
}
