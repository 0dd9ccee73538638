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

// Gateway works around three gaps in discordgo v0.28.1's gateway client,
// for one session:
//
//   - It ignores resume_gateway_url. Gateway keeps the URL each READY
//     brings, and the dialer it gives discordgo sends every connection
//     while that session lasts (each one a RESUME: discordgo always
//     resumes once it has a session) there instead of to the gateway URL
//     discordgo asks for. It writes nothing of discordgo's: discordgo
//     reads its own copy of the gateway URL without a lock from its
//     heartbeat and read goroutines (wsapi.go, when a write or read
//     fails), so any write to it from outside could race them. If a
//     connection to the resume URL comes to nothing (no READY or RESUMED
//     before the next dial), the next dial goes to the gateway URL.
//   - It identifies again at once after op 9 INVALID_SESSION. The
//     websocket connections it dials are watchedConns, which hold that
//     IDENTIFY back for a random 1 to 5 seconds (gatewayconn.go).
//   - Its reconnect loop undoes a Close: it calls Open until one works.
//     After Shutdown, the dialer refuses every connection.
//
// After op 9 discordgo identifies on the connection it has, which may be
// one to resume_gateway_url. The docs' account of resuming asks only for
// the wait there (their opcode table says to reconnect; discord-api-docs
// PR #5296 notes the two disagree), and discordgo has always identified
// on the same connection; that Discord accepts it on a resume URL is not
// checked here, with no Discord to check against. Forcing a new
// connection instead would mean clearing discordgo's session id and
// sequence from inside Open, which holds the session lock. What
// Gateway does do: it forgets the resume URL at that point, so that a
// connection discordgo opens before the new READY goes to the ordinary
// gateway URL; the new READY then brings a new resume_gateway_url.
type Gateway struct {
	log     *slog.Logger
	backoff func() time.Duration                  // the wait before identifying again after op 9
	tls     *tls.Config                           // for wss://; nil: the system's roots. Tests set it
	proxy   func(*http.Request) (*url.URL, error) // the HTTP proxy for the gateway; nil: none
	url     string                                // discord.gateway_url; "": from GET /gateway

	mu        sync.Mutex
	resume    *url.URL // the session's resume_gateway_url; nil: none known
	unproven  bool     // a dial went to resume and no READY or RESUMED has come since
	dialingTo string   // host:port the dial in progress was sent to by redirect
	warned    bool     // the warning that gorilla/websocket ignored a redirect is out

	down atomic.Bool // Shutdown was called: dial nothing
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
func (g *Gateway) Shutdown() { g.down.Store(true) }

// Closed reports whether Shutdown has been called.
func (g *Gateway) Closed() bool { return g.down.Load() }

// invalidSessionBackoff is the wait Discord asks for before identifying
// again after op 9: a random time between 1 and 5 seconds.
func invalidSessionBackoff() time.Duration {
	return time.Second + rand.N(4*time.Second)
}

// Install sets the gateway workarounds up on s, before its Open: an
// event handler, and s.Dialer. It uses o.GatewayURL (to name it in
// errors and to find the proxy the environment sets for it), o.Log and
// o.InvalidSessionBackoff.
func Install(s *discordgo.Session, o Options) *Gateway {
	backoff := o.InvalidSessionBackoff
	if backoff == nil {
		backoff = invalidSessionBackoff
	}
	log := o.log()
	g := &Gateway{log: log, backoff: backoff, url: o.GatewayURL}
	s.AddHandler(g.onEvent)
	if p := proxyFor(o.GatewayURL); p != nil {
		// gorilla/websocket dials a proxy with the TLS dial function, so
		// a watching TLS dialer cannot sit behind one: this is
		// discordgo's own dialer (websocket.DefaultDialer), redirecting.
		log.Warn("gateway through an HTTP proxy: no back-off after op 9", "proxy", p.Redacted())
		g.proxy = http.ProxyFromEnvironment
		s.Dialer = &websocket.Dialer{Proxy: g.redirect, HandshakeTimeout: 45 * time.Second}
		return g
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

// redirect is the dialer's Proxy function: gorilla/websocket calls it with
// the upgrade request just before it dials, and dials the host of the
// request's URL, which it reads after the call, so pointing the URL (and
// Host) at resume_gateway_url sends the connection there. A dial sent
// there that brought neither READY nor RESUMED by the next dial means the
// resume URL does not work: the next dial goes where discordgo asked.
// Then it returns the HTTP proxy to use, if any.
func (g *Gateway) redirect(req *http.Request) (*url.URL, error) {
	if g.down.Load() {
		return nil, errGatewayDown
	}
	g.mu.Lock()
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
	if g.proxy != nil {
		return g.proxy(req)
	}
	return nil, nil
}

// dialing checks, as the dialer connects to addr, that a redirect took:
// if a gorilla/websocket upgrade dials the URL it was given rather than
// the request's, it logs one warning; the dial then counts as one to the
// resume URL that came to nothing, so the next goes to the gateway URL.
func (g *Gateway) dialing(addr string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	want := g.dialingTo
	g.dialingTo = ""
	if want != "" && addr != want && !g.warned {
		g.warned = true
		g.log.Warn("gorilla/websocket changed: reconnects will not use resume_gateway_url", "dialed", addr, "resume", want)
	}
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
// websocket frames rather than TLS records.
func (g *Gateway) dialer() *websocket.Dialer {
	nd := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	watch := func(c net.Conn) net.Conn { return newWatchedConn(c, g.backoff, g.reidentifying) }
	return &websocket.Dialer{
		HandshakeTimeout: 45 * time.Second, // as websocket.DefaultDialer
		Proxy:            g.redirect,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if g.down.Load() {
				return nil, errGatewayDown
			}
			g.dialing(addr)
			c, err := nd.DialContext(ctx, network, addr)
			if err != nil {
				return nil, g.unreachable(addr, err)
			}
			return watch(c), nil
		},
		NetDialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if g.down.Load() {
				return nil, errGatewayDown
			}
			g.dialing(addr)
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			c, err := nd.DialContext(ctx, network, addr)
			if err != nil {
				return nil, g.unreachable(addr, err)
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
			return watch(tc), nil
		},
	}
}

// unreachable names the gateway host a dial could not reach.
func (g *Gateway) unreachable(addr string, err error) *Unreachable {
	return &Unreachable{What: "the Discord gateway", Addr: addr, Key: "discord.gateway_url", Value: g.url, Err: err}
}

// proxyFor returns the proxy the environment sets for the gateway, if any.
func proxyFor(gatewayURL string) *url.URL {
	target := "https://gateway.discord.gg/"
	if u, err := url.Parse(gatewayURL); err == nil && u.Host != "" {
		target = "https://" + u.Host + "/"
		if u.Scheme == "ws" || u.Scheme == "http" {
			target = "http://" + u.Host + "/"
		}
	}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		return nil
	}
	p, err := http.ProxyFromEnvironment(req)
	if err != nil {
		return nil
	}
	return p
}
