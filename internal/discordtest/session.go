package discordtest

import (
	"encoding/json"
	"strconv"
	"strings"
)

// maxBuffered is how many undelivered events a session keeps for RESUME
// before the emulator gives up on it, as Discord does after a while.
const maxBuffered = 20000

// session is a gateway session: what IDENTIFY creates and RESUME continues.
// Guarded by gateway.mu.
type session struct {
	id      string
	intents int64
	shard   [2]int
	seq     int64
	buf     []buffered // events after the last heartbeat's sequence
	conn    *conn      // nil while disconnected
}

// buffered is a dispatched event kept for replay.
type buffered struct {
	seq   int64
	frame []byte
}

// servesGuild reports whether the session's shard receives events of the
// guild ("" for DMs, which go to shard 0).
func (s *session) servesGuild(guildID string) bool {
	if s.shard[1] <= 1 {
		return true
	}
	if guildID == "" {
		return s.shard[0] == 0
	}
	id, _ := strconv.ParseUint(guildID, 10, 64)
	return int((id>>22)%uint64(s.shard[1])) == s.shard[0]
}

// push assigns the next sequence number to an event, keeps it for replay
// and sends it if connected. Call with g.mu held.
func (s *session) push(event string, data []byte) {
	s.seq++
	f := dispatchFrame(event, s.seq, data)
	s.buf = append(s.buf, buffered{seq: s.seq, frame: f})
	if s.conn != nil {
		s.conn.send(f)
	}
}

// dispatchFrame builds an op 0 payload around already-encoded data.
func dispatchFrame(event string, seq int64, data []byte) []byte {
	var b strings.Builder
	b.Grow(len(data) + len(event) + 48)
	b.WriteString(`{"op":0,"s":`)
	b.WriteString(strconv.FormatInt(seq, 10))
	b.WriteString(`,"t":"`)
	b.WriteString(event)
	b.WriteString(`","d":`)
	b.Write(data)
	b.WriteString("}")
	return []byte(b.String())
}

// dispatch sends an event to every session that should get it: sessions
// whose shard serves guildID and, if intent is not 0, that asked for it.
// Sessions that are disconnected keep it for RESUME. It returns how many
// sessions got it.
func (g *gateway) dispatch(event string, payload any, guildID string, intent int64) int {
	data := mustJSON(payload)
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for id, s := range g.sessions {
		if intent != 0 && s.intents&intent == 0 || !s.servesGuild(guildID) {
			continue
		}
		if len(s.buf) >= maxBuffered && s.conn == nil {
			delete(g.sessions, id) // never resumed: Discord forgets it too
			continue
		}
		s.push(event, data)
		n++
	}
	if n > 0 {
		g.stats.Dispatched += n
		g.events = append(g.events, GatewayEvent{Type: event, Data: data})
		g.sig.broadcast()
	}
	return n
}

// heartbeat answers op 1 with op 11, unless ACKs are suspended, and drops
// the events the client confirms it has.
func (g *gateway) heartbeat(c *conn, d json.RawMessage) {
	var seq *int64
	_ = json.Unmarshal(d, &seq)
	g.mu.Lock()
	g.stats.Heartbeats++
	if s := c.sess; s != nil && seq != nil {
		i := 0
		for i < len(s.buf) && s.buf[i].seq <= *seq {
			i++
		}
		if i > 0 {
			n := copy(s.buf, s.buf[i:])
			clear(s.buf[n:]) // let the acknowledged frames be collected
			s.buf = s.buf[:n]
		}
	}
	ack := !c.noAcks
	if ack {
		g.stats.HeartbeatACKs++
	}
	g.sig.broadcast()
	g.mu.Unlock()
	if ack {
		c.send([]byte(`{"op":11,"s":null,"t":null,"d":null}`))
	}
}

// tokenOK reports whether a gateway token is the bot's; Discord accepts it
// with or without the "Bot " prefix.
func (g *gateway) tokenOK(token string) bool {
	return strings.TrimPrefix(token, "Bot ") == g.e.Token()
}

// clientClosed records a close frame from the client. A client that
// closes with 1000 or 1001 ends its session on Discord: it can no longer be
// resumed. A close frame that answers the server's own does not.
func (g *gateway) clientClosed(c *conn, code int) {
	c.mu.Lock()
	reply := c.closed
	c.mu.Unlock()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stats.ClientCloseCodes = append(g.stats.ClientCloseCodes, code)
	if s := c.sess; s != nil && !reply && (code == 1000 || code == 1001) {
		delete(g.sessions, s.id)
		s.conn = nil
		c.sess = nil
	}
	g.sig.broadcast()
}

// detach forgets a connection that ended; its session waits for RESUME.
func (g *gateway) detach(c *conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.conns[c] {
		return
	}
	delete(g.conns, c)
	if s := c.sess; s != nil && s.conn == c {
		s.conn = nil
	}
	c.sess = nil
	g.stats.Disconnects++
	g.sig.broadcast()
}
