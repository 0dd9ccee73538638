// Package loadtest is the runner of PeerVoice's load benchmark (issue 3,
// BenchmarkLoad in bench_test.go): N simulated participants answer flows
// in their DMs, all at once, through the emulator (internal/discordtest)
// and the real discordgo client, against PeerVoice on a real SQLite file
// or against a baseline bot that makes the same Discord calls and does
// nothing else. Run measures one such run and reports it with
// b.ReportMetric; docs/benchmarks.md explains the metrics and holds the
// results.
//
// Only benchmarks use it. It drives the bot from outside, as Discord
// would, and needs nothing of bot's but its exported API; it must not
// import config or viper.
package loadtest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// Config is one run of the benchmark.
type Config struct {
	// Bot is the bot under load: PeerVoice or Baseline.
	Bot Bot
	// Participants is how many simulated participants answer at once.
	Participants int
	// Think is how long a participant pauses before each answer: zero,
	// the benchmark of issue 3, answers as fast as the bot replies; a
	// pause (each one drawn between half and one and a half times it)
	// models people reading and thinking, so the load offered is
	// Participants/Think answers a second.
	Think time.Duration
	// ValidateOneIn is how many request bodies the emulator lets through
	// for each one it validates against Discord's OpenAPI description
	// (discordtest.WithValidationSample: besides the first of each route
	// and each new shape); ≤ 1: every body, as in the e2e tests. Full
	// validation is a quarter of a run's CPU, which would hide the bot's.
	ValidateOneIn int
	// ProfileDir, if set, receives CPU and allocation profiles of the
	// timed phase alone (profile.go), labelled by side.
	ProfileDir string
	// Synchronous is PeerVoice's store.Options.Synchronous: "" for FULL,
	// as in production. NORMAL (no fsync per commit in WAL mode) is a
	// diagnostic only, to tell how much of PeerVoice's latency is the
	// disk's.
	Synchronous string
}

// A Bot is a bot the benchmark can put under load.
type Bot struct {
	name  string
	start func(testing.TB, *discordtest.Emulator, Config) *running
}

// running is a bot under load.
type running struct {
	flows []string // flow ids participants cycle through
	stop  func()   // stops the bot; afterwards nothing of it is reachable
	check func()   // reports what the bot logged as going wrong
	// Inside PeerVoice: how long the participant service took per input
	// (store and engine, after waiting for the participant's lock), and
	// the store per durable step.
	input, save *hist
}

// heartbeat is the gateway's heartbeat interval under load. The
// emulator's default of one second makes discordgo give up on the
// connection (five intervals without an ACK) after a five-second backlog,
// and lose the events in it; Discord's own 41.25 s would let the
// emulator's unacknowledged-event buffer reach its 20,000-event limit,
// at which it drops the session. Five seconds allows a 25-second backlog,
// still far stricter than Discord.
var heartbeat = discordtest.WithHeartbeatInterval(5 * time.Second)

// timeout bounds the whole of one run's waiting, and replyWait each wait
// for a reply: a participant whose reply never comes is stranded
// (errStranded) rather than hanging the benchmark.
const (
	timeout   = 10 * time.Minute
	replyWait = time.Minute
)

// setupLimit is how many participants start a flow at once in the
// untimed phases. A community never sends a thousand /survey commands in
// the same instant; the timed phase, where all N answer at once, is the
// load being measured.
const setupLimit = 100

// errStranded means a participant waited replyWait for a reply that
// never came: they are stranded, as a person would be, and stop.
var errStranded = errors.New("no reply from the bot")

// Run runs the benchmark once for b: cfg.Participants consent (untimed),
// then each answers b.N whole flows, timed, mostly by typing and also by
// clicking; then, untimed, all are left mid-flow for the memory figures.
// It reports the metrics that docs/benchmarks.md describes, and fails b
// if the bot logged errors or a participant could not go on for any
// reason but a reply that never came.
func Run(b *testing.B, cfg Config) {
	var mem memory
	mem.idle = warmUp(b, cfg)
	peakReset := resetPeak()
	tb := &lateCounter{B: b}
	e := discordtest.New(tb, heartbeat, discordtest.WithValidationSample(cfg.ValidateOneIn))
	lat := &latency{}
	ps := make([]*person, cfg.Participants)
	for i := range ps {
		ps[i] = &person{i: i, u: e.User(fmt.Sprintf("participant%04d", i)), lat: lat, think: cfg.Think}
		ps[i].u.DMChannelID()
	}
	probe := e.User("probe")
	probe.DMChannelID()
	c, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	r := cfg.Bot.startLabelled(b, e, cfg)
	b.Cleanup(func() {
		if r != nil { // the benchmark failed before stopping it
			r.stop()
		}
	})
	mem.botIdle = liveHeap()
	diag := func() {
		gw := e.GatewayStats()
		b.Logf("gateway: %d connection(s), %d identify, %d resumes, %d heartbeats, %d ACKs, close codes %v; %d late initial responses",
			gw.Connections, gw.Identifies, gw.Resumes, gw.Heartbeats, gw.HeartbeatACKs, gw.ClientCloseCodes, tb.late.Load())
		r.check()
	}

	// Untimed: consent (PeerVoice) or /survey (baseline) up to the first
	// question of the first flow.
	all(b, ps, setupLimit, diag, func(p *person) error { return p.begin(c, r, 0) })

	res := timed(b, cfg, c, e, ps, r, diag)

	// Untimed: all N mid-flow, each with the next flow started and its
	// first question answered, and nothing in flight.
	all(b, ps, setupLimit, diag, func(p *person) error {
		if err := p.begin(c, r, b.N); err != nil {
			return err
		}
		return p.step(c, false)
	})
	settle(b, c, e, probe)
	mem.midFlow = liveHeap()
	res.peak, res.peakOK = peakRSS()
	gw := e.GatewayStats()
	r.check()
	r.stop()
	r = nil
	mem.emulatorAfter = liveHeap()

	res.report(b, cfg, mem, tb.late.Load())
	b.Logf("heap: %s; peak RSS reset: %v", mem, peakReset)
	b.Logf("gateway: %d connection(s), %d identify, %d resumes, %d heartbeats, %d events dispatched; REST requests, all phases: %s",
		gw.Connections, gw.Identifies, gw.Resumes, gw.Heartbeats, gw.Dispatched, routes(e.Requests()))
	b.Logf("REST requests per answer, timed phase: %s", perAnswer(res.requests, res.all.count))
	b.Logf("garbage collection, timed phase, whole process: %s", res.gc.per(res.all.count))
	vs := e.ValidationStats()
	b.ReportMetric(float64(vs.Validated), "validated-bodies")
	b.Logf("OpenAPI validation (1 body in %d, and the first of each of %d shapes on %d routes): %d bodies validated, %d not; documented limits checked on all",
		max(cfg.ValidateOneIn, 1), vs.Shapes, vs.Routes, vs.Validated, vs.Sampled)
}

// result is what the timed phase measured.
type result struct {
	elapsed, cpu      time.Duration
	all, typed, click counts
	input, save       counts // PeerVoice only
	stale, stranded   int
	peak              uint64
	peakOK            bool
	requests          []discordtest.Request // the bot's REST requests in the timed phase
	gc                gcStats
}

// timed is the timed phase: every participant answers b.N flows, all at
// once.
func timed(b *testing.B, cfg Config, c context.Context, e *discordtest.Emulator, ps []*person, r *running, diag func()) result {
	var inner0 [2]counts
	if r.input != nil {
		inner0 = [2]counts{r.input.snapshot(), r.save.snapshot()}
	}
	req0 := len(e.Requests())
	lat := ps[0].lat
	prof := startProfile(b, cfg)
	gc0 := readGC()
	b.ResetTimer()
	cpu0 := cpuTime()
	t0 := time.Now()
	all(b, ps, 0, diag, func(p *person) error {
		for it := 0; it < b.N; it++ {
			if it > 0 {
				if err := p.begin(c, r, it); err != nil {
					return err
				}
			}
			if err := p.finish(c, true); err != nil {
				return err
			}
		}
		return nil
	})
	res := result{elapsed: time.Since(t0), cpu: cpuTime() - cpu0}
	b.StopTimer()
	res.gc = readGC().minus(gc0)
	prof.stop(b)
	res.requests = e.Requests()[req0:]
	if slices.ContainsFunc(ps, func(p *person) bool { return p.stranded }) {
		// Stranded participants waited replyWait in vain: count the
		// throughput up to the last answer.
		res.elapsed = time.Duration(lat.last.Load() - t0.UnixNano())
	}
	res.all, res.typed, res.click = lat.all.snapshot(), lat.typed.snapshot(), lat.click.snapshot()
	if r.input != nil {
		res.input, res.save = r.input.snapshot().minus(inner0[0]), r.save.snapshot().minus(inner0[1])
	}
	for _, p := range ps {
		if p.stranded {
			res.stranded++
			continue
		}
		for _, m := range p.u.Messages() {
			if m.Interactive() {
				res.stale++ // every flow has ended: no question should still take answers
			}
		}
	}
	return res
}

// settle waits until nothing is in flight and drops what the emulator
// keeps for the bot's gateway session. The emulator keeps a copy of every
// event the bot has not confirmed (for a RESUME), and its buffer keeps its
// high-water mark; all of it is freed when the bot disconnects, and would
// count as the bot's. So the session is ended with op 9 and the bot
// identifies again, as it would on Discord.
func settle(b *testing.B, c context.Context, e *discordtest.Emulator, probe *discordtest.User) {
	b.Helper()
	probeQuiet(b, c, probe)
	ids := e.GatewayStats().Identifies
	e.InvalidateSession(false)
	if _, err := e.WaitGateway(c, func(s discordtest.GatewayStats) bool { return s.Identifies > ids && s.Connected > 0 }); err != nil {
		b.Fatal(err)
	}
	probeQuiet(b, c, probe)
}

// probeQuiet sends the bot a DM from someone with no flow and waits for
// its answer, which comes only once the bot has read every event before
// it: then nothing is in flight.
func probeQuiet(b *testing.B, c context.Context, probe *discordtest.User) {
	b.Helper()
	probe.SendDM("hello")
	if _, err := probe.WaitMessage(c, func(m discordtest.Message) bool { return m.Edits == 0 }); err != nil {
		b.Fatal(err)
	}
}

func (r result) report(b *testing.B, cfg Config, mem memory, late int64) {
	n := cfg.Participants
	b.ReportMetric(float64(r.all.count)/r.elapsed.Seconds(), "answers/s")
	b.ReportMetric(float64(r.all.count)/r.cpu.Seconds(), "answers/cpu-s")
	b.ReportMetric(r.cpu.Seconds()/r.elapsed.Seconds(), "cpu-cores")
	b.ReportMetric(ms(r.all.quantile(0.50)), "p50-ms")
	b.ReportMetric(ms(r.all.quantile(0.99)), "p99-ms")
	b.ReportMetric(ms(r.typed.quantile(0.99)), "p99-typed-ms")
	b.ReportMetric(ms(r.click.quantile(0.99)), "p99-click-ms")
	if r.input.count > 0 {
		b.ReportMetric(ms(r.input.quantile(0.50)), "p50-input-ms")
		b.ReportMetric(ms(r.input.quantile(0.99)), "p99-input-ms")
		b.ReportMetric(ms(r.save.quantile(0.50)), "p50-save-ms")
		b.ReportMetric(ms(r.save.quantile(0.99)), "p99-save-ms")
	}
	b.ReportMetric(mem.perSession(n), "heap-B/session")
	b.ReportMetric(mem.botPerSession(n), "bot-heap-B/session")
	if r.peakOK {
		b.ReportMetric(float64(r.peak)/(1<<20), "peak-RSS-MB")
	}
	b.ReportMetric(float64(late), "late-acks")
	b.ReportMetric(float64(r.stranded), "stranded")
	b.Logf("%d participants, think %v: %d answers (%d typed, %d clicked) in %v, max latency %v; %d answered questions left clickable",
		n, cfg.Think, r.all.count, r.typed.count, r.click.count, r.elapsed.Round(time.Millisecond),
		time.Duration(r.all.max).Round(time.Millisecond), r.stale)
}

// routes counts REST requests by route, most first.
func routes(reqs []discordtest.Request) string {
	count, names := byRoute(reqs)
	var parts []string
	for _, r := range names {
		parts = append(parts, fmt.Sprintf("%s %d", r, count[r]))
	}
	return strings.Join(parts, ", ")
}

// perAnswer is REST requests per answer by route, most first, and in all:
// what the baseline must match (Baseline).
func perAnswer(reqs []discordtest.Request, answers int64) string {
	if answers == 0 {
		return "no answers"
	}
	count, names := byRoute(reqs)
	parts := []string{fmt.Sprintf("%.3f in all", float64(len(reqs))/float64(answers))}
	for _, r := range names {
		parts = append(parts, fmt.Sprintf("%s %.3f", r, float64(count[r])/float64(answers)))
	}
	return strings.Join(parts, ", ")
}

func byRoute(reqs []discordtest.Request) (map[string]int, []string) {
	count := map[string]int{}
	for _, r := range reqs {
		count[r.Route]++
	}
	names := slices.Collect(maps.Keys(count))
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(count[b], count[a]) })
	return count, names
}

func ms(ns int64) float64 { return float64(ns) / 1e6 }

// lateCounter passes an emulator's reports to the benchmark, except late
// initial responses to interactions, which it counts: under overload they
// are a result to report, as Discord would show "This interaction failed".
type lateCounter struct {
	*testing.B
	late atomic.Int64
}

func (t *lateCounter) Errorf(format string, args ...any) {
	if msg := fmt.Sprintf(format, args...); strings.Contains(msg, "initial response to interaction") && strings.Contains(msg, "after it was created") {
		t.late.Add(1)
		return
	}
	t.B.Helper()
	t.B.Errorf(format, args...)
}

// all runs f for every participant at once (at most limit at a time if
// limit > 0), except those stranded already. A participant left without
// a reply is marked stranded and reported; any other error fails the
// benchmark, after diag has said what it can.
func all(b *testing.B, ps []*person, limit int, diag func(), f func(*person) error) {
	b.Helper()
	if limit <= 0 {
		limit = len(ps)
	}
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first, firstStranded error
	failed, stranded := 0, 0
	for _, p := range ps {
		if p.stranded {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			pprof.SetGoroutineLabels(participantsLabel)
			defer wg.Done()
			defer func() { <-sem }()
			err := f(p)
			if err == nil {
				return
			}
			err = fmt.Errorf("participant %d: %w", p.i, err)
			mu.Lock()
			defer mu.Unlock()
			if errors.Is(err, errStranded) {
				p.stranded = true
				stranded++
				firstStranded = cmp.Or(firstStranded, err)
				return
			}
			failed++
			first = cmp.Or(first, err)
		}()
	}
	wg.Wait()
	if stranded > 0 {
		b.Logf("%d participants stranded without a reply; first: %v", stranded, firstStranded)
	}
	if first != nil {
		diag()
		b.Fatalf("%d of %d participants failed; first: %v", failed, len(ps), first)
	}
}
