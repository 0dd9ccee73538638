package discordtest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault is a failure the emulator answers a request with instead of
// handling it. Make one with RateLimit, RateLimitGlobal, RateLimitNonJSON,
// ServerError or APIError, and install it with FailNext.
type Fault struct {
	Status     int
	Code       int    // Discord's JSON error code
	Message    string // Discord's JSON error message
	RetryAfter time.Duration
	Global     bool   // a global rate limit (X-RateLimit-Global, "global": true)
	RawBody    string // if set, sent as is instead of a JSON body
	RawType    string // the Content-Type of RawBody
	// OnlyRetryAfter leaves out the X-RateLimit-* headers of a 429, as
	// Cloudflare's own ban page does; Retry-After is still sent.
	OnlyRetryAfter bool
}

// RateLimit is a 429 for a per-route bucket: a JSON body with retry_after
// (in seconds), and the Retry-After and X-RateLimit-* headers Discord sends.
func RateLimit(retryAfter time.Duration) Fault {
	return Fault{Status: http.StatusTooManyRequests, Message: "You are being rate limited.", RetryAfter: retryAfter}
}

// RateLimitGlobal is a 429 for the global rate limit.
func RateLimitGlobal(retryAfter time.Duration) Fault {
	f := RateLimit(retryAfter)
	f.Global = true
	return f
}

// RateLimitNonJSON is a 429 whose body is not JSON: the HTML page
// Cloudflare serves when it bans an IP for too many invalid requests
// (error 1015), with the Retry-After and X-RateLimit-* headers. Set
// OnlyRetryAfter to send Retry-After alone, as the real ban page does.
func RateLimitNonJSON(retryAfter time.Duration) Fault {
	return Fault{
		Status: http.StatusTooManyRequests, RetryAfter: retryAfter, RawType: "text/html; charset=UTF-8",
		RawBody: "<!DOCTYPE html>\n<html><head><title>Access denied | discord.com used Cloudflare to restrict access</title></head>" +
			"<body><h1>Error 1015</h1><p>You are being rate limited</p></body></html>\n",
	}
}

// ServerError is a 5xx with Discord's generic JSON body.
func ServerError(status int) Fault {
	return Fault{Status: status, Message: fmt.Sprintf("%d: %s", status, http.StatusText(status))}
}

// APIError is an arbitrary Discord error: status, code and message.
func APIError(status, code int, message string) Fault {
	return Fault{Status: status, Code: code, Message: message}
}

// fault is an installed Fault; guarded by Emulator.mu.
type fault struct {
	route string
	left  int
	f     Fault
}

// FailNext makes the next times requests matching route fail with f.
// route is a route as in Request.Route ("POST /channels/{channel_id}/messages"),
// a route without its method ("/channels/{channel_id}/messages"), a method
// and concrete path ("POST /channels/123/messages"), or "" for any request.
// Faults apply in the order they were installed.
func (e *Emulator) FailNext(route string, times int, f Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = append(e.faults, &fault{route: route, left: times, f: f})
}

// takeFault returns the fault for a request, if any, and uses it up.
func (e *Emulator) takeFault(method, route, path string) *Fault {
	e.mu.Lock()
	defer e.mu.Unlock()
	pattern := strings.TrimPrefix(route, method+" ")
	for i, ft := range e.faults {
		if ft.left <= 0 {
			continue
		}
		switch ft.route {
		case "", route, pattern, method + " " + path, path:
		default:
			continue
		}
		ft.left--
		if ft.left == 0 {
			e.faults = append(e.faults[:i], e.faults[i+1:]...)
		}
		f := ft.f
		return &f
	}
	return nil
}

// reply renders the fault as a response.
func (f Fault) reply(now time.Time) reply {
	h := http.Header{}
	if f.RetryAfter > 0 {
		secs := f.RetryAfter.Seconds()
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
		if !f.OnlyRetryAfter {
			after := strconv.FormatFloat(secs, 'f', 3, 64)
			h.Set("X-RateLimit-Limit", "5")
			h.Set("X-RateLimit-Remaining", "0")
			h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(now.Add(f.RetryAfter).UnixMilli())/1000, 'f', 3, 64))
			h.Set("X-RateLimit-Reset-After", after)
			h.Set("X-RateLimit-Bucket", "d1sc0rdt35tbuck3t")
			h.Set("X-RateLimit-Scope", "user")
			if f.Global {
				h.Set("X-RateLimit-Global", "true")
				h.Set("X-RateLimit-Scope", "global")
			}
		}
	}
	if f.RawBody != "" {
		return reply{status: f.Status, header: h, raw: []byte(f.RawBody), rawType: f.RawType}
	}
	body := map[string]any{"message": f.Message, "code": f.Code}
	if f.Status == http.StatusTooManyRequests {
		body["retry_after"] = f.RetryAfter.Seconds()
		body["global"] = f.Global
	}
	return reply{status: f.Status, header: h, body: body}
}

// RequestReconnect sends op 7 RECONNECT on every authenticated connection,
// as Discord does before moving a session. A well-behaved client closes
// the connection and resumes. It returns the number of connections told.
func (e *Emulator) RequestReconnect() int {
	g := e.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for c := range g.conns {
		if c.sess != nil {
			c.send([]byte(`{"op":7,"s":null,"t":null,"d":null}`))
			n++
		}
	}
	g.stats.ReconnectsSent += n
	g.sig.broadcast()
	return n
}

// InvalidateSession sends op 9 INVALID_SESSION on every authenticated
// connection. With resumable false the sessions end (a later RESUME gets
// op 9 again); with true they can still be resumed. Either way the
// connection is no longer authenticated and must IDENTIFY or RESUME.
func (e *Emulator) InvalidateSession(resumable bool) int {
	g := e.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for c := range g.conns {
		s := c.sess
		if s == nil {
			continue
		}
		c.send([]byte(`{"op":9,"s":null,"t":null,"d":` + strconv.FormatBool(resumable) + `}`))
		s.conn, c.sess = nil, nil
		if !resumable {
			delete(g.sessions, s.id)
		}
		n++
	}
	g.stats.InvalidSessionsSent += n
	if n > 0 {
		g.stats.InvalidSessionAt = time.Now()
	}
	g.sig.broadcast()
	return n
}

// DropConnections closes every gateway connection abruptly, without a close
// frame, as a network failure would. Sessions stay resumable.
func (e *Emulator) DropConnections() int {
	g := e.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	for c := range g.conns {
		c.drop()
	}
	return len(g.conns)
}

// CloseConnections closes every gateway connection with a close frame
// carrying code, such as 4000 (unknown error, resumable) or 4009 (session
// timed out).
func (e *Emulator) CloseConnections(code int, reason string) int {
	g := e.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	for c := range g.conns {
		c.closeWith(code, reason)
	}
	return len(g.conns)
}

// RefuseResumes answers every later RESUME, on any connection, with a
// close frame carrying code, and ends the session it names, as Discord
// does with 4007 (invalid seq) or 4009 (session timed out); both tell the
// client to reconnect and IDENTIFY. Code 0 resumes sessions again.
func (e *Emulator) RefuseResumes(code int, reason string) {
	g := e.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	g.refuse, g.refuseText = code, reason
}

// SuspendHeartbeatACKs stops acknowledging heartbeats on the connections
// open now (a "zombie" connection); connections opened later are
// acknowledged again.
func (e *Emulator) SuspendHeartbeatACKs() int {
	g := e.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	for c := range g.conns {
		c.noAcks = true
	}
	return len(g.conns)
}

// ExpireSessions ends every session without telling its connection, as
// Discord does with a session that has gone too long without a connection:
// the client finds out when its next RESUME gets op 9. Pair it with
// DropConnections. It returns the number of sessions ended.
func (e *Emulator) ExpireSessions() int {
	g := e.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	n := len(g.sessions)
	for id, s := range g.sessions {
		if c := s.conn; c != nil {
			c.sess = nil
		}
		s.conn = nil
		delete(g.sessions, id)
	}
	g.sig.broadcast()
	return n
}
