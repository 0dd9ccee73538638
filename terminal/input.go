package terminal

import (
	"bufio"
	"io"
	"strings"
)

// maxLineBytes is the longest line kept. Four bytes a character, it holds
// the longest answer any question takes (flows.MaxMaxLength characters)
// several times over, so the engine still says how long an over-long
// answer was; longer lines are counted and dropped, not held in memory.
const maxLineBytes = 64 << 10

// line is one line of input.
type line struct {
	text string
	// runes is the line's length in characters when it was longer than
	// maxLineBytes; text is then empty.
	runes   int
	tooLong bool
	// partial is set when input ended before the line's newline: on a
	// terminal, text typed and then Ctrl-D, never sent with Enter.
	partial bool
}

// readLines delivers lines from r on a channel, so a read can be
// abandoned when ctx is cancelled. Unlike bufio.Scanner it has no token
// limit that ends the input: an over-long line is reported as such and
// reading goes on. A read error ends the input like EOF.
func readLines(r io.Reader) <-chan line {
	ch := make(chan line)
	go func() {
		defer close(ch)
		br := bufio.NewReader(r)
		for {
			l, ok := readLine(br)
			if !ok {
				return
			}
			ch <- l
			if l.partial {
				return
			}
		}
	}()
	return ch
}

// readLine reads one line, without its "\n" or "\r\n"; false means input
// ended with nothing left to read.
func readLine(br *bufio.Reader) (line, bool) {
	var buf []byte
	var l line
	for {
		chunk, err := br.ReadSlice('\n')
		l.runes += countRunes(chunk)
		switch {
		case l.tooLong:
		case len(buf)+len(chunk) > maxLineBytes+2: // "\r\n" does not count
			l.tooLong, buf = true, nil
		default:
			buf = append(buf, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			// EOF or a read error: what was read is the last line, unended.
			if len(buf) == 0 && !l.tooLong {
				return line{}, false
			}
			l.partial = true
		}
		break
	}
	if !l.tooLong {
		l.text = strings.TrimSuffix(strings.TrimSuffix(string(buf), "\n"), "\r")
		if len(l.text) > maxLineBytes {
			l.text, l.tooLong = "", true
		}
	}
	if !l.tooLong {
		l.runes = 0
	}
	return l, true
}

// countRunes counts the characters of b, leaving out line ends: every
// byte that does not continue a UTF-8 sequence starts a character, so
// the count is right however the line was split into chunks.
func countRunes(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 && c != '\n' && c != '\r' {
			n++
		}
	}
	return n
}
