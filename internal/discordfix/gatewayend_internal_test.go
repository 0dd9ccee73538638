package discordfix

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/bwmarrin/discordgo"
)

// serverFrame builds a websocket frame as a server writes it: unmasked.
func serverFrame(first byte, payload []byte) []byte {
	return clientFrame(first, payload, false)
}

// TestServerFramesCloseCode feeds a gateway server's byte stream to the
// reader's frame follower in every split into two reads, and in single
// bytes, and checks that it finds the close frame's code once, and only
// that.
func TestServerFramesCloseCode(t *testing.T) {
	upgrade := []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
	hello := serverFrame(finText, []byte(`{"op":10,"d":{"heartbeat_interval":41250}}`))
	big := serverFrame(finBinary, bytes.Repeat([]byte{0x88, 0x0f, 0xa7}, 300)) // zlib bytes that look like close frames
	closeWith := func(code int, text string) []byte {
		return serverFrame(0x88, append([]byte{byte(code >> 8), byte(code)}, text...))
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name   string
		stream []byte
		want   int
	}{
		{"4009", cat(upgrade, hello, closeWith(4009, "Session timed out.")), 4009},
		{"4007 after a large frame", cat(upgrade, hello, big, closeWith(4007, "Invalid seq.")), 4007},
		{"close without a code", cat(upgrade, hello, serverFrame(0x88, nil)), 0},
		{"no close", cat(upgrade, hello, big), 0},
		{"close-like bytes in the upgrade response", cat([]byte("HTTP/1.1 101 OK\r\nX: \x88\x02\x0f\xa7\r\n\r\n"), hello), 0},
	}
	for _, tc := range tests {
		splits := [][][]byte{}
		for i := 0; i <= len(tc.stream); i++ {
			splits = append(splits, [][]byte{tc.stream[:i], tc.stream[i:]})
		}
		var bytewise [][]byte
		for i := range tc.stream {
			bytewise = append(bytewise, tc.stream[i:i+1])
		}
		splits = append(splits, bytewise)
		for _, reads := range splits {
			var r serverFrames
			var got []int
			for _, p := range reads {
				if code := r.closeCode(p); code != 0 {
					got = append(got, code)
				}
			}
			if want := []int{tc.want}; tc.want == 0 && len(got) != 0 || tc.want != 0 && !reflect.DeepEqual(got, want) {
				t.Errorf("%s, in reads of %d and %d bytes: close codes %v; want %d", tc.name, len(reads[0]), len(reads[len(reads)-1]), got, tc.want)
				break
			}
		}
	}
}

// scriptConn is a net.Conn whose reads return a script and whose writes
// are recorded.
type scriptConn struct {
	recordConn
	reads  [][]byte
	closed bool
}

func (c *scriptConn) Read(p []byte) (int, error) {
	if len(c.reads) == 0 {
		return 0, net.ErrClosed
	}
	n := copy(p, c.reads[0])
	c.reads = c.reads[1:]
	return n, nil
}

func (c *scriptConn) Close() error { c.closed = true; return nil }

// TestWatchedConnEndsSession: on a connection to resume_gateway_url, the
// IDENTIFY after a RESUME is never written: after the back-off the
// connection closes and the session is reported over; and on any
// connection a close frame with 4007 or 4009 reports it over, and one
// with another code does not.
func TestWatchedConnEndsSession(t *testing.T) {
	upgrade := []byte("GET /resume?v=9&encoding=json HTTP/1.1\r\nHost: x\r\n\r\n")
	resume := clientFrame(finText, []byte(`{"op":6,"d":{}}`), true)
	identify := clientFrame(finText, []byte(`{"op":2,"d":{}}`), true)
	var events []string
	conn := &scriptConn{}
	c := newWatchedConn(conn, watch{
		backoff:      func() time.Duration { events = append(events, "back-off"); return time.Millisecond },
		onReidentify: func() { events = append(events, "reidentify") },
		onSessionEnd: func() { events = append(events, "session over") },
		resumeURL:    true,
	})
	for _, w := range [][]byte{upgrade, resume} {
		if _, err := c.Write(w); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Write(identify); !errors.Is(err, errIdentifyElsewhere) {
		t.Errorf("IDENTIFY after RESUME on the resume URL: %v; want errIdentifyElsewhere", err)
	}
	if !bytes.Equal(conn.buf.Bytes(), append(append([]byte{}, upgrade...), resume...)) || !conn.closed {
		t.Errorf("written %q, closed %v; want the upgrade and RESUME alone, and the connection closed", conn.buf.Bytes(), conn.closed)
	}
	if want := []string{"reidentify", "back-off", "session over"}; !reflect.DeepEqual(events, want) {
		t.Errorf("events %q; want %q", events, want)
	}

	for _, tc := range []struct {
		code int
		over bool
	}{{4007, true}, {4009, true}, {4000, false}, {1000, false}} {
		over := false
		conn := &scriptConn{reads: [][]byte{
			[]byte("HTTP/1.1 101 Switching Protocols\r\n\r\n"),
			serverFrame(0x88, []byte{byte(tc.code >> 8), byte(tc.code)}),
		}}
		c := newWatchedConn(conn, watch{backoff: func() time.Duration { return 0 }, onSessionEnd: func() { over = true }})
		buf := make([]byte, 64)
		for {
			if _, err := c.Read(buf); err != nil {
				break
			}
		}
		if over != tc.over {
			t.Errorf("close %d: session over %v; want %v", tc.code, over, tc.over)
		}
	}
}

// TestWatchedConnShutdownEndsBackoff: Shutdown ends a back-off in
// progress; the IDENTIFY is not written.
func TestWatchedConnShutdownEndsBackoff(t *testing.T) {
	identify := clientFrame(finText, []byte(`{"op":2,"d":{}}`), true)
	rec := &recordConn{}
	stop, inBackoff := make(chan struct{}), make(chan struct{})
	c := newWatchedConn(rec, watch{backoff: func() time.Duration { close(inBackoff); return time.Hour }, stop: stop})
	for _, w := range [][]byte{[]byte("GET / HTTP/1.1\r\n\r\n"), identify} {
		if _, err := c.Write(w); err != nil {
			t.Fatal(err)
		}
	}
	written := rec.buf.Len()
	done := make(chan error, 1)
	go func() { _, err := c.Write(identify); done <- err }()
	<-inBackoff
	close(stop)
	select {
	case err := <-done:
		if !errors.Is(err, errGatewayDown) {
			t.Errorf("Write during the back-off = %v after Shutdown; want errGatewayDown", err)
		}
	case <-waitCtx(t).Done():
		t.Fatal("Shutdown did not end the back-off")
	}
	if rec.buf.Len() != written {
		t.Errorf("%d more bytes written; want none", rec.buf.Len()-written)
	}
}

// sessionOf returns discordgo's unexported session id and sequence, for
// the tests to set as READY does and read as Open does.
func sessionOf(t *testing.T, s *discordgo.Session) (*string, *int64) {
	t.Helper()
	v := reflect.ValueOf(s).Elem()
	id, seq := v.FieldByName("sessionID"), v.FieldByName("sequence")
	if !id.IsValid() || !seq.IsValid() {
		t.Fatal("discordgo.Session has no sessionID or sequence any more")
	}
	return (*string)(unsafe.Pointer(id.UnsafeAddr())), *(**int64)(unsafe.Pointer(seq.UnsafeAddr()))
}

// TestSessionEndedIdentifies: after the session ends, the next dial goes
// to the gateway URL and clears discordgo's session id and sequence, so
// that its Open identifies; dials otherwise leave them alone.
func TestSessionEndedIdentifies(t *testing.T) {
	gateway, resume := echoGateway(t), echoGateway(t)
	s, _ := discordgo.New("Bot token")
	g := Install(s, Options{Log: slog.New(slog.DiscardHandler)})
	*gatewayURLOf(t, s) = gateway.url
	id, seq := sessionOf(t, s)
	*id, *seq = "a session", 42 // as READY and the events after it leave them

	g.onEvent(s, ready(resume.url))
	dial(t, s)
	if *id != "a session" || *seq != 42 || resume.dials.Load() != 1 {
		t.Fatalf("a dial while the session lasts: session %q, sequence %d, %d dials to the resume URL; want them kept, and 1", *id, *seq, resume.dials.Load())
	}
	g.sessionEnded()
	dial(t, s)
	if *id != "" || *seq != 0 {
		t.Errorf("the dial after the session ended left session %q, sequence %d; want both cleared, for an IDENTIFY", *id, *seq)
	}
	if gateway.dials.Load() != 1 {
		t.Errorf("%d dials to the gateway URL; want the one after the session ended", gateway.dials.Load())
	}
	*id, *seq = "the next session", 1
	dial(t, s)
	if *id != "the next session" || *seq != 1 {
		t.Errorf("a later dial: session %q, sequence %d; want them kept", *id, *seq)
	}
}
