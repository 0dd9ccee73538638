package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMigrationNumbersWaves runs migration 012's numbering over sessions
// stored before it (every one wave 1): each participant's sessions of a
// flow are numbered in the order they started, the id breaking a tie.
func TestMigrationNumbersWaves(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "peervoice.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var pids []int64
	for _, user := range []string{"1", "2"} {
		p, err := db.EnsureParticipant(ctx, db.Pseudonym("test", user))
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, p.ID)
	}
	if err := db.SaveFlowVersion(ctx, FlowVersion{Hash: "h", FlowID: "f", Source: []byte("id: f\n")}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	sessions := []struct {
		id      string
		pid     int64
		started time.Time
		want    int
	}{
		{"late", pids[0], t0.Add(48 * time.Hour), 3},
		{"early", pids[0], t0, 1},
		{"tie-b", pids[0], t0.Add(time.Hour), 2},
		{"other", pids[1], t0.Add(time.Hour), 1},
	}
	for _, s := range sessions {
		if err := db.SaveStep(ctx, Session{ID: s.id, ParticipantID: s.pid, FlowID: "f", FlowVersion: "h", Status: StatusDone,
			State: []byte("{}"), StartedAt: s.started, UpdatedAt: s.started}, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	// As before migration 012: no numbers.
	if _, err := db.wr.ExecContext(ctx, `DROP INDEX sessions_wave; UPDATE sessions SET wave = 1`); err != nil {
		t.Fatal(err)
	}
	src, err := migrationFS.ReadFile("migrations/012_session_waves.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(src), "CHECK (wave >= 1);")
	if !ok {
		t.Fatal("migration 012 no longer adds the column as this test expects")
	}
	if _, err := db.wr.ExecContext(ctx, rest); err != nil {
		t.Fatalf("migration 012's numbering: %v", err)
	}
	for _, s := range sessions {
		got, err := db.Session(ctx, s.id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Wave != s.want {
			t.Errorf("after migration 012, session %q is wave %d; want %d", s.id, got.Wave, s.want)
		}
	}
}
