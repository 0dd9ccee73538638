package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

func TestSchedules(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	db := open(t, path, store.Options{})
	created := time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC)
	a, err := db.AddSchedule(ctx, store.Schedule{FlowID: "recovery", ChannelID: "42", When: "weekly mon 18:00", Text: "How was your week?", CreatedAt: created})
	if err != nil || a.ID != 1 || a.Key() != "1" {
		t.Fatalf("AddSchedule() = %+v, %v; want id 1", a, err)
	}
	b, err := db.AddSchedule(ctx, store.Schedule{FlowID: "risk", ChannelID: "43", When: "2026-12-01 18:00"})
	if err != nil || b.ID != 2 || b.CreatedAt.IsZero() {
		t.Fatalf("AddSchedule() = %+v, %v; want id 2 with a creation time", b, err)
	}
	if _, err := db.AddSchedule(ctx, store.Schedule{FlowID: "risk"}); err == nil {
		t.Error("AddSchedule without channel and time succeeded")
	}
	got, err := db.Schedules(ctx)
	if err != nil || len(got) != 2 || got[0] != a || got[1].When != "2026-12-01 18:00" {
		t.Fatalf("Schedules() = %+v, %v; want %+v and %+v", got, err, a, b)
	}
	if err := db.DeleteSchedule(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSchedule(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteSchedule(deleted) = %v; want ErrNotFound", err)
	}
	// Ids are never reused, so old posts never belong to a new schedule.
	c, err := db.AddSchedule(ctx, store.Schedule{FlowID: "risk", ChannelID: "43", When: "weekly fri 09:00"})
	if err != nil || c.ID != 3 {
		t.Errorf("AddSchedule() after a delete = %+v, %v; want id 3", c, err)
	}
}

func TestFirstSeen(t *testing.T) {
	ctx := context.Background()
	db := open(t, newPath(t), store.Options{})
	t1 := time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC)
	for i, now := range []time.Time{t1, t1.Add(time.Hour)} {
		got, err := db.FirstSeen(ctx, "checkin", now)
		if err != nil || !got.Equal(t1) {
			t.Errorf("FirstSeen() call %d = %v, %v; want %v", i+1, got, err, t1)
		}
	}
}

// TestClaimPostOnce: of many processes claiming one occurrence at once,
// exactly one wins; and a claim goes pending → posted once.
func TestClaimPostOnce(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	first := open(t, path, store.Options{})
	dbs := []*store.DB{first, open(t, path, store.Options{}), open(t, path, store.Options{})}
	occ := time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC)
	p := store.Post{ScheduleID: "checkin", Occurrence: occ, Nonce: "12345"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(db *store.DB) {
			defer wg.Done()
			ok, err := db.ClaimPost(ctx, p)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}(dbs[i%len(dbs)])
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d claims won; want exactly 1", wins)
	}
	if _, err := first.ClaimPost(ctx, store.Post{ScheduleID: "checkin", Occurrence: occ}); err == nil {
		t.Error("ClaimPost without a nonce succeeded")
	}
	pending, err := first.PendingPosts(ctx)
	if err != nil || len(pending) != 1 || pending[0].Nonce != "12345" || pending[0].Status != store.PostPending || !pending[0].Occurrence.Equal(occ) {
		t.Fatalf("PendingPosts() = %+v, %v; want the claim", pending, err)
	}
	failedAt := occ.Add(30 * time.Second)
	if err := first.PostFailed(ctx, "checkin", occ, "Missing Permissions", failedAt); err != nil {
		t.Fatal(err)
	}
	if ps, err := first.Posts(ctx, "checkin"); err != nil || len(ps) != 1 || ps[0].Attempts != 1 || ps[0].LastError != "Missing Permissions" || !ps[0].LastAttemptAt.Equal(failedAt) {
		t.Fatalf("Posts() after a failure = %+v, %v; want one attempt, failed at %v", ps, err, failedAt)
	}
	if err := first.PostDone(ctx, "checkin", occ, "42", "m1", occ.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// A second process recording the same post (after the nonce returned
	// the same message) keeps the first record.
	if err := dbs[1].PostDone(ctx, "checkin", occ, "42", "m2", occ.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := first.PostMissed(ctx, "checkin", occ, "too late"); err != nil {
		t.Fatal(err)
	}
	posts, err := first.Posts(ctx, "checkin")
	want := store.Post{ScheduleID: "checkin", Occurrence: occ, Nonce: "12345", Status: store.PostPosted, Attempts: 1, LastError: "Missing Permissions",
		LastAttemptAt: failedAt, ChannelID: "42", MessageID: "m1", PostedAt: occ.Add(time.Minute)}
	if err != nil || len(posts) != 1 {
		t.Fatalf("Posts() = %+v, %v; want one", posts, err)
	}
	posts[0].ClaimedAt = time.Time{}
	if posts[0] != want {
		t.Errorf("Posts()[0] = %+v; want %+v", posts[0], want)
	}
	if pending, err := first.PendingPosts(ctx); err != nil || len(pending) != 0 {
		t.Errorf("PendingPosts() after posting = %+v, %v; want none", pending, err)
	}
	if err := first.PostDone(ctx, "nothing", occ, "42", "m", occ); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PostDone(unclaimed) = %v; want ErrNotFound", err)
	}
}

func TestPostMissed(t *testing.T) {
	ctx := context.Background()
	db := open(t, newPath(t), store.Options{})
	occ := time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC)
	if ok, err := db.ClaimPost(ctx, store.Post{ScheduleID: "1", Occurrence: occ, Nonce: "9"}); !ok || err != nil {
		t.Fatalf("ClaimPost() = %v, %v", ok, err)
	}
	if err := db.PostMissed(ctx, "1", occ, "its schedule was removed"); err != nil {
		t.Fatal(err)
	}
	posts, err := db.Posts(ctx, "1")
	if err != nil || len(posts) != 1 || posts[0].Status != store.PostMissed || posts[0].LastError != "its schedule was removed" {
		t.Errorf("Posts() = %+v, %v; want one missed", posts, err)
	}
	if ok, err := db.ClaimPost(ctx, store.Post{ScheduleID: "1", Occurrence: occ, Nonce: "9"}); ok || err != nil {
		t.Errorf("ClaimPost(missed occurrence) = %v, %v; want false: it is never claimed again", ok, err)
	}
}
