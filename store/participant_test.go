package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

func TestEnsureParticipant(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	again, err := f.db.EnsureParticipant(ctx, f.p.Pseudonym)
	if err != nil || again.ID != f.p.ID || !again.CreatedAt.Equal(f.p.CreatedAt) {
		t.Errorf("EnsureParticipant(same) = %+v, %v; want %+v", again, err, f.p)
	}
	found, err := f.db.FindParticipant(ctx, f.p.Pseudonym)
	if err != nil || found.ID != f.p.ID || found.Consent != nil {
		t.Errorf("FindParticipant() = %+v, %v; want id %d and no consent", found, err, f.p.ID)
	}
	if got := f.db.Pseudonym("discord", rawUserID); got != f.p.Pseudonym || len(got) != 64 || strings.Contains(got, rawUserID) {
		t.Errorf("Pseudonym() = %q; want 64 hex characters, stable, without the raw id", got)
	}
	if f.db.Pseudonym("discord", "1") == f.db.Pseudonym("slack", "1") {
		t.Errorf("Pseudonym() is the same on two platforms")
	}

	for _, bad := range []string{rawUserID, "", strings.Repeat("G", 64), strings.ToUpper(f.p.Pseudonym)} {
		_, err := f.db.EnsureParticipant(ctx, bad)
		if err == nil || !strings.Contains(err.Error(), "not a pseudonym") {
			t.Errorf("EnsureParticipant(%q) = %v; want a not-a-pseudonym error", bad, err)
		}
		if err != nil && len(bad) > 4 && strings.Contains(err.Error(), bad) {
			t.Errorf("EnsureParticipant(%q) error shows the raw value: %v", bad, err)
		}
	}
	if st, _ := f.db.Stats(ctx); st.Participants != 1 {
		t.Errorf("Stats().Participants = %d; want 1", st.Participants)
	}
}

func TestSaveConsent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	at := time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)
	consents := []store.Consent{
		{Version: "v1", TakePart: true, Quotes: true, GivenAt: at},
		{Version: "v1", TakePart: true, Quotes: false, GivenAt: at.Add(time.Hour)},
		{Version: "v2", TakePart: false, Quotes: false, GivenAt: at.Add(2 * time.Hour)},
	}
	for _, c := range consents {
		if err := f.db.SaveConsent(ctx, f.p.ID, c); err != nil {
			t.Fatalf("SaveConsent(%+v) = %v", c, err)
		}
		p, err := f.db.FindParticipant(ctx, f.p.Pseudonym)
		if err != nil || p.Consent == nil || *p.Consent != c {
			t.Errorf("after SaveConsent(%+v): FindParticipant().Consent = %+v, %v", c, p.Consent, err)
		}
		p, err = f.db.EnsureParticipant(ctx, f.p.Pseudonym)
		if err != nil || p.Consent == nil || *p.Consent != c {
			t.Errorf("after SaveConsent(%+v): EnsureParticipant().Consent = %+v, %v", c, p.Consent, err)
		}
	}
	if err := f.db.SaveConsent(ctx, f.p.ID, store.Consent{}); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("SaveConsent(no version) = %v; want an error about the version", err)
	}
}

func TestWithdraw(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	f.db.SaveConsent(ctx, f.p.ID, store.Consent{Version: "v1", TakePart: true})
	f.step(t, "mine1", store.StatusDone, textAnswer("q1", "x"), choiceAnswer("q2", "a"))
	f.step(t, "mine2", store.StatusPaused, textAnswer("q1", "y"))

	other, _ := f.db.EnsureParticipant(ctx, f.db.Pseudonym("discord", "other"))
	f.db.SaveConsent(ctx, other.ID, store.Consent{Version: "v1", TakePart: true})
	s := f.session("theirs", store.StatusActive)
	s.ParticipantID = other.ID
	if err := f.db.SaveStep(ctx, s, []store.Answer{textAnswer("q1", "z")}, nil); err != nil {
		t.Fatal(err)
	}

	if err := f.db.Withdraw(ctx, f.p.ID); err != nil {
		t.Fatalf("Withdraw() = %v", err)
	}
	if _, err := f.db.FindParticipant(ctx, f.p.Pseudonym); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FindParticipant(withdrawn) = %v; want ErrNotFound", err)
	}
	for _, id := range []string{"mine1", "mine2"} {
		if _, err := f.db.Session(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Session(%q) after Withdraw = %v; want ErrNotFound", id, err)
		}
	}
	if as, err := f.db.Answers(ctx, f.p.ID); err != nil || len(as) != 0 {
		t.Errorf("Answers(withdrawn) = %v, %v; want none", as, err)
	}
	if st, _ := f.db.Stats(ctx); st != (store.Stats{Participants: 1, Sessions: 1, Answers: 1}) {
		t.Errorf("Stats() after Withdraw = %+v; want only the other participant's 1 session and 1 answer", st)
	}
	if p, err := f.db.FindParticipant(ctx, other.Pseudonym); err != nil || p.Consent == nil {
		t.Errorf("other participant after Withdraw = %+v, %v; want kept with consent", p, err)
	}
	// Coming back later makes a new participant with a new id.
	back, err := f.db.EnsureParticipant(ctx, f.p.Pseudonym)
	if err != nil || back.ID == f.p.ID || back.Consent != nil {
		t.Errorf("EnsureParticipant after Withdraw = %+v, %v; want a new id (not %d) and no consent", back, err, f.p.ID)
	}
}
