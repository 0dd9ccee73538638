package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// GatewayStats counts what happened on the gateway, so that tests can
// assert how the client behaved (for example that it resumed rather than
// identified again after a RECONNECT).
type GatewayStats struct {
	Connections          int   // websocket connections opened
	ResumeURLConnections int   // of which to resume_gateway_url
	ResumeURLIdentifies  int   // IDENTIFY payloads on those connections
	Disconnects          int   // connections that ended
	Connected            int   // sessions with a live connection now
	Identifies           int   // IDENTIFY payloads received
	AuthFailures         int   // IDENTIFY or RESUME with a wrong token (closed with 4004)
	Resumes              int   // RESUME payloads received
	SuccessfulResumes    int   // of which answered with RESUMED
	ResumesRefused       int   // of which closed with RefuseResumes' code
	ReplayedEvents       int   // events re-sent on RESUME
	Heartbeats           int   // op 1 received
	HeartbeatACKs        int   // op 11 sent
	ReconnectsSent       int   // op 7 sent
	InvalidSessionsSent  int   // op 9 sent
	Dispatched           int   // dispatch events sent (per session)
	OtherOps             int   // presence updates, voice state and member requests received
	ClientCloseCodes     []int // close codes the client sent
	Intents              int64 // the intents of the last IDENTIFY
	Token                string
	Properties           map[string]any // the properties of the last IDENTIFY
	Version              string         // the v= query of the last connection ("9" from discordgo v0.28)
	Encoding             string         // the encoding= query of the last connection
	Compression          string         // the compress= query of the last connection
	// IdentifyAt is when the last IDENTIFY arrived, and InvalidSessionAt
	// when the last op 9 was sent (wall clock), so a test can measure the
	// client's back-off between the two.
	IdentifyAt, InvalidSessionAt time.Time
}

// GatewayEvent is a dispatch event the emulator sent.
type GatewayEvent struct {
	Type string
	Data json.RawMessage
}

// GatewayStats returns the gateway counters now.
func (e *Emulator) GatewayStats() GatewayStats {
	g := e.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.snapshotStats()
}

// snapshotStats copies the counters; call with g.mu held.
func (g *gateway) snapshotStats() GatewayStats {
	s := g.stats
	s.ClientCloseCodes = slices.Clone(s.ClientCloseCodes)
	s.Properties = maps.Clone(s.Properties)
	s.Connected = 0
	for _, sess := range g.sessions {
		if sess.conn != nil {
			s.Connected++
		}
	}
	return s
}

// GatewayEvents returns the dispatch events sent so far, oldest first.
func (e *Emulator) GatewayEvents() []GatewayEvent {
	e.gw.mu.Lock()
	defer e.gw.mu.Unlock()
	return slices.Clone(e.gw.events)
}

// WaitGateway waits until cond holds for the gateway counters and returns
// them.
func (e *Emulator) WaitGateway(ctx context.Context, cond func(GatewayStats) bool) (GatewayStats, error) {
	g := e.gw
	for {
		g.mu.Lock()
		s := g.snapshotStats()
		ch := g.sig.wait()
		g.mu.Unlock()
		if cond(s) {
			return s, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return s, fmt.Errorf("wait for the gateway: %w (stats: %+v)", ctx.Err(), s)
		}
	}
}

// WaitReady waits until the bot has a session with a live connection (it
// has been sent READY or RESUMED).
func (e *Emulator) WaitReady(ctx context.Context) error {
	_, err := e.WaitGateway(ctx, func(s GatewayStats) bool { return s.Connected > 0 })
	return err
}
