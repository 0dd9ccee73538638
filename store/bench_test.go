package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/store"
)

// BenchmarkSaveStep measures answers per second when each answer and the
// session state are saved in their own durable transaction (synchronous
// FULL, the default): the cost of one participant's click.
func BenchmarkSaveStep(b *testing.B) {
	ctx := context.Background()
	f := newFixture(b, newPath(b))
	s := f.session("bench", store.StatusActive)
	i := 0
	from := cpuNow()
	for b.Loop() {
		q := fmt.Sprintf("q%d", i)
		s.State = fmt.Appendf(s.State[:0], `{"flow":"recovery","at":%q,"answers":{"%s":"my answer number %d"}}`, q, q, i)
		a := store.Answer{QuestionID: q, Kind: "text", Text: fmt.Sprintf("my answer number %d", i)}
		if err := f.db.SaveStep(ctx, s, []store.Answer{a}, nil); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpuNow()-from)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
}

// BenchmarkSaveStepIf is BenchmarkSaveStep through the conditional save
// the participant service uses for a session it kept (SaveStepIf: the
// row, the consent and the open session checked in the UPDATE), each
// step with the StepRev the one before returned.
func BenchmarkSaveStepIf(b *testing.B) {
	ctx := context.Background()
	f := newFixture(b, newPath(b))
	if err := f.db.SaveConsent(ctx, f.p.ID, store.Consent{Version: "1", TakePart: true}); err != nil {
		b.Fatal(err)
	}
	s := f.session("bench", store.StatusActive)
	f.step(b, "bench", store.StatusActive)
	got, err := f.db.ReadStep(ctx, f.db.Pseudonym("discord", rawUserID), "")
	if err != nil || !got.Found {
		b.Fatalf("ReadStep() = %+v, %v; want the session", got, err)
	}
	rev := got.Rev
	i := 0
	from := cpuNow()
	for b.Loop() {
		q := fmt.Sprintf("q%d", i)
		s.State = fmt.Appendf(s.State[:0], `{"flow":"recovery","at":%q,"answers":{"%s":"my answer number %d"}}`, q, q, i)
		a := store.Answer{QuestionID: q, Kind: "text", Text: fmt.Sprintf("my answer number %d", i)}
		if rev, err = f.db.SaveStepIf(ctx, s, []store.Answer{a}, nil, rev, true); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpuNow()-from)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
}

// reportCPU reports cpu, the process's CPU time over the loop, per
// iteration, unless the platform cannot tell.
func reportCPU(b *testing.B, cpu time.Duration) {
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/op")
	}
}

// BenchmarkBareInsert is the baseline for BenchmarkSaveStep: go-sqlite3
// inserting one row per transaction under the same pragmas, on its own file.
func BenchmarkBareInsert(b *testing.B) {
	ctx := context.Background()
	insert := storetest.BareInsert(b, b.TempDir())
	i := 0
	for b.Loop() {
		if err := insert(ctx, fmt.Sprintf("q%d", i), []byte(fmt.Sprintf("my answer number %d", i))); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
}

// BenchmarkReadStep measures the read of an answer's step (ReadStep: the
// participant, their consent and their session under way), warm and, as
// on the answer path, right after another connection's commit, which
// makes SQLite drop the reading connection's page cache. The commit is
// not timed. It reports the CPU time per read (cpu-us/op), steadier than
// the wall clock on a shared machine.
func BenchmarkReadStep(b *testing.B) {
	for _, afterCommit := range []bool{false, true} {
		name := "warm"
		if afterCommit {
			name = "after-commit"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			f := newFixture(b, newPath(b))
			if err := f.db.SaveConsent(ctx, f.p.ID, store.Consent{Version: "1", TakePart: true}); err != nil {
				b.Fatal(err)
			}
			for i := range 8 {
				f.step(b, fmt.Sprintf("done%d", i), store.StatusDone, textAnswer("q1", "finished"))
			}
			s := f.session("open", store.StatusActive)
			f.step(b, "open", store.StatusActive)
			pseud := f.db.Pseudonym("discord", rawUserID)
			var cpu time.Duration
			b.ReportAllocs()
			for b.Loop() {
				if afterCommit {
					b.StopTimer()
					if err := f.db.SaveStep(ctx, s, nil, nil); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				from := cpuNow()
				got, err := f.db.ReadStep(ctx, pseud, "")
				cpu += cpuNow() - from
				if err != nil || got.Session.ID != "open" {
					b.Fatalf("ReadStep() = %q, %v; want the open session", got.Session.ID, err)
				}
			}
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/op")
			}
		})
	}
}
