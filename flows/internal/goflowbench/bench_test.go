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
	f := questionnaire(b)
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

func questionnaire(b *testing.B) *flows.Flow {
	f, probs := flows.Parse("compare.yaml", []byte(Questionnaire(questions)))
	if len(probs) > 0 {
		b.Fatal(probs)
	}
	return f
}

func perAnswer(b *testing.B, session func()) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := cpuTime(b)
	for b.Loop() {
		session()
	}
	cpu := cpuTime(b) - cpu0
	runtime.ReadMemStats(&after)
	answers := float64(b.N * questions)
	b.ReportMetric(b.Elapsed().Seconds()*1e9/answers, "ns/answer")
	b.ReportMetric(float64(cpu.Nanoseconds())/answers, "cpu-ns/answer")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/answers, "allocs/answer")
}

// batch is how many of our sessions an op of BenchmarkRatio runs beside
// one of goflow's, so each timed stretch lasts long enough (about a
// millisecond or more) for the clock's cost not to count.
const batch = 50

// BenchmarkRatio alternates the engines within every op (batch sessions
// of ours, then one of goflow's) and takes each one's CPU time, so both
// meet the same conditions on a shared machine. It reports each engine's
// CPU time per answer and goflow's over ours: how many times faster ours
// is per answer.
func BenchmarkRatio(b *testing.B) {
	f := questionnaire(b)
	g := newGoflow(b)
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			var oursT, theirsT time.Duration
			for b.Loop() {
				t := cpuTime(b)
				for range batch {
					ours(b, f, m.viaJSON)
				}
				mid := cpuTime(b)
				g.walk(b, m.viaJSON)
				oursT, theirsT = oursT+mid-t, theirsT+cpuTime(b)-mid
			}
			answers := float64(b.N * questions)
			b.ReportMetric(float64(oursT.Nanoseconds())/answers/batch, "flows-cpu-ns/answer")
			b.ReportMetric(float64(theirsT.Nanoseconds())/answers, "goflow-cpu-ns/answer")
			b.ReportMetric(theirsT.Seconds()*batch/oursT.Seconds(), "goflow/flows")
		})
	}
}
