package discordfix

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestTransport checks the HTTP layer under discordgo: requests go to
// the configured base URL, GET /gateway answers with the configured
// gateway, and 429s and 5xx are retried as Discord asks.
func TestTransport(t *testing.T) {
	tests := []struct {
		name       string
		fail       []func(w http.ResponseWriter)
		wantStatus int
		wantCalls  int32
		wantSlept  time.Duration
	}{
		{name: "plain", wantStatus: 200, wantCalls: 1},
		{name: "429 json", fail: []func(http.ResponseWriter){func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(429)
			io.WriteString(w, `{"message": "You are being rate limited.", "retry_after": 0.25, "global": false}`)
		}}, wantStatus: 200, wantCalls: 2, wantSlept: 250 * time.Millisecond},
		{name: "429 html with Retry-After", fail: []func(http.ResponseWriter){func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(429)
			io.WriteString(w, "<html>Error 1015</html>")
		}}, wantStatus: 200, wantCalls: 2, wantSlept: 2 * time.Second},
		{name: "502 then ok", fail: []func(http.ResponseWriter){func(w http.ResponseWriter) { w.WriteHeader(502) }}, wantStatus: 200, wantCalls: 2, wantSlept: 100 * time.Millisecond},
		{name: "500 is not retried", fail: []func(http.ResponseWriter){func(w http.ResponseWriter) { w.WriteHeader(500) }}, wantStatus: 500, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := calls.Add(1)
				if r.URL.Path != "/api/v9/channels/1/messages" {
					t.Errorf("path = %s", r.URL.Path)
				}
				if b, _ := io.ReadAll(r.Body); string(b) != `{"content":"hi"}` {
					t.Errorf("body on call %d = %q; want the original body on every retry", n, b)
				}
				if int(n) <= len(tt.fail) {
					tt.fail[n-1](w)
					return
				}
				w.WriteHeader(200)
			}))
			defer srv.Close()
			tr, err := newTransport(nil, srv.URL, "", slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			var slept time.Duration
			tr.sleep = func(d time.Duration) { slept += d }
			req, _ := http.NewRequest("POST", "https://discord.com/api/v9/channels/1/messages", strings.NewReader(`{"content":"hi"}`))
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || calls.Load() != tt.wantCalls || slept != tt.wantSlept {
				t.Errorf("status %d after %d calls, slept %v; want %d after %d, slept %v", resp.StatusCode, calls.Load(), slept, tt.wantStatus, tt.wantCalls, tt.wantSlept)
			}
		})
	}
}

func TestTransportGatewayAndLimits(t *testing.T) {
	tr, err := newTransport(nil, "", "ws://127.0.0.1:9999/gw", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "https://discord.com/api/v9/gateway", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), `"url":"ws://127.0.0.1:9999/gw"`) {
		t.Errorf("GET /gateway = %s", b)
	}
	if _, err := newTransport(nil, "localhost:8080", "", nil); err == nil {
		t.Errorf("an api_url without a scheme was accepted")
	}
	// An endless 429 gives up after maxRetries rather than hanging.
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(429)
	}))
	defer srv.Close()
	tr, _ = newTransport(nil, srv.URL, "", slog.New(slog.NewTextHandler(io.Discard, nil)))
	tr.sleep = func(time.Duration) {}
	req, _ = http.NewRequest("GET", "https://discord.com/api/v9/users/@me", nil)
	resp, err = tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 429 || calls.Load() != maxRetries+1 {
		t.Errorf("endless 429: status %d after %d calls; want 429 after %d", resp.StatusCode, calls.Load(), maxRetries+1)
	}
}

func TestRoute(t *testing.T) {
	got := route("/api/v9/webhooks/123456/aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OjEyMzQ1Njc4OTAxMjM0NTY3OA/messages/@original")
	if strings.Contains(got, "aW50") || strings.Contains(got, "123456") {
		t.Errorf("route() kept an id or token: %s", got)
	}
}
