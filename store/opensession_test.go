package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

// TestReadStep: one read gives the participant with their latest
// consent and the session a step goes to: the latest unfinished one
// (finished, expired and other people's sessions are passed over), or
// the one named if it is theirs.
func TestReadStep(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	pseud := f.db.Pseudonym("discord", rawUserID)
	if err := f.db.SaveConsent(ctx, f.p.ID, store.Consent{Version: "1", TakePart: true}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SaveConsent(ctx, f.p.ID, store.Consent{Version: "2", TakePart: true, Quotes: true}); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.ReadStep(ctx, pseud, "")
	if err != nil || got.Found || got.Participant.ID != f.p.ID {
		t.Fatalf("ReadStep with no session = %+v, %v; want the participant, nothing found", got, err)
	}
	if c := got.Participant.Consent; c == nil || c.Version != "2" || !c.Quotes {
		t.Errorf("ReadStep consent = %+v; want the latest, version 2 with quotes", c)
	}

	f.step(t, "paused", store.StatusPaused, textAnswer("q1", "older"))
	f.step(t, "open", store.StatusActive, textAnswer("q1", "latest"))
	for i := range 5 {
		f.step(t, fmt.Sprintf("done%d", i), store.StatusDone, textAnswer("q1", "finished"))
	}
	f.step(t, "expired", store.StatusActive)
	f.clock.t = f.clock.t.Add(time.Hour)
	if _, err := f.db.ExpireSession(ctx, "expired", f.clock.t, f.clock.t); err != nil {
		t.Fatal(err)
	}
	other, err := f.db.EnsureParticipant(ctx, f.db.Pseudonym("discord", "someone else"))
	if err != nil {
		t.Fatal(err)
	}
	o := f.session("theirs", store.StatusActive)
	o.ParticipantID = other.ID
	if err := f.db.SaveStep(ctx, o, nil, nil); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, id string
		want     string // "": not found
	}{
		{"under way", "", "open"},
		{"named", "paused", "paused"},
		{"named, finished", "done3", "done3"},
		{"named, another participant's", "theirs", ""},
		{"named, no such session", "nope", ""},
	}
	for _, tt := range tests {
		got, err := f.db.ReadStep(ctx, pseud, tt.id)
		if err != nil {
			t.Errorf("%s: ReadStep(%q) = %v", tt.name, tt.id, err)
			continue
		}
		if got.Found != (tt.want != "") || got.Session.ID != tt.want {
			t.Errorf("%s: ReadStep(%q) = session %q (found %v); want %q", tt.name, tt.id, got.Session.ID, got.Found, tt.want)
		}
		if got.Found {
			if want := `{"at":"` + tt.want + `","user":"` + rawUserID + `"}`; string(got.Session.State) != want {
				t.Errorf("%s: state %s; want %s, decrypted", tt.name, got.Session.State, want)
			}
		}
	}
	if s, err := f.db.OpenSession(ctx, f.p.ID); err != nil || s.ID != "open" || s.Status != store.StatusActive {
		t.Errorf("OpenSession() = %q %s, %v; want open, active", s.ID, s.Status, err)
	}

	// Finishing it leaves the paused one under way; pausing that one
	// again (a step that keeps its status) keeps it so.
	f.step(t, "open", store.StatusDone)
	f.step(t, "paused", store.StatusPaused)
	if s, err := f.db.OpenSession(ctx, f.p.ID); err != nil || s.ID != "paused" {
		t.Errorf("after finishing, OpenSession() = %q, %v; want paused", s.ID, err)
	}
	f.step(t, "paused", store.StatusDone)
	if s, err := f.db.OpenSession(ctx, f.p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("with everything finished, OpenSession() = %q, %v; want ErrNotFound", s.ID, err)
	}
	if _, err := f.db.ReadStep(ctx, f.db.Pseudonym("discord", "never seen"), ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ReadStep(unknown participant) = %v; want ErrNotFound", err)
	}
}

// TestReadStepDamagedSessions: finished sessions whose state cannot be
// decrypted do not stand in the way of the one under way; the session
// under way itself damaged is reported Unreadable, and named, an error.
func TestReadStepDamagedSessions(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	f := newFixture(t, path)
	pseud := f.db.Pseudonym("discord", rawUserID)
	for i := range 8 {
		f.step(t, fmt.Sprintf("done%d", i), store.StatusDone, textAnswer("q1", "finished"))
	}
	f.step(t, "open", store.StatusActive)
	raw := rawDB(t, path)
	if _, err := raw.ExecContext(ctx, `UPDATE sessions SET state = substr(state, 1, 16) WHERE status = 'done'`); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.ReadStep(ctx, pseud, "")
	if err != nil || !got.Found || got.Session.ID != "open" || got.Session.Unreadable {
		t.Fatalf("ReadStep with damaged finished sessions = %q (unreadable %v), %v; want open, readable", got.Session.ID, got.Session.Unreadable, err)
	}
	all, err := f.db.Sessions(ctx, f.p.ID)
	if err != nil || len(all) != 9 || !all[1].Unreadable {
		t.Fatalf("Sessions() = %d sessions, %v; want 9, the finished ones unreadable (the damage is real)", len(all), err)
	}

	if _, err := raw.ExecContext(ctx, `UPDATE sessions SET state = substr(state, 1, 16) WHERE id = 'open'`); err != nil {
		t.Fatal(err)
	}
	got, err = f.db.ReadStep(ctx, pseud, "")
	if err != nil || !got.Found || !got.Session.Unreadable || got.Session.State != nil {
		t.Errorf("ReadStep with the open session damaged = %+v, %v; want it found, Unreadable", got.Session, err)
	}
	if _, err := f.db.ReadStep(ctx, pseud, "open"); !errors.Is(err, store.ErrDecrypt) {
		t.Errorf("ReadStep naming the damaged session = %v; want ErrDecrypt", err)
	}
}

// TestReadStepAfterWithdrawal: a withdrawn participant is not found, and
// their session id finds nothing for anyone.
func TestReadStepAfterWithdrawal(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	pseud := f.db.Pseudonym("discord", rawUserID)
	f.step(t, "open", store.StatusActive, textAnswer("q1", "words"))
	if got, err := f.db.ReadStep(ctx, pseud, ""); err != nil || !got.Found {
		t.Fatalf("ReadStep before withdrawal = %+v, %v", got, err)
	}
	if err := f.db.Withdraw(ctx, f.p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ReadStep(ctx, pseud, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ReadStep after withdrawal = %v; want ErrNotFound", err)
	}
	if _, err := f.db.OpenSession(ctx, f.p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OpenSession after withdrawal = %v; want ErrNotFound", err)
	}
}

// TestReadStepLeavesNoTransaction: ReadStep begins its read transaction
// by hand on a pooled connection, so every way out of it, errors
// included, must end it; a connection left in one would show later
// reads an old snapshot. After reads that fail in each way, a new step
// is seen by every read that follows.
func TestReadStepLeavesNoTransaction(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	f := newFixture(t, path)
	pseud := f.db.Pseudonym("discord", rawUserID)
	f.step(t, "damaged", store.StatusDone)
	f.step(t, "open", store.StatusActive)
	if _, err := rawDB(t, path).ExecContext(ctx, `UPDATE sessions SET state = substr(state, 1, 16) WHERE id = 'damaged'`); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for range 4 {
		if _, err := f.db.ReadStep(ctx, pseud, "damaged"); !errors.Is(err, store.ErrDecrypt) {
			t.Fatalf("ReadStep(damaged) = %v; want ErrDecrypt", err)
		}
		if _, err := f.db.ReadStep(ctx, f.db.Pseudonym("discord", "nobody"), ""); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("ReadStep(nobody) = %v; want ErrNotFound", err)
		}
		if _, err := f.db.ReadStep(cancelled, pseud, ""); err == nil {
			t.Fatal("ReadStep with a cancelled context succeeded")
		}
	}
	s := f.session("open", store.StatusPaused)
	s.State = []byte(`{"at":"later"}`)
	if err := f.db.SaveStep(ctx, s, nil, nil); err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		got, err := f.db.ReadStep(ctx, pseud, "")
		if err != nil || string(got.Session.State) != `{"at":"later"}` || got.Session.Status != store.StatusPaused {
			t.Fatalf("read %d after the step: %s %s, %v; want the paused state just saved", i, got.Session.Status, got.Session.State, err)
		}
	}
}

// TestOpenSessionsMigration: a database from before migration 013, with
// sessions under way, finished and expired, gets sessions_open filled
// from its rows when it is opened: the lookup finds each participant's
// session under way at once.
func TestOpenSessionsMigration(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	f := newFixture(t, path)
	f.step(t, "paused", store.StatusPaused)
	f.step(t, "open", store.StatusActive)
	f.step(t, "done", store.StatusDone)
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	// As before 013: no index, and the migration not recorded.
	raw := rawDB(t, path)
	for _, q := range []string{`DROP INDEX sessions_open`, `DELETE FROM migrations WHERE name = '013_open_sessions.sql'`} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db := open(t, path, store.Options{})
	var entries int
	if err := rawDB(t, path).QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions INDEXED BY sessions_open
		WHERE participant_id = ? AND status IN ('active', 'paused')`, f.p.ID).Scan(&entries); err != nil || entries != 2 {
		t.Fatalf("sessions_open after the migration: %d entries, %v; want the 2 sessions under way", entries, err)
	}
	got, err := db.ReadStep(ctx, db.Pseudonym("discord", rawUserID), "")
	if err != nil || got.Session.ID != "open" {
		t.Errorf("ReadStep after the migration = %q, %v; want open", got.Session.ID, err)
	}
}
