package goflowbench

import (
	"runtime"
	"testing"
	"time"

	"github.com/peervoice/peervoice/flows"
)

// modes are the two ways a host keeps a session: as a value in memory, or
// stored as JSON after every step (marshalled and read back before the
// next), as PeerVoice's store and goflow's hosts do.
var modes = []struct {
	name    string
	viaJSON bool
}{{"memory", false}, {"json", true}}

// BenchmarkEngines walks the questionnaire with each engine on its own. One
// op is one whole session: the start and ten answers. Per answer divides
// by the ten answers, so it charges each engine's start to its answers.
func BenchmarkEngines(b *testing.B) {
	f, probs := flows.Parse("compare.yaml", []byte(Questionnaire(questions)))
	if len(probs) > 0 {
		b.Fatal(probs)
	}
	g := newGoflow(b)
	for _, m := range modes {
		b.Run("flows/"+m.name, func(b *testing.B) {
			perAnswer(b, func() { ours(b, f, m.viaJSON) })
		})
		b.Run("goflow/"+m.name, func(b *testing.B) {
			perAnswer(b, func() { g.walk(b, m.viaJSON) })
		})
	}
}

func perAnswer(b *testing.B, session func()) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		session()
	}
	runtime.ReadMemStats(&after)
	answers := float64(b.N * questions)
	b.ReportMetric(b.Elapsed().Seconds()*1e9/answers, "ns/answer")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/answers, "allocs/answer")
}

// BenchmarkRatio alternates one session of each engine in every op and
// times each, so both meet the same load on a shared machine; it reports
// each engine's time per answer and goflow's time over ours.
func BenchmarkRatio(b *testing.B) {
	f, probs := flows.Parse("compare.yaml", []byte(Questionnaire(questions)))
	if len(probs) > 0 {
		b.Fatal(probs)
	}
	g := newGoflow(b)
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			var oursT, theirsT time.Duration
			for b.Loop() {
				t := time.Now()
				ours(b, f, m.viaJSON)
				oursT += time.Since(t)
				t = time.Now()
				g.walk(b, m.viaJSON)
				theirsT += time.Since(t)
			}
			answers := float64(b.N * questions)
			b.ReportMetric(float64(oursT.Nanoseconds())/answers, "flows-ns/answer")
			b.ReportMetric(float64(theirsT.Nanoseconds())/answers, "goflow-ns/answer")
			b.ReportMetric(theirsT.Seconds()/oursT.Seconds(), "goflow/flows")
		})
	}
}
