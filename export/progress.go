package export

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Bar draws an export's progress on a terminal, on one line redrawn in
// place, at most ten times a second:
//
//	Exporting [##########..........]  50%  500,000 of 1,000,000 answers
//
// Give its Update to Options.Progress, and call Done when the export ends,
// to clear the line. Draw it only on a terminal: redirected to a file, it
// would be noise.
type Bar struct {
	w     io.Writer
	now   func() time.Time
	mu    sync.Mutex
	last  time.Time
	drawn int // width of the line on screen
}

// NewBar returns a progress bar drawing on w.
func NewBar(w io.Writer) *Bar { return &Bar{w: w, now: time.Now} }

// barWidth is the number of cells in the bar.
const barWidth = 30

// Update draws p, unless the last drawing was under 100 ms ago.
func (b *Bar) Update(p Progress) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if !p.Finishing && p.Done < p.Total && now.Sub(b.last) < 100*time.Millisecond {
		return
	}
	b.last = now
	var line string
	if p.Finishing {
		line = fmt.Sprintf("Finishing the file (%s answers)...", thousands(p.Done))
	} else {
		frac := 1.0
		if p.Total > 0 {
			frac = min(float64(p.Done)/float64(p.Total), 1)
		}
		full := int(frac * barWidth)
		line = fmt.Sprintf("Exporting [%s%s] %3.0f%%  %s of %s answers",
			strings.Repeat("#", full), strings.Repeat(".", barWidth-full), frac*100, thousands(p.Done), thousands(p.Total))
	}
	b.draw(line)
}

// Done clears the bar's line.
func (b *Bar) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drawn > 0 {
		fmt.Fprint(b.w, "\r"+strings.Repeat(" ", b.drawn)+"\r")
		b.drawn = 0
	}
}

// draw replaces the line on screen with line.
func (b *Bar) draw(line string) {
	pad := ""
	if n := len(line); n < b.drawn {
		pad = strings.Repeat(" ", b.drawn-n)
	}
	fmt.Fprint(b.w, "\r"+line+pad)
	b.drawn = max(len(line), b.drawn)
}

// thousands writes n with commas: 1,000,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
