package export

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestBar(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := NewBar(&out)
	b.now = func() time.Time { return clock }
	b.Update(Progress{Done: 0, Total: 1000000})
	b.Update(Progress{Done: 10, Total: 1000000}) // within 100 ms: not drawn
	clock = clock.Add(time.Second)
	b.Update(Progress{Done: 500000, Total: 1000000})
	b.Update(Progress{Done: 1000000, Total: 1000000}) // the end is always drawn
	b.Update(Progress{Done: 1000000, Total: 1000000, Finishing: true})
	b.Done()
	lines := strings.Split(out.String(), "\r")
	want := []string{
		"",
		"Exporting [..............................]   0%  0 of 1,000,000 answers",
		"Exporting [###############...............]  50%  500,000 of 1,000,000 answers",
		"Exporting [##############################] 100%  1,000,000 of 1,000,000 answers",
		"Finishing the file (1,000,000 answers)...",
		strings.Repeat(" ", 79),
		"",
	}
	if len(lines) != len(want) {
		t.Fatalf("drew %q; want %d redraws", lines, len(want))
	}
	for i, w := range want {
		if got := strings.TrimRight(lines[i], " "); got != strings.TrimRight(w, " ") {
			t.Errorf("redraw %d = %q; want %q", i, got, w)
		}
	}
	if !strings.HasPrefix(lines[5], strings.Repeat(" ", len(want[3]))) {
		t.Errorf("Done did not clear the line: %q", lines[5])
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q; want %q", n, got, want)
		}
	}
}
