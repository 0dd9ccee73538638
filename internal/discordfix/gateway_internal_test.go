package discordfix

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// TestGatewayWritesNothingOfDiscordgos: discordgo v0.28.1 reads its
// unexported Session.gateway without a lock from its heartbeat and read
// goroutines when a write or read fails (wsapi.go), so the workarounds
// must never write it. A goroutine here reads it as those do while READY,
// RESUMED, op 9 and dials go through the workarounds: under -race any
// write is reported, and without it the value must not change.
func TestGatewayWritesNothingOfDiscordgos(t *testing.T) {
	gateway, resume := echoGateway(t), echoGateway(t)
	s, _ := discordgo.New("Bot token")
	g := Install(s, Options{Log: slog.New(slog.DiscardHandler), InvalidSessionBackoff: func() time.Duration { return 0 }})
	field := gatewayURLOf(t, s)
	*field = gateway.url // as Open leaves it after GET /gateway
	started, stop, done := make(chan struct{}), make(chan struct{}), make(chan string)
	go func() {
		close(started)
		var last string
		for {
			select {
			case <-stop:
				done <- last
				return
			default:
				last = *field // as heartbeat's "error sending heartbeat to gateway %s" does
			}
		}
	}()
	<-started
	for range 50 {
		g.onEvent(s, ready(resume.url))
		dial(t, s)
		g.onEvent(s, &discordgo.Event{Type: "RESUMED"})
		g.reidentifying()
		dial(t, s)
	}
	close(stop)
	if got := <-done; got != gateway.url {
		t.Errorf("discordgo's gateway URL read %q; want it left as %q", got, gateway.url)
	}
	if resume.dials.Load() != 50 || gateway.dials.Load() != 50 {
		t.Errorf("%d dials to the resume URL and %d to the gateway URL; want 50 each", resume.dials.Load(), gateway.dials.Load())
	}
}

// TestResumeURLRedirect: dials go to the session's resume_gateway_url
// while it works, to the gateway URL discordgo asks for before the first
// READY, after op 9 and after a dial to the resume URL that brought
// neither READY nor RESUMED, and nowhere after Shutdown.
func TestResumeURLRedirect(t *testing.T) {
	gateway, resume := echoGateway(t), echoGateway(t)
	s, _ := discordgo.New("Bot token")
	var logs bytes.Buffer // written only by the dials below, in this goroutine
	g := Install(s, Options{Log: slog.New(slog.NewTextHandler(&logs, nil)), InvalidSessionBackoff: func() time.Duration { return 0 }})
	*gatewayURLOf(t, s) = gateway.url
	resumed := &discordgo.Event{Type: "RESUMED"}
	steps := []struct {
		name  string
		event *discordgo.Event // before the dial; nil for none
		op9   bool
		want  *gatewayServer
	}{
		{"before READY", nil, false, gateway},
		{"after READY", ready(resume.url), false, resume},
		{"after RESUMED", resumed, false, resume},
		{"after a dial there that brought no RESUMED", nil, false, gateway},
		{"the resume URL forgotten", nil, false, gateway},
		{"after the next READY", ready(resume.url + "/again"), false, resume},
		{"after op 9", nil, true, gateway},
		{"after a READY without one", ready(""), false, gateway},
	}
	for _, st := range steps {
		if st.event != nil {
			g.onEvent(s, st.event)
		}
		if st.op9 {
			g.reidentifying()
		}
		before := st.want.dials.Load()
		dial(t, s)
		if st.want.dials.Load() != before+1 {
			t.Errorf("%s: the dial went to the other server; want %s", st.name, st.want.url)
		}
	}
	if got, want := resume.lastURL(), "/again?v="+discordgo.APIVersion+"&encoding=json"; got != want {
		t.Errorf("the resume server was asked for %q; want %q", got, want)
	}
	if got, want := resume.lastHost(), strings.TrimPrefix(resume.url, "ws://"); got != want {
		t.Errorf("the upgrade request to the resume URL says Host %q; want %q", got, want)
	}
	if l := logs.String(); strings.Contains(l, "gorilla/websocket changed") || !strings.Contains(l, "came to nothing") {
		t.Errorf("logs:\n%s\nwant the fall-back to the gateway URL, and no warning that the redirect did not take", l)
	}
	g.onEvent(s, ready(resume.url))
	if g.Closed() {
		t.Errorf("Closed() = true before Shutdown")
	}
	g.Shutdown()
	if !g.Closed() {
		t.Errorf("Closed() = false after Shutdown")
	}
	if ws, _, err := s.Dialer.Dial(gateway.url, nil); !errors.Is(err, errGatewayDown) {
		if ws != nil {
			ws.Close()
		}
		t.Errorf("dial after shutdown = %v; want errGatewayDown", err)
	}
}

// gatewayServer is a websocket server that counts the upgrade requests
// it gets.
type gatewayServer struct {
	url   string // ws://host:port
	dials atomic.Int32
	mu    sync.Mutex
	uri   string // of the last upgrade request
	host  string
}

func (g *gatewayServer) lastURL() string  { g.mu.Lock(); defer g.mu.Unlock(); return g.uri }
func (g *gatewayServer) lastHost() string { g.mu.Lock(); defer g.mu.Unlock(); return g.host }

func echoGateway(t *testing.T) *gatewayServer {
	g := &gatewayServer{}
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Counted before the upgrade's answer, which the dial waits for.
		g.mu.Lock()
		g.uri, g.host = r.RequestURI, r.Host
		g.mu.Unlock()
		g.dials.Add(1)
		if ws, err := up.Upgrade(w, r, nil); err == nil {
			ws.Close()
		}
	}))
	t.Cleanup(srv.Close)
	g.url = "ws" + strings.TrimPrefix(srv.URL, "http")
	return g
}

// gatewayURLOf returns discordgo's unexported Session.gateway, the URL
// Open dials, for the tests to set and read as Open does.
func gatewayURLOf(t *testing.T, s *discordgo.Session) *string {
	t.Helper()
	f := reflect.ValueOf(s).Elem().FieldByName("gateway")
	if !f.IsValid() || f.Kind() != reflect.String {
		t.Skip("discordgo.Session has no string field gateway any more")
	}
	return (*string)(unsafe.Pointer(f.UnsafeAddr()))
}

// dial connects as discordgo's Open does: with the session's dialer, to
// the gateway URL it has, holding the session lock.
func dial(t *testing.T, s *discordgo.Session) {
	t.Helper()
	s.Lock()
	defer s.Unlock()
	u := *gatewayURLOf(t, s)
	ws, _, err := s.Dialer.Dial(u, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", u, err)
	}
	ws.Close()
}

func ready(resumeURL string) *discordgo.Event {
	raw, _ := json.Marshal(map[string]string{"resume_gateway_url": resumeURL})
	return &discordgo.Event{Type: "READY", RawData: raw}
}

func TestReadyResumeURL(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{`{"resume_gateway_url":"wss://gateway-us-east1-b.discord.gg"}`, "wss://gateway-us-east1-b.discord.gg?v=" + discordgo.APIVersion + "&encoding=json"},
		{`{"resume_gateway_url":"ws://127.0.0.1:1234/resume"}`, "ws://127.0.0.1:1234/resume?v=" + discordgo.APIVersion + "&encoding=json"},
		{`{"resume_gateway_url":"https://not-a-websocket"}`, ""},
		{`{"resume_gateway_url":"wss://user:pw@host"}`, ""},
		{`{"session_id":"x"}`, ""},
		{`not json`, ""},
	} {
		got := ""
		if u := resumeURL([]byte(tc.raw)); u != nil {
			got = u.String()
		}
		if got != tc.want {
			t.Errorf("resumeURL(%s) = %q; want %q", tc.raw, got, tc.want)
		}
	}
}

func TestInvalidSessionBackoffRange(t *testing.T) {
	for range 1000 {
		if d := invalidSessionBackoff(); d < time.Second || d > 5*time.Second {
			t.Fatalf("invalidSessionBackoff() = %v; want 1s to 5s", d)
		}
	}
}

// clientFrame builds a websocket frame as a client writes it.
func clientFrame(first byte, payload []byte, masked bool) []byte {
	b := []byte{first}
	mbit := byte(0)
	if masked {
		mbit = 0x80
	}
	switch n := len(payload); {
	case n < 126:
		b = append(b, mbit|byte(n))
	case n < 1<<16:
		b = append(b, mbit|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, mbit|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	if !masked {
		return append(b, payload...)
	}
	key := []byte{0x37, 0xfa, 0x21, 0x3d}
	b = append(b, key...)
	for i, x := range payload {
		b = append(b, x^key[i%4])
	}
	return b
}

const (
	finText   = 0x81 // FIN, text
	finBinary = 0x82 // FIN, binary
)

func TestParseFrame(t *testing.T) {
	identify := []byte(`{"op":2,"d":{"token":"Bot x"}}`)
	long := []byte(`{"op":3,"d":{"name":"` + strings.Repeat("x", 300) + `"}}`)
	huge := []byte(`{"op":8,"d":"` + strings.Repeat("x", 70000) + `"}`)
	tests := []struct {
		name    string
		b       []byte
		ok      bool
		op      int
		header  int
		payload int64
	}{
		{"identify", clientFrame(finText, identify, true), true, 2, 6, int64(len(identify))},
		{"resume", clientFrame(finText, []byte(`{"op":6,"d":{}}`), true), true, 6, 6, 15},
		{"heartbeat", clientFrame(finText, []byte(`{"op":1,"d":42}`), true), true, 1, 6, 15},
		{"spaces", clientFrame(finText, []byte(" {\n \"op\" : 2 ,\"d\":{}}"), true), true, 2, 6, 21},
		{"unmasked", clientFrame(finText, identify, false), true, 2, 2, int64(len(identify))},
		{"16-bit length", clientFrame(finText, long, true), true, 3, 8, int64(len(long))},
		{"64-bit length", clientFrame(finText, huge, true), true, 8, 14, int64(len(huge))},
		{"op not first", clientFrame(finText, []byte(`{"d":{},"op":2}`), true), true, -1, 6, 15},
		{"op cut short", clientFrame(finText, identify, true)[:6+6], true, -1, 6, int64(len(identify))},
		{"four-digit op", clientFrame(finText, []byte(`{"op":2000,"d":{}}`), true), true, -1, 6, 18},
		{"not json", clientFrame(finText, []byte("hello"), true), true, -1, 6, 5},
		{"binary", clientFrame(finBinary, identify, true), true, -1, 6, int64(len(identify))},
		{"compressed", clientFrame(finText|0x40, identify, true), true, -1, 6, int64(len(identify))},
		{"first fragment", clientFrame(0x01, identify, true), true, 2, 6, int64(len(identify))},
		{"continuation", clientFrame(0x80, identify, true), true, -1, 6, int64(len(identify))},
		{"close", clientFrame(0x88, []byte{0x03, 0xf4}, true), true, -1, 6, 2},
		{"one byte", []byte{finText}, false, -1, 0, 0},
		{"no mask key", clientFrame(finText, identify, true)[:4], false, -1, 0, 0},
		{"short 16-bit length", []byte{finText, 0xfe, 0x01}, false, -1, 0, 0},
		{"64-bit length with top bit", []byte{finText, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, false, -1, 0, 0},
	}
	for _, tc := range tests {
		f, ok := parseFrame(tc.b)
		if ok != tc.ok || f.op != tc.op || (ok && (f.headerLen != tc.header || f.payloadLen != tc.payload)) {
			t.Errorf("%s: parseFrame = %+v, %v; want op %d, header %d, payload %d, %v", tc.name, f, ok, tc.op, tc.header, tc.payload, tc.ok)
		}
	}
}

// recordConn is a net.Conn that keeps what is written to it.
type recordConn struct {
	net.Conn
	buf bytes.Buffer
}

func (c *recordConn) Write(p []byte) (int, error) { return c.buf.Write(p) }
func (c *recordConn) Close() error                { return nil }

// TestWatchedConn writes a gateway session's frames through a
// watchedConn, split the ways gorilla/websocket splits them and some it
// does not, and checks that every byte passes unchanged and that only an
// IDENTIFY after an IDENTIFY or RESUME is held back.
func TestWatchedConn(t *testing.T) {
	identify := clientFrame(finText, []byte(`{"op":2,"d":{"token":"Bot x"}}`), true)
	resume := clientFrame(finText, []byte(`{"op":6,"d":{}}`), true)
	heartbeat := clientFrame(finText, []byte(`{"op":1,"d":7}`), true)
	big := []byte(`{"op":3,"d":{"name":"` + strings.Repeat("x", 9000) + `"}}`)
	// A message larger than the write buffer goes out as fragments, each
	// in Writes of its own, the payload split from the header.
	fragmented := [][]byte{
		clientFrame(0x01, big[:4096], true),
		clientFrame(0x00, big[4096:8192], true)[:3000],
		clientFrame(0x00, big[4096:8192], true)[3000:],
		clientFrame(0x80, big[8192:], true),
	}
	upgrade := []byte("GET /?v=9&encoding=json HTTP/1.1\r\nHost: gateway.discord.gg\r\nUpgrade: websocket\r\n\r\n")
	tests := []struct {
		name   string
		writes [][]byte // after the upgrade request, unless raw
		held   int      // writes held back
		raw    bool
	}{
		{"no upgrade request", [][]byte{identify, identify}, 0, true},
		{"upgrade request split", [][]byte{upgrade[:len(upgrade)-2], upgrade[len(upgrade)-2:], identify, identify}, 1, true},
		{"frames in the upgrade's write", [][]byte{append(append(append([]byte{}, upgrade...), identify...), identify...)}, 1, true},
		{"first identify", [][]byte{identify, heartbeat}, 0, false},
		{"identify after op 9", [][]byte{identify, heartbeat, identify}, 1, false},
		{"identify after resume", [][]byte{resume, heartbeat, identify}, 1, false},
		{"two frames in one write", [][]byte{append(append([]byte{}, identify...), identify...)}, 1, false},
		{"after fragments", append(append([][]byte{identify}, fragmented...), identify), 1, false},
		{"header split across writes", [][]byte{identify, heartbeat[:1], heartbeat[1:], identify}, 0, false},
		{"garbage", [][]byte{[]byte("GET / HTTP/1.1\r\n\r\n"), identify, identify}, 0, false},
		{"empty write", [][]byte{{}, identify}, 0, false},
	}
	for _, tc := range tests {
		rec := &recordConn{}
		held, reidentified := 0, 0
		c := newWatchedConn(rec, watch{backoff: func() time.Duration { held++; return time.Millisecond }, onReidentify: func() { reidentified++ }})
		var want bytes.Buffer
		writes := tc.writes
		if !tc.raw {
			writes = append([][]byte{upgrade}, writes...)
		}
		for _, w := range writes {
			want.Write(w)
			if n, err := c.Write(w); n != len(w) || err != nil {
				t.Fatalf("%s: Write = %d, %v; want %d, nil", tc.name, n, err, len(w))
			}
		}
		if !bytes.Equal(rec.buf.Bytes(), want.Bytes()) {
			t.Errorf("%s: the bytes written changed on the way", tc.name)
		}
		if held != tc.held || reidentified != tc.held {
			t.Errorf("%s: %d writes held back (%d reidentify calls); want %d", tc.name, held, reidentified, tc.held)
		}
	}
}

// TestWatchedConnCloseEndsBackoff: closing the connection ends a
// back-off at once, without writing.
func TestWatchedConnCloseEndsBackoff(t *testing.T) {
	identify := clientFrame(finText, []byte(`{"op":2,"d":{}}`), true)
	rec := &recordConn{}
	c := newWatchedConn(rec, watch{backoff: func() time.Duration { return time.Hour }})
	if _, err := c.Write([]byte("GET / HTTP/1.1\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	rec.buf.Reset()
	if _, err := c.Write(identify); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := c.Write(identify); done <- err }()
	time.Sleep(10 * time.Millisecond)
	c.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Write during the back-off = %v after Close; want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the back-off")
	}
	if rec.buf.Len() != len(identify) {
		t.Errorf("%d bytes written; want only the first IDENTIFY's %d", rec.buf.Len(), len(identify))
	}
}

// TestDialerTLS: for wss:// the dialer does the TLS handshake itself and
// watches the websocket frames inside it.
func TestDialerTLS(t *testing.T) {
	ops := make(chan int, 10)
	up := websocket.Upgrader{}
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
	var held atomic.Int32
	g := &Gateway{log: slog.New(slog.DiscardHandler),
		backoff: func() time.Duration { held.Add(1); return time.Millisecond },
		tls:     srv.Client().Transport.(*http.Transport).TLSClientConfig}
	ws, _, err := g.dialer().Dial("wss"+strings.TrimPrefix(srv.URL, "https")+"/?v=9&encoding=json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	type payload struct {
		Op int `json:"op"`
		D  any `json:"d"`
	}
	want := []int{opIdentify, 1, opIdentify}
	for _, op := range want {
		if err := ws.WriteJSON(payload{Op: op}); err != nil {
			t.Fatal(err)
		}
	}
	for i, w := range want {
		select {
		case got := <-ops:
			if got != w {
				t.Errorf("payload %d: op %d; want %d", i, got, w)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("payload %d never arrived", i)
		}
	}
	if n := held.Load(); n != 1 {
		t.Errorf("%d writes held back; want 1, the second IDENTIFY", n)
	}
}
