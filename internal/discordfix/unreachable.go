package discordfix

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// Unreachable is a connection to the Discord API or gateway that failed:
// the host and port actually dialled, and the setting that chose them.
// The transport's requests and the gateway's dials fail with one, so an
// error names the host dialled rather than the discord.com URL discordgo
// asked for (with discord.api_url set, that was never dialled). Its text
// says why in a few words and what to check.
type Unreachable struct {
	What  string // "the Discord API" or "the Discord gateway"
	Addr  string // host:port
	Key   string // discord.api_url or discord.gateway_url
	Value string // the key's value; "" when it is not set
	Err   error  // the dial's or the TLS handshake's error
}

// Error implements error.
func (e *Unreachable) Error() string {
	var fix string
	switch {
	case e.Value != "":
		fix = fmt.Sprintf("%s is %q: check it, and that the server there is running; or leave %s empty to use Discord's", e.Key, e.Value, e.Key)
	case e.Key == "discord.gateway_url":
		fix = "the gateway URL came from GET /gateway on the API; set discord.gateway_url to use another"
	default:
		fix = e.Key + " is not set, so this is Discord's own: check the network connection, DNS, and any firewall or proxy"
	}
	return fmt.Sprintf("cannot reach %s at %s: %s (%s)", e.What, e.Addr, e.cause(), fix)
}

// Unwrap returns e.Err.
func (e *Unreachable) Unwrap() error { return e.Err }

// cause says in a few words why the connection failed.
func (e *Unreachable) cause() string {
	err := e.Err
	plain, secure := "http://", "https://"
	if e.Key == "discord.gateway_url" {
		plain, secure = "ws://", "wss://"
	}
	var dns *net.DNSError
	var rec tls.RecordHeaderError
	var cert *tls.CertificateVerificationError
	switch {
	case errors.As(err, &dns):
		return fmt.Sprintf("the name %s does not resolve (%s)", dns.Name, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing is listening on that port"
	// net/http's own words for a TLS handshake answered in plain HTTP;
	// it has no error value for it.
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"), errors.As(err, &rec):
		return fmt.Sprintf("the server there does not speak TLS: use %s rather than %s", plain, secure)
	case errors.As(err, &cert):
		return "its TLS certificate is not trusted: " + cert.Err.Error()
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timed out: " + err.Error()
	}
	return err.Error()
}

// hostPort is u's host with the port the scheme implies, if none is given.
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	switch u.Scheme {
	case "https", "wss":
		return net.JoinHostPort(u.Hostname(), "443")
	case "http", "ws":
		return net.JoinHostPort(u.Hostname(), "80")
	}
	return u.Host
}
