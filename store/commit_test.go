package store_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/peervoice/peervoice/store"
)

// TestGroupCommitIsolatesFailures: many steps at once share commits, but
// a step that fails (here, one naming a flow version that was never
// stored) fails alone; every other step is stored.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	f := newFixture(t, newPath(t))
	ctx := context.Background()
	const n = 100
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := f.session(fmt.Sprintf("s%03d", i), store.StatusActive)
			if i%10 == 7 {
				s.FlowVersion = "never-stored"
			}
			errs[i] = f.db.SaveStep(ctx, s, []store.Answer{textAnswer("q1", fmt.Sprintf("answer %d", i))}, nil)
		}()
	}
	wg.Wait()
	failed := 0
	for i, err := range errs {
		switch {
		case i%10 == 7 && err == nil:
			t.Errorf("step %d with an unknown flow version was saved", i)
		case i%10 == 7:
			failed++
		case err != nil:
			t.Errorf("step %d = %v", i, err)
		}
	}
	st, err := f.db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sessions != n-failed || st.Answers != n-failed {
		t.Errorf("stored %d sessions and %d answers; want %d of each", st.Sessions, st.Answers, n-failed)
	}
	answers, err := f.db.Answers(ctx, f.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range answers {
		if want := fmt.Sprintf("answer %d", atoi(a.SessionID[1:])); a.Text != want {
			t.Errorf("session %s holds %q", a.SessionID, a.Text)
		}
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func TestSaveStepAfterClose(t *testing.T) {
	f := newFixture(t, newPath(t))
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	err := f.db.SaveStep(context.Background(), f.session("late", store.StatusActive), nil, nil)
	if err == nil {
		t.Fatal("SaveStep after Close succeeded")
	}
	if errors.Is(err, context.Canceled) {
		t.Errorf("SaveStep after Close = %v; want a closed-store error", err)
	}
}

// BenchmarkSaveStepConcurrent saves steps from 64 goroutines per core at
// once, as a busy community does: group commit shares the fsyncs.
func BenchmarkSaveStepConcurrent(b *testing.B) {
	f := newFixture(b, newPath(b))
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(64)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			s := f.session(fmt.Sprintf("s%d", i%5000), store.StatusActive)
			if err := f.db.SaveStep(ctx, s, []store.Answer{textAnswer("q1", "a few words of free text")}, nil); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
}
