package flows_test

import (
	"encoding/json"
	"runtime"
	"testing"

	"github.com/peervoice/peervoice/flows"
)

// script answers a whole flow with the "first" strategy, returning the
// inputs in order and how many of them were taken as answers (an
// Answered output), so the benchmark loop does no deciding of its own.
func script(b testing.TB, f *flows.Flow) (inputs []flows.Input, answers int) {
	s, outs := flows.Start(f, "s", "", t0)
	for s.Status != flows.Done {
		var ask *flows.Ask
		for _, o := range outs {
			if a, ok := o.(flows.Ask); ok {
				ask = &a
			}
		}
		in := flows.Typed(strategies[0].pick(ask.Question))
		inputs = append(inputs, in)
		var err error
		if s, outs, err = flows.Resume(f, s, in, t0); err != nil {
			b.Fatal(err)
		}
		for _, o := range outs {
			if _, ok := o.(flows.Answered); ok {
				answers++
			}
		}
	}
	return inputs, answers
}

// BenchmarkEngine runs the longest default flow from start to finish. "memory"
// keeps the session as a value; "json" marshals it and reads it back
// between every step, as a host that persists sessions must.
//
// One op is one whole session. A step is a call into the engine (Start,
// then one Resume per input), so the start counts as a step; an answer is
// an input the engine took as an answer (an Answered output), so the start
// is not one. Both are reported: steps/s for continuity with earlier
// figures, answers/s, ns/answer and allocs/answer for comparing engines
// that do not count a start. cpu-ns/answer is the process's CPU time per
// answer (garbage collection included), steadier than wall-clock time on
// a machine shared with other work.
func BenchmarkEngine(b *testing.B) {
	c, err := flows.Default()
	if err != nil {
		b.Fatal(err)
	}
	// The longest walk through any default flow, answering every question.
	var f *flows.Flow
	var inputs []flows.Input
	answers := 0
	for _, x := range c.Flows() {
		if in, n := script(b, x); len(in) > len(inputs) {
			f, inputs, answers = x, in, n
		}
	}
	b.Logf("flow %s: %d steps (the start and %d inputs), %d answers", f.ID, len(inputs)+1, len(inputs), answers)
	for _, mode := range []string{"memory", "json"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			maxJSON := 0
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			cpu0, cpuOK := cpuTime()
			for b.Loop() {
				s, _ := flows.Start(f, "0123456789abcdef01234567", "", t0)
				for _, in := range inputs {
					if mode == "json" {
						data, err := json.Marshal(s)
						if err != nil {
							b.Fatal(err)
						}
						maxJSON = max(maxJSON, len(data))
						s = flows.Session{}
						if err := json.Unmarshal(data, &s); err != nil {
							b.Fatal(err)
						}
					}
					var err error
					if s, _, err = flows.Resume(f, s, in, t0); err != nil {
						b.Fatal(err)
					}
				}
			}
			cpu1, _ := cpuTime()
			runtime.ReadMemStats(&after)
			secs := b.Elapsed().Seconds()
			mallocs := float64(after.Mallocs - before.Mallocs)
			steps := float64(b.N * (len(inputs) + 1))
			answered := float64(b.N * answers)
			b.ReportMetric(steps/secs, "steps/s")
			b.ReportMetric(mallocs/steps, "allocs/step")
			b.ReportMetric(answered/secs, "answers/s")
			b.ReportMetric(secs*1e9/answered, "ns/answer")
			b.ReportMetric(mallocs/answered, "allocs/answer")
			if cpuOK {
				b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/answered, "cpu-ns/answer")
			}
			if mode == "json" {
				b.ReportMetric(float64(maxJSON), "session-json-bytes")
			}
		})
	}
}
