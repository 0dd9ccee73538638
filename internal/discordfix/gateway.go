package discordfix

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway works around four gaps in discordgo v0.28.1's gateway client,
// for one session:
//
//   - It ignores resume_gateway_url. Gateway keeps the URL each READY
//     brings, and the dialer it gives discordgo sends every connection
//     while that session lasts (each one a RESUME: discordgo always
//     resumes once it has a session) there instead of to the gateway URL
//     discordgo asks for. This writes nothing of discordgo's: discordgo
//     reads its own copy of the gateway URL without a lock from its
//     heartbeat and read goroutines (wsapi.go, when a write or read
//     fails), so any write to it from outside could race them. If a
//     connection to the resume URL comes to nothing (no READY or RESUMED
//     before the next dial), the next dial goes to the gateway URL.
//   - It identifies again at once after op 9 INVALID_SESSION. The
//     websocket connections it dials are watchedConns, which hold that
//     IDENTIFY back for a random 1 to 5 seconds (gatewayconn.go); a
//     Shutdown ends the wait, so that Close need not sit it out.
//   - It never starts a new session once it has one: it resumes for
//     ever, even after Discord closed with 4007 or 4009 (which forbid
//     resuming), and after op 9 it identifies on the connection it has,
//     which may be one to resume_gateway_url, where only resuming
//     belongs. Gateway ends such a connection instead of identifying on
//     it (after the back-off), and when the session is over clears
//     discordgo's session id and sequence as its next connection is
//     dialled, to the gateway URL, so that discordgo identifies there
//     (session.go).
//   - Its reconnect loop undoes a Close: it calls Open until one works.
//     After Shutdown, the dialer refuses every connection.
//
// After op 9 on a connection to the gateway URL, discordgo still
// identifies on that connection, after the wait: that is the connection
// Discord's docs on resuming describe. In both cases the resume URL is
// forgotten, so that a connection discordgo opens before the new READY
// goes to the ordinary gateway URL; the new READY then brings a new
// resume_gateway_url.
//
// The dialer goes through the HTTP proxy that the REST transport uses (or
// the environment sets) for the gateway's host, itself, with an HTTP
// CONNECT (proxy.go), so that its connections are watched too.
type Gateway struct {
	log     *slog.Logger
	backoff func() time.Duration                  // the wait before identifying again after op 9
	tls     *tls.Config                           // for wss://; nil: the system's roots. Tests set it
	proxy   func(*http.Request) (*url.URL, error) // the HTTP proxy for the gateway; nil: none
	url     string                                // discord.gateway_url; "": from GET /gateway
	session sessionState                          // discordgo's session id and sequence; nil fields: not found
	buckets *bucketPruner                         // frees s's rate-limit buckets; nil: not NewTransport's

	mu        sync.Mutex
	resume    *url.URL // the session's resume_gateway_url; nil: none known
	unproven  bool     // a dial went to resume and no READY or RESUMED has come since
	ended     bool     // Discord will not resume the session: the next Open must identify
	dialingTo string   // host:port the dial in progress was sent to by redirect
	warned    bool     // the warning that gorilla/websocket ignored a redirect is out

	down     atomic.Bool   // Shutdown was called: dial nothing
	stop     chan struct{} // closed by Shutdown: ends a back-off in progress
	stopOnce sync.Once
}

// errGatewayDown is what the dialer answers once Shutdown was called.
var errGatewayDown = errors.New("discordfix: the gateway was closed for good")

// Shutdown makes every later dial fail; call it before the session's
// Close, to close the gateway for good. discordgo's reconnect loop reads
// ShouldReconnectOnError once, before it starts, and then calls Open
// until one succeeds: a Close while it waits between tries would
// otherwise be undone by its next try, leaving a connection nobody
// closes (whose heartbeat and read loops then race each other inside
// discordgo when it drops).
//
// It also ends an op 9 back-off in progress: discordgo holds its locks
// while the IDENTIFY waits, and its Close would wait with them.
func (g *Gateway) Shutdown() {
	g.down.Store(true)
	g.stopOnce.Do(func() {
		if g.stop != nil {
			close(g.stop)
		}
	})
}

// Closed reports whether Shutdown has been called.
func (g *Gateway) Closed() bool { return g.down.Load() }

// invalidSessionBackoff is the wait Discord asks for before identifying
// again after op 9: a random time between 1 and 5 seconds.
func invalidSessionBackoff() time.Duration {
	return time.Second + rand.N(4*time.Second)
}

// Install sets the gateway workarounds up on s, before its Open: an
// event handler, and s.Dialer; and when s.Client's transport is
// NewTransport's, the freeing of s's rate-limit buckets (ratelimit.go).
// It uses o.GatewayURL (to name it in errors), o.Base (whose Proxy, if
// it is an *http.Transport, the gateway uses too; otherwise the proxy
// the environment sets), o.Log and o.InvalidSessionBackoff.
func Install(s *discordgo.Session, o Options) *Gateway {
	backoff := o.InvalidSessionBackoff
	if backoff == nil {
		backoff = invalidSessionBackoff
	}
	log := o.log()
	g := &Gateway{log: log, backoff: backoff, url: o.GatewayURL, proxy: proxyFunc(o.Base), stop: make(chan struct{})}
	st, ok := sessionStateOf(s)
	if !ok {
		log.Warn("discordgo's Session has no sessionID or sequence as in v0.28.1: after Discord ends a session, the bot resumes until Discord answers op 9")
	}
	g.session = st
	s.AddHandler(g.onEvent)
	g.buckets = pruneBuckets(s, log)
	if p := g.proxyFor(o.GatewayURL); p != nil {
		if p.Scheme != "http" && p.Scheme != "https" {
			// gorilla/websocket dials a proxy with the TLS dial function,
			// so a watching TLS dialer cannot sit behind a SOCKS proxy,
			// which this dialer does not speak: this is discordgo's own
			// dialer (websocket.DefaultDialer), redirecting.
			log.Warn("gateway through a SOCKS proxy: no back-off after op 9, and no new session after a refused RESUME", "proxy", p.Redacted())
			s.Dialer = &websocket.Dialer{Proxy: g.proxyRedirect, HandshakeTimeout: 45 * time.Second}
			return g
		}
		log.Info("the gateway goes through an HTTP proxy", "proxy", p.Redacted())
	}
	s.Dialer = g.dialer()
	return g
}

// onEvent keeps resume_gateway_url from the raw READY (discordgo v0.28.1's
// Ready type has no field for it), and notes that a connection worked.
func (g *Gateway) onEvent(_ *discordgo.Session, e *discordgo.Event) {
	switch e.Type {
	case "RESUMED":
		g.mu.Lock()
		g.unproven = false
		g.mu.Unlock()
	case "READY":
		u := resumeURL(e.RawData)
		if u == nil {
			g.log.Warn("READY has no resume_gateway_url that is a websocket URL; reconnects go to the gateway URL")
		}
		g.mu.Lock()
		g.resume, g.unproven = u, false
		g.mu.Unlock()
	}
}

// resumeURL returns the resume_gateway_url of a raw READY, with the query
// discordgo adds to the gateway URL it dials, or nil.
func resumeURL(raw []byte) *url.URL {
	var r struct {
		ResumeGatewayURL string `json:"resume_gateway_url"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.ResumeGatewayURL == "" {
		return nil
	}
	u, err := url.Parse(r.ResumeGatewayURL)
	if err != nil || (u.Scheme != "wss" && u.Scheme != "ws") || u.Host == "" || u.User != nil {
		return nil
	}
	u.RawQuery = "v=" + discordgo.APIVersion + "&encoding=json"
	return u
}

// reidentifying is called when discordgo identifies again after op 9. The
// session is gone, so its resume URL is of no more use: if discordgo
// dials before the next READY, the connection goes to the gateway URL.
// (The connection that got op 9 worked, wherever it went.)
func (g *Gateway) reidentifying() {
	g.mu.Lock()
	g.resume, g.unproven = nil, false
	g.mu.Unlock()
}

// sessionEnded is called when Discord will not resume the session (close
// code 4007 or 4009), or when the Gateway ends a connection to the resume
// URL rather than identify on it: the next connection goes to the gateway
// URL, and discordgo identifies on it.
func (g *Gateway) sessionEnded() {
	g.mu.Lock()
	if !g.ended {
		g.log.Info("the gateway session cannot be resumed; the next connection identifies on the gateway URL")
	}
	g.resume, g.unproven, g.ended = nil, false, true
	g.mu.Unlock()
}

// redirect is the dialer's Proxy function: gorilla/websocket calls it with
// the upgrade request just before it dials, and dials the host of the
// request's URL, which it reads after the call, so pointing the URL (and
// Host) at resume_gateway_url sends the connection there. A dial sent
// there that brought neither READY nor RESUMED by the next dial means the
// resume URL does not work: the next dial goes where discordgo asked.
// After a session ended, it clears discordgo's, so that Open identifies.
// It returns no proxy: the dialer's dial functions use the proxy.
func (g *Gateway) redirect(req *http.Request) (*url.URL, error) {
	if g.down.Load() {
		return nil, errGatewayDown
	}
	g.mu.Lock()
	if g.ended && g.session.id != nil {
		g.session.clear() // Open holds the session lock, and reads both after this dial
		g.ended = false
	}
	if g.unproven {
		if g.resume != nil {
			g.log.Warn("the connection to resume_gateway_url came to nothing; reconnecting to the gateway URL", "resume_url", g.resume)
		}
		g.resume, g.unproven = nil, false
	}
	g.dialingTo = ""
	if to := g.resume; to != nil && websocketScheme(req.URL.Scheme) == to.Scheme {
		req.URL.Host, req.URL.Path, req.URL.RawPath, req.URL.RawQuery = to.Host, to.Path, to.RawPath, to.RawQuery
		req.Host = to.Host
		g.unproven = true
		g.dialingTo = hostPort(req.URL)
	}
	g.mu.Unlock()
	return nil, nil
}

// proxyRedirect is redirect for discordgo's own dialer, which connects
// through the proxy it returns.
func (g *Gateway) proxyRedirect(req *http.Request) (*url.URL, error) {
	if _, err := g.redirect(req); err != nil {
		return nil, err
	}
	if g.proxy == nil {
		return nil, nil
	}
	return g.proxy(req)
}

// dialing checks, as the dialer connects to addr, that a redirect took:
// if a gorilla/websocket upgrade dials the URL it was given rather than
// the request's, it logs one warning; the dial then counts as one to the
// resume URL that came to nothing, so the next goes to the gateway URL.
// It reports whether the dial goes to the resume URL.
func (g *Gateway) dialing(addr string) (toResume bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	want := g.dialingTo
	g.dialingTo = ""
	if want != "" && addr != want && !g.warned {
		g.warned = true
		g.log.Warn("gorilla/websocket changed: reconnects will not use resume_gateway_url", "dialed", addr, "resume", want)
	}
	return want != "" && addr == want
}

// websocketScheme returns the websocket scheme for the http or https that
// gorilla/websocket puts in its upgrade request's URL.
func websocketScheme(scheme string) string {
	switch scheme {
	case "http":
		return "ws"
	case "https":
		return "wss"
	}
	return scheme
}

// dialer is a websocket dialer whose connections are watchedConns. For
// wss:// it does the TLS handshake itself, so the watcher sees the
// websocket frames rather than TLS records; through an HTTP proxy, it
// opens the tunnel itself too, for the same reason.
func (g *Gateway) dialer() *websocket.Dialer {
	nd := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	wrap := func(c net.Conn, toResume bool) net.Conn {
		return newWatchedConn(c, watch{backoff: g.backoff, onReidentify: g.reidentifying, onSessionEnd: g.sessionEnded, stop: g.stop, resumeURL: toResume})
	}
	return &websocket.Dialer{
		HandshakeTimeout: 45 * time.Second, // as websocket.DefaultDialer
		Proxy:            g.redirect,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if g.down.Load() {
				return nil, errGatewayDown
			}
			toResume := g.dialing(addr)
			c, err := g.dialTCP(ctx, nd, "http", addr)
			if err != nil {
				return nil, err
			}
			return wrap(c, toResume), nil
		},
		NetDialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if g.down.Load() {
				return nil, errGatewayDown
			}
			toResume := g.dialing(addr)
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			c, err := g.dialTCP(ctx, nd, "https", addr)
			if err != nil {
				return nil, err
			}
			cfg := &tls.Config{MinVersion: tls.VersionTLS12}
			if g.tls != nil {
				cfg = g.tls.Clone()
			}
			cfg.ServerName = host
			tc := tls.Client(c, cfg)
			if err := tc.HandshakeContext(ctx); err != nil {
				c.Close()
				return nil, g.unreachable(addr, err)
			}
			return wrap(tc, toResume), nil
		},
	}
}

// unreachable names the gateway host a dial could not reach.
func (g *Gateway) unreachable(addr string, err error) *Unreachable {
	return &Unreachable{What: "the Discord gateway", Addr: addr, Key: "discord.gateway_url", Value: g.url, Err: err}
}
