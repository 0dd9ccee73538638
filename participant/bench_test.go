package participant_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// bareRate is the answers per second of the latest "bare" run of
// BenchmarkAnswer, the baseline its other cases report a ratio to: the
// same process, moments before, so the shared machine's load is as near
// the same as it can be.
var bareRate float64

// bareCPU is the CPU microseconds per row of that run.
var bareCPU float64

// cpuClock adds up the process's CPU time over the timed parts of a
// benchmark.
type cpuClock struct {
	from, total time.Duration
}

func (c *cpuClock) start() { c.from = cpuNow() }
func (c *cpuClock) stop()  { c.total += cpuNow() - c.from }

// per is the CPU microseconds per iteration.
func (c *cpuClock) per(b *testing.B) float64 {
	return float64(c.total.Microseconds()) / float64(b.N)
}

// report reports cpu-us/op, unless the platform cannot tell.
func (c *cpuClock) report(b *testing.B) {
	if c.total > 0 {
		b.ReportMetric(c.per(b), "cpu-us/op")
	}
}

// BenchmarkAnswer measures one typed answer at a time through the real
// participant service, the path a DM answer takes in the bot
// (Service.Input with no session id: find the participant, find their
// flow under way, run the engine, save the step durably), on a real
// SQLite file with the production pragmas (WAL, synchronous=FULL).
//
// The cases differ in how many completed sessions of the flow the
// participant already has (history-N): what the answer costs must not
// grow with it. "bare" is the baseline: go-sqlite3 inserting one row per
// transaction through a prepared statement, same pragmas, its own file
// (as store's BenchmarkBareInsert). Each case reports answers/s and the
// process's CPU time per answer (cpu-us/op: user and system, every
// thread, the committer's and SQLite's included), and, once bare has
// run, x-bare: its answers/s over bare's, and x-bare-cpu: its CPU time
// over bare's. On a shared machine the wall clock of an fsync-bound loop
// follows everyone's disk; the CPU time is this process's own.
//
//	go test -run '^$' -bench Answer -benchtime 2000x -count 3 ./participant/
func BenchmarkAnswer(b *testing.B) {
	b.Run("bare", benchBare)
	for _, n := range []int{0, 8, 32} {
		b.Run(fmt.Sprintf("history-%d", n), func(b *testing.B) { benchAnswer(b, n) })
	}
}

func benchBare(b *testing.B) {
	insert := storetest.BareInsert(b, b.TempDir())
	var cpu cpuClock
	b.ReportAllocs()
	b.ResetTimer()
	cpu.start()
	for i := range b.N {
		if err := insert(ctx, fmt.Sprintf("q%d", i), fmt.Appendf(nil, "my answer number %d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu.stop()
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "answers/s")
	cpu.report(b)
	if b.N > 1 {
		bareRate, bareCPU = rate, cpu.per(b)
	}
}

// answerBench is one participant answering the recovery flow over and
// over, with history completed sessions of it behind them.
type answerBench struct {
	b    *testing.B
	db   *store.DB
	svc  *participant.Service
	u    participant.User
	last participant.Reply
}

func benchAnswer(b *testing.B, history int) {
	db := storetest.Open(b, filepath.Join(b.TempDir(), "peervoice.db"), store.Options{})
	cat := storetest.Flows(b)
	svc := storetest.Service(b, db, participant.Config{Flows: func() *flows.Catalog { return cat }})
	a := &answerBench{b: b, db: db, svc: svc, u: participant.User{Platform: "discord", ID: "223456789012345678"}}
	// Another participant, so the tables hold more than one person's rows.
	other := &answerBench{b: b, db: db, svc: svc, u: participant.User{Platform: "discord", ID: "323456789012345678"}}
	other.begin(true)
	other.finish()
	a.begin(true)
	for range history {
		a.finish()
		a.begin(false)
	}
	var cpu cpuClock
	b.ReportAllocs()
	b.ResetTimer()
	cpu.start()
	for i := range b.N {
		if a.last.Session.Status == flows.Done {
			// Start again, with the same history: the finished session
			// is deleted, untimed.
			b.StopTimer()
			cpu.stop()
			if err := db.DeleteSession(ctx, a.last.Session.ID); err != nil {
				b.Fatal(err)
			}
			a.begin(false)
			cpu.start()
			b.StartTimer()
		}
		a.answer(i)
	}
	b.StopTimer()
	cpu.stop()
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "answers/s")
	cpu.report(b)
	if bareRate > 0 {
		b.ReportMetric(rate/bareRate, "x-bare")
	}
	if bareCPU > 0 {
		b.ReportMetric(cpu.per(b)/bareCPU, "x-bare-cpu")
	}
}

// begin starts the recovery flow, through consent the first time.
func (a *answerBench) begin(first bool) {
	a.b.Helper()
	r, err := a.svc.Begin(context.Background(), a.u, "recovery", "")
	if err != nil {
		a.b.Fatal(err)
	}
	a.last = r
	if first {
		a.say("1") // take part
		a.say("1") // quotes
	}
	if a.last.Flow == nil || a.last.Flow.ID != "recovery" || a.last.Session.Status == flows.Done {
		a.b.Fatalf("Begin: reply for flow %v, status %s; want the recovery flow under way", a.last.Flow, a.last.Session.Status)
	}
}

// finish answers the flow under way to its end.
func (a *answerBench) finish() {
	a.b.Helper()
	for i := 0; a.last.Session.Status != flows.Done; i++ {
		a.answer(i)
	}
}

// answer types an answer to the question asked last: one that takes the
// recovery flow through its follow-up questions (every free-text
// question is asked), so a session holds eight answers, five of them
// words.
func (a *answerBench) answer(i int) {
	a.b.Helper()
	var q *flows.Question
	for _, o := range a.last.Outputs {
		if ask, ok := o.(flows.Ask); ok {
			q = ask.Question
		}
	}
	if q == nil {
		a.b.Fatalf("no question asked in %+v", a.last.Outputs)
	}
	line := "2"
	switch q.Type {
	case flows.TypeScale:
		line = "4"
	case flows.TypeText:
		line = fmt.Sprintf("Answer %d: having a life that feels like my own again, with people around me who listen.", i)
	}
	a.say(line)
}

// say types line, with a deadline as the bot gives each message (its
// context's cancellation costs database/sql a goroutine per query).
func (a *answerBench) say(line string) {
	a.b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := a.svc.Input(ctx, a.u, participant.Step{Input: flows.Typed(line)})
	if err != nil {
		a.b.Fatalf("Input(%q): %v", line, err)
	}
	a.last = r
}
