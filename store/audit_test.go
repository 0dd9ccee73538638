package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/store"
)

// verify checks db's whole chain and returns how many entries it holds.
func verify(t *testing.T, db *store.DB) (int64, error) {
	t.Helper()
	var v audit.Verifier
	err := db.EachAuditEntry(context.Background(), v.Add)
	return v.Count(), err
}

// TestRecordChains: entries recorded one by one, and many at once, come
// back in order, chained, with what was recorded.
func TestRecordChains(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	db := open(t, path, store.Options{})
	at := time.Date(2026, 12, 6, 21, 0, 0, 123, time.FixedZone("CET", 3600))
	first := audit.Entry{At: at, Actor: audit.Actor{Kind: audit.KindDiscord, ID: "42", Name: "Mo"}, Action: "export", Outcome: audit.OK, Details: "format=csv scrubbed=true"}
	if err := db.Record(ctx, first); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := db.Record(ctx, audit.Entry{Actor: audit.Actor{Kind: audit.KindSystem}, Action: "digest.post", Target: fmt.Sprint(i), Outcome: audit.OK}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	n, err := verify(t, db)
	if err != nil || n != 21 {
		t.Fatalf("verify = %d, %v; want 21 entries, intact", n, err)
	}
	got, err := db.AuditEntries(ctx, store.AuditFilter{Limit: 1})
	if err != nil || len(got) != 1 || got[0].Seq != 21 {
		t.Fatalf("AuditEntries(limit 1) = %+v, %v; want entry 21", got, err)
	}
	all, err := db.AuditEntries(ctx, store.AuditFilter{Action: "export"})
	if err != nil || len(all) != 1 {
		t.Fatalf("AuditEntries(export) = %+v, %v; want one", all, err)
	}
	e := all[0]
	want := first
	want.Seq, want.At, want.Prev = 1, at.UTC(), ""
	want.Hash = audit.Hash("", want)
	if e != want {
		t.Errorf("entry 1 = %+v; want %+v", e, want)
	}
}

func TestAuditFilter(t *testing.T) {
	ctx := context.Background()
	db := open(t, newPath(t), store.Options{})
	day := func(d int) time.Time { return time.Date(2026, 12, d, 12, 0, 0, 0, time.UTC) }
	for i, a := range []string{"digest.post", "digest.preview", "digestive", "export", "digest.post"} {
		if err := db.Record(ctx, audit.Entry{At: day(i + 1), Actor: audit.Actor{Kind: audit.KindSystem}, Action: a, Outcome: audit.OK}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		f    store.AuditFilter
		want []int64
	}{
		{store.AuditFilter{}, []int64{1, 2, 3, 4, 5}},
		{store.AuditFilter{Action: "digest"}, []int64{1, 2, 5}},
		{store.AuditFilter{Action: "digest.post"}, []int64{1, 5}},
		{store.AuditFilter{Since: day(3)}, []int64{3, 4, 5}},
		{store.AuditFilter{Action: "digest", Limit: 2}, []int64{2, 5}},
		{store.AuditFilter{Action: "digest", Since: day(2), Limit: 5}, []int64{2, 5}},
		{store.AuditFilter{Action: "flows"}, nil},
	}
	for _, tt := range tests {
		got, err := db.AuditEntries(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		var seqs []int64
		for _, e := range got {
			seqs = append(seqs, e.Seq)
		}
		if fmt.Sprint(seqs) != fmt.Sprint(tt.want) {
			t.Errorf("AuditEntries(%+v) = %v; want %v", tt.f, seqs, tt.want)
		}
	}
}

// TestAuditAppendOnly: SQL that changes or deletes a row fails; once the
// triggers are dropped it succeeds, and the chain shows it.
func TestAuditAppendOnly(t *testing.T) {
	ctx := context.Background()
	path := newPath(t)
	db := open(t, path, store.Options{})
	for _, a := range []string{"prompt.post", "export", "quote.approve"} {
		if err := db.Record(ctx, audit.Entry{Actor: audit.Actor{Kind: audit.KindCLI, ID: "alice"}, Action: a, Outcome: audit.OK}); err != nil {
			t.Fatal(err)
		}
	}
	raw := rawDB(t, path)
	for _, q := range []string{`UPDATE audit SET outcome = 'refused' WHERE seq = 2`, `DELETE FROM audit WHERE seq = 2`} {
		if _, err := raw.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v; want the append-only refusal", q, err)
		}
	}
	if n, err := verify(t, db); err != nil || n != 3 {
		t.Fatalf("verify = %d, %v; want 3 entries, intact", n, err)
	}
	for _, q := range []string{`DROP TRIGGER audit_no_update`, `UPDATE audit SET outcome = 'refused' WHERE seq = 2`} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	_, err := verify(t, db)
	var ce *audit.ChainError
	if !errors.As(err, &ce) || ce.Seq != 2 || !strings.Contains(ce.Reason, "edited") {
		t.Errorf("verify after an edit = %v; want entry 2 edited", err)
	}
}

func TestRecordRefusesIncomplete(t *testing.T) {
	db := open(t, newPath(t), store.Options{})
	for _, e := range []audit.Entry{
		{Actor: audit.Actor{Kind: audit.KindSystem}, Outcome: audit.OK},
		{Action: "export", Outcome: audit.OK},
		{Actor: audit.Actor{Kind: audit.KindSystem}, Action: "export"},
	} {
		if err := db.Record(context.Background(), e); err == nil {
			t.Errorf("Record(%+v) = nil; want an error", e)
		}
	}
	if n, err := verify(t, db); err != nil || n != 0 {
		t.Errorf("verify = %d, %v; want an empty log", n, err)
	}
}
