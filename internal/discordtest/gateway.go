package discordtest

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// gateway is the emulator's websocket gateway.
type gateway struct {
	e        *Emulator
	upgrader websocket.Upgrader
	wg       sync.WaitGroup

	// mu guards everything below and the sess, noAcks fields of conns.
	mu       sync.Mutex
	sessions map[string]*session
	conns    map[*conn]bool
	stats    GatewayStats
	events   []GatewayEvent
	sig      signal
	closed   bool
	// refuse, if not 0, is the close code every RESUME gets (RefuseResumes).
	refuse     int
	refuseText string
}

func newGateway(e *Emulator) *gateway {
	return &gateway{
		e:        e,
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		sessions: make(map[string]*session),
		conns:    make(map[*conn]bool),
	}
}

// conn is one websocket connection to the gateway.
type conn struct {
	g        *gateway
	ws       *websocket.Conn
	version  string
	compress bool

	mu     sync.Mutex // guards queue, done and closed
	cond   *sync.Cond
	queue  []frame
	done   bool
	closed bool     // the server sent a close frame
	sess   *session // guarded by g.mu
	noAcks bool     // guarded by g.mu
	// resumeURL: the client dialed resume_gateway_url; set before the
	// connection's goroutines start.
	resumeURL bool
}

// frame is a payload or a close frame waiting to be written.
type frame struct {
	data      []byte
	closeCode int
	closeText string
}

// serve upgrades a request to a gateway connection and sends HELLO.
func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	closed := g.closed
	g.mu.Unlock()
	if closed {
		http.Error(w, "emulator closed", http.StatusServiceUnavailable)
		return
	}
	ws, err := g.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the client
	}
	q := r.URL.Query()
	c := &conn{g: g, ws: ws, version: q.Get("v"), resumeURL: strings.HasPrefix(r.URL.Path, "/resume")}
	c.cond = sync.NewCond(&c.mu)
	g.mu.Lock()
	g.conns[c] = true
	g.stats.Connections++
	if c.resumeURL {
		g.stats.ResumeURLConnections++
	}
	g.stats.Version, g.stats.Encoding = q.Get("v"), q.Get("encoding")
	g.stats.Compression = q.Get("compress")
	g.sig.broadcast()
	g.mu.Unlock()
	g.wg.Add(2)
	go c.writeLoop()
	go c.readLoop()
	switch {
	case c.version != "" && c.version != "9" && c.version != "10":
		c.closeWith(4012, "Invalid API version.")
	case q.Get("encoding") != "" && q.Get("encoding") != "json":
		c.closeWith(4002, "Error while decoding payload: only encoding=json is emulated.")
	default:
		c.send(mustJSON(map[string]any{"op": 10, "s": nil, "t": nil, "d": map[string]any{
			"heartbeat_interval": g.e.cfg.heartbeat.Milliseconds(), "_trace": []string{"discordtest"},
		}}))
	}
}

// readLoop handles what the client sends until the connection ends.
func (c *conn) readLoop() {
	g := c.g
	defer g.wg.Done()
	defer c.shutdown()
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				g.clientClosed(c, ce.Code)
			}
			return
		}
		g.e.logf("gateway <- %s", data)
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(data, &p); err != nil {
			c.closeWith(4002, "Error while decoding payload.")
			continue
		}
		switch p.Op {
		case 1:
			g.heartbeat(c, p.D)
		case 2:
			g.identify(c, p.D)
		case 6:
			g.resume(c, p.D)
		case 3, 4, 8:
			g.mu.Lock()
			authed := c.sess != nil
			g.stats.OtherOps++
			g.sig.broadcast()
			g.mu.Unlock()
			if !authed {
				c.closeWith(4003, "Not authenticated.")
			}
		default:
			c.closeWith(4001, "Unknown opcode.")
		}
	}
}

// send queues a payload for the writer.
func (c *conn) send(data []byte) {
	c.mu.Lock()
	if !c.done {
		c.queue = append(c.queue, frame{data: data})
		c.cond.Signal()
	}
	c.mu.Unlock()
}

// closeWith queues a close frame; nothing is written after it.
func (c *conn) closeWith(code int, text string) {
	c.mu.Lock()
	c.closed = true
	if !c.done {
		c.queue = append(c.queue, frame{closeCode: code, closeText: text})
		c.cond.Signal()
	}
	c.mu.Unlock()
}

// drop closes the TCP connection without a close frame, as a network
// failure would.
func (c *conn) drop() { c.ws.UnderlyingConn().Close() }

// shutdown stops the writer and closes the connection.
func (c *conn) shutdown() {
	c.mu.Lock()
	c.done = true
	c.queue = nil
	c.cond.Signal()
	c.mu.Unlock()
	c.ws.Close()
	c.g.detach(c)
}

// writeLoop writes queued frames in order.
func (c *conn) writeLoop() {
	defer c.g.wg.Done()
	for {
		c.mu.Lock()
		for len(c.queue) == 0 && !c.done {
			c.cond.Wait()
		}
		if c.done {
			c.mu.Unlock()
			return
		}
		q := c.queue
		c.queue = nil
		c.mu.Unlock()
		for _, f := range q {
			if err := c.write(f); err != nil {
				c.ws.Close()
				return
			}
			if f.closeCode != 0 {
				// Stop writing; give the client a moment to read the frame
				// before the socket goes.
				c.mu.Lock()
				c.done = true
				c.mu.Unlock()
				time.AfterFunc(time.Second, func() { c.ws.Close() })
				return
			}
		}
	}
}

// write writes one frame, compressing large payloads with zlib when the
// client asked for it in IDENTIFY, as Discord does.
func (c *conn) write(f frame) error {
	deadline := time.Now().Add(5 * time.Second)
	if f.closeCode != 0 {
		c.g.e.logf("gateway -> close %d %s", f.closeCode, f.closeText)
		return c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(f.closeCode, f.closeText), deadline)
	}
	c.g.e.logf("gateway -> %s", f.data)
	_ = c.ws.SetWriteDeadline(deadline)
	c.g.mu.Lock()
	compress := c.compress
	c.g.mu.Unlock()
	if compress && len(f.data) > 1024 {
		var b bytes.Buffer
		z := zlibWriters.Get().(*zlib.Writer)
		z.Reset(&b)
		_, _ = z.Write(f.data)
		_ = z.Close()
		zlibWriters.Put(z)
		return c.ws.WriteMessage(websocket.BinaryMessage, b.Bytes())
	}
	return c.ws.WriteMessage(websocket.TextMessage, f.data)
}

// zlibWriters are reused across frames: a new writer allocates and
// clears about a megabyte of tables, which under load was most of the
// emulator's CPU; Reset gives the same output.
var zlibWriters = sync.Pool{New: func() any { return zlib.NewWriter(nil) }}

// close ends every connection and waits for their goroutines.
func (g *gateway) close() {
	g.mu.Lock()
	g.closed = true
	for c := range g.conns {
		c.drop()
	}
	g.mu.Unlock()
	g.wg.Wait()
}

// mustJSON marshals a value the emulator built itself.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("discordtest: marshal payload: " + err.Error())
	}
	return b
}

// logf writes to the debug log set with WithLogf.
func (e *Emulator) logf(format string, args ...any) {
	if e.cfg.logf != nil {
		e.cfg.logf("discordtest: "+format, args...)
	}
}
