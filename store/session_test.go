package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

// rawUserID is a Discord-shaped user id that must never reach the disk.
const rawUserID = "123456789012345678"

// fixture is an open store with one participant and one flow version.
type fixture struct {
	db    *store.DB
	clock *clock
	p     store.Participant
	flow  store.FlowVersion
}

// newFixture opens a store at path and saves a participant and a flow version.
func newFixture(t testing.TB, path string) *fixture {
	t.Helper()
	ctx := context.Background()
	c := &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	db := open(t, path, store.Options{Now: c.now})
	p, err := db.EnsureParticipant(ctx, db.Pseudonym("discord", rawUserID))
	if err != nil {
		t.Fatalf("EnsureParticipant() = %v", err)
	}
	fv := store.FlowVersion{Hash: "flowhash1", FlowID: "recovery", Source: []byte("id: recovery\nquestions: []\n")}
	if err := db.SaveFlowVersion(ctx, fv); err != nil {
		t.Fatalf("SaveFlowVersion() = %v", err)
	}
	return &fixture{db: db, clock: c, p: p, flow: fv}
}

// session returns a session of the fixture's participant and flow.
func (f *fixture) session(id, status string) store.Session {
	return store.Session{
		ID: id, ParticipantID: f.p.ID, FlowID: f.flow.FlowID, FlowVersion: f.flow.Hash,
		Status: status, State: []byte(`{"at":"` + id + `","user":"` + rawUserID + `"}`),
	}
}

// step saves a step of session id with answers.
func (f *fixture) step(t testing.TB, id, status string, answers ...store.Answer) {
	t.Helper()
	if err := f.db.SaveStep(context.Background(), f.session(id, status), answers, nil); err != nil {
		t.Fatalf("SaveStep(%q) = %v", id, err)
	}
}

func textAnswer(q, text string) store.Answer {
	return store.Answer{QuestionID: q, Kind: "text", Text: text}
}

func choiceAnswer(q string, choices ...string) store.Answer {
	return store.Answer{QuestionID: q, Kind: "choice", Choices: choices}
}

func numberAnswer(q string, n float64) store.Answer {
	return store.Answer{QuestionID: q, Kind: "number", Number: &n}
}

// answerMap indexes answers by question id.
func answerMap(as []store.Answer) map[string]store.Answer {
	m := map[string]store.Answer{}
	for _, a := range as {
		m[a.QuestionID] = a
	}
	return m
}

func TestSaveStepRoundTrip(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	at := time.Date(2025, 3, 2, 10, 30, 0, 123456789, time.UTC)
	s := f.session("s1", store.StatusActive)
	s.StartedAt, s.UpdatedAt = at, at.Add(time.Minute)
	answers := []store.Answer{
		{QuestionID: "own_words", Kind: "text", Text: "my secret words about recovery", AnsweredAt: at},
		{QuestionID: "team", Kind: "multi", Choices: []string{"peer", "nurse"}, AnsweredAt: at.Add(time.Second)},
		{QuestionID: "mood", Kind: "scale", Choices: []string{"4"}, AnsweredAt: at.Add(2 * time.Second)},
		{QuestionID: "age", Kind: "number", Number: ptr(42.5), AnsweredAt: at.Add(3 * time.Second)},
		{QuestionID: "why", Kind: "text", Skipped: true, AnsweredAt: at.Add(4 * time.Second)},
		{QuestionID: "unicode", Kind: "text", Text: "ça va 🌱", AnsweredAt: at.Add(4 * time.Second)},
	}
	if err := f.db.SaveStep(ctx, s, answers, nil); err != nil {
		t.Fatalf("SaveStep() = %v", err)
	}

	got, err := f.db.Session(ctx, "s1")
	if err != nil {
		t.Fatalf("Session() = %v", err)
	}
	s.Wave = 1 // the participant's first session of the flow
	if !reflect.DeepEqual(got, s) {
		t.Errorf("Session() = %+v; want %+v", got, s)
	}

	gotAnswers, err := f.db.Answers(ctx, f.p.ID)
	if err != nil {
		t.Fatalf("Answers() = %v", err)
	}
	want := make([]store.Answer, len(answers))
	for i, a := range answers {
		a.SessionID, a.FlowID, a.FlowVersion = "s1", "recovery", "flowhash1"
		want[i] = a
	}
	// Ordered by time, then question: "unicode" and "why" share a time.
	want[4], want[5] = want[5], want[4]
	if !reflect.DeepEqual(gotAnswers, want) {
		t.Errorf("Answers() =\n%+v\nwant\n%+v", gotAnswers, want)
	}
}

func ptr[T any](v T) *T { return &v }

func TestSaveStepUpdates(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	f.step(t, "s1", store.StatusActive, textAnswer("q1", "first"), choiceAnswer("q2", "a"), numberAnswer("q3", 3))
	first, _ := f.db.Session(ctx, "s1")

	tests := []struct {
		name    string
		status  string
		answers []store.Answer
		cleared []string
		want    map[string]string // question -> text or choice
	}{
		{"re-answer replaces", store.StatusActive,
			[]store.Answer{textAnswer("q1", "second")}, nil,
			map[string]string{"q1": "second", "q2": "a", "q3": ""}},
		{"cleared are deleted", store.StatusActive,
			[]store.Answer{choiceAnswer("q2", "b")}, []string{"q3", "never_answered"},
			map[string]string{"q1": "second", "q2": "b"}},
		{"cleared and re-answered keeps the new answer", store.StatusActive,
			[]store.Answer{textAnswer("q4", "new")}, []string{"q4"},
			map[string]string{"q1": "second", "q2": "b", "q4": "new"}},
		{"pause keeps partial answers", store.StatusPaused, nil, nil,
			map[string]string{"q1": "second", "q2": "b", "q4": "new"}},
	}
	for _, tt := range tests {
		if err := f.db.SaveStep(ctx, f.session("s1", tt.status), tt.answers, tt.cleared); err != nil {
			t.Fatalf("%s: SaveStep() = %v", tt.name, err)
		}
		as, err := f.db.Answers(ctx, f.p.ID)
		if err != nil {
			t.Fatalf("%s: Answers() = %v", tt.name, err)
		}
		got := map[string]string{}
		for _, a := range as {
			got[a.QuestionID] = a.Text + strings.Join(a.Choices, ",")
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: answers = %v; want %v", tt.name, got, tt.want)
		}
		s, err := f.db.Session(ctx, "s1")
		if err != nil || s.Status != tt.status {
			t.Errorf("%s: Session() = %+v, %v; want status %q", tt.name, s, err, tt.status)
		}
		if !s.StartedAt.Equal(first.StartedAt) || !s.UpdatedAt.After(first.UpdatedAt) {
			t.Errorf("%s: started %v, updated %v; want started kept at %v and updated after %v",
				tt.name, s.StartedAt, s.UpdatedAt, first.StartedAt, first.UpdatedAt)
		}
	}
	if st, _ := f.db.Stats(ctx); st.Answers != 3 || st.Sessions != 1 {
		t.Errorf("Stats() = %+v; want 1 session with 3 answers (one row per question)", st)
	}
}

func TestSaveStepErrors(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	f.step(t, "taken", store.StatusActive)
	other, err := f.db.EnsureParticipant(ctx, f.db.Pseudonym("discord", "someone else"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		edit     func(s *store.Session, as []store.Answer) []store.Answer
		want     string
		notFound bool
	}{
		{"no id", func(s *store.Session, as []store.Answer) []store.Answer { s.ID = ""; return as }, "session id is empty", false},
		{"NUL in id", func(s *store.Session, as []store.Answer) []store.Answer { s.ID = "a\x00b"; return as }, "NUL", false},
		{"bad status", func(s *store.Session, as []store.Answer) []store.Answer { s.Status = "gone"; return as }, `status "gone"`, false},
		{"no participant id", func(s *store.Session, as []store.Answer) []store.Answer { s.ParticipantID = 0; return as }, "participant id 0", false},
		{"unknown participant", func(s *store.Session, as []store.Answer) []store.Answer { s.ParticipantID = 999; return as }, "EnsureParticipant", true},
		{"unknown flow version", func(s *store.Session, as []store.Answer) []store.Answer { s.FlowVersion = "nope"; return as }, "SaveFlowVersion", true},
		{"answer of unknown flow version", func(s *store.Session, as []store.Answer) []store.Answer {
			as[0].FlowVersion = "nope"
			return as
		}, "SaveFlowVersion", true},
		{"answer of another session", func(s *store.Session, as []store.Answer) []store.Answer { as[0].SessionID = "x"; return as }, `belongs to session "x"`, false},
		{"answer without kind", func(s *store.Session, as []store.Answer) []store.Answer { as[0].Kind = ""; return as }, "no kind", false},
		{"session of another participant", func(s *store.Session, as []store.Answer) []store.Answer {
			s.ID, s.ParticipantID = "taken", other.ID
			return as
		}, "another participant", false},
	}
	for _, tt := range tests {
		s := f.session("new", store.StatusActive)
		as := tt.edit(&s, []store.Answer{textAnswer("q1", "x")})
		err := f.db.SaveStep(ctx, s, as, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) || errors.Is(err, store.ErrNotFound) != tt.notFound {
			t.Errorf("%s: SaveStep() = %v; want an error containing %q (ErrNotFound: %v)", tt.name, err, tt.want, tt.notFound)
		}
	}
	if st, _ := f.db.Stats(ctx); st.Sessions != 1 || st.Answers != 0 {
		t.Errorf("after failed steps Stats() = %+v; want only the first session, no answers (each step all or nothing)", st)
	}
}

func TestSessionsAndDelete(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	f.step(t, "a", store.StatusDone, textAnswer("q1", "x"))
	f.step(t, "b", store.StatusActive, textAnswer("q1", "y"))
	f.step(t, "a", store.StatusDone) // a is now the most recently updated
	ss, err := f.db.Sessions(ctx, f.p.ID)
	if err != nil {
		t.Fatalf("Sessions() = %v", err)
	}
	var ids []string
	for _, s := range ss {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, ",") != "a,b" {
		t.Errorf("Sessions() ids = %v; want [a b], most recently updated first", ids)
	}
	if err := f.db.DeleteSession(ctx, "a"); err != nil {
		t.Fatalf("DeleteSession() = %v", err)
	}
	if _, err := f.db.Session(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session(deleted) = %v; want ErrNotFound", err)
	}
	if st, _ := f.db.Stats(ctx); st.Sessions != 1 || st.Answers != 1 {
		t.Errorf("after DeleteSession Stats() = %+v; want 1 session, 1 answer", st)
	}
}

func TestConcurrentSaveStep(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := 0; i < n; i++ {
		wg.Add(2)
		// Each goroutine its own participant and session...
		go func() {
			defer wg.Done()
			p, err := f.db.EnsureParticipant(ctx, f.db.Pseudonym("discord", fmt.Sprint("user", i)))
			if err != nil {
				errs <- err
				return
			}
			s := f.session(fmt.Sprint("s", i), store.StatusActive)
			s.ParticipantID = p.ID
			errs <- f.db.SaveStep(ctx, s, []store.Answer{
				textAnswer("q1", fmt.Sprint("words ", i)), choiceAnswer("q2", "yes"),
			}, nil)
		}()
		// ...and all at once on the same session and question.
		go func() {
			defer wg.Done()
			errs <- f.db.SaveStep(ctx, f.session("shared", store.StatusActive),
				[]store.Answer{textAnswer("q1", fmt.Sprint("try ", i))}, nil)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent SaveStep: %v", err)
		}
	}
	st, err := f.db.Stats(ctx)
	if want := (store.Stats{Participants: n + 1, Sessions: n + 1, Answers: 2*n + 1}); err != nil || st != want {
		t.Errorf("Stats() = %+v, %v; want %+v", st, err, want)
	}
	for i := 0; i < n; i++ {
		p, err := f.db.FindParticipant(ctx, f.db.Pseudonym("discord", fmt.Sprint("user", i)))
		if err != nil {
			t.Fatalf("FindParticipant(user%d) = %v", i, err)
		}
		as, err := f.db.Answers(ctx, p.ID)
		if err != nil || len(as) != 2 || answerMap(as)["q1"].Text != fmt.Sprint("words ", i) {
			t.Errorf("Answers(user%d) = %+v, %v; want q1 %q and q2", i, as, err, fmt.Sprint("words ", i))
		}
	}
}
