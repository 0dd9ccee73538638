package store_test

import (
	"context"
	"testing"

	"github.com/peervoice/peervoice/store"
)

// TestSessionWaves checks that a participant's sessions of a flow are
// numbered 1, 2, … as they start, that saving a session again keeps its
// number, whatever the caller says, and that another flow counts apart.
func TestSessionWaves(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	f.step(t, "a", store.StatusDone, choiceAnswer("q", "yes"))
	b := f.session("b", store.StatusActive)
	b.Wave = 7 // the store numbers waves itself
	if err := f.db.SaveStep(ctx, b, nil, nil); err != nil {
		t.Fatal(err)
	}
	f.step(t, "b", store.StatusDone, choiceAnswer("q", "no"))
	other := store.FlowVersion{Hash: "otherhash", FlowID: "risk", Source: []byte("id: risk\n")}
	if err := f.db.SaveFlowVersion(ctx, other); err != nil {
		t.Fatal(err)
	}
	o := f.session("c", store.StatusPaused)
	o.FlowID, o.FlowVersion = other.FlowID, other.Hash
	if err := f.db.SaveStep(ctx, o, nil, nil); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]int{"a": 1, "b": 2, "c": 1} {
		s, err := f.db.Session(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if s.Wave != want {
			t.Errorf("Session(%q).Wave = %d; want %d", id, s.Wave, want)
		}
	}
	ends, err := f.db.FinishedWaves(ctx, "recovery")
	if err != nil {
		t.Fatal(err)
	}
	if len(ends) != 1 || ends[0].ParticipantID != f.p.ID || ends[0].Wave != 2 || ends[0].Finished.IsZero() {
		t.Errorf("FinishedWaves(recovery) = %+v; want participant %d's wave 2", ends, f.p.ID)
	}
	if ends, err := f.db.FinishedWaves(ctx, "risk"); err != nil || len(ends) != 0 {
		t.Errorf("FinishedWaves(risk) = %+v, %v; want none: its only wave is under way", ends, err)
	}
	// A third wave under way takes the participant off the list.
	f.step(t, "d", store.StatusActive)
	if ends, err := f.db.FinishedWaves(ctx, "recovery"); err != nil || len(ends) != 0 {
		t.Errorf("FinishedWaves(recovery) with wave 3 under way = %+v, %v; want none", ends, err)
	}
	if s, err := f.db.Session(ctx, "d"); err != nil || s.Wave != 3 {
		t.Errorf("Session(d) = wave %d, %v; want wave 3", s.Wave, err)
	}
}
