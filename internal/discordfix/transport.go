package discordfix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// transport is the HTTP layer under discordgo. It sends REST calls to a
// configured base URL (a local emulator, or a REST proxy such as
// nirn-proxy) instead of discord.com, per session, so nothing global
// changes; answers GET /gateway with a configured gateway URL; and
// retries 429s itself, after retry_after from a JSON body or the
// Retry-After header. discordgo v0.28.1 retries JSON 429s but fails on
// a non-JSON one (its issue #659, e.g. Cloudflare's HTML page), which
// would drop a participant's reply; here no 429 reaches it.
type transport struct {
	base       http.RoundTripper
	api        *url.URL // nil: Discord's own
	gatewayURL string   // "": ask the API
	log        *slog.Logger
	maxWait    time.Duration // longest single wait for a 429
	sleep      func(time.Duration)
	// prune, if set, frees the session's rate-limit buckets now and then
	// (ratelimit.go); Install sets it, before any request.
	prune func()
}

// maxRetries bounds 429 and 5xx retries of one request, so an outage
// surfaces as an error the caller logs rather than a hang.
const maxRetries = 8

// NewTransport returns the HTTP transport to put under discordgo's REST
// client (Session.Client), for one session: nothing global changes. It
// uses o.APIURL, o.GatewayURL, o.Base and o.Log; an APIURL that is not an
// http:// or https:// URL is an error naming discord.api_url. A request
// that cannot connect fails with an *Unreachable.
func NewTransport(o Options) (http.RoundTripper, error) {
	return newTransport(o.Base, o.APIURL, o.GatewayURL, o.log())
}

func newTransport(base http.RoundTripper, apiURL, gatewayURL string, log *slog.Logger) (*transport, error) {
	if base == nil {
		// Many replies go out at once under load; the default keeps two
		// idle connections per host and would reconnect for the rest.
		def := http.DefaultTransport.(*http.Transport).Clone()
		def.MaxIdleConnsPerHost = 100
		base = def
	}
	t := &transport{base: base, gatewayURL: gatewayURL, log: log, maxWait: 60 * time.Second, sleep: time.Sleep}
	if apiURL != "" {
		u, err := url.Parse(strings.TrimRight(apiURL, "/"))
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("discord.api_url %q: expected an http:// or https:// URL", apiURL)
		}
		t.api = u
	}
	return t, nil
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.prune != nil {
		t.prune()
	}
	if t.gatewayURL != "" && req.Method == http.MethodGet && (strings.HasSuffix(req.URL.Path, "/gateway") || strings.HasSuffix(req.URL.Path, "/gateway/bot")) {
		return jsonResponse(req, map[string]any{"url": t.gatewayURL, "shards": 1}), nil
	}
	toAPI := req.URL.Host == "discord.com"
	if t.api != nil && toAPI {
		r := req.Clone(req.Context())
		r.URL.Scheme, r.URL.Host = t.api.Scheme, t.api.Host
		r.URL.Path = t.api.Path + req.URL.Path
		r.Host = ""
		req = r
	}
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
		body = b
	}
	for attempt := 0; ; attempt++ {
		r := req.Clone(req.Context())
		if body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
		}
		resp, err := t.base.RoundTrip(r)
		if err != nil {
			if toAPI && req.Context().Err() == nil {
				return nil, t.unreachable(r.URL, err)
			}
			return nil, err
		}
		wait, retry := t.retryAfter(resp, attempt)
		if !retry || attempt >= maxRetries {
			return resp, nil
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		t.log.Warn("discord asked us to wait; retrying", "status", resp.StatusCode, "route", route(r.URL.Path), "wait", wait)
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		default:
		}
		t.sleep(wait)
	}
}

// unreachable names the API host a request could not reach, as dialled.
func (t *transport) unreachable(u *url.URL, err error) *Unreachable {
	e := &Unreachable{What: "the Discord API", Addr: hostPort(u), Key: "discord.api_url", Err: err}
	if t.api != nil {
		e.Value = t.api.String()
	}
	return e
}

// retryAfter says whether and how long to wait before retrying resp.
func (t *transport) retryAfter(resp *http.Response, attempt int) (time.Duration, bool) {
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		wait := time.Second
		if h := resp.Header.Get("Retry-After"); h != "" {
			if s, err := strconv.ParseFloat(h, 64); err == nil {
				wait = time.Duration(s * float64(time.Second))
			}
		}
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			resp.Body = io.NopCloser(bytes.NewReader(b))
			var rl struct {
				RetryAfter float64 `json:"retry_after"`
			}
			if json.Unmarshal(b, &rl) == nil && rl.RetryAfter > 0 {
				wait = time.Duration(rl.RetryAfter * float64(time.Second))
			}
		}
		return min(wait, t.maxWait), true
	case resp.StatusCode == http.StatusBadGateway, resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusGatewayTimeout:
		// Discord's edge answers these when the request never reached it.
		return time.Duration(1<<attempt) * 100 * time.Millisecond, true
	}
	return 0, false
}

func jsonResponse(req *http.Request, v any) *http.Response {
	b, _ := json.Marshal(v)
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b)), Request: req,
	}
}

// route is a URL path with ids and tokens removed, safe to log:
// interaction tokens and webhook tokens are secrets.
func route(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if len(p) > 0 && (p[0] >= '0' && p[0] <= '9' || len(p) > 40) {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}
