package discordtest

import (
	"encoding/json"
	"strconv"
	"time"
)

// identifyData is the part of an IDENTIFY the emulator reads.
type identifyData struct {
	Token      string         `json:"token"`
	Intents    *int64         `json:"intents"`
	Shard      *[2]int        `json:"shard"`
	Compress   bool           `json:"compress"`
	Properties map[string]any `json:"properties"`
}

// identify answers op 2: a new session, READY, then GUILD_CREATE for each
// guild of the shard.
func (g *gateway) identify(c *conn, d json.RawMessage) {
	var id identifyData
	if err := json.Unmarshal(d, &id); err != nil {
		c.closeWith(4002, "Error while decoding payload.")
		return
	}
	shard := [2]int{0, 1}
	if id.Shard != nil {
		shard = *id.Shard
	}
	e := g.e
	sessionID := randomHex(16)
	// Build READY and the guilds before taking the gateway lock: the two
	// locks are never held together.
	e.mu.Lock()
	var guilds []map[string]any
	unavailable := []map[string]any{}
	for _, gd := range e.guildOrder {
		s := session{shard: shard}
		if s.servesGuild(gd.ID) {
			guilds = append(guilds, e.guildJSON(gd, true))
			unavailable = append(unavailable, map[string]any{"id": gd.ID, "unavailable": true})
		}
	}
	e.mu.Unlock()
	version, _ := strconv.Atoi(c.version)
	if version == 0 {
		version = 10
	}
	ready := map[string]any{
		"v": version, "user": e.botJSON(), "guilds": unavailable, "session_id": sessionID,
		"resume_gateway_url": e.ResumeGatewayURL(), "session_type": "normal",
		"application":      map[string]any{"id": e.appID, "flags": 0},
		"private_channels": []any{}, "relationships": []any{}, "presences": []any{},
		"guild_join_requests": []any{}, "geo_ordered_rtc_regions": []string{"us-east"},
		"user_settings": map[string]any{}, "_trace": []string{"discordtest"},
	}
	if id.Shard != nil {
		ready["shard"] = shard
	}
	readyData := mustJSON(ready)

	g.mu.Lock()
	defer g.mu.Unlock()
	g.stats.Identifies++
	g.stats.IdentifyAt = time.Now()
	if c.resumeURL {
		g.stats.ResumeURLIdentifies++
	}
	g.stats.Token = id.Token
	if id.Intents != nil {
		g.stats.Intents = *id.Intents
	}
	g.stats.Properties = id.Properties
	g.sig.broadcast()
	switch {
	case c.sess != nil:
		c.closeWith(4005, "Already authenticated.")
		return
	case !g.tokenOK(id.Token):
		g.stats.AuthFailures++
		c.closeWith(4004, "Authentication failed.")
		return
	case id.Intents == nil:
		c.closeWith(4013, "Invalid intent(s).")
		return
	case *id.Intents&privilegedIntents&^e.cfg.privileged != 0:
		c.closeWith(4014, "Disallowed intent(s).")
		return
	case shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]:
		c.closeWith(4010, "Invalid shard.")
		return
	}
	for sid, old := range g.sessions {
		if old.conn == nil && old.shard == shard {
			delete(g.sessions, sid) // superseded before it was resumed
		}
	}
	s := &session{id: sessionID, intents: *id.Intents, shard: shard, conn: c}
	g.sessions[s.id] = s
	c.sess = s
	c.compress = id.Compress
	s.push("READY", readyData)
	g.events = append(g.events, GatewayEvent{Type: "READY", Data: readyData})
	if s.intents&IntentGuilds != 0 {
		for _, gd := range guilds {
			data := mustJSON(gd)
			s.push("GUILD_CREATE", data)
			g.events = append(g.events, GatewayEvent{Type: "GUILD_CREATE", Data: data})
		}
	}
}

// resumeData is the body of a RESUME.
type resumeData struct {
	Token     string `json:"token"`
	SessionID string `json:"session_id"`
	Seq       int64  `json:"seq"`
}

// resume answers op 6: replay what the client missed, then RESUMED; or
// INVALID_SESSION (d=false) if the session cannot be resumed; or, after
// RefuseResumes, a close frame.
func (g *gateway) resume(c *conn, d json.RawMessage) {
	var r resumeData
	if err := json.Unmarshal(d, &r); err != nil {
		c.closeWith(4002, "Error while decoding payload.")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stats.Resumes++
	g.sig.broadcast()
	if c.sess != nil {
		c.closeWith(4005, "Already authenticated.")
		return
	}
	if !g.tokenOK(r.Token) {
		g.stats.AuthFailures++
		c.closeWith(4004, "Authentication failed.")
		return
	}
	if g.refuse != 0 {
		g.stats.ResumesRefused++
		delete(g.sessions, r.SessionID)
		c.closeWith(g.refuse, g.refuseText)
		return
	}
	s := g.sessions[r.SessionID]
	if s == nil || r.Seq > s.seq || r.Seq < s.seq-int64(len(s.buf)) {
		g.stats.InvalidSessionsSent++
		g.stats.InvalidSessionAt = time.Now()
		c.send([]byte(`{"op":9,"s":null,"t":null,"d":false}`))
		return
	}
	if old := s.conn; old != nil && old != c {
		old.sess = nil
		old.drop()
	}
	s.conn, c.sess = c, s
	for _, b := range s.buf {
		if b.seq > r.Seq {
			c.send(b.frame)
			g.stats.ReplayedEvents++
		}
	}
	s.push("RESUMED", []byte(`{"_trace":["discordtest"]}`))
	g.stats.SuccessfulResumes++
}
