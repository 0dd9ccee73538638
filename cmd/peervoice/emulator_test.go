package main_test

import (
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// newEmulator starts the Discord emulator for a test of the binary. Its
// deadline for the first response to an interaction only bounds a hang:
// the bot's 3-second guarantee is tested in package bot by the order of
// events (TestSlowWorkIsDeferred), while here Discord's 3 seconds, timed by
// the wall clock, would fail tests on a busy machine for its slowness.
func newEmulator(t *testing.T, opts ...discordtest.Option) *discordtest.Emulator {
	t.Helper()
	return discordtest.New(t, append([]discordtest.Option{discordtest.WithInteractionDeadline(2 * time.Minute)}, opts...)...)
}
