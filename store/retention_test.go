package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// retentionWorld is a database with old and new answers of two
// participants: each old session has a free-text answer and a choice
// answer whose option id is a unique marker, so that the bytes of the
// files can be searched for both.
type retentionWorld struct {
	db   *DB
	path string
	now  time.Time
}

var retentionNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func newRetentionWorld(t *testing.T) *retentionWorld {
	t.Helper()
	ctx := context.Background()
	w := &retentionWorld{path: filepath.Join(t.TempDir(), "peervoice.db"), now: retentionNow}
	db, err := Open(ctx, w.path, Options{Now: func() time.Time { return w.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w.db = db
	if err := db.SaveFlowVersion(ctx, FlowVersion{Hash: "h1", FlowID: "recovery", Source: []byte("id: recovery\n")}); err != nil {
		t.Fatal(err)
	}
	return w
}

// session saves a done session of participant user, last answered days
// ago, with a free-text answer and a choice answer (and a second text
// answer when two is set).
func (w *retentionWorld) session(t *testing.T, user, id string, days int, status string) {
	t.Helper()
	ctx := context.Background()
	p, err := w.db.EnsureParticipant(ctx, w.db.Pseudonym("terminal", user))
	if err != nil {
		t.Fatal(err)
	}
	at := w.now.AddDate(0, 0, -days)
	s := Session{ID: id, ParticipantID: p.ID, FlowID: "recovery", FlowVersion: "h1", Status: status,
		State: []byte(`{"words":"` + wordsOf(id) + `"}`), StartedAt: at, UpdatedAt: at}
	answers := []Answer{
		{QuestionID: "own_words", Kind: "text", Text: wordsOf(id), AnsweredAt: at},
		{QuestionID: "pick", Kind: "choice", Choices: []string{markerOf(id)}, AnsweredAt: at},
	}
	if err := w.db.SaveStep(ctx, s, answers, nil); err != nil {
		t.Fatal(err)
	}
}

func wordsOf(id string) string  { return "the words of session " + id + " about the ward" }
func markerOf(id string) string { return "marker_" + id + "_zq9" }

// ciphertext reads the sealed text of a session's own_words answer as
// stored, from a connection of its own.
func (w *retentionWorld) ciphertext(t *testing.T, sid string) []byte {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+w.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var b []byte
	if err := raw.QueryRow(`SELECT text FROM answers WHERE session_id = ? AND question_id = 'own_words'`, sid).Scan(&b); err != nil {
		t.Fatalf("ciphertext of %s: %v", sid, err)
	}
	if len(b) < 16 {
		t.Fatalf("ciphertext of %s is %d bytes", sid, len(b))
	}
	return b
}

// inFiles reports whether b is anywhere in the database's files.
func (w *retentionWorld) inFiles(t *testing.T, b []byte) bool {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		if bytes.Contains(fileBytes(t, w.path+suffix), b) {
			return true
		}
	}
	return false
}

func (w *retentionWorld) query(t *testing.T, q string, args ...any) string {
	t.Helper()
	var s string
	if err := w.db.rd.QueryRow(q, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

// TestRetentionDeletesOldRows: with free text kept 100 days and answers
// 400, the words of the answers between 100 and 400 days old and the
// whole answers (and their sessions) older than 400 days are gone, from
// the rows and from the bytes of the database's files; the newer rows
// are untouched. A dry run first counts the same and changes nothing, and
// the run goes in batches of the size asked for.
func TestRetentionDeletesOldRows(t *testing.T) {
	ctx := context.Background()
	w := newRetentionWorld(t)
	w.session(t, "ana", "new1", 10, StatusDone)
	w.session(t, "ana", "mid1", 200, StatusDone)
	w.session(t, "bo", "mid2", 300, StatusDone)
	w.session(t, "bo", "mid3", 350, StatusDone)
	w.session(t, "ana", "old1", 500, StatusDone)
	w.session(t, "bo", "old2", 800, StatusDone)
	// A session with an old answer and a newer one: it loses the old
	// answer and keeps the rest.
	w.session(t, "cy", "both", 450, StatusDone)
	pid := w.query(t, `SELECT participant_id FROM sessions WHERE id = 'both'`)
	var p int64
	fmt.Sscan(pid, &p)
	later := w.now.AddDate(0, 0, -50)
	if err := w.db.SaveStep(ctx, Session{ID: "both", ParticipantID: p, FlowID: "recovery", FlowVersion: "h1", Status: StatusDone,
		State: []byte(`{}`), UpdatedAt: later}, []Answer{{QuestionID: "later", Kind: "text", Text: "later words", AnsweredAt: later}}, nil); err != nil {
		t.Fatal(err)
	}
	// Everything in the main file, so the search below reads the pages
	// retention must clean.
	w.db.checkpointer.now()

	sealed := map[string][]byte{}
	for _, id := range []string{"new1", "mid1", "mid2", "mid3", "old1", "old2", "both"} {
		sealed[id] = w.ciphertext(t, id)
		if !w.inFiles(t, sealed[id]) || !w.inFiles(t, []byte(markerOf(id))) {
			t.Fatalf("session %s's ciphertext or marker is not in the files before retention: the search cannot fail", id)
		}
	}

	policy := RetentionPolicy{FreeTextBefore: w.now.AddDate(0, 0, -100), AnswersBefore: w.now.AddDate(0, 0, -400), Batch: 2}
	dry := policy
	dry.DryRun = true
	would, err := w.db.ApplyRetention(ctx, dry)
	if err != nil {
		t.Fatal(err)
	}
	want := RetentionCounts{FreeText: 3, Answers: 6, Sessions: 2}
	if would != want {
		t.Errorf("dry run = %+v; want %+v", would, want)
	}
	if n := w.query(t, `SELECT COUNT(*) FROM answers WHERE text IS NOT NULL`); n != "8" {
		t.Fatalf("after the dry run %s answers have text; want all 8", n)
	}

	got, err := w.db.ApplyRetention(ctx, policy)
	if err != nil {
		t.Fatal(err)
	}
	// Free text: 3 answers in batches of 2 (2, then 1); answers: 6 in
	// 2 + 2 + 2, then an empty batch that commits nothing.
	want.Batches = 5
	if got != want {
		t.Errorf("ApplyRetention = %+v; want %+v", got, want)
	}

	for _, id := range []string{"mid1", "mid2", "mid3", "old1", "old2", "both"} {
		if w.inFiles(t, sealed[id]) {
			t.Errorf("session %s's free-text ciphertext is still in the database's files", id)
		}
	}
	for _, id := range []string{"old1", "old2", "both"} {
		if w.inFiles(t, []byte(markerOf(id))) {
			t.Errorf("the choice of session %s (%s) is still in the database's files", id, markerOf(id))
		}
	}
	if !w.inFiles(t, sealed["new1"]) || !w.inFiles(t, []byte(markerOf("new1"))) {
		t.Error("the newest session's answers are gone from the files; want them kept")
	}
	for _, id := range []string{"mid1", "mid2", "mid3"} {
		if !w.inFiles(t, []byte(markerOf(id))) {
			t.Errorf("session %s's choice is gone; want only its words deleted", id)
		}
	}

	checks := []struct{ q, want string }{
		{`SELECT group_concat(session_id || '/' || question_id || ':' || (text IS NOT NULL), ' ') FROM (SELECT * FROM answers ORDER BY session_id, question_id)`,
			"both/later:1 mid1/own_words:0 mid1/pick:0 mid2/own_words:0 mid2/pick:0 mid3/own_words:0 mid3/pick:0 new1/own_words:1 new1/pick:0"},
		{`SELECT group_concat(id, ' ') FROM (SELECT id FROM sessions ORDER BY id)`, "both mid1 mid2 mid3 new1"},
	}
	for _, c := range checks {
		if got := w.query(t, c.q); got != c.want {
			t.Errorf("%s = %q; want %q", c.q, got, c.want)
		}
	}
	// The sessions that lost words hold no copy of them in their state.
	for _, id := range []string{"mid1", "both"} {
		s, err := w.db.Session(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(s.State, RetainedState) {
			t.Errorf("state of %s = %s; want %s", id, s.State, RetainedState)
		}
	}
	if s, err := w.db.Session(ctx, "new1"); err != nil || !bytes.Contains(s.State, []byte(wordsOf("new1"))) {
		t.Errorf("state of new1 = %s, %v; want it kept", s.State, err)
	}

	// Again: nothing left to delete.
	again, err := w.db.ApplyRetention(ctx, policy)
	if err != nil || again != (RetentionCounts{}) {
		t.Errorf("second ApplyRetention = %+v, %v; want nothing deleted", again, err)
	}
}

// TestRetentionClosesSessionUnderWay: a session still under way whose
// words are past the period is closed as a partial response, since its
// state, which held them, is emptied.
func TestRetentionClosesSessionUnderWay(t *testing.T) {
	ctx := context.Background()
	w := newRetentionWorld(t)
	w.session(t, "ana", "paused", 200, StatusPaused)
	got, err := w.db.ApplyRetention(ctx, RetentionPolicy{FreeTextBefore: w.now.AddDate(0, 0, -100)})
	if err != nil || got.FreeText != 1 {
		t.Fatalf("ApplyRetention = %+v, %v; want one text deleted", got, err)
	}
	s, err := w.db.Session(ctx, "paused")
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != StatusExpired || !s.ExpiredAt.Equal(w.now) {
		t.Errorf("session = %s, expired %v; want expired now", s.Status, s.ExpiredAt)
	}
}
