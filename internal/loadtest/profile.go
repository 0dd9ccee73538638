package loadtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"testing"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// Profiles of a run (-cpuprofile, -memprofile) mix the bot, the emulator
// and the simulated participants in one process. Every goroutine the bot
// starts, directly or not (discordgo's gateway reader and event
// handlers, HTTP client connections, the store's committer), inherits
// the labels side=bot and bot=NAME, and the participants' goroutines
// side=participants; the emulator's server goroutines have none. So
//
//	go tool pprof -tagfocus side=bot -tagfocus bot=peervoice loadtest.test cpu.out
//
// shows PeerVoice's own CPU (the GC's background workers aside; its
// assists are charged to the goroutine that allocated).
var participantsLabel = pprof.WithLabels(context.Background(), pprof.Labels("side", "participants"))

// startLabelled starts the bot with its labels.
func (bot Bot) startLabelled(b testing.TB, e *discordtest.Emulator, cfg Config) *running {
	var r *running
	pprof.Do(context.Background(), pprof.Labels("side", "bot", "bot", bot.name), func(context.Context) {
		r = bot.start(b, e, cfg)
	})
	return r
}

// profiler writes profiles of the timed phase alone (Config.ProfileDir):
// the process's -cpuprofile and -memprofile also cover the untimed
// phases, where PeerVoice's participants consent and the baseline's do
// not.
type profiler struct {
	dir, name string
	cpu       *os.File
}

// startProfile starts the CPU profile of the timed phase and writes the
// allocations so far, or does nothing without a directory.
func startProfile(b *testing.B, cfg Config) *profiler {
	if cfg.ProfileDir == "" {
		return nil
	}
	p := &profiler{dir: cfg.ProfileDir, name: fmt.Sprintf("%s-%d", cfg.Bot.name, cfg.Participants)}
	p.writeHeap(b, "allocs-before")
	f, err := os.Create(p.path("cpu"))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatalf("-load.profile: %v (use it instead of -cpuprofile)", err)
	}
	p.cpu = f
	return p
}

// stop ends the CPU profile and writes the allocations again: the
// timed phase's are the difference (go tool pprof -base).
func (p *profiler) stop(b *testing.B) {
	if p == nil {
		return
	}
	pprof.StopCPUProfile()
	if err := p.cpu.Close(); err != nil {
		b.Error(err)
	}
	p.writeHeap(b, "allocs-after")
	b.Logf("profiles of the timed phase: %s, %s (go tool pprof -base %s)", p.path("cpu"), p.path("allocs-after"), p.path("allocs-before"))
}

func (p *profiler) path(kind string) string {
	return filepath.Join(p.dir, p.name+"-"+kind+".pprof")
}

func (p *profiler) writeHeap(b *testing.B, kind string) {
	f, err := os.Create(p.path(kind))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
}
