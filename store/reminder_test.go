package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/store"
)

// TestReminderAddressSealed: the address a reminder is sent to is
// stored sealed under the participant's key, never in the clear, read
// back for the bot, and gone with a withdrawal.
func TestReminderAddressSealed(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	f := newFixture(t, path)
	f.step(t, "s1", store.StatusPaused)
	if err := f.db.AllowReminders(ctx, f.p.ID, "discord", rawUserID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.ReminderTarget(ctx, "s1")
	if err != nil || got.Platform != "discord" || got.UserID != rawUserID || got.OptedOut || got.SessionStatus != store.StatusPaused {
		t.Fatalf("ReminderTarget(s1) = %+v, %v; want discord %s, paused, not opted out", got, err, rawUserID)
	}
	f.db.Close()
	for _, suffix := range []string{"", "-wal"} {
		raw, err := os.ReadFile(path + suffix)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(rawUserID)) {
			t.Errorf("%s holds the user id in the clear", path+suffix)
		}
	}
	db := open(t, path, store.Options{})
	if err := db.Withdraw(ctx, f.p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReminderTarget(ctx, "s1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after withdrawal, ReminderTarget = %v; want ErrNotFound", err)
	}
	db.Close()
	var n int
	if err := rawDB(t, path).QueryRow(`SELECT COUNT(*) FROM reminder_prefs`).Scan(&n); err != nil || n != 0 {
		t.Errorf("after withdrawal, %d reminder_prefs rows (%v); want 0", n, err)
	}
}

// TestReminderCandidates: only the participant's most recent unfinished
// session, idle long enough, never claimed, of a participant reachable,
// taking part and not opted out, is due a reminder; a claim is won once.
func TestReminderCandidates(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	ids := func() []string {
		t.Helper()
		cs, err := f.db.ReminderCandidates(ctx, f.clock.now().Add(time.Hour), []string{"recovery"}, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.SessionID)
		}
		return out
	}
	want := func(when string, sessions ...string) {
		t.Helper()
		if got := ids(); len(got) != len(sessions) || len(got) > 0 && got[0] != sessions[0] {
			t.Errorf("%s: candidates %v; want %v", when, got, sessions)
		}
	}
	f.step(t, "old", store.StatusPaused)
	f.step(t, "new", store.StatusActive)
	want("unreachable")
	if err := f.db.AllowReminders(ctx, f.p.ID, "discord", rawUserID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	want("no consent yet")
	if err := f.db.SaveConsent(ctx, f.p.ID, store.Consent{Version: "1", TakePart: true}); err != nil {
		t.Fatal(err)
	}
	want("reachable, taking part", "new")
	if err := f.db.StopReminders(ctx, f.p.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if p, err := f.db.ReminderPrefs(ctx, f.p.ID); err != nil || p.OptedOutAt.IsZero() || !p.Reachable {
		t.Errorf("ReminderPrefs = %+v, %v; want reachable, opted out", p, err)
	}
	want("opted out")
	if err := f.db.AllowReminders(ctx, f.p.ID, "discord", rawUserID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	want("allowed again", "new")
	if cs, err := f.db.ReminderCandidates(ctx, f.clock.now().Add(time.Hour), []string{"what-matters"}, 10); err != nil || len(cs) != 0 {
		t.Errorf("candidates of other flows = %v, %v; want none (recovery is closed)", cs, err)
	}
	r := store.Reminder{SessionID: "new", Nonce: "123", DueAt: f.clock.now()}
	for i, wantClaim := range []bool{true, false} {
		if got, err := f.db.ClaimReminder(ctx, r); err != nil || got != wantClaim {
			t.Fatalf("claim %d = %v, %v; want %v", i+1, got, err, wantClaim)
		}
	}
	want("claimed") // and the older session is not the most recent
	f.step(t, "new", store.StatusDone)
	want("the newer one finished", "old")
	if err := f.db.SaveConsent(ctx, f.p.ID, store.Consent{Version: "2", TakePart: false}); err != nil {
		t.Fatal(err)
	}
	want("declined")
}

// TestReminderStatesAndDigest: a claim moves from pending to sent once;
// StopReminders cancels what is pending; the digest counts what was sent
// in its windows.
func TestReminderStatesAndDigest(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	f.step(t, "a", store.StatusPaused)
	f.step(t, "b", store.StatusPaused)
	sent := f.clock.now()
	for _, id := range []string{"a", "b"} {
		if ok, err := f.db.ClaimReminder(ctx, store.Reminder{SessionID: id, Nonce: "n" + id, DueAt: sent}); err != nil || !ok {
			t.Fatalf("claim %s = %v, %v", id, ok, err)
		}
	}
	if err := f.db.ReminderFailed(ctx, "a", "503", sent); err != nil {
		t.Fatal(err)
	}
	if err := f.db.ReminderSent(ctx, "a", sent); err != nil {
		t.Fatal(err)
	}
	if err := f.db.StopReminders(ctx, f.p.ID, sent); err != nil {
		t.Fatal(err)
	}
	if err := f.db.ReminderClosed(ctx, "a", store.ReminderCancelled, "late"); err != nil {
		t.Fatal(err)
	}
	all, err := f.db.Reminders(ctx)
	if err != nil || len(all) != 2 || all[0].Status != store.ReminderSent || all[0].Attempts != 1 || all[1].Status != store.ReminderCancelled {
		t.Fatalf("Reminders() = %+v, %v; want a sent (after one failure, not cancelled after), b cancelled", all, err)
	}
	if err := f.db.ReminderSent(ctx, "gone", sent); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ReminderSent(unknown) = %v; want ErrNotFound", err)
	}
	d, err := f.db.DigestData(ctx, figures.Query{
		Period:   figures.Span{From: sent.Add(-time.Hour), To: sent.Add(time.Hour)},
		Previous: figures.Span{From: sent.Add(-2 * time.Hour), To: sent.Add(-time.Hour)},
	})
	if err != nil || d.Period.RemindersSent != 1 || d.Previous.RemindersSent != 0 || d.Total.RemindersSent != 1 {
		t.Errorf("DigestData reminders = %d, %d, %d (%v); want 1 in the period, 0 before", d.Period.RemindersSent, d.Previous.RemindersSent, d.Total.RemindersSent, err)
	}
}

// TestWaveReminderCandidates: a participant's latest finished round of a
// flow, finished by the bound, of someone reachable and taking part, is
// offered the next round until it is claimed or a later round begins.
func TestWaveReminderCandidates(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, newPath(t))
	want := func(when string, sessions ...string) {
		t.Helper()
		cs, err := f.db.WaveReminderCandidates(ctx, "recovery", f.clock.now().Add(time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, c.SessionID)
		}
		if fmt.Sprint(got) != fmt.Sprint(sessions) {
			t.Errorf("%s: candidates %v; want %v", when, got, sessions)
		}
	}
	save := func(id, status string, wave int) {
		t.Helper()
		s := f.session(id, status)
		s.Wave = wave
		if err := f.db.SaveStep(ctx, s, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	save("w1", store.StatusDone, 1)
	if err := f.db.AllowReminders(ctx, f.p.ID, "discord", rawUserID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SaveConsent(ctx, f.p.ID, store.Consent{Version: "1", TakePart: true}); err != nil {
		t.Fatal(err)
	}
	want("round 1 finished", "w1")
	if cs, err := f.db.WaveReminderCandidates(ctx, "recovery", f.clock.now().Add(-time.Hour), 10); err != nil || len(cs) != 0 {
		t.Errorf("finished after the bound: candidates %v, %v; want none", cs, err)
	}
	save("w2", store.StatusActive, 2)
	if got, err := f.db.ReminderTarget(ctx, "w1"); err != nil || !got.LaterWave {
		t.Errorf("ReminderTarget(w1) = %+v, %v; want LaterWave", got, err)
	}
	want("round 2 begun")
	save("w2", store.StatusDone, 2)
	want("round 2 finished", "w2")
	if ok, err := f.db.ClaimReminder(ctx, store.Reminder{SessionID: "w2", Nonce: "1", DueAt: f.clock.now()}); err != nil || !ok {
		t.Fatalf("claim = %v, %v", ok, err)
	}
	want("claimed")
}
