package bot

import (
	"bytes"
	"encoding/binary"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// TestGatewayField fails when a discordgo upgrade removes or retypes the
// unexported field the resume_gateway_url workaround writes.
func TestGatewayField(t *testing.T) {
	s, err := discordgo.New("Bot token")
	if err != nil {
		t.Fatal(err)
	}
	p, err := gatewayField(s)
	if err != nil {
		t.Fatalf("gatewayField: %v; gateway.go needs a new way to set the gateway URL", err)
	}
	*p = "wss://resume.example/?v=9&encoding=json"
	if got := reflect.ValueOf(s).Elem().FieldByName("gateway").String(); got != *p {
		t.Errorf("Session.gateway = %q after the write; want %q", got, *p)
	}
}

func TestReadyResumeURL(t *testing.T) {
	s, _ := discordgo.New("Bot token")
	g := installGatewayFix(s, slog.New(slog.DiscardHandler), "", nil)
	for _, tc := range []struct{ raw, want string }{
		{`{"resume_gateway_url":"wss://gateway-us-east1-b.discord.gg"}`, "wss://gateway-us-east1-b.discord.gg?v=" + discordgo.APIVersion + "&encoding=json"},
		{`{"resume_gateway_url":"ws://127.0.0.1:1234/resume"}`, "ws://127.0.0.1:1234/resume?v=" + discordgo.APIVersion + "&encoding=json"},
		{`{"resume_gateway_url":"https://not-a-websocket"}`, ""},
		{`{"session_id":"x"}`, ""},
		{`not json`, ""},
	} {
		*g.field = ""
		g.onEvent(s, &discordgo.Event{Type: "READY", RawData: []byte(tc.raw)})
		if got := *g.field; got != tc.want {
			t.Errorf("READY %s: gateway = %q; want %q", tc.raw, got, tc.want)
		}
	}
	// A reset taken before a READY must not undo it.
	g.mu.Lock()
	gen := g.gen
	g.mu.Unlock()
	g.onEvent(s, &discordgo.Event{Type: "READY", RawData: []byte(`{"resume_gateway_url":"wss://new.example"}`)})
	g.setGateway("", gen)
	if got := *g.field; !strings.HasPrefix(got, "wss://new.example") {
		t.Errorf("a stale reset cleared the gateway URL: %q", got)
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
		c := newWatchedConn(rec, func() time.Duration { held++; return time.Millisecond }, func() { reidentified++ })
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
	c := newWatchedConn(rec, func() time.Duration { return time.Hour }, nil)
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
	s, _ := discordgo.New("Bot token")
	var held atomic.Int32
	g := &gatewayFix{s: s, log: slog.New(slog.DiscardHandler),
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

// TestReidentifyingClearsResumeURL: after op 9 the resume URL goes, at
// once when the session lock is free, or once Open lets go of it; never
// over a READY that came in between.
func TestReidentifyingClearsResumeURL(t *testing.T) {
	s, _ := discordgo.New("Bot token")
	g := installGatewayFix(s, slog.New(slog.DiscardHandler), "", nil)
	ready := func(u string) {
		g.onEvent(s, &discordgo.Event{Type: "READY", RawData: []byte(`{"resume_gateway_url":"` + u + `"}`)})
	}
	get := func() string {
		s.RLock()
		defer s.RUnlock()
		return *g.field
	}
	ready("wss://one.example")
	g.reidentifying()
	if got := get(); got != "" {
		t.Errorf("gateway = %q after op 9 with the lock free; want it cleared", got)
	}

	ready("wss://two.example")
	s.Lock() // as Open holds it when op 9 answers its RESUME
	g.reidentifying()
	s.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for get() != "" && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := get(); got != "" {
		t.Errorf("gateway = %q after op 9 with the lock held; want it cleared once free", got)
	}

	ready("wss://three.example")
	s.Lock()
	g.reidentifying()
	s.Unlock()
	ready("wss://four.example") // may run before the goroutine or after
	time.Sleep(20 * time.Millisecond)
	if got := get(); !strings.HasPrefix(got, "wss://four.example") {
		t.Errorf("gateway = %q; the READY after op 9 must win", got)
	}
}
