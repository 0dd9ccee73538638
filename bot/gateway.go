package bot

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// gatewayFix works around two gaps in discordgo v0.28.1's gateway client,
// for one session:
//
//   - It ignores resume_gateway_url. On READY, gatewayFix points
//     discordgo's unexported Session.gateway (the URL Open dials whenever
//     it is set) at resume_gateway_url, so every reconnect, which discordgo
//     always makes a RESUME once it has a session, goes where Discord
//     asks. When discordgo cannot dial it, Open clears the field itself
//     and asks GET /gateway again.
//   - It identifies again at once after op 9 INVALID_SESSION. The
//     websocket connections it dials are watchedConns, which hold that
//     IDENTIFY back for a random 1 to 5 seconds (gatewayconn.go).
//
// After op 9 discordgo identifies on the connection it has, which may be
// one to resume_gateway_url. The docs' account of resuming asks only for
// the wait there (their opcode table says to reconnect; discord-api-docs
// PR #5296 notes the two disagree), and discordgo has always identified
// on the same connection; that Discord accepts it on a resume URL is not
// checked here, with no Discord to check against. Forcing a new
// connection instead would mean also clearing discordgo's session id and
// sequence from inside Open, which holds the session lock. What
// gatewayFix does do: it clears the resume URL at that point, so that a
// connection discordgo opens before the new READY goes to the ordinary
// gateway URL; the new READY then brings a new resume_gateway_url.
type gatewayFix struct {
	s       *discordgo.Session
	log     *slog.Logger
	field   *string              // discordgo's Session.gateway; nil: the resume URL is left alone
	backoff func() time.Duration // the wait before identifying again after op 9
	tls     *tls.Config          // for wss://; nil: the system's roots. Tests set it
	url     string               // discord.gateway_url; "": from GET /gateway

	mu  sync.Mutex
	gen uint64 // counts changes to field, so a late reset cannot undo a newer URL

	down atomic.Bool // the bot has closed the gateway for good: dial nothing
}

// errGatewayDown is what the dialer answers once the bot has shut down.
var errGatewayDown = errors.New("bot: the gateway was closed for good")

// shutdown makes every later dial fail. discordgo's reconnect loop reads
// ShouldReconnectOnError once, before it starts, and then calls Open
// until one succeeds: a Close while it waits between tries would
// otherwise be undone by its next try, leaving a connection nobody
// closes (whose heartbeat and read loops then race each other inside
// discordgo when it drops).
func (g *gatewayFix) shutdown() { g.down.Store(true) }

// invalidSessionBackoff is the wait Discord asks for before identifying
// again after op 9: a random time between 1 and 5 seconds.
func invalidSessionBackoff() time.Duration {
	return time.Second + rand.N(4*time.Second)
}

// installGatewayFix sets the workarounds up on s: a READY handler and a
// websocket dialer. backoff nil means invalidSessionBackoff. If
// discordgo's field is gone (a discordgo upgrade), it logs one warning
// and keeps the back-off only.
func installGatewayFix(s *discordgo.Session, log *slog.Logger, gatewayURL string, backoff func() time.Duration) *gatewayFix {
	if backoff == nil {
		backoff = invalidSessionBackoff
	}
	g := &gatewayFix{s: s, log: log, backoff: backoff, url: gatewayURL}
	field, err := gatewayField(s)
	if err != nil {
		log.Warn("discordgo changed: reconnects will not use resume_gateway_url", "err", err)
	} else {
		g.field = field
		s.AddHandler(g.onEvent)
	}
	if p := proxyFor(gatewayURL); p != nil {
		// gorilla/websocket dials a proxy with the TLS dial function, so
		// a watching TLS dialer cannot sit behind one.
		log.Warn("gateway through an HTTP proxy: no back-off after op 9", "proxy", p.Redacted())
		return g
	}
	s.Dialer = g.dialer()
	return g
}

// gatewayField returns discordgo's unexported Session.gateway, the URL
// Open dials when it is not empty (wsapi.go), or an error if this
// discordgo has no such string field. TestGatewayField fails if it goes.
func gatewayField(s *discordgo.Session) (*string, error) {
	f := reflect.ValueOf(s).Elem().FieldByName("gateway")
	if !f.IsValid() {
		return nil, errors.New("discordgo.Session has no field gateway")
	}
	if f.Type() != reflect.TypeFor[string]() {
		return nil, fmt.Errorf("discordgo.Session.gateway is a %s, not a string", f.Type())
	}
	return (*string)(unsafe.Pointer(f.UnsafeAddr())), nil
}

// setGateway stores u in discordgo's gateway field under the session's
// lock, which Open holds while it reads the field. With gen non-zero it
// stores only if nothing has changed the field since gen was taken.
// It runs in an event handler's goroutine (discordgo's SyncEvents is
// false: the bot never sets it), or in one of its own.
func (g *gatewayFix) setGateway(u string, gen uint64) {
	g.s.Lock()
	defer g.s.Unlock()
	g.storeGateway(u, gen)
}

// storeGateway is setGateway with the session lock held.
func (g *gatewayFix) storeGateway(u string, gen uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if gen != 0 && gen != g.gen {
		return
	}
	g.gen++
	*g.field = u
}

// onEvent reads resume_gateway_url from the raw READY: discordgo
// v0.28.1's Ready type has no field for it.
func (g *gatewayFix) onEvent(_ *discordgo.Session, e *discordgo.Event) {
	if e.Type != "READY" {
		return
	}
	var r struct {
		ResumeGatewayURL string `json:"resume_gateway_url"`
	}
	if err := json.Unmarshal(e.RawData, &r); err != nil || r.ResumeGatewayURL == "" {
		return
	}
	u, err := url.Parse(r.ResumeGatewayURL)
	if err != nil || (u.Scheme != "wss" && u.Scheme != "ws") || u.Host == "" {
		g.log.Warn("READY has a resume_gateway_url that is not a websocket URL; ignored")
		return
	}
	// The query discordgo adds to the gateway URL it dials.
	u.RawQuery = "v=" + discordgo.APIVersion + "&encoding=json"
	g.setGateway(u.String(), 0)
}

// reidentifying is called when discordgo identifies again after op 9,
// holding its websocket write lock. The session is gone, so its resume
// URL is of no more use: if discordgo dials before the next READY, it
// should ask GET /gateway. Waiting for the session lock here could
// deadlock (Close takes it, then the write lock; Open holds it while it
// answers an op 9 to its RESUME), so the field is cleared at once only if
// the lock is free, as it is when op 9 comes in the read loop, and
// otherwise from a goroutine once it is; gen keeps that goroutine from
// undoing the next READY.
func (g *gatewayFix) reidentifying() {
	if g.field == nil {
		return
	}
	if g.s.TryLock() {
		g.storeGateway("", 0)
		g.s.Unlock()
		return
	}
	g.mu.Lock()
	gen := g.gen
	g.mu.Unlock()
	go g.setGateway("", gen)
}

// dialer is a websocket dialer whose connections are watchedConns. For
// wss:// it does the TLS handshake itself, so the watcher sees the
// websocket frames rather than TLS records.
func (g *gatewayFix) dialer() *websocket.Dialer {
	nd := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	watch := func(c net.Conn) net.Conn { return newWatchedConn(c, g.backoff, g.reidentifying) }
	return &websocket.Dialer{
		HandshakeTimeout: 45 * time.Second, // as websocket.DefaultDialer
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if g.down.Load() {
				return nil, errGatewayDown
			}
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
func (g *gatewayFix) unreachable(addr string, err error) *unreachable {
	return &unreachable{what: "the Discord gateway", addr: addr, key: "discord.gateway_url", value: g.url, err: err}
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
