package discordfix

import "bytes"

// The gateway close codes after which Discord will not resume the
// session: the client must reconnect and IDENTIFY.
const (
	closeInvalidSeq      = 4007
	closeSessionTimedOut = 4009
)

// serverFrames follows the byte stream a gateway server sends, in the
// pieces the connection's reads return, far enough to find close frames:
// the HTTP upgrade response, then websocket frames (RFC 6455, section
// 5.2), whose headers it gathers across reads and whose payloads it
// skips, except a close frame's status code.
type serverFrames struct {
	upgraded bool   // the upgrade response has been read
	tail     []byte // its last bytes so far, to find its end
	hdr      []byte // the current frame's header so far
	skip     int64  // payload bytes of the current frame still to come
	closing  bool   // the current frame is a close frame
	code     []byte // its status code so far
	lost     bool   // a header no server sends: stop following
}

// closeCode follows p and returns the status code of a close frame whose
// code ends in p, or 0.
func (r *serverFrames) closeCode(p []byte) (code int) {
	if !r.upgraded {
		buf := append(r.tail, p...)
		i := bytes.Index(buf, []byte("\r\n\r\n"))
		if i < 0 {
			r.tail = buf[max(0, len(buf)-3):]
			return 0
		}
		r.upgraded, r.tail = true, nil
		p = p[i+4-(len(buf)-len(p)):]
	}
	for !r.lost && len(p) > 0 {
		if r.skip > 0 {
			n := min(r.skip, int64(len(p)))
			if r.closing && len(r.code) < 2 {
				r.code = append(r.code, p[:min(n, int64(2-len(r.code)))]...)
				if len(r.code) == 2 {
					code = int(r.code[0])<<8 | int(r.code[1])
				}
			}
			r.skip -= n
			p = p[n:]
			continue
		}
		r.hdr = append(r.hdr, p[0])
		p = p[1:]
		n, payload, ok := serverHeader(r.hdr)
		if !ok {
			r.lost = true
			break
		}
		if n > len(r.hdr) {
			continue // more header to come
		}
		r.closing = r.hdr[0]&0x0f == 0x8
		r.code = r.code[:0]
		r.skip = payload
		r.hdr = r.hdr[:0]
	}
	return code
}

// serverHeader reads the start of a frame header: the header's length,
// and once that many bytes are in b, the payload's. ok is false for a
// header with the top bit of a 64-bit length set, which no server sends.
func serverHeader(b []byte) (headerLen int, payload int64, ok bool) {
	if len(b) < 2 {
		return 2, 0, true
	}
	headerLen = 2
	switch b[1] & 0x7f {
	case 126:
		headerLen = 4
	case 127:
		headerLen = 10
	}
	if b[1]&0x80 != 0 {
		headerLen += 4 // a mask key; servers send none, but it is skipped
	}
	if len(b) < headerLen {
		return headerLen, 0, true
	}
	switch n := b[1] & 0x7f; n {
	case 126:
		payload = int64(b[2])<<8 | int64(b[3])
	case 127:
		if b[2]&0x80 != 0 {
			return 0, 0, false
		}
		for _, x := range b[2:10] {
			payload = payload<<8 | int64(x)
		}
	default:
		payload = int64(n)
	}
	return headerLen, payload, true
}
