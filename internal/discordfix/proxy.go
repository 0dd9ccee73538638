package discordfix

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// proxyFunc returns the proxy function the gateway shares with the REST
// transport base: its Proxy if it is an *http.Transport (nil: no proxy),
// otherwise the environment's (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as
// NewTransport's own base uses.
func proxyFunc(base http.RoundTripper) func(*http.Request) (*url.URL, error) {
	if t, ok := base.(*http.Transport); ok {
		return t.Proxy
	}
	return http.ProxyFromEnvironment
}

// proxyFor returns the proxy for the gateway at gatewayURL ("": Discord's),
// if any.
func (g *Gateway) proxyFor(gatewayURL string) *url.URL {
	target := "https://gateway.discord.gg/"
	if u, err := url.Parse(gatewayURL); err == nil && u.Host != "" {
		target = "https://" + u.Host + "/"
		if u.Scheme == "ws" || u.Scheme == "http" {
			target = "http://" + u.Host + "/"
		}
	}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil || g.proxy == nil {
		return nil
	}
	p, err := g.proxy(req)
	if err != nil {
		return nil
	}
	return p
}

// dialTCP connects to addr, a gateway host's host:port, for scheme "http"
// (ws://) or "https" (wss://): through the HTTP proxy the proxy function
// names for it, with CONNECT, or directly.
func (g *Gateway) dialTCP(ctx context.Context, nd *net.Dialer, scheme, addr string) (net.Conn, error) {
	var p *url.URL
	if g.proxy != nil {
		var err error
		if p, err = g.proxy(&http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: scheme, Host: addr, Path: "/"}, Header: http.Header{}}); err != nil {
			return nil, fmt.Errorf("find the proxy for the Discord gateway at %s: %w", addr, err)
		}
	}
	if p == nil {
		c, err := nd.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, g.unreachable(addr, err)
		}
		return c, nil
	}
	return connectThrough(ctx, nd, p, addr)
}

// connectThrough opens a tunnel to addr through the HTTP or HTTPS proxy p
// (RFC 9110, section 9.3.6), as net/http does for an https:// request.
func connectThrough(ctx context.Context, nd *net.Dialer, p *url.URL, addr string) (net.Conn, error) {
	fail := func(err error) error {
		return fmt.Errorf("the HTTP proxy %s for the Discord gateway: %w (check HTTPS_PROXY, HTTP_PROXY and NO_PROXY, or the proxy of the HTTP transport)", p.Redacted(), err)
	}
	if p.Scheme != "http" && p.Scheme != "https" {
		return nil, fail(fmt.Errorf("a %s:// proxy cannot carry the gateway; use an http:// or https:// one", p.Scheme))
	}
	proxyAddr := hostPort(p)
	c, err := nd.DialContext(ctx, "tcp", proxyAddr)
	if err != nil {
		return nil, fail(err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		c.SetDeadline(deadline)
	}
	if p.Scheme == "https" {
		tc := tls.Client(c, &tls.Config{MinVersion: tls.VersionTLS12, ServerName: p.Hostname()})
		if err := tc.HandshakeContext(ctx); err != nil {
			c.Close()
			return nil, fail(err)
		}
		c = tc
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: addr}, Host: addr, Header: http.Header{}}
	if u := p.User; u != nil {
		pw, _ := u.Password()
		req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw)))
	}
	if err := req.Write(c); err != nil {
		c.Close()
		return nil, fail(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		c.Close()
		return nil, fail(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.Close()
		return nil, fail(fmt.Errorf("CONNECT %s answered %s", addr, resp.Status))
	}
	c.SetDeadline(time.Time{})
	if br.Buffered() > 0 {
		// Nothing is due before the client speaks, but keep what came.
		return &bufferedConn{Conn: c, r: br}, nil
	}
	return c, nil
}

// bufferedConn is a connection some of whose bytes were read ahead.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
