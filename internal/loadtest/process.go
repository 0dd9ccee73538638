package loadtest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// memory is the live Go heap (after GC) once the bot has started, with
// all N participants mid-flow, and after the bot has stopped and been
// dropped. What the emulator keeps (every message, interaction and
// request, for the tests' assertions) stays after the bot stops, so what
// stopping frees is the bot's own; less what stopping an idle bot frees,
// that is what its sessions cost it. The total growth per session is
// mostly the emulator's records.
type memory struct {
	botIdle, midFlow, emulatorAfter uint64
	idle                            int64 // what stopping an idle bot frees (warmUp)
}

func (m memory) perSession(n int) float64 {
	return (float64(m.midFlow) - float64(m.botIdle)) / float64(n)
}

func (m memory) botPerSession(n int) float64 {
	return (float64(m.midFlow) - float64(m.emulatorAfter) - float64(m.idle)) / float64(n)
}

func (m memory) String() string {
	mb := func(v float64) string { return fmt.Sprintf("%.1f MB", v/(1<<20)) }
	return fmt.Sprintf("bot started %s, all mid-flow %s, bot stopped %s; the bot's own when idle %s",
		mb(float64(m.botIdle)), mb(float64(m.midFlow)), mb(float64(m.emulatorAfter)), mb(float64(m.idle)))
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// liveHeap returns the live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// resetPeak returns freed memory to the OS and resets the process's peak
// RSS (Linux: "5" to /proc/self/clear_refs), so VmHWM covers one run. It
// reports whether the reset worked.
func resetPeak() bool {
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS reads VmHWM, the peak resident set, in bytes.
func peakRSS() (uint64, bool) {
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

// warmUp starts and stops a bot once per kind and process, on an
// emulator of its own, so that what the first start caches for the whole
// process (parsed flows, compiled patterns and schemas) is not counted as
// the memory of the sessions.
// It returns the bot's own idle heap: what stopping an idle bot frees.
func warmUp(b *testing.B, cfg Config) int64 {
	bot := cfg.Bot
	if idle, done := warm.Load(bot.name); done {
		return idle.(int64)
	}
	e := discordtest.New(b, heartbeat)
	r := bot.startLabelled(b, e, cfg)
	busy := liveHeap()
	r.stop()
	r = nil
	idle := int64(busy) - int64(liveHeap())
	warm.Store(bot.name, idle)
	return idle
}

var warm sync.Map // Bot.name → idle heap

// gcStats are the process's garbage collection counters.
type gcStats struct {
	cycles    uint32
	pause     time.Duration // stop-the-world pauses in all
	allocated uint64        // bytes allocated
	maxPause  time.Duration // the longest pause among the last 256
}

func readGC() gcStats {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return gcStats{cycles: ms.NumGC, pause: time.Duration(ms.PauseTotalNs), allocated: ms.TotalAlloc}
}

// minus is what happened between o and g; maxPause is the longest
// pause of the cycles in between that MemStats still holds (its last
// 256).
func (g gcStats) minus(o gcStats) gcStats {
	d := gcStats{cycles: g.cycles - o.cycles, pause: g.pause - o.pause, allocated: g.allocated - o.allocated}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for i := uint32(0); i < min(d.cycles, 256); i++ {
		c := g.cycles - i // cycle number, 1-based
		if p := time.Duration(ms.PauseNs[(c+255)%256]); p > d.maxPause {
			d.maxPause = p
		}
	}
	return d
}

func (g gcStats) per(answers int64) string {
	if answers == 0 {
		return "no answers"
	}
	return fmt.Sprintf("%d cycles, %.1f KB allocated per answer, pauses %v in all, longest %v",
		g.cycles, float64(g.allocated)/float64(answers)/1024, g.pause.Round(time.Microsecond), g.maxPause.Round(time.Microsecond))
}
