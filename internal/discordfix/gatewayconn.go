package discordfix

import (
	"bytes"
	"errors"
	"net"
	"sync"
	"time"
)

// Gateway opcodes the frame watcher looks for.
const (
	opIdentify = 2
	opResume   = 6
)

// watchedConn is the network connection under discordgo's gateway
// websocket. It reads the websocket frames the client writes, and when a
// second IDENTIFY goes out on a connection that has already sent an
// IDENTIFY or RESUME, it holds that write back for the back-off.
//
// That second IDENTIFY is discordgo v0.28.1 answering op 9 INVALID_SESSION:
// it identifies again at once, from inside its read loop (wsapi.go,
// onEvent), where nothing else can be hooked in; Discord asks for a wait
// of 1 to 5 seconds first. Holding the write back is that wait: nothing
// else needs to go out before READY, and heartbeats only queue behind it.
// Shutdown ends the wait: discordgo holds its write lock (and, inside
// Open, its session lock) while the IDENTIFY is held, and its Close needs
// both.
//
// On a connection to resume_gateway_url the IDENTIFY does not go out at
// all: after the back-off the connection closes, and the Gateway has
// discordgo identify on its next connection, which goes to the gateway
// URL (see Gateway). A resume URL serves a session's RESUME; a new
// session starts at the gateway URL.
//
// It also reads the frames the server sends, for one thing: a close
// frame with 4007 (invalid seq) or 4009 (session timed out), after which
// Discord will not resume the session and the next connection must
// IDENTIFY (discordgo would RESUME for ever).
//
// The first thing written is the HTTP upgrade request; frames follow its
// blank line. gorilla/websocket serialises writes, so Write is never
// called twice at once; a frame is written whole in one Write (header, mask key and
// payload) unless it is larger than the write buffer, when the rest
// follows in further Writes. Anything the watcher cannot follow it passes
// through unchanged, and from then on watches nothing on this connection.
// Reads come from one goroutine at a time too (gorilla/websocket's
// reader), in any pieces.
type watchedConn struct {
	net.Conn
	w watch

	upgraded bool   // the HTTP upgrade request has gone out
	tail     []byte // the request's last bytes so far, to find its end

	skip   int64 // payload bytes of the current frame still to come
	lost   bool  // frame boundaries lost: pass everything through
	authed bool  // an IDENTIFY or RESUME has gone out

	in serverFrames // what the server sends

	closeOnce sync.Once
	closed    chan struct{}
}

// watch is what a watchedConn needs from the Gateway that dialled it.
type watch struct {
	backoff      func() time.Duration // how long to hold back a second IDENTIFY
	onReidentify func()               // called when one is seen, before the wait
	// onSessionEnd is called when the session can no longer be resumed:
	// op 9 on a connection to the resume URL, or close code 4007 or 4009.
	onSessionEnd func()
	stop         <-chan struct{} // closed by Shutdown; ends a wait
	resumeURL    bool            // the connection goes to resume_gateway_url
}

// errIdentifyElsewhere is the error discordgo gets for the IDENTIFY it
// writes after op 9 on a connection to resume_gateway_url; it reconnects,
// and identifies on the new connection, to the gateway URL.
var errIdentifyElsewhere = errors.New("discordfix: the session on resume_gateway_url was refused; identifying on a new connection to the gateway URL")

func newWatchedConn(c net.Conn, w watch) *watchedConn {
	return &watchedConn{Conn: c, w: w, closed: make(chan struct{})}
}

// Write implements net.Conn.
func (c *watchedConn) Write(p []byte) (int, error) {
	if c.scan(p) {
		if c.w.onReidentify != nil {
			c.w.onReidentify()
		}
		t := time.NewTimer(c.w.backoff())
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.closed:
			return 0, net.ErrClosed
		case <-c.w.stop:
			return 0, errGatewayDown
		}
		if c.w.resumeURL {
			if c.w.onSessionEnd != nil {
				c.w.onSessionEnd()
			}
			c.Close()
			return 0, errIdentifyElsewhere
		}
	}
	return c.Conn.Write(p)
}

// Read implements net.Conn.
func (c *watchedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		if code := c.in.closeCode(p[:n]); (code == closeInvalidSeq || code == closeSessionTimedOut) && c.w.onSessionEnd != nil {
			c.w.onSessionEnd()
		}
	}
	return n, err
}

// Close implements net.Conn; it also ends a back-off in progress.
func (c *watchedConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// scan follows the frames in p, a chunk of the client's byte stream, and
// reports whether one of them is an IDENTIFY sent after an IDENTIFY or
// RESUME on this connection.
func (c *watchedConn) scan(p []byte) (reidentify bool) {
	if !c.upgraded {
		buf := append(c.tail, p...)
		i := bytes.Index(buf, []byte("\r\n\r\n"))
		if i < 0 {
			c.tail = buf[max(0, len(buf)-3):]
			return false
		}
		c.upgraded, c.tail = true, nil
		p = p[i+4-(len(buf)-len(p)):]
	}
	for !c.lost && len(p) > 0 {
		if c.skip > 0 {
			n := min(c.skip, int64(len(p)))
			c.skip -= n
			p = p[n:]
			continue
		}
		f, ok := parseFrame(p)
		if !ok {
			c.lost = true
			return false
		}
		switch f.op {
		case opIdentify:
			reidentify = reidentify || c.authed
			c.authed = true
		case opResume:
			c.authed = true
		}
		c.skip = f.payloadLen
		p = p[f.headerLen:]
	}
	return reidentify
}

// frame is what parseFrame reads of a websocket frame.
type frame struct {
	headerLen  int   // bytes before the payload, mask key included
	payloadLen int64 // bytes of payload
	op         int   // the gateway opcode of a JSON text frame; -1 if not read
}

// parseFrame reads the header of the websocket frame (RFC 6455, section
// 5.2) at the start of b and, when it is a whole or first text frame, the
// gateway opcode from the start of its payload: the "op" of {"op":2,...}.
// ok is false when b does not hold the whole header, or the header is
// not one a client writes.
func parseFrame(b []byte) (f frame, ok bool) {
	f.op = -1
	if len(b) < 2 {
		return f, false
	}
	wsOp := b[0] & 0x0f
	compressed := b[0]&0x40 != 0
	masked := b[1]&0x80 != 0
	n := int64(b[1] & 0x7f)
	f.headerLen = 2
	switch n {
	case 126:
		if len(b) < 4 {
			return f, false
		}
		n = int64(b[2])<<8 | int64(b[3])
		f.headerLen = 4
	case 127:
		if len(b) < 10 || b[2]&0x80 != 0 {
			return f, false
		}
		n = 0
		for _, x := range b[2:10] {
			n = n<<8 | int64(x)
		}
		f.headerLen = 10
	}
	var mask []byte
	if masked {
		if len(b) < f.headerLen+4 {
			return f, false
		}
		mask = b[f.headerLen : f.headerLen+4]
		f.headerLen += 4
	}
	f.payloadLen = n
	if wsOp != 1 || compressed { // only plain text frames carry JSON here
		return f, true
	}
	start := b[f.headerLen:]
	start = start[:min(int64(len(start)), n, 32)]
	payload := make([]byte, len(start))
	for i, x := range start {
		if mask != nil {
			x ^= mask[i%4]
		}
		payload[i] = x
	}
	f.op = leadingOp(payload)
	return f, true
}

// leadingOp returns the number in a JSON object that opens with an "op"
// member, as discordgo writes every payload, or -1.
func leadingOp(b []byte) int {
	rest, ok := consume(b, "{")
	if ok {
		rest, ok = consume(rest, `"op"`)
	}
	if ok {
		rest, ok = consume(rest, ":")
	}
	if !ok {
		return -1
	}
	rest = trimSpace(rest)
	op, digits := 0, 0
	for _, x := range rest {
		if x < '0' || x > '9' {
			break
		}
		op = op*10 + int(x-'0')
		digits++
	}
	// The number must end inside what we read, or it may go on.
	if digits == 0 || digits > 3 || digits == len(rest) {
		return -1
	}
	return op
}

// consume skips JSON whitespace and then tok.
func consume(b []byte, tok string) ([]byte, bool) {
	b = trimSpace(b)
	if len(b) < len(tok) || string(b[:len(tok)]) != tok {
		return nil, false
	}
	return b[len(tok):], true
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}
