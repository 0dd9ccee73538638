package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

// revFixture is a participant who consented, with one session under
// way, read by ReadStep, and a second *store.DB on the same file: another
// process.
type revFixture struct {
	*fixture
	other *store.DB
	s     store.Session
	rev   store.StepRev
}

func newRevFixture(t *testing.T) *revFixture {
	t.Helper()
	ctx := context.Background()
	path := newPath(t)
	f := &revFixture{fixture: newFixture(t, path)}
	f.other = open(t, path, store.Options{})
	if err := f.db.SaveConsent(ctx, f.p.ID, store.Consent{Version: "1", TakePart: true}); err != nil {
		t.Fatal(err)
	}
	f.s = f.session("open", store.StatusActive)
	f.step(t, "open", store.StatusActive, textAnswer("q1", "first words"))
	f.rev = f.read(t)
	return f
}

// read returns the StepRev of the participant's session under way.
func (f *revFixture) read(t *testing.T) store.StepRev {
	t.Helper()
	got, err := f.db.ReadStep(context.Background(), f.db.Pseudonym("discord", rawUserID), "")
	if err != nil || !got.Found || !got.Rev.Valid() {
		t.Fatalf("ReadStep() = %+v, %v; want the open session with its StepRev", got, err)
	}
	return got.Rev
}

// answers lists the participant's stored answers' question ids.
func (f *revFixture) answers(t *testing.T) []string {
	t.Helper()
	all, err := f.other.Answers(context.Background(), f.p.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	var qs []string
	for _, a := range all {
		qs = append(qs, a.QuestionID)
	}
	return qs
}

// TestSaveStepIfSavesWhatWasRead: with the StepRev of the row as read,
// and then with the one each save returns, the step is saved.
func TestSaveStepIfSavesWhatWasRead(t *testing.T) {
	ctx := context.Background()
	f := newRevFixture(t)
	rev := f.rev
	for _, q := range []string{"q2", "q3"} {
		var err error
		f.s.State = []byte(`{"at":"` + q + `"}`)
		if rev, err = f.db.SaveStepIf(ctx, f.s, []store.Answer{textAnswer(q, "more words")}, nil, rev, true); err != nil {
			t.Fatalf("SaveStepIf(%s) = %v", q, err)
		}
	}
	got, err := f.other.Session(ctx, "open")
	if err != nil || string(got.State) != `{"at":"q3"}` {
		t.Errorf("session as stored = %q, %v; want the last state saved", got.State, err)
	}
	if got := f.answers(t); len(got) != 3 {
		t.Errorf("answers %v; want q1, q2 and q3", got)
	}
	// A step that changes the status is saved too, and then the session
	// is no longer under way.
	f.s.Status = store.StatusDone
	if _, err := f.db.SaveStepIf(ctx, f.s, nil, nil, rev, true); err != nil {
		t.Fatalf("SaveStepIf(done) = %v", err)
	}
	if got, err := f.other.OpenSession(ctx, f.p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OpenSession after the last step = %q, %v; want ErrNotFound", got.ID, err)
	}
}

// TestSaveStepIfRefusesWhatChanged: whatever changed the session, its
// participant's consent or which session is under way since the StepRev
// was taken, SaveStepIf writes nothing and returns ErrChanged.
func TestSaveStepIfRefusesWhatChanged(t *testing.T) {
	ctx := context.Background()
	later := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		change func(t *testing.T, f *revFixture)
		open   bool
	}{
		{"another process saved a step", func(t *testing.T, f *revFixture) {
			if err := f.other.SaveStep(ctx, f.s, nil, nil); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"this process saved a step with SaveStep", func(t *testing.T, f *revFixture) {
			if err := f.db.SaveStep(ctx, f.s, nil, nil); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"withdrawn by another process", func(t *testing.T, f *revFixture) {
			if err := f.other.Withdraw(ctx, f.p.ID); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"expired by another process", func(t *testing.T, f *revFixture) {
			if n, err := f.other.ExpireSessions(ctx, later, later); err != nil || n != 1 {
				t.Fatalf("ExpireSessions() = %d, %v; want 1", n, err)
			}
		}, false},
		{"a consent given since", func(t *testing.T, f *revFixture) {
			if err := f.other.SaveConsent(ctx, f.p.ID, store.Consent{Version: "1", TakePart: true, Quotes: true}); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"another session is now the one under way", func(t *testing.T, f *revFixture) {
			if err := f.other.SaveStep(ctx, f.session("newer", store.StatusActive), nil, nil); err != nil {
				t.Fatal(err)
			}
		}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newRevFixture(t)
			c.change(t, f)
			before, _ := f.other.Session(ctx, "open")
			s := f.s
			s.State = []byte(`{"at":"stale"}`)
			_, err := f.db.SaveStepIf(ctx, s, []store.Answer{textAnswer("q2", "on stale state")}, nil, f.rev, c.open)
			if !errors.Is(err, store.ErrChanged) {
				t.Fatalf("SaveStepIf() = %v; want ErrChanged", err)
			}
			after, _ := f.other.Session(ctx, "open")
			if string(after.State) != string(before.State) || after.Status != before.Status {
				t.Errorf("session after a refused step: %q %s; want it as it was, %q %s", after.State, after.Status, before.State, before.Status)
			}
			for _, q := range f.answers(t) {
				if q == "q2" {
					t.Errorf("the refused step's answer was saved")
				}
			}
		})
	}
}
