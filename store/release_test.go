package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/peervoice/peervoice/store"
)

// TestReleases: versions are numbered per flow, the latest published is
// live, a published version is a flow version sessions can start on,
// and a failed step inside UpdateReleases leaves nothing behind.
func TestReleases(t *testing.T) {
	ctx := context.Background()
	db := open(t, newPath(t), store.Options{})
	publish := func(flow, hash, src string) store.FlowRelease {
		t.Helper()
		var r store.FlowRelease
		err := db.UpdateReleases(ctx, func(tx *store.ReleaseTx) (err error) {
			r, err = tx.AddRelease(store.FlowRelease{FlowID: flow, Hash: hash, Source: []byte(src), ActorKind: "cli", ActorID: "ann", Summary: "s"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := publish("mood", "h1", "one"); r.N != 1 || r.CreatedAt.IsZero() {
		t.Errorf("first release = %+v; want v1 with a time", r)
	}
	publish("other", "o1", "other one")
	if r := publish("mood", "h2", "two"); r.N != 2 {
		t.Errorf("second release of mood = v%d; want v2", r.N)
	}
	if v, err := db.FlowVersion(ctx, "h2"); err != nil || string(v.Source) != "two" {
		t.Errorf("FlowVersion(h2) = %+v, %v; want the published source", v, err)
	}
	// A failing step rolls the whole transaction back.
	boom := errors.New("boom")
	err := db.UpdateReleases(ctx, func(tx *store.ReleaseTx) error {
		if _, err := tx.AddRelease(store.FlowRelease{FlowID: "mood", Hash: "h3", Source: []byte("three"), ActorKind: "cli"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("UpdateReleases = %v; want boom", err)
	}
	err = db.ViewReleases(ctx, func(tx *store.ReleaseTx) error {
		rs, err := tx.Releases("mood")
		if err != nil {
			return err
		}
		if len(rs) != 2 || rs[0].N != 1 || rs[1].N != 2 || string(rs[0].Source) != "one" || rs[1].ActorID != "ann" {
			t.Errorf("Releases(mood) = %+v; want v1 and v2 only", rs)
		}
		st, err := tx.State("mood")
		if err != nil || st.Live != 2 || st.Closed {
			t.Errorf("State(mood) = %+v, %v; want v2 live, open", st, err)
		}
		if _, err := tx.State("nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("State(nobody) = %v; want ErrNotFound", err)
		}
		if _, err := tx.Release("mood", 3); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Release(mood, 3) = %v; want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReleaseStateDraftsImports: closing, drafts replaced, imports kept
// per file, and answers counted for the changes that touch them.
func TestReleaseStateDraftsImports(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	db := f.db
	err := db.UpdateReleases(ctx, func(tx *store.ReleaseTx) error {
		if err := tx.SetClosed("mood", true); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetClosed of an unpublished flow = %v; want ErrNotFound", err)
		}
		if _, err := tx.AddRelease(store.FlowRelease{FlowID: "mood", Hash: "h1", Source: []byte("one"), ActorKind: "file"}); err != nil {
			return err
		}
		if err := tx.SetClosed("mood", true); err != nil {
			return err
		}
		for _, src := range []string{"first draft", "second draft"} {
			if _, err := tx.SaveDraft(store.FlowDraft{FlowID: "mood", Hash: src, Source: []byte(src), ActorKind: "discord", ActorID: "42", ActorName: "Mo"}); err != nil {
				return err
			}
		}
		return tx.SetImported("/srv/flows/mood.yaml", "abc")
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.ViewReleases(ctx, func(tx *store.ReleaseTx) error {
		if st, _ := tx.State("mood"); !st.Closed || st.Live != 1 {
			t.Errorf("State after close = %+v; want closed, v1 live", st)
		}
		d, ok, err := tx.Draft("mood")
		if err != nil || !ok || string(d.Source) != "second draft" || d.ActorName != "Mo" {
			t.Errorf("Draft = %+v, %v, %v; want the second draft", d, ok, err)
		}
		if sum, _ := tx.Imported("/srv/flows/mood.yaml"); sum != "abc" {
			t.Errorf("Imported = %q; want abc", sum)
		}
		if sum, _ := tx.Imported("/srv/flows/other.yaml"); sum != "" {
			t.Errorf("Imported of another file = %q; want none", sum)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Answers to the fixture's flow: skips are not counted.
	f.step(t, "s1", "done", choiceAnswer("feel", "good"), textAnswer("why", "because"))
	f.step(t, "s2", "active", choiceAnswer("feel", "low"), store.Answer{QuestionID: "why", Kind: "text", Skipped: true})
	err = db.ViewReleases(ctx, func(tx *store.ReleaseTx) error {
		for _, tt := range []struct {
			option   string
			want     int
			question string
		}{{"", 2, "feel"}, {"good", 1, "feel"}, {"okay", 0, "feel"}, {"", 1, "why"}} {
			if n, err := tx.AnswerCount(f.flow.FlowID, tt.question, tt.option); err != nil || n != tt.want {
				t.Errorf("AnswerCount(%s, %q) = %d, %v; want %d", tt.question, tt.option, n, err, tt.want)
			}
		}
		counts, err := tx.SessionCounts()
		if err != nil || counts[f.flow.FlowID] != 2 {
			t.Errorf("SessionCounts = %v, %v; want 2 for %s", counts, err, f.flow.FlowID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
