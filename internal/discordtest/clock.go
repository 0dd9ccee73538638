package discordtest

import (
	"sync"
	"time"
)

// Clock tells the emulator what time it is. It decides when an interaction
// misses its initial-response deadline, when an interaction token expires,
// and what timestamps and snowflakes the emulator hands out. Heartbeats use
// real time regardless, because the real discordgo client does.
type Clock interface {
	Now() time.Time
}

// realClock is the wall clock.
type realClock struct{}

// Now returns time.Now.
func (realClock) Now() time.Time { return time.Now() }

// FakeClock is a Clock that moves only when told to. Use it to test deadlines
// (the 3-second initial response, the 15-minute token lifetime) without
// waiting for them. It is safe for concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock that reads start until advanced.
func NewFakeClock(start time.Time) *FakeClock {
	return &FakeClock{now: start}
}

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// discordEpoch is the first millisecond of 2015, the epoch of Discord's
// snowflakes.
const discordEpoch = 1420070400000

// snowflakes hands out unique, increasing Discord-style ids whose timestamp
// part follows the emulator's clock.
type snowflakes struct {
	mu    sync.Mutex
	clock Clock
	last  uint64
}

// next returns a new snowflake as the decimal string Discord uses.
func (s *snowflakes) next() string {
	ms := uint64(s.clock.Now().UnixMilli() - discordEpoch)
	id := ms << 22
	s.mu.Lock()
	if id <= s.last {
		id = s.last + 1
	}
	s.last = id
	s.mu.Unlock()
	return formatUint(id)
}

// timestamp formats t the way Discord does in JSON bodies.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000+00:00")
}
