package bot_test

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
)

// The tests here drive discordgo v0.28.1 through bot.New, with the
// workarounds of internal/discordfix, against the emulator's gateway.
// Those in internal/discordtest pin down what discordgo does on its own.

// waitGW waits until cond holds for the gateway counters, or fails.
func waitGW(t *testing.T, e *discordtest.Emulator, what string, cond func(discordtest.GatewayStats) bool) discordtest.GatewayStats {
	t.Helper()
	st, err := e.WaitGateway(ctx(t), cond)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return st
}

// waitBeatAfter waits for a heartbeat ACK beyond acks. A connection cut
// before discordgo's first heartbeat on it makes discordgo reconnect
// twice over (a v0.28.1 race), so tests let that heartbeat out first.
func waitBeatAfter(t *testing.T, e *discordtest.Emulator, acks int) {
	t.Helper()
	waitGW(t, e, "heartbeat", func(s discordtest.GatewayStats) bool { return s.HeartbeatACKs > acks })
}

// fixedBackoff makes the bot wait d after op 9 and counts the waits.
func fixedBackoff(h *harness, d time.Duration) *atomic.Int32 {
	var n atomic.Int32
	h.configure = func(cfg *bot.Config) {
		cfg.InvalidSessionBackoff = func() time.Duration { n.Add(1); return d }
	}
	return &n
}

// TestGatewayResumeURL: after op 7 and after a dropped connection the bot
// resumes on resume_gateway_url, never identifies again, and the
// conversation goes on.
func TestGatewayResumeURL(t *testing.T) {
	// A quiet heartbeat, as in TestGatewayDisruptions.
	h := newHarness(t, discordtest.WithHeartbeatInterval(time.Minute))
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	c := ctx(t)
	waitQ(t, alice, c, "own_words")
	waitBeatAfter(t, h.e, 0)

	h.e.RequestReconnect()
	st := waitGW(t, h.e, "RESUMED after op 7", func(s discordtest.GatewayStats) bool { return s.SuccessfulResumes == 1 && s.Connected == 1 })
	if st.ResumeURLConnections != 1 {
		t.Errorf("after op 7: %d connections to resume_gateway_url; want 1", st.ResumeURLConnections)
	}
	alice.SendDM("First answer after a reconnect")
	waitQ(t, alice, c, "word_fits")
	waitBeatAfter(t, h.e, st.HeartbeatACKs)

	h.e.DropConnections()
	waitGW(t, h.e, "RESUMED after a drop", func(s discordtest.GatewayStats) bool { return s.SuccessfulResumes == 2 && s.Connected == 1 })
	alice.SendDM("1")
	waitQ(t, alice, c, "team_agrees")

	st = h.e.GatewayStats()
	if st.Identifies != 1 || st.Connections != 3 || st.ResumeURLConnections != 2 {
		t.Errorf("%d IDENTIFY, %d connections of which %d to resume_gateway_url; want 1, 3, 2", st.Identifies, st.Connections, st.ResumeURLConnections)
	}
	if n := len(h.e.RequestsTo("GET /gateway")); n != 1 {
		t.Errorf("GET /gateway asked %d times; want once, at the start", n)
	}
}

// TestGatewayInvalidSessionBackoff: after op 9 the bot identifies again
// only after the back-off, on the same connection, and works after.
func TestGatewayInvalidSessionBackoff(t *testing.T) {
	const backoff = 400 * time.Millisecond
	h := newStoppedHarness(t, discordtest.WithHeartbeatInterval(time.Minute))
	waits := fixedBackoff(h, backoff)
	h.start()
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	c := ctx(t)
	waitQ(t, alice, c, "own_words")
	waitBeatAfter(t, h.e, 0)

	h.e.InvalidateSession(false)
	st := waitGW(t, h.e, "IDENTIFY after op 9", func(s discordtest.GatewayStats) bool { return s.Identifies == 2 && s.Connected == 1 })
	if gap := st.IdentifyAt.Sub(st.InvalidSessionAt); gap < backoff {
		t.Errorf("IDENTIFY came %v after op 9; want at least the back-off, %v", gap, backoff)
	}
	if n := waits.Load(); n != 1 {
		t.Errorf("%d back-offs; want 1", n)
	}
	if st.Connections != 1 {
		t.Errorf("%d connections; want 1 (discordgo identifies again on the same one)", st.Connections)
	}
	alice.SendDM("Answered after a new session")
	waitQ(t, alice, c, "word_fits")
}

// TestGatewayExpiredSessionReidentifies: when the RESUME on
// resume_gateway_url gets op 9 (the session expired while the connection
// was down), the bot waits the back-off and identifies again, on a new
// connection to the gateway URL rather than on the resume URL's, without
// trying the dead session there first; the new READY's
// resume_gateway_url serves the next reconnect.
func TestGatewayExpiredSessionReidentifies(t *testing.T) {
	const backoff = 300 * time.Millisecond
	h := newStoppedHarness(t, discordtest.WithHeartbeatInterval(time.Minute))
	waits := fixedBackoff(h, backoff)
	h.start()
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	c := ctx(t)
	waitQ(t, alice, c, "own_words")
	waitBeatAfter(t, h.e, 0)

	acks := h.e.GatewayStats().HeartbeatACKs
	h.e.ExpireSessions()
	h.e.DropConnections()
	st := waitGW(t, h.e, "IDENTIFY after a failed RESUME", func(s discordtest.GatewayStats) bool {
		return s.Identifies == 2 && s.Connected == 1 && s.HeartbeatACKs > acks
	})
	if st.ResumeURLConnections != 1 || st.Resumes != 1 || st.SuccessfulResumes != 0 || st.InvalidSessionsSent != 1 {
		t.Errorf("%d connections to resume_gateway_url, %d RESUME (%d ok), %d op 9; want 1, 1 (0), 1", st.ResumeURLConnections, st.Resumes, st.SuccessfulResumes, st.InvalidSessionsSent)
	}
	// discordgo would identify on the connection that got op 9.
	if st.ResumeURLIdentifies != 0 || st.Connections != 3 {
		t.Errorf("%d IDENTIFY on resume_gateway_url, %d connections; want 0, and 3: the first, the resume URL's, and a new one to the gateway URL", st.ResumeURLIdentifies, st.Connections)
	}
	if gap := st.IdentifyAt.Sub(st.InvalidSessionAt); gap < backoff || waits.Load() != 1 {
		t.Errorf("IDENTIFY came %v after op 9 (%d back-offs); want one back-off of %v", gap, waits.Load(), backoff)
	}
	alice.SendDM("Answered after a new session")
	waitQ(t, alice, c, "word_fits")

	h.e.RequestReconnect()
	st = waitGW(t, h.e, "RESUMED after op 7", func(s discordtest.GatewayStats) bool { return s.SuccessfulResumes == 1 && s.Connected == 1 })
	if st.ResumeURLConnections != 2 || st.Identifies != 2 {
		t.Errorf("after op 7: %d connections to resume_gateway_url, %d IDENTIFY; want 2, 2", st.ResumeURLConnections, st.Identifies)
	}
	alice.SendDM("1")
	waitQ(t, alice, c, "team_agrees")
}

// TestGatewayOtherFramesPassThrough: payloads the watcher has no interest
// in, here a presence update too large for one frame, reach Discord
// unchanged; the watcher keeps its place in the stream, so op 9's
// IDENTIFY is still held back after them.
func TestGatewayOtherFramesPassThrough(t *testing.T) {
	const backoff = 200 * time.Millisecond
	h := newStoppedHarness(t, discordtest.WithHeartbeatInterval(time.Minute))
	waits := fixedBackoff(h, backoff)
	h.start()
	waitBeatAfter(t, h.e, 0)
	s := bot.SessionOf(h.bot)
	if err := s.UpdateGameStatus(0, strings.Repeat("a long status ", 1000)); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateGameStatus(0, "PeerVoice"); err != nil {
		t.Fatal(err)
	}
	waitGW(t, h.e, "presence updates", func(s discordtest.GatewayStats) bool { return s.OtherOps == 2 })

	h.e.InvalidateSession(true)
	st := waitGW(t, h.e, "IDENTIFY after op 9", func(s discordtest.GatewayStats) bool { return s.Identifies == 2 && s.Connected == 1 })
	if gap := st.IdentifyAt.Sub(st.InvalidSessionAt); gap < backoff || waits.Load() != 1 {
		t.Errorf("IDENTIFY came %v after op 9 (%d back-offs); want one back-off of %v", gap, waits.Load(), backoff)
	}
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	waitQ(t, alice, ctx(t), "own_words")
}

// TestGatewayReconnectDuringBackoff: once op 9 has ended the session, its
// resume_gateway_url is dropped, so a connection lost during the back-off
// is replaced by one to the gateway URL (the one GET /gateway gave at the
// start), where the bot identifies at once (the back-off is over), not
// resuming the dead session; the next READY brings a resume_gateway_url
// again.
func TestGatewayReconnectDuringBackoff(t *testing.T) {
	h := newStoppedHarness(t, discordtest.WithHeartbeatInterval(time.Minute))
	inBackoff, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock()
	var waits atomic.Int32
	h.configure = func(cfg *bot.Config) {
		cfg.InvalidSessionBackoff = func() time.Duration {
			if waits.Add(1) == 1 {
				close(inBackoff)
				<-release
			}
			return 10 * time.Millisecond
		}
	}
	h.start()
	waitBeatAfter(t, h.e, 0)
	acks := h.e.GatewayStats().HeartbeatACKs
	h.e.RequestReconnect()
	waitGW(t, h.e, "RESUMED after op 7", func(s discordtest.GatewayStats) bool {
		return s.SuccessfulResumes == 1 && s.Connected == 1 && s.HeartbeatACKs > acks
	})

	h.e.InvalidateSession(false)
	select {
	case <-inBackoff:
	case <-ctx(t).Done():
		t.Fatal("no back-off after op 9")
	}
	acks = h.e.GatewayStats().HeartbeatACKs
	h.e.DropConnections()
	unblock()
	st := waitGW(t, h.e, "a new session", func(s discordtest.GatewayStats) bool {
		return s.Identifies == 2 && s.Connected == 1 && s.HeartbeatACKs > acks
	})
	if n := len(h.e.RequestsTo("GET /gateway")); n != 1 {
		t.Errorf("GET /gateway asked %d times; want once, at the start (discordgo keeps its URL)", n)
	}
	if st.ResumeURLConnections != 1 || st.ResumeURLIdentifies != 0 || waits.Load() != 1 || st.Resumes != 1 {
		t.Errorf("%d connections to resume_gateway_url, %d IDENTIFY there, %d back-offs, %d RESUME; want 1 (op 7's), 0, 1, 1 (op 7's)", st.ResumeURLConnections, st.ResumeURLIdentifies, waits.Load(), st.Resumes)
	}
	alice := h.e.User("alice")
	h.consent(alice, "recovery")
	waitQ(t, alice, ctx(t), "own_words")

	h.e.RequestReconnect()
	st = waitGW(t, h.e, "RESUMED after op 7", func(s discordtest.GatewayStats) bool { return s.SuccessfulResumes == 2 && s.Connected == 1 })
	if st.ResumeURLConnections != 2 {
		t.Errorf("after the new READY and op 7: %d connections to resume_gateway_url; want 2", st.ResumeURLConnections)
	}
}

// TestGatewayStaysClosed: once the bot has stopped, nothing opens its
// gateway again. discordgo's reconnect loop calls Open until one works,
// so a stop during a reconnect would otherwise be undone by its next
// try; here the test makes that try itself.
func TestGatewayStaysClosed(t *testing.T) {
	h := newHarness(t)
	waitGW(t, h.e, "connected", func(s discordtest.GatewayStats) bool { return s.Connected == 1 })
	h.stop()
	before := h.e.GatewayStats().Connections
	s := bot.SessionOf(h.bot)
	if err := s.Open(); err == nil {
		s.Close()
		t.Fatal("Open after the bot stopped connected again; want an error")
	}
	if after := h.e.GatewayStats().Connections; after != before {
		t.Errorf("gateway connections went from %d to %d after the bot stopped; want no new one", before, after)
	}
}

// TestGatewayRefusedResumeIdentifies: when Discord closes a RESUME with
// 4007 or 4009, which tell the client to start a new session, the bot
// identifies on a new connection to the gateway URL (discordgo alone
// resumes the dead session for ever: TestRefusedResumeRepeats in
// internal/discordtest), and answers after.
func TestGatewayRefusedResumeIdentifies(t *testing.T) {
	for _, tc := range []struct {
		code   int
		reason string
	}{
		{4007, "Invalid seq."},
		{4009, "Session timed out."},
	} {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) {
			h := newHarness(t, discordtest.WithHeartbeatInterval(time.Minute))
			alice := h.e.User("alice")
			h.consent(alice, "recovery")
			c := ctx(t)
			waitQ(t, alice, c, "own_words")
			waitBeatAfter(t, h.e, 0)

			acks := h.e.GatewayStats().HeartbeatACKs
			h.e.RefuseResumes(tc.code, tc.reason)
			h.e.DropConnections()
			st := waitGW(t, h.e, "IDENTIFY after a refused RESUME", func(s discordtest.GatewayStats) bool {
				return s.Identifies == 2 && s.Connected == 1 && s.HeartbeatACKs > acks
			})
			if st.ResumesRefused != 1 || st.Resumes != 1 || st.ResumeURLConnections != 1 || st.ResumeURLIdentifies != 0 || st.Connections != 3 {
				t.Errorf("%d RESUME (%d refused), %d connections (%d to resume_gateway_url, %d IDENTIFY there); want 1 (1), 3 (1, 0)",
					st.Resumes, st.ResumesRefused, st.Connections, st.ResumeURLConnections, st.ResumeURLIdentifies)
			}
			alice.SendDM("Answered after a new session")
			waitQ(t, alice, c, "word_fits")

			h.e.RefuseResumes(0, "")
			h.e.RequestReconnect()
			st = waitGW(t, h.e, "RESUMED after op 7", func(s discordtest.GatewayStats) bool { return s.SuccessfulResumes == 1 && s.Connected == 1 })
			if st.ResumeURLConnections != 2 || st.Identifies != 2 {
				t.Errorf("after op 7: %d connections to resume_gateway_url, %d IDENTIFY; want 2, 2", st.ResumeURLConnections, st.Identifies)
			}
		})
	}
}

// TestGatewayStopDuringBackoff: a bot stopped while it waits out op 9's
// back-off stops without waiting it out, and without the IDENTIFY it held
// back (discordgo's Close needs the locks the held IDENTIFY keeps). The
// back-off here is twice the test's hang bound, so the stop returning
// within that bound, and the IDENTIFY not going out, show that the stop
// came before the back-off ended. Both places op 9 comes are covered: on a live
// connection, and answering a RESUME inside discordgo's Open (which holds
// the session lock as well).
func TestGatewayStopDuringBackoff(t *testing.T) {
	for _, tc := range []struct {
		name string
		op9  func(*discordtest.Emulator)
	}{
		{"live connection", func(e *discordtest.Emulator) { e.InvalidateSession(false) }},
		{"answering a RESUME", func(e *discordtest.Emulator) { e.ExpireSessions(); e.DropConnections() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newStoppedHarness(t, discordtest.WithHeartbeatInterval(time.Minute))
			inBackoff := make(chan struct{})
			var waits atomic.Int32
			h.configure = func(cfg *bot.Config) {
				cfg.InvalidSessionBackoff = func() time.Duration {
					if waits.Add(1) == 1 {
						close(inBackoff)
					}
					return 2 * waitTime
				}
			}
			h.start()
			waitBeatAfter(t, h.e, 0)
			tc.op9(h.e)
			select {
			case <-inBackoff:
			case <-ctx(t).Done():
				t.Fatal("no back-off after op 9")
			}
			stopped := make(chan struct{})
			go func() { h.stop(); close(stopped) }()
			select {
			case <-stopped:
			case <-ctx(t).Done():
				t.Fatal("the bot did not stop during the op 9 back-off")
			}
			if st := h.e.GatewayStats(); st.Identifies != 1 {
				t.Errorf("%d IDENTIFY; want 1: the held one must not go out", st.Identifies)
			}
		})
	}
}
