package loadtest_test

import (
	"flag"
	"fmt"
	"testing"

	"github.com/peervoice/peervoice/internal/loadtest"
)

// think is -load.think; see loadtest.Config.Think.
var think = flag.Duration("load.think", 0, "BenchmarkLoad: mean pause before each answer (0: answer as fast as the bot replies)")

// profile is -load.profile; see loadtest.Config.ProfileDir.
var profile = flag.String("load.profile", "", "BenchmarkLoad: write CPU and allocation profiles of each timed phase to this directory (instead of -cpuprofile)")

// synchronous is -load.synchronous; see loadtest.Config.Synchronous.
var synchronous = flag.String("load.synchronous", "", "BenchmarkLoad: PeerVoice's SQLite synchronous setting (\"\": FULL, as in production; NORMAL only to see how much of the latency is the disk's)")

// validate is -load.validate; see loadtest.Config.ValidateOneIn.
var validate = flag.Int("load.validate", 20, "BenchmarkLoad: validate 1 request body in this many against the OpenAPI description, besides the first of each route and shape (1: all, as the e2e tests do)")

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
//     freed when it stops;
//   - peak-RSS-MB: the process's peak resident set (VmHWM) during the sub-
//     benchmark, the emulator and simulated users included;
//   - stranded: participants who waited a minute for a reply that never
//     came;
//   - validated-bodies: request bodies the emulator validated against
//     Discord's OpenAPI description (-load.validate: 1 in 20 by default,
//     besides the first of each route and shape; the e2e tests validate
//     all), logged with those it did not; the documented limits are
//     checked on every body.
//
// bot=baseline is the floor (loadtest.Baseline): a trivial bot built
// directly on discordgo that makes the same Discord calls per answer as
// PeerVoice, with canned messages of the same shape.
//
// Benchmarks run only with -bench:
//
//	go test -run '^$' -bench Load -benchtime 1x ./internal/loadtest/
//	go test -run '^$' -bench 'Load/participants=1000/' -benchtime 1x ./internal/loadtest/ -load.think 10s
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("participants=%d", n), func(b *testing.B) {
			b.Run("bot=baseline", func(b *testing.B) {
				loadtest.Run(b, loadtest.Config{Bot: loadtest.Baseline, Participants: n, Think: *think, ValidateOneIn: *validate, ProfileDir: *profile, Synchronous: *synchronous})
			})
			b.Run("bot=peervoice", func(b *testing.B) {
				loadtest.Run(b, loadtest.Config{Bot: loadtest.PeerVoice, Participants: n, Think: *think, ValidateOneIn: *validate, ProfileDir: *profile, Synchronous: *synchronous})
			})
		})
	}
}
