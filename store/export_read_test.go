package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/store"
)

// exportEnv is a store with two flow versions, for the ReadExport tests.
type exportEnv struct {
	db  *store.DB
	now time.Time
}

func newExportEnv(t *testing.T) *exportEnv {
	t.Helper()
	ctx := context.Background()
	e := &exportEnv{now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	db := storetest.Open(t, storetest.Path(t), store.Options{Now: func() time.Time { return e.now }})
	e.db = db
	for _, v := range []store.FlowVersion{
		{Hash: "v2", FlowID: "recovery", Source: []byte("id: recovery # 2\n"), CreatedAt: e.now.Add(time.Hour)},
		{Hash: "v1", FlowID: "recovery", Source: []byte("id: recovery # 1\n"), CreatedAt: e.now},
		{Hash: "a1", FlowID: "about-you", Source: []byte("id: about-you\n"), CreatedAt: e.now.Add(2 * time.Hour)},
	} {
		if err := db.SaveFlowVersion(ctx, v); err != nil {
			t.Fatalf("SaveFlowVersion(%s) = %v", v.Hash, err)
		}
	}
	return e
}

// participant stores a participant for a raw user id, with a consent
// unless consent is nil.
func (e *exportEnv) participant(t *testing.T, rawID string, consent *store.Consent) int64 {
	t.Helper()
	ctx := context.Background()
	p, err := e.db.EnsureParticipant(ctx, e.db.Pseudonym("discord", rawID))
	if err != nil {
		t.Fatalf("EnsureParticipant() = %v", err)
	}
	if consent != nil {
		if err := e.db.SaveConsent(ctx, p.ID, *consent); err != nil {
			t.Fatalf("SaveConsent() = %v", err)
		}
	}
	return p.ID
}

// answer saves one answer in its own session of recovery v1.
func (e *exportEnv) answer(t *testing.T, pid int64, session string, a store.Answer) {
	t.Helper()
	s := store.Session{ID: session, ParticipantID: pid, FlowID: "recovery", FlowVersion: "v1", Status: store.StatusDone, State: []byte(`{}`)}
	if err := e.db.SaveStep(context.Background(), s, []store.Answer{a}, nil); err != nil {
		t.Fatalf("SaveStep() = %v", err)
	}
}

// read runs ReadExport and returns what it handed over.
func (e *exportEnv) read(t *testing.T) (store.ExportHeader, []store.ExportAnswer) {
	t.Helper()
	var h store.ExportHeader
	var got []store.ExportAnswer
	err := e.db.ReadExport(context.Background(),
		func(hh store.ExportHeader) error { h = hh; return nil },
		func(a store.ExportAnswer) error { got = append(got, a); return nil })
	if err != nil {
		t.Fatalf("ReadExport() = %v", err)
	}
	return h, got
}

func TestReadExport(t *testing.T) {
	e := newExportEnv(t)
	yes := &store.Consent{Version: "1", TakePart: true, Quotes: true}
	p1 := e.participant(t, "111111111111111111", yes)
	p2 := e.participant(t, "222222222222222222", &store.Consent{Version: "1", TakePart: true})
	p3 := e.participant(t, "333333333333333333", nil)
	gone := e.participant(t, "444444444444444444", yes)

	three := 3.0
	e.now = e.now.Add(24 * time.Hour)
	e.answer(t, p2, "s2", store.Answer{QuestionID: "own_words", Kind: "text", Text: "my own words"})
	e.answer(t, p1, "s1", store.Answer{QuestionID: "team_agrees", Kind: "scale", Choices: []string{"agree"}})
	e.answer(t, p1, "s1b", store.Answer{QuestionID: "years", Kind: "number", Number: &three})
	e.answer(t, p3, "s3", store.Answer{QuestionID: "own_words", Kind: "text", Skipped: true})
	e.answer(t, gone, "s4", store.Answer{QuestionID: "own_words", Kind: "text", Text: "withdrawn words"})
	if err := e.db.Withdraw(context.Background(), gone); err != nil {
		t.Fatal(err)
	}

	h, got := e.read(t)
	var versions []string
	for _, v := range h.Versions {
		versions = append(versions, v.FlowID+"/"+v.Hash)
	}
	if want := []string{"about-you/a1", "recovery/v1", "recovery/v2"}; !reflect.DeepEqual(versions, want) {
		t.Errorf("Versions = %v; want %v (by flow, then age)", versions, want)
	}
	wantP := []store.ExportParticipant{
		{ID: p1, Consented: true, TakePart: true, Quotes: true},
		{ID: p2, Consented: true, TakePart: true},
		{ID: p3},
	}
	if !reflect.DeepEqual(h.Participants, wantP) {
		t.Errorf("Participants = %+v; want %+v", h.Participants, wantP)
	}
	if h.Answers != 4 || len(got) != 4 {
		t.Fatalf("Answers = %d, handed %d; want 4 and 4", h.Answers, len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i].ParticipantID < got[i-1].ParticipantID {
			t.Errorf("answer %d is participant %d after %d; want them by participant", i, got[i].ParticipantID, got[i-1].ParticipantID)
		}
	}
	byQ := map[string]store.ExportAnswer{}
	for _, a := range got {
		byQ[a.SessionID] = a
		if a.ParticipantID == gone {
			t.Errorf("the withdrawn participant's answer was read: %+v", a)
		}
		if !a.SessionStarted.Equal(e.now) || !a.AnsweredAt.Equal(e.now) {
			t.Errorf("answer in %s: started %v, answered %v; want both %v", a.SessionID, a.SessionStarted, a.AnsweredAt, e.now)
		}
	}
	if a := byQ["s2"]; a.Text != "my own words" || a.Kind != "text" || a.FlowVersion != "v1" || a.ParticipantID != p2 {
		t.Errorf("text answer = %+v; want it decrypted, with its flow version and participant", a)
	}
	if a := byQ["s1"]; !reflect.DeepEqual(a.Choices, []string{"agree"}) {
		t.Errorf("scale answer choices = %v; want [agree]", a.Choices)
	}
	if a := byQ["s1b"]; a.Number == nil || *a.Number != 3 {
		t.Errorf("number answer = %v; want 3", a.Number)
	}
	if a := byQ["s3"]; !a.Skipped || a.Text != "" {
		t.Errorf("skipped answer = %+v; want skipped, no text", a)
	}
}

func TestReadExportLatestConsent(t *testing.T) {
	e := newExportEnv(t)
	p := e.participant(t, "111111111111111111", &store.Consent{Version: "1", TakePart: true, Quotes: true})
	e.now = e.now.Add(time.Minute)
	if err := e.db.SaveConsent(context.Background(), p, store.Consent{Version: "2", TakePart: false}); err != nil {
		t.Fatal(err)
	}
	h, _ := e.read(t)
	if want := []store.ExportParticipant{{ID: p, Consented: true}}; !reflect.DeepEqual(h.Participants, want) {
		t.Errorf("Participants = %+v; want %+v (the latest consent)", h.Participants, want)
	}
}

// TestReadExportSnapshot checks that what is written during a read is not
// part of it: the header's count always matches the answers handed over.
func TestReadExportSnapshot(t *testing.T) {
	e := newExportEnv(t)
	p := e.participant(t, "111111111111111111", &store.Consent{Version: "1", TakePart: true})
	e.answer(t, p, "s1", store.Answer{QuestionID: "own_words", Kind: "text", Text: "first"})
	n := 0
	err := e.db.ReadExport(context.Background(),
		func(store.ExportHeader) error {
			e.answer(t, p, "s2", store.Answer{QuestionID: "own_words", Kind: "text", Text: "during the read"})
			return nil
		},
		func(a store.ExportAnswer) error {
			n++
			if a.Text != "first" {
				t.Errorf("read %q, written after the read began", a.Text)
			}
			return nil
		})
	if err != nil || n != 1 {
		t.Errorf("ReadExport() = %v after %d answers; want nil after 1", err, n)
	}
}

func TestReadExportStopsOnError(t *testing.T) {
	e := newExportEnv(t)
	p := e.participant(t, "111111111111111111", &store.Consent{Version: "1", TakePart: true})
	e.answer(t, p, "s1", store.Answer{QuestionID: "a", Kind: "text", Text: "one"})
	e.answer(t, p, "s2", store.Answer{QuestionID: "b", Kind: "text", Text: "two"})
	stop := errors.New("stop")
	if err := e.db.ReadExport(context.Background(), func(store.ExportHeader) error { return stop }, nil); err != stop {
		t.Errorf("ReadExport with a failing begin = %v; want its error as it is", err)
	}
	n := 0
	err := e.db.ReadExport(context.Background(), func(store.ExportHeader) error { return nil },
		func(store.ExportAnswer) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("ReadExport with a failing each = %v after %d answers; want its error after 1", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.db.ReadExport(ctx, func(store.ExportHeader) error { return nil }, func(store.ExportAnswer) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadExport with a cancelled context = %v; want context.Canceled", err)
	}
}
