package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

// TestDigestPostClaim: a digest's period is claimed once; its pending
// claim is listed among the digests, never among the schedules' posts
// (whose retry would give it up as "schedule removed"); its messages are
// recorded one by one, the first record of each kept, and they survive
// a reopen.
func TestDigestPostClaim(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	db := open(t, path, store.Options{})
	key := store.DigestPostKey("2026-W47")
	if p, ok := store.DigestPeriod(key); !ok || p != "2026-W47" {
		t.Errorf("DigestPeriod(%q) = %q, %v; want 2026-W47", key, p, ok)
	}
	if _, ok := store.DigestPeriod("checkin"); ok {
		t.Error("DigestPeriod(checkin) is a digest")
	}
	start := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	claim := store.Post{ScheduleID: key, Occurrence: start, Nonce: "123"}
	for i, want := range []bool{true, false} {
		if got, err := db.ClaimPost(ctx, claim); err != nil || got != want {
			t.Fatalf("ClaimPost() call %d = %v, %v; want %v", i+1, got, err, want)
		}
	}
	if _, err := db.ClaimPost(ctx, store.Post{ScheduleID: "checkin", Occurrence: start, Nonce: "9"}); err != nil {
		t.Fatal(err)
	}
	prompts, err := db.PendingPosts(ctx)
	if err != nil || len(prompts) != 1 || prompts[0].ScheduleID != "checkin" {
		t.Errorf("PendingPosts() = %+v, %v; want the prompt's claim alone", prompts, err)
	}
	digests, err := db.PendingDigestPosts(ctx)
	if err != nil || len(digests) != 1 || digests[0].ScheduleID != key || !digests[0].Occurrence.Equal(start) {
		t.Errorf("PendingDigestPosts() = %+v, %v; want the digest's claim alone", digests, err)
	}
	for _, m := range []store.PostMessage{{Index: 0, ChannelID: "7", MessageID: "100"}, {Index: 1, ChannelID: "7", MessageID: "101"}, {Index: 0, ChannelID: "7", MessageID: "999"}} {
		if err := db.AddPostMessage(ctx, key, start, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddPostMessage(ctx, key, start, store.PostMessage{Index: 2}); err == nil {
		t.Error("AddPostMessage without a message id succeeded")
	}
	if err := db.AddPostMessage(ctx, store.DigestPostKey("2026-W01"), start, store.PostMessage{Index: 0, ChannelID: "7", MessageID: "5"}); err == nil {
		t.Error("AddPostMessage for an unclaimed post succeeded")
	}
	db.Close()
	db = open(t, path, store.Options{})
	ms, err := db.PostMessages(ctx, key, start)
	if err != nil || len(ms) != 2 || ms[0].MessageID != "100" || ms[1].MessageID != "101" || ms[1].Index != 1 || ms[0].PostedAt.IsZero() {
		t.Errorf("PostMessages() = %+v, %v; want 100 then 101", ms, err)
	}
	if err := db.PostDone(ctx, key, start, "7", "100", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if digests, err := db.PendingDigestPosts(ctx); err != nil || len(digests) != 0 {
		t.Errorf("PendingDigestPosts() after PostDone = %+v, %v; want none", digests, err)
	}
	ps, err := db.Posts(ctx, key)
	if err != nil || len(ps) != 1 || ps[0].Status != store.PostPosted || ps[0].MessageID != "100" {
		t.Errorf("Posts(%q) = %+v, %v; want posted with message 100", key, ps, err)
	}
}
