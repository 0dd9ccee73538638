package bot_test

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"math/bits"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// BenchmarkLoad is the load benchmark of issue 3: N simulated participants
// answer flows in their DMs as fast as the bot replies, all at once,
// through the emulator and the real discordgo client, the bot on a real
// SQLite file. Each first consents (untimed); then, timed, each answers
// one whole flow per b.N, mostly by typing and also by clicking. Reported:
//
//   - answers/s over the timed phase, and answers/cpu-s, the same per
//     second of CPU the whole process used (cpu-cores is their ratio): on
//     a shared machine the second moves less than the first;
//   - p50 and p99 latency from the participant's act (SendDM or Click) to
//     the next question being visible to them, and p99 for typed and
//     clicked answers apart;
//   - for PeerVoice, p50/p99-input-ms, the time in the participant service
//     per answer (its lock, engine and store), and p50/p99-save-ms, the
//     store's durable step within it;
//   - late-acks: initial responses to interactions the emulator refused as
//     later than Discord's 3 seconds (Discord shows "This interaction
//     failed");
//   - heap-B/session: live Go heap growth per participant between the bot
//     starting and all N being mid-flow (each with a new flow started and
//     its first question answered), the emulator included;
//   - bot-heap-B/session: the part of that growth the bot holds, which is
//     freed when it stops (see loadMemory);
//   - peak-RSS-MB: the process's peak resident set (VmHWM) during the sub-
//     benchmark, the emulator and simulated users included.
//
// bot=baseline is the floor: a trivial bot built directly on discordgo that
// makes the same Discord calls per answer as PeerVoice (GET, PATCH and POST
// for a typed answer; UPDATE_MESSAGE and POST for a click) with canned
// messages of the same shape, and no service, storage or rendering. It runs
// in the same process, so ratios are taken within one run.
//
// Benchmarks run only with -bench:
//
//	go test -run '^$' -bench Load -benchtime 1x ./bot/
//	go test -run '^$' -bench 'Load/participants=1000/' -benchtime 1x ./bot/ -load.think 10s
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("participants=%d", n), func(b *testing.B) {
			b.Run("bot=baseline", func(b *testing.B) { runLoad(b, n, startLoadBaseline, loadHeartbeat) })
			b.Run("bot=peervoice", func(b *testing.B) { runLoad(b, n, startLoadPeerVoice, loadHeartbeat) })
		})
	}
}

// loadThink is how long a participant pauses before each answer: zero,
// the benchmark of issue 3, answers as fast as the bot replies; a pause
// (each one drawn between half and one and a half times it) models people
// reading and thinking, so the load offered is N/think answers a second.
var loadThink = flag.Duration("load.think", 0, "BenchmarkLoad: mean pause before each answer (0: answer as fast as the bot replies)")

// loadHeartbeat is the gateway's heartbeat interval under load. The
// emulator's default of one second makes discordgo give up on the
// connection (five intervals without an ACK) after a five-second backlog,
// and lose the events in it; Discord's own 41.25 s would let the
// emulator's unacknowledged-event buffer reach its 20,000-event limit,
// at which it drops the session. Five seconds allows a 25-second backlog,
// still far stricter than Discord.
var loadHeartbeat = discordtest.WithHeartbeatInterval(5 * time.Second)

// loadBot is a bot under load.
type loadBot struct {
	flows []string // flow ids participants cycle through
	stop  func()   // stops the bot; afterwards nothing of it is reachable
	check func()   // reports what the bot logged as going wrong
	// Inside PeerVoice: how long the participant service took per input
	// (store and engine, after waiting for the participant's lock), and
	// the store per durable step.
	input, save *loadHist
}

type loadStarter func(testing.TB, *discordtest.Emulator) *loadBot

// loadTimeout bounds the whole of one sub-benchmark's waiting, and
// loadWait each wait for a reply: a participant whose reply never comes is
// stranded (errLoadStranded) rather than hanging the benchmark.
const (
	loadTimeout = 10 * time.Minute
	loadWait    = time.Minute
)

// loadSetupLimit is how many participants start a flow at once in the
// untimed phases. A community never sends a thousand /survey commands in
// the same instant; the timed phase, where all N answer at once, is the
// load being measured.
const loadSetupLimit = 100

// errLoadStranded means a participant waited loadWait for a reply that
// never came: they are stranded, as a person would be, and stop.
var errLoadStranded = errors.New("no reply from the bot")

func runLoad(b *testing.B, n int, start loadStarter, opts ...discordtest.Option) {
	var mem loadMemory
	mem.idle = loadWarmUp(b, start, opts...)
	peakReset := loadResetPeak()
	tb := &loadTB{B: b}
	e := discordtest.New(tb, opts...)
	lat := &loadLatency{}
	ps := make([]*loadParticipant, n)
	for i := range ps {
		ps[i] = &loadParticipant{i: i, u: e.User(fmt.Sprintf("participant%04d", i)), lat: lat}
		ps[i].u.DMChannelID()
	}
	probe := e.User("probe")
	probe.DMChannelID()
	c, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()

	lb := start(b, e)
	b.Cleanup(func() {
		if lb != nil { // the benchmark failed before stopping it
			lb.stop()
		}
	})
	mem.botIdle = loadHeap()
	diag := func() {
		gw := e.GatewayStats()
		b.Logf("gateway: %d connection(s), %d identify, %d resumes, %d heartbeats, %d ACKs, close codes %v; %d late initial responses",
			gw.Connections, gw.Identifies, gw.Resumes, gw.Heartbeats, gw.HeartbeatACKs, gw.ClientCloseCodes, tb.late.Load())
		lb.check()
	}

	// Untimed: consent (PeerVoice) or /survey (baseline) up to the first
	// question of the first flow.
	loadAll(b, ps, loadSetupLimit, diag, func(p *loadParticipant) error { return p.begin(c, lb, 0) })

	r := loadTimed(b, c, ps, lb, diag)

	// Untimed: all N mid-flow, each with the next flow started and its
	// first question answered, and nothing in flight.
	loadAll(b, ps, loadSetupLimit, diag, func(p *loadParticipant) error {
		if err := p.begin(c, lb, b.N); err != nil {
			return err
		}
		return p.step(c, false)
	})
	loadSettle(b, c, e, probe)
	mem.midFlow = loadHeap()
	r.peak, r.peakOK = loadPeakRSS()
	gw := e.GatewayStats()
	lb.check()
	lb.stop()
	lb = nil
	mem.emulatorAfter = loadHeap()

	r.report(b, n, mem, tb.late.Load())
	b.Logf("heap: %s; peak RSS reset: %v", mem, peakReset)
	b.Logf("gateway: %d connection(s), %d identify, %d resumes, %d heartbeats, %d events dispatched; REST requests, all phases: %s",
		gw.Connections, gw.Identifies, gw.Resumes, gw.Heartbeats, gw.Dispatched, loadRoutes(e))
}

// loadResult is what the timed phase measured.
type loadResult struct {
	elapsed, cpu      time.Duration
	all, typed, click loadCounts
	input, save       loadCounts // PeerVoice only
	stale, stranded   int
	peak              uint64
	peakOK            bool
}

// loadTimed is the timed phase: every participant answers b.N flows, all
// at once.
func loadTimed(b *testing.B, c context.Context, ps []*loadParticipant, lb *loadBot, diag func()) loadResult {
	var inner0 [2]loadCounts
	if lb.input != nil {
		inner0 = [2]loadCounts{lb.input.snapshot(), lb.save.snapshot()}
	}
	lat := ps[0].lat
	b.ResetTimer()
	cpu0 := loadCPU()
	t0 := time.Now()
	loadAll(b, ps, 0, diag, func(p *loadParticipant) error {
		for it := 0; it < b.N; it++ {
			if it > 0 {
				if err := p.begin(c, lb, it); err != nil {
					return err
				}
			}
			if err := p.finish(c, true); err != nil {
				return err
			}
		}
		return nil
	})
	r := loadResult{elapsed: time.Since(t0), cpu: loadCPU() - cpu0}
	b.StopTimer()
	if slices.ContainsFunc(ps, func(p *loadParticipant) bool { return p.stranded }) {
		// Stranded participants waited loadWait in vain: count the
		// throughput up to the last answer.
		r.elapsed = time.Duration(lat.last.Load() - t0.UnixNano())
	}
	r.all, r.typed, r.click = lat.all.snapshot(), lat.typed.snapshot(), lat.click.snapshot()
	if lb.input != nil {
		r.input, r.save = lb.input.snapshot().minus(inner0[0]), lb.save.snapshot().minus(inner0[1])
	}
	for _, p := range ps {
		if p.stranded {
			r.stranded++
			continue
		}
		for _, m := range p.u.Messages() {
			if m.Interactive() {
				r.stale++ // every flow has ended: no question should still take answers
			}
		}
	}
	return r
}

// loadSettle waits until nothing is in flight and drops what the emulator
// keeps for the bot's gateway session. The emulator keeps a copy of every
// event the bot has not confirmed (for a RESUME), and its buffer keeps its
// high-water mark; all of it is freed when the bot disconnects, and would
// count as the bot's. So the session is ended with op 9 and the bot
// identifies again, as it would on Discord.
func loadSettle(b *testing.B, c context.Context, e *discordtest.Emulator, probe *discordtest.User) {
	b.Helper()
	loadProbe(b, c, probe)
	ids := e.GatewayStats().Identifies
	e.InvalidateSession(false)
	if _, err := e.WaitGateway(c, func(s discordtest.GatewayStats) bool { return s.Identifies > ids && s.Connected > 0 }); err != nil {
		b.Fatal(err)
	}
	loadProbe(b, c, probe)
}

func (r loadResult) report(b *testing.B, n int, mem loadMemory, late int64) {
	b.ReportMetric(float64(r.all.count)/r.elapsed.Seconds(), "answers/s")
	b.ReportMetric(float64(r.all.count)/r.cpu.Seconds(), "answers/cpu-s")
	b.ReportMetric(r.cpu.Seconds()/r.elapsed.Seconds(), "cpu-cores")
	b.ReportMetric(loadMS(r.all.quantile(0.50)), "p50-ms")
	b.ReportMetric(loadMS(r.all.quantile(0.99)), "p99-ms")
	b.ReportMetric(loadMS(r.typed.quantile(0.99)), "p99-typed-ms")
	b.ReportMetric(loadMS(r.click.quantile(0.99)), "p99-click-ms")
	if r.input.count > 0 {
		b.ReportMetric(loadMS(r.input.quantile(0.50)), "p50-input-ms")
		b.ReportMetric(loadMS(r.input.quantile(0.99)), "p99-input-ms")
		b.ReportMetric(loadMS(r.save.quantile(0.50)), "p50-save-ms")
		b.ReportMetric(loadMS(r.save.quantile(0.99)), "p99-save-ms")
	}
	b.ReportMetric(mem.perSession(n), "heap-B/session")
	b.ReportMetric(mem.botPerSession(n), "bot-heap-B/session")
	if r.peakOK {
		b.ReportMetric(float64(r.peak)/(1<<20), "peak-RSS-MB")
	}
	b.ReportMetric(float64(late), "late-acks")
	b.ReportMetric(float64(r.stranded), "stranded")
	b.Logf("%d participants, think %v: %d answers (%d typed, %d clicked) in %v, max latency %v; %d answered questions left clickable",
		n, *loadThink, r.all.count, r.typed.count, r.click.count, r.elapsed.Round(time.Millisecond),
		time.Duration(r.all.max).Round(time.Millisecond), r.stale)
}

// loadRoutes counts the bot's REST requests by route, most first.
func loadRoutes(e *discordtest.Emulator) string {
	count := map[string]int{}
	for _, r := range e.Requests() {
		count[r.Route]++
	}
	routes := slices.Collect(maps.Keys(count))
	slices.SortFunc(routes, func(a, b string) int { return cmp.Compare(count[b], count[a]) })
	var parts []string
	for _, r := range routes {
		parts = append(parts, fmt.Sprintf("%s %d", r, count[r]))
	}
	return strings.Join(parts, ", ")
}

// loadProbe sends the bot a DM from someone with no flow and waits for
// its answer, which comes only once the bot has read every event before
// it: then nothing is in flight.
func loadProbe(b *testing.B, c context.Context, probe *discordtest.User) {
	b.Helper()
	probe.SendDM("hello")
	if _, err := probe.WaitMessage(c, func(m discordtest.Message) bool { return m.Edits == 0 }); err != nil {
		b.Fatal(err)
	}
}

func loadMS(ns int64) float64 { return float64(ns) / 1e6 }

// loadWarmUp starts and stops a bot once per kind and process, on an
// emulator of its own, so that what the first start caches for the whole
// process (parsed flows, compiled patterns and schemas) is not counted as
// the memory of the sessions.
// It returns the bot's own idle heap: what stopping an idle bot frees.
func loadWarmUp(b *testing.B, start loadStarter, opts ...discordtest.Option) int64 {
	key := fmt.Sprintf("%p", start)
	if idle, done := loadWarm.Load(key); done {
		return idle.(int64)
	}
	e := discordtest.New(b, opts...)
	lb := start(b, e)
	running := loadHeap()
	lb.stop()
	lb = nil
	idle := int64(running) - int64(loadHeap())
	loadWarm.Store(key, idle)
	return idle
}

var loadWarm sync.Map // starter → idle heap

// loadTB passes an emulator's reports to the benchmark, except late
// initial responses to interactions, which it counts: under overload they
// are a result to report, as Discord would show "This interaction failed".
type loadTB struct {
	*testing.B
	late atomic.Int64
}

func (t *loadTB) Errorf(format string, args ...any) {
	if msg := fmt.Sprintf(format, args...); strings.Contains(msg, "initial response to interaction") && strings.Contains(msg, "after it was created") {
		t.late.Add(1)
		return
	}
	t.B.Helper()
	t.B.Errorf(format, args...)
}

// loadAll runs f for every participant at once (at most limit at a time
// if limit > 0), except those stranded already. A participant left without
// a reply is marked stranded and reported; any other error fails the
// benchmark, after diag has said what it can.
func loadAll(b *testing.B, ps []*loadParticipant, limit int, diag func(), f func(*loadParticipant) error) {
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
			defer wg.Done()
			defer func() { <-sem }()
			err := f(p)
			if err == nil {
				return
			}
			err = fmt.Errorf("participant %d: %w", p.i, err)
			mu.Lock()
			defer mu.Unlock()
			if errors.Is(err, errLoadStranded) {
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

// loadParticipant is one simulated participant and where they are.
type loadParticipant struct {
	i        int
	stranded bool // left without a reply; acts no more
	u        *discordtest.User
	lat      *loadLatency
	k        int                 // answers given, to vary what is chosen
	q        discordtest.Message // the question on screen
	id       bot.ID              // its id
}

// loadTexts are typed answers to text questions: ordinary words, nothing
// the safety check would signpost.
var loadTexts = []string{
	"Having a life that feels like my own again",
	"Being listened to and having a say in my care",
	"Good days with friends, a routine and a reason to get up",
	"Not having to explain myself every time I meet someone new",
}

// begin starts the participant's flow number it with /survey, consenting
// first if the bot asks, and waits for its first question.
func (p *loadParticipant) begin(c context.Context, lb *loadBot, it int) error {
	flow := lb.flows[(p.i+it)%len(lb.flows)]
	if _, err := p.u.RunCommand("survey", discordtest.Opt("flow", flow)); err != nil {
		return err
	}
	if err := p.next(c, bot.ID{}); err != nil {
		return err
	}
	for p.id.Question == "take_part" || p.id.Question == "quotes" {
		old := p.id
		cid := old
		cid.Action, cid.Value = bot.ActAnswer, "yes"
		if _, err := p.u.Click(p.q, cid.String()); err != nil {
			return err
		}
		if err := p.next(c, old); err != nil {
			return err
		}
	}
	if p.q.ID == "" {
		return fmt.Errorf("/survey flow:%s ended at once", flow)
	}
	return nil
}

// finish answers questions until the flow ends; see step.
func (p *loadParticipant) finish(c context.Context, timed bool) error {
	for p.q.ID != "" {
		if err := p.step(c, timed); err != nil {
			return err
		}
	}
	return nil
}

// step answers the question on screen and waits for what follows (the
// next question, or the end of the flow). Timed, it first pauses for
// -load.think, and records how long the bot took.
func (p *loadParticipant) step(c context.Context, timed bool) error {
	var opts []string
	var write, cont string
	var menu *discordgo.SelectMenu
	for _, cid := range p.q.CustomIDs() {
		id, err := bot.ParseID(cid)
		if err != nil {
			continue
		}
		switch id.Action {
		case bot.ActAnswer:
			opts = append(opts, cid)
		case bot.ActWrite:
			write = cid
		case bot.ActContinue:
			cont = cid
		case bot.ActSelect:
			menu = p.q.SelectMenu(cid)
		}
	}
	p.k++
	pick := (p.i + p.k) % max(len(opts), 1)
	if think := *loadThink; timed && think > 0 {
		// Spread over [think/2, 3·think/2), the same for every run.
		time.Sleep(think/2 + time.Duration(uint64(p.i*7919+p.k*104729)%1000)*think/1000)
	}
	t0 := time.Now()
	var err error
	click := false
	switch {
	case cont != "":
		click = true
		_, err = p.u.Click(p.q, cont)
	case len(opts) > 0 && (p.i+p.k)%2 == 0:
		click = true
		_, err = p.u.Click(p.q, opts[pick])
	case len(opts) > 0:
		p.u.SendDM(strconv.Itoa(pick + 1))
	case menu != nil:
		want := 1
		if menu.MinValues != nil && *menu.MinValues > 1 {
			want = *menu.MinValues
		}
		var nums []string
		for j := 1; j <= want; j++ {
			nums = append(nums, strconv.Itoa(j))
		}
		p.u.SendDM(strings.Join(nums, ", "))
	case write != "":
		p.u.SendDM(loadTexts[(p.i+p.k)%len(loadTexts)])
	default:
		return fmt.Errorf("no way to answer message %s (custom ids %v)", p.q.ID, p.q.CustomIDs())
	}
	if err != nil {
		return err
	}
	if err := p.next(c, p.id); err != nil {
		return err
	}
	if timed {
		p.lat.record(time.Since(t0), click)
	}
	return nil
}

// next waits for the next question after the one with id answered, or
// for the end of the flow, skipping what the bot shows on the way: the
// answered question, edited and disabled, and the response to /survey.
// At the end p.q is the zero Message.
func (p *loadParticipant) next(c context.Context, answered bot.ID) error {
	wc, cancel := context.WithTimeout(c, loadWait)
	defer cancel()
	for {
		m, err := p.u.WaitMessage(wc, nil)
		if err != nil && c.Err() == nil {
			return fmt.Errorf("%w: %v", errLoadStranded, err)
		}
		if err != nil {
			return err
		}
		ids := m.CustomIDs()
		switch {
		case m.InteractionID != "" && !m.Followup:
			continue // "Here are the questions: ..."
		case len(ids) > 0 && !m.Interactive():
			continue // an answered question
		case m.Interactive():
			for _, cid := range ids {
				if id, err := bot.ParseID(cid); err == nil && id.Question != "" {
					p.q, p.id = m, id
					return nil
				}
			}
			return fmt.Errorf("after %s: a message with no question: %v", answered.Question, ids)
		case len(m.Embeds) > 0 && m.Embeds[0].Title != "Support" && m.Content == "":
			p.q, p.id = discordtest.Message{}, bot.ID{}
			return nil // the end of the flow
		default:
			return fmt.Errorf("after %s: unexpected reply %q", answered.Question, loadText(m))
		}
	}
}

// loadLatency holds the latency histograms, shared by all participants.
type loadLatency struct {
	all, typed, click loadHist
	last              atomic.Int64 // when the latest answer was recorded, Unix ns
}

func (l *loadLatency) record(d time.Duration, click bool) {
	now := time.Now().UnixNano()
	for {
		last := l.last.Load()
		if now <= last || l.last.CompareAndSwap(last, now) {
			break
		}
	}
	l.all.add(int64(d))
	if click {
		l.click.add(int64(d))
	} else {
		l.typed.add(int64(d))
	}
}

// loadHist is a log-linear histogram of nanoseconds: 64 buckets per power
// of two, so a quantile is within 1.6% of the true value. It is allocated
// once, so recording adds nothing to the heap being measured.
type loadHist struct {
	counts [41 * 64]atomic.Int64
	max    atomic.Int64
}

func loadBucket(v int64) int {
	if v < 128 {
		return int(max(v, 0))
	}
	shift := bits.Len64(uint64(v)) - 7
	return 64*(shift+1) + int(v>>shift) - 64
}

// loadBucketTop is the largest value in bucket i.
func loadBucketTop(i int) int64 {
	if i < 128 {
		return int64(i)
	}
	shift := i/64 - 1
	return (int64(i%64+64)+1)<<shift - 1
}

func (h *loadHist) add(v int64) {
	h.counts[min(loadBucket(v), len(h.counts)-1)].Add(1)
	for {
		m := h.max.Load()
		if v <= m || h.max.CompareAndSwap(m, v) {
			return
		}
	}
}

// loadCounts is a histogram read at one moment.
type loadCounts struct {
	counts []int64
	count  int64
	max    int64
}

func (h *loadHist) snapshot() loadCounts {
	s := loadCounts{counts: make([]int64, len(h.counts)), max: h.max.Load()}
	for i := range h.counts {
		s.counts[i] = h.counts[i].Load()
		s.count += s.counts[i]
	}
	return s
}

// minus is what was recorded since o was read; max stays the overall one.
func (s loadCounts) minus(o loadCounts) loadCounts {
	d := loadCounts{counts: make([]int64, len(s.counts)), max: s.max}
	for i := range s.counts {
		d.counts[i] = s.counts[i] - o.counts[i]
		d.count += d.counts[i]
	}
	return d
}

// quantile returns the upper end of the bucket holding quantile q.
func (s loadCounts) quantile(q float64) int64 {
	if s.count == 0 {
		return 0
	}
	rank := int64(q*float64(s.count) + 0.5)
	rank = min(max(rank, 1), s.count)
	var seen int64
	for i, c := range s.counts {
		seen += c
		if seen >= rank {
			return min(loadBucketTop(i), s.max)
		}
	}
	return s.max
}

// loadMemory is the live Go heap (after GC) once the bot has started, with
// all N participants mid-flow, and after the bot has stopped and been
// dropped. What the emulator keeps (every message, interaction and
// request, for the tests' assertions) stays after the bot stops, so what
// stopping frees is the bot's own; less what stopping an idle bot frees,
// that is what its sessions cost it. The total growth per session is
// mostly the emulator's records.
type loadMemory struct {
	botIdle, midFlow, emulatorAfter uint64
	idle                            int64 // what stopping an idle bot frees (loadWarmUp)
}

func (m loadMemory) perSession(n int) float64 {
	return (float64(m.midFlow) - float64(m.botIdle)) / float64(n)
}

func (m loadMemory) botPerSession(n int) float64 {
	return (float64(m.midFlow) - float64(m.emulatorAfter) - float64(m.idle)) / float64(n)
}

func (m loadMemory) String() string {
	mb := func(v float64) string { return fmt.Sprintf("%.1f MB", v/(1<<20)) }
	return fmt.Sprintf("bot started %s, all mid-flow %s, bot stopped %s; the bot's own when idle %s",
		mb(float64(m.botIdle)), mb(float64(m.midFlow)), mb(float64(m.emulatorAfter)), mb(float64(m.idle)))
}

// loadCPU returns the CPU time the process has used, user and system.
func loadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadHeap returns the live heap after a full collection.
func loadHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// loadResetPeak returns freed memory to the OS and resets the process's
// peak RSS (Linux: "5" to /proc/self/clear_refs), so VmHWM covers one
// sub-benchmark. It reports whether the reset worked.
func loadResetPeak() bool {
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// loadPeakRSS reads VmHWM, the peak resident set, in bytes.
func loadPeakRSS() (uint64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

// loadLog counts what the bot logs at warning level and above, keeping the
// first few, so a benchmark does not pass while replies are being lost.
// Discord's refusals of late interaction responses (10062), and the
// failed edits of deferrals so refused (10008), are counted apart: under
// overload they are a result (late-acks, stranded).
type loadLog struct {
	mu      sync.Mutex
	errs    int
	warns   int
	late    int
	samples []string
}

func (l *loadLog) Enabled(_ context.Context, lvl slog.Level) bool { return lvl >= slog.LevelWarn }
func (l *loadLog) WithAttrs([]slog.Attr) slog.Handler             { return l }
func (l *loadLog) WithGroup(string) slog.Handler                  { return l }

func (l *loadLog) Handle(_ context.Context, r slog.Record) error {
	var sb strings.Builder
	sb.WriteString(r.Level.String() + " " + r.Message)
	r.Attrs(func(a slog.Attr) bool {
		sb.WriteString(" " + a.String())
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case strings.Contains(sb.String(), "Unknown interaction"),
		strings.Contains(sb.String(), "edit deferred response") && strings.Contains(sb.String(), "Unknown Message"):
		l.late++
		return nil
	case r.Level >= slog.LevelError:
		l.errs++
	default:
		l.warns++
	}
	if len(l.samples) < 5 {
		l.samples = append(l.samples, sb.String())
	}
	return nil
}

func (l *loadLog) check(b testing.TB) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.late > 0 {
		b.Logf("the bot logged %d failures from late interaction responses (10062 Unknown interaction; 10008 on editing a refused deferral)", l.late)
	}
	if l.errs > 0 {
		b.Errorf("the bot logged %d errors and %d warnings, first: %q", l.errs, l.warns, l.samples)
	} else if l.warns > 0 {
		b.Logf("the bot logged %d warnings, first: %q", l.warns, l.samples)
	}
}

// startLoadPeerVoice runs the real bot on a real SQLite file (synchronous
// FULL, as in production), with the built-in flows.
func startLoadPeerVoice(b testing.TB, e *discordtest.Emulator) *loadBot {
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "peervoice.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	cat, err := flows.Default()
	if err != nil {
		b.Fatal(err)
	}
	timed := &loadStore{DB: db, save: &loadHist{}}
	svc, err := participant.New(timed, participant.Config{Flows: func() *flows.Catalog { return cat }})
	if err != nil {
		b.Fatal(err)
	}
	log := &loadLog{}
	tsvc := &loadService{Service: svc, input: &loadHist{}}
	// loadSettle ends the session with op 9; the 1 to 5 seconds' back-off
	// before identifying again would only slow the benchmark down.
	noBackoff := func() time.Duration { return 0 }
	pv, err := bot.New(bot.Config{Token: e.Token(), APIURL: e.URL(), Log: slog.New(log), InvalidSessionBackoff: noBackoff}, tsvc)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pv.Run(ctx) }()
	wait, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	if err := e.WaitCommands(wait, "", "survey"); err != nil {
		cancel()
		b.Fatalf("bot did not register its commands: %v", err)
	}
	return &loadBot{
		flows: cat.IDs(),
		check: func() { log.check(b) },
		input: tsvc.input,
		save:  timed.save,
		stop: func() {
			cancel()
			if err := <-done; err != nil {
				b.Errorf("bot.Run: %v", err)
			}
			if err := db.Close(); err != nil {
				b.Error(err)
			}
		},
	}
}

// loadService times the participant service's Input, which is the whole
// of PeerVoice's own work for an answer.
type loadService struct {
	*participant.Service
	input *loadHist
}

func (s *loadService) Input(ctx context.Context, u participant.User, step participant.Step) (participant.Reply, error) {
	t0 := time.Now()
	r, err := s.Service.Input(ctx, u, step)
	s.input.add(int64(time.Since(t0)))
	return r, err
}

// loadStore times the store's durable step.
type loadStore struct {
	*store.DB
	save *loadHist
}

func (s *loadStore) SaveStep(ctx context.Context, st store.Session, answers []store.Answer, cleared []string) error {
	t0 := time.Now()
	err := s.DB.SaveStep(ctx, st, answers, cleared)
	s.save.add(int64(time.Since(t0)))
	return err
}

// startLoadBaseline runs the baseline bot (see BenchmarkLoad).
func startLoadBaseline(b testing.TB, e *discordtest.Emulator) *loadBot {
	s, err := discordgo.New("Bot " + e.Token())
	if err != nil {
		b.Fatal(err)
	}
	s.Client = e.HTTPClient()
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages
	s.LogLevel = discordgo.LogError
	bb := &loadBaseline{s: s, at: map[string]*loadBaselineUser{}}
	s.AddHandler(bb.onInteraction)
	s.AddHandler(bb.onMessage)
	if err := s.Open(); err != nil {
		b.Fatal(err)
	}
	cmd := &discordgo.ApplicationCommand{Name: "survey", Description: "Answer a set of questions", Options: []*discordgo.ApplicationCommandOption{{
		Type: discordgo.ApplicationCommandOptionString, Name: "flow", Description: "Which set of questions",
		Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "Baseline", Value: "baseline"}},
	}}}
	if _, err := s.ApplicationCommandBulkOverwrite(s.State.User.ID, "", []*discordgo.ApplicationCommand{cmd}); err != nil {
		b.Fatal(err)
	}
	wait, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.WaitCommands(wait, "", "survey"); err != nil {
		b.Fatal(err)
	}
	return &loadBot{
		flows: []string{"baseline"},
		check: func() {
			if n := bb.errs.Load(); n > 0 {
				b.Errorf("baseline bot: %d failed requests", n)
			}
			if n := bb.late.Load(); n > 0 {
				b.Logf("baseline bot: %d initial responses refused as late", n)
			}
		},
		stop: func() {
			if err := s.Close(); err != nil {
				b.Error(err)
			}
		},
	}
}

// loadText is what a message says, for errors.
func loadText(m discordtest.Message) string {
	parts := []string{m.Content}
	for _, e := range m.Embeds {
		parts = append(parts, e.Title, e.Description)
	}
	return strings.Join(parts, " / ")
}

// loadBaseline is the baseline bot: PeerVoice's Discord calls with canned
// messages, and nothing else. Like PeerVoice it remembers each
// participant's latest question message, to mark it answered when they
// type.
type loadBaseline struct {
	s    *discordgo.Session
	mu   sync.Mutex
	at   map[string]*loadBaselineUser // by user id
	errs atomic.Int64
	// late counts initial responses refused because they came after the
	// interaction's deadline; the emulator counts them too (late-acks).
	late atomic.Int64
}

type loadBaselineUser struct {
	q         int    // the question asked last
	ch, msgID string // its message, until a typed answer takes it
}

// loadBaselineQuestions is the length of the baseline's flow: about the
// number of questions a PeerVoice participant answers per default flow.
const loadBaselineQuestions = 7

func (bb *loadBaseline) user(id string) *loadBaselineUser {
	st := bb.at[id]
	if st == nil {
		st = &loadBaselineUser{}
		bb.at[id] = st
	}
	return st
}

func (bb *loadBaseline) fail(err error) {
	if err != nil {
		bb.errs.Add(1)
	}
}

// ack counts a failed initial response: late ones apart, as Discord
// refuses them with 10062 Unknown interaction.
func (bb *loadBaseline) ack(err error) {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeUnknownInteraction {
		bb.late.Add(1)
		return
	}
	bb.fail(err)
}

func (bb *loadBaseline) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	if i.User == nil {
		return
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		bb.ack(s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "Here are the questions: **Baseline**",
				Embeds: []*discordgo.MessageEmbed{}, Components: []discordgo.MessageComponent{}}}))
		bb.ask(i.User.ID, i.ChannelID, 0)
	case discordgo.InteractionMessageComponent:
		id, err := bot.ParseID(i.MessageComponentData().CustomID)
		if err != nil || i.Message == nil {
			bb.fail(errors.New("bad click"))
			return
		}
		embeds, comps := loadAnswered(i.Message, "Your answer: "+id.Value)
		bb.ack(s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{Content: i.Message.Content, Embeds: embeds, Components: comps}}))
		bb.advance(i.User.ID, i.ChannelID)
	}
}

func (bb *loadBaseline) onMessage(s *discordgo.Session, m *discordgo.MessageCreate) {
	if m.Author == nil || m.Author.Bot || m.GuildID != "" {
		return
	}
	bb.mu.Lock()
	st := bb.user(m.Author.ID)
	ch, msgID := st.ch, st.msgID
	st.ch, st.msgID = "", ""
	bb.mu.Unlock()
	if msgID != "" {
		old, err := s.ChannelMessage(ch, msgID)
		if err != nil {
			bb.fail(err)
			return
		}
		embeds, comps := loadAnswered(old, "Your answer: "+m.Content)
		_, err = s.ChannelMessageEditComplex(&discordgo.MessageEdit{ID: msgID, Channel: ch, Embeds: &embeds, Components: &comps})
		bb.fail(err)
	}
	bb.advance(m.Author.ID, m.ChannelID)
}

func (bb *loadBaseline) advance(userID, ch string) {
	bb.mu.Lock()
	st := bb.user(userID)
	st.q++
	q := st.q
	bb.mu.Unlock()
	bb.ask(userID, ch, q)
}

// ask sends question q, or the end of the flow after the last.
func (bb *loadBaseline) ask(userID, ch string, q int) {
	if q == 0 {
		bb.mu.Lock()
		bb.user(userID).q = 0
		bb.mu.Unlock()
	}
	msg, err := bb.s.ChannelMessageSendComplex(ch, loadBaselineMessage(userID, q))
	if err != nil {
		bb.fail(err)
		return
	}
	if q < loadBaselineQuestions {
		bb.mu.Lock()
		st := bb.user(userID)
		st.ch, st.msgID = ch, msg.ID
		bb.mu.Unlock()
	}
}

// loadBaselineMessage is question q of the baseline's flow, shaped like
// PeerVoice's: text, choice and scale questions in turn, an intro embed
// on the first, Skip, Back and Stop on every one.
func loadBaselineMessage(userID string, q int) *discordgo.MessageSend {
	const colour = 0x5865F2
	if q >= loadBaselineQuestions {
		return &discordgo.MessageSend{Components: []discordgo.MessageComponent{}, Embeds: []*discordgo.MessageEmbed{{
			Description: "That's the end of this set of questions. Thank you for your answers.\n\nUse `/survey` to answer another set.",
			Color:       0x99AAB5,
		}}}
	}
	id := func(act bot.Action, value string) string {
		return bot.ID{Action: act, Session: "b" + userID, Question: "q" + strconv.Itoa(q), Value: value}.String()
	}
	var embeds []*discordgo.MessageEmbed
	title := "Baseline questions"
	if q == 0 {
		embeds = append(embeds, &discordgo.MessageEmbed{Title: title, Color: colour,
			Description: "A few questions about what recovery means to you, and whether the people who support you see it the same way. There are no right or wrong answers. You can skip any question, go back, or stop at any time."})
		title = ""
	}
	e := &discordgo.MessageEmbed{Title: title, Color: colour,
		Description: "Think of the mental health workers you see most. How much do you agree with this: \"Their idea of recovery is the same as mine.\"",
		Footer:      &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("Question %d of %d", q+1, loadBaselineQuestions)}}
	embeds = append(embeds, e)
	var rows []discordgo.MessageComponent
	var controls []discordgo.MessageComponent
	if options := []int{0, 4, 5}[q%3]; options == 0 {
		e.Footer.Text += " · type your answer as a message, or use the button"
		controls = append(controls, discordgo.Button{Label: "Write my answer", Style: discordgo.PrimaryButton, CustomID: id(bot.ActWrite, "")})
	} else {
		var row []discordgo.MessageComponent
		for k := range options {
			row = append(row, discordgo.Button{Label: fmt.Sprintf("Option number %d", k+1), Style: discordgo.PrimaryButton, CustomID: id(bot.ActAnswer, "o"+strconv.Itoa(k))})
		}
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	controls = append(controls, discordgo.Button{Label: "Skip", Style: discordgo.SecondaryButton, CustomID: id(bot.ActSkip, "")})
	if q > 0 {
		controls = append(controls, discordgo.Button{Label: "Back", Style: discordgo.SecondaryButton, CustomID: id(bot.ActBack, "")})
	}
	controls = append(controls, discordgo.Button{Label: "Stop for now", Style: discordgo.SecondaryButton, CustomID: id(bot.ActStop, "")})
	return &discordgo.MessageSend{Embeds: embeds, Components: append(rows, discordgo.ActionsRow{Components: controls})}
}

// loadAnswered is a question message marked answered, its buttons
// disabled.
func loadAnswered(m *discordgo.Message, note string) ([]*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	var embeds []*discordgo.MessageEmbed
	for _, e := range m.Embeds {
		c := *e
		c.Fields = nil
		embeds = append(embeds, &c)
	}
	if n := len(embeds); n > 0 {
		embeds[n-1].Fields = []*discordgo.MessageEmbedField{{Name: "✓", Value: note}}
	}
	var rows []discordgo.MessageComponent
	for _, c := range m.Components {
		r, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		var row []discordgo.MessageComponent
		for _, x := range r.Components {
			if b, ok := x.(*discordgo.Button); ok {
				d := *b
				d.Disabled = true
				row = append(row, d)
			}
		}
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return embeds, rows
}
