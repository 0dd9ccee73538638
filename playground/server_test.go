package playground_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/playground"
	"github.com/peervoice/peervoice/store"
)

func newServer(t *testing.T, token string) *playground.Server {
	t.Helper()
	path := storetest.Path(t)
	srv, err := playground.New(playground.Config{DB: storetest.Open(t, path, store.Options{}), DBPath: path, Scratch: true, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// TestHostAndToken: without a token the playground answers only to a
// loopback Host (a rebound name is refused); with one, only requests
// carrying it, by query or then by cookie.
func TestHostAndToken(t *testing.T) {
	open := newServer(t, "")
	locked := newServer(t, "s3cret")
	tests := []struct {
		srv    *playground.Server
		host   string
		target string
		cookie string
		want   int
	}{
		{open, "127.0.0.1:8377", "/", "", http.StatusOK},
		{open, "localhost:8377", "/", "", http.StatusOK},
		{open, "[::1]:8377", "/", "", http.StatusOK},
		{open, "localhost", "/", "", http.StatusOK},
		{open, "evil.example:8377", "/", "", http.StatusForbidden},
		{open, "192.168.1.5:8377", "/researcher", "", http.StatusForbidden},
		{locked, "192.168.1.5:8377", "/", "", http.StatusUnauthorized},
		{locked, "192.168.1.5:8377", "/?token=wrong", "", http.StatusUnauthorized},
		{locked, "192.168.1.5:8377", "/?token=s3cret", "", http.StatusOK},
		{locked, "192.168.1.5:8377", "/moderator", "s3cret", http.StatusOK},
		{locked, "192.168.1.5:8377", "/moderator", "wrong", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.target, nil)
		r.Host = tt.host
		if tt.cookie != "" {
			r.AddCookie(&http.Cookie{Name: "peervoice_playground", Value: tt.cookie})
		}
		w := httptest.NewRecorder()
		tt.srv.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("GET %s (Host %s, cookie %q) = %d; want %d", tt.target, tt.host, tt.cookie, w.Code, tt.want)
		}
	}
}

// TestCrossSitePostRefused: another site's page cannot drive it.
func TestCrossSitePostRefused(t *testing.T) {
	srv := newServer(t, "")
	r := httptest.NewRequest("POST", "/researcher/fill", nil)
	r.Host = "127.0.0.1:8377"
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("cross-site POST = %d; want 403", w.Code)
	}
}
