package discordfix

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// waitCtx bounds a wait for something asynchronous: a hang, not a slow
// machine.
func waitCtx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// connectProxy is an HTTP proxy that serves CONNECT alone, and counts the
// tunnels it opens.
type connectProxy struct {
	url *url.URL // http://user:password@host:port

	mu      sync.Mutex
	targets []string // the host:port of each tunnel
	auth    []string // the Proxy-Authorization of each CONNECT
}

func (p *connectProxy) tunnels() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.targets...)
}

func newConnectProxy(t *testing.T) *connectProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{url: &url.URL{Scheme: "http", User: url.UserPassword("peervoice", "s3cret"), Host: ln.Addr().String()}}
	var wg sync.WaitGroup
	var conns sync.Map
	t.Cleanup(func() {
		ln.Close()
		conns.Range(func(c, _ any) bool { c.(net.Conn).Close(); return true })
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Store(c, true)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				br := bufio.NewReader(c)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				if req.Method != http.MethodConnect {
					io.WriteString(c, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
					return
				}
				p.mu.Lock()
				p.targets = append(p.targets, req.Host)
				p.auth = append(p.auth, req.Header.Get("Proxy-Authorization"))
				p.mu.Unlock()
				up, err := net.Dial("tcp", req.Host)
				if err != nil {
					io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
					return
				}
				conns.Store(up, true)
				defer up.Close()
				io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
				done := make(chan struct{})
				go func() { io.Copy(up, br); up.Close(); close(done) }()
				io.Copy(c, up)
				c.Close()
				<-done
			}()
		}
	}()
	return p
}

// TestGatewayThroughProxy: with an HTTP proxy in the REST transport's
// Proxy, discordgo's gateway connections go through it, with CONNECT and
// the proxy's credentials, and are still watched: the IDENTIFY after op 9
// waits the back-off, and reconnects go to resume_gateway_url.
func TestGatewayThroughProxy(t *testing.T) {
	e := discordtest.New(t, discordtest.WithHeartbeatInterval(time.Minute))
	px := newConnectProxy(t)
	s, err := discordgo.New("Bot " + e.Token())
	if err != nil {
		t.Fatal(err)
	}
	s.Client = e.HTTPClient()
	s.LogLevel = -1
	var waits atomic.Int32
	g := Install(s, Options{
		Base:                  &http.Transport{Proxy: http.ProxyURL(px.url)},
		Log:                   slog.New(slog.DiscardHandler),
		InvalidSessionBackoff: func() time.Duration { waits.Add(1); return time.Millisecond },
	})
	if err := s.Open(); err != nil {
		t.Fatalf("Open through the proxy: %v", err)
	}
	t.Cleanup(func() { g.Shutdown(); s.Close() })
	c := waitCtx(t)
	if _, err := e.WaitGateway(c, func(st discordtest.GatewayStats) bool { return st.Connected == 1 && st.HeartbeatACKs > 0 }); err != nil {
		t.Fatal(err)
	}
	gateway := strings.TrimPrefix(e.GatewayURL(), "ws://")
	if got := px.tunnels(); len(got) != 1 || got[0] != gateway {
		t.Fatalf("tunnels through the proxy: %q; want one, to the gateway %s", got, gateway)
	}

	e.InvalidateSession(false)
	if _, err := e.WaitGateway(c, func(st discordtest.GatewayStats) bool { return st.Identifies == 2 && st.Connected == 1 }); err != nil {
		t.Fatal(err)
	}
	if n := waits.Load(); n != 1 {
		t.Errorf("%d back-offs after op 9 through the proxy; want 1", n)
	}

	e.RequestReconnect()
	st, err := e.WaitGateway(c, func(st discordtest.GatewayStats) bool { return st.SuccessfulResumes == 1 && st.Connected == 1 })
	if err != nil {
		t.Fatal(err)
	}
	if n := len(px.tunnels()); n != 2 || st.ResumeURLConnections != 1 {
		t.Errorf("after op 7: %d tunnels, %d connections to resume_gateway_url; want 2, 1", n, st.ResumeURLConnections)
	}
	px.mu.Lock()
	defer px.mu.Unlock()
	for _, a := range px.auth {
		if a != "Basic cGVlcnZvaWNlOnMzY3JldA==" { // peervoice:s3cret
			t.Errorf("Proxy-Authorization %q; want the proxy URL's credentials", a)
		}
	}
}

// TestDialerTLSThroughProxy: for wss:// through a proxy the dialer does
// the TLS handshake inside the tunnel, and still watches the frames.
func TestDialerTLSThroughProxy(t *testing.T) {
	up := websocket.Upgrader{}
	ops := make(chan int, 10)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			var p struct {
				Op int `json:"op"`
			}
			if err := ws.ReadJSON(&p); err != nil {
				return
			}
			ops <- p.Op
		}
	}))
	defer srv.Close()
	px := newConnectProxy(t)
	var held atomic.Int32
	g := &Gateway{log: slog.New(slog.DiscardHandler), proxy: http.ProxyURL(px.url),
		backoff: func() time.Duration { held.Add(1); return time.Millisecond },
		tls:     srv.Client().Transport.(*http.Transport).TLSClientConfig}
	ws, _, err := g.dialer().Dial("wss"+strings.TrimPrefix(srv.URL, "https")+"/?v=9&encoding=json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	type payload struct { // "op" first, as discordgo writes it
		Op int `json:"op"`
		D  any `json:"d"`
	}
	for _, op := range []int{opIdentify, 1, opIdentify} {
		if err := ws.WriteJSON(payload{Op: op}); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-ops:
			if got != op {
				t.Errorf("op %d arrived; want %d", got, op)
			}
		case <-waitCtx(t).Done():
			t.Fatalf("op %d never arrived", op)
		}
	}
	if n := held.Load(); n != 1 {
		t.Errorf("%d writes held back; want 1, the second IDENTIFY", n)
	}
	if got := px.tunnels(); len(got) != 1 || got[0] != strings.TrimPrefix(srv.URL, "https://") {
		t.Errorf("tunnels: %q; want one, to %s", got, srv.URL)
	}
}
