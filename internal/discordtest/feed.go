package discordtest

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// feed is a list of messages someone watches: a user's inbox or a channel.
// It remembers which state of each message a wait already returned, so
// that waits move on to new messages and to new edits. Guarded by
// Emulator.mu.
type feed struct {
	items    []*message
	has      map[*message]bool
	returned map[*message]int // version+1 of the state last returned
	sig      signal
}

// add lists m in the feed, once.
func (f *feed) add(m *message) {
	if f.has == nil {
		f.has = make(map[*message]bool)
		f.returned = make(map[*message]int)
	}
	if f.has[m] {
		return
	}
	f.has[m] = true
	f.items = append(f.items, m)
	m.feeds = append(m.feeds, f)
	f.sig.broadcast()
}

// candidate is a message state a wait has not returned yet.
type candidate struct {
	m       *message
	version int
	snap    Message
}

// waitFeed waits for the oldest message in f whose current state match
// accepts and that no earlier wait on f returned in that state. Deleted
// messages, and deferred responses still loading, do not count. match is
// called without the emulator's lock, so it may call the emulator.
func (e *Emulator) waitFeed(ctx context.Context, f *feed, who string, match func(Message) bool) (Message, error) {
	for {
		e.mu.Lock()
		var cands []candidate
		for _, m := range f.items {
			if m.deleted || m.loading() || f.returned[m] == m.version+1 {
				continue
			}
			cands = append(cands, candidate{m: m, version: m.version, snap: e.snapshot(m)})
		}
		ch := f.sig.wait()
		e.mu.Unlock()
		for _, c := range cands {
			if match == nil || match(c.snap) {
				e.mu.Lock()
				f.returned[c.m] = c.version + 1
				e.mu.Unlock()
				return c.snap, nil
			}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return Message{}, fmt.Errorf("%s: no matching message from the bot: %w; %s", who, ctx.Err(), e.describeFeed(f))
		}
	}
}

// describeFeed summarises what a feed holds, for failure messages.
func (e *Emulator) describeFeed(f *feed) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(f.items) == 0 {
		return "the bot sent nothing here"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "the bot sent %d message(s):", len(f.items))
	for i, m := range f.items {
		if i == 10 {
			fmt.Fprintf(&b, " ... and %d more", len(f.items)-i)
			break
		}
		s := e.snapshot(m)
		content := s.Content
		if len(content) > 60 {
			content = content[:60] + "..."
		}
		fmt.Fprintf(&b, " [%d] %q", i+1, content)
		if len(s.Embeds) > 0 {
			fmt.Fprintf(&b, " embeds=%d", len(s.Embeds))
		}
		if ids := s.CustomIDs(); len(ids) > 0 {
			fmt.Fprintf(&b, " components=%v", ids)
		}
		if s.Ephemeral {
			b.WriteString(" ephemeral")
		}
		if m.loading() {
			b.WriteString(" (still loading)")
		}
		if s.Deleted {
			b.WriteString(" (deleted)")
		}
		if s.Edits > 0 {
			fmt.Fprintf(&b, " (edited %dx)", s.Edits)
		}
	}
	return b.String()
}

// snapshots returns every message in f, oldest first.
func (e *Emulator) snapshots(f *feed) []Message {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Message, 0, len(f.items))
	for _, m := range f.items {
		out = append(out, e.snapshot(m))
	}
	return out
}

// errorf makes an error with the package prefix.
func errorf(format string, args ...any) error {
	return errors.New("discordtest: " + fmt.Sprintf(format, args...))
}

// ContentContains matches messages whose content contains s, for
// WaitMessage.
func ContentContains(s string) func(Message) bool {
	return func(m Message) bool { return strings.Contains(m.Content, s) }
}

// HasComponent matches messages with a button or select menu whose
// custom_id is customID, for WaitMessage.
func HasComponent(customID string) func(Message) bool {
	return func(m Message) bool {
		for _, id := range m.CustomIDs() {
			if id == customID {
				return true
			}
		}
		return false
	}
}

// signal wakes the goroutines waiting for a change. Its methods must be
// called with the emulator's lock held; the channel is made only when
// someone waits, so an unobserved change costs nothing.
type signal struct {
	ch chan struct{}
}

// wait returns a channel that is closed at the next broadcast.
func (s *signal) wait() <-chan struct{} {
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

// broadcast wakes every waiter.
func (s *signal) broadcast() {
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}

// waitUntil calls check under the emulator's lock until it reports done, and
// waits on the signal sig returns between calls. It gives up when ctx ends,
// with an error that names what was awaited.
func (e *Emulator) waitUntil(ctx context.Context, what string, sig func() *signal, check func() bool) error {
	for {
		e.mu.Lock()
		if check() {
			e.mu.Unlock()
			return nil
		}
		ch := sig().wait()
		e.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("wait for %s: %w", what, ctx.Err())
		}
	}
}
