package flows_test

import (
	"encoding/json"
	"runtime"
	"testing"

	"github.com/peervoice/peervoice/flows"
)

// script answers a whole flow with the "first" strategy, returning the
// inputs in order, so the benchmark loop does no deciding of its own.
func script(b *testing.B, f *flows.Flow) []flows.Input {
	s, outs := flows.Start(f, "s", "", t0)
	var inputs []flows.Input
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
	}
	return inputs
}

// BenchmarkEngine runs the longest default flow from start to finish. "memory"
// keeps the session as a value; "json" marshals it and reads it back
// between every step, as a host that persists sessions must.
func BenchmarkEngine(b *testing.B) {
	c, err := flows.Default()
	if err != nil {
		b.Fatal(err)
	}
	// The longest walk through any default flow, answering every question.
	var f *flows.Flow
	var inputs []flows.Input
	for _, x := range c.Flows() {
		if in := script(b, x); len(in) > len(inputs) {
			f, inputs = x, in
		}
	}
	b.Logf("flow %s: %d steps", f.ID, len(inputs)+1)
	for _, mode := range []string{"memory", "json"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			maxJSON := 0
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
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
			steps := float64(b.N * (len(inputs) + 1))
			b.ReportMetric(steps/b.Elapsed().Seconds(), "steps/s")
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/steps, "allocs/step")
			if mode == "json" {
				b.ReportMetric(float64(maxJSON), "session-json-bytes")
			}
		})
	}
}
