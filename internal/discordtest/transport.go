package discordtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// HTTPClient returns an *http.Client that sends requests for Discord's hosts
// (discord.com, discordapp.com and their subdomains, such as
// https://discord.com/api/v9/...) to the emulator instead, keeping the path
// and query. Give it to discordgo as Session.Client. Requests for any other
// host fail, so nothing leaves the machine by accident.
func (e *Emulator) HTTPClient() *http.Client { return e.client }

// newClient makes the rewriting client for the emulator at base.
func newClient(base string) *http.Client {
	target, err := url.Parse(base)
	if err != nil {
		panic(fmt.Sprintf("discordtest: parse emulator URL %q: %v", base, err))
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// Hundreds of simulated users make requests at once: keep connections.
	tr.MaxIdleConns = 512
	tr.MaxIdleConnsPerHost = 512
	tr.Proxy = nil
	return &http.Client{
		Transport: &rewriteTransport{target: target, base: tr},
		Timeout:   20 * time.Second,
	}
}

// rewriteTransport points requests for Discord's hosts at the emulator.
type rewriteTransport struct {
	target *url.URL
	base   *http.Transport
}

// RoundTrip implements http.RoundTripper.
func (t *rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Hostname()
	switch {
	case r.URL.Host == t.target.Host:
	case isDiscordHost(host):
		r2 := r.Clone(r.Context())
		r2.URL.Scheme = t.target.Scheme
		r2.URL.Host = t.target.Host
		r2.Host = t.target.Host
		r = r2
	default:
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, fmt.Errorf("discordtest: refusing request to %s: only Discord's hosts are emulated", r.URL.Redacted())
	}
	return t.base.RoundTrip(r)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// underlying transport.
func (t *rewriteTransport) CloseIdleConnections() { t.base.CloseIdleConnections() }

func isDiscordHost(host string) bool {
	for _, d := range []string{"discord.com", "discordapp.com", "discord.gg", "discordapp.net"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
