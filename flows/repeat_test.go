package flows_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/flows"
)

func TestParseRepeat(t *testing.T) {
	finished := time.Date(2026, time.January, 31, 18, 30, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want flows.Repeat
		next time.Time
		str  string
	}{
		{"weekly", flows.Repeat{Days: 7}, time.Date(2026, time.February, 7, 18, 30, 0, 0, time.UTC), "weekly"},
		{"Monthly", flows.Repeat{Months: 1}, time.Date(2026, time.March, 3, 18, 30, 0, 0, time.UTC), "monthly"},
		{"every 14d", flows.Repeat{Days: 14}, time.Date(2026, time.February, 14, 18, 30, 0, 0, time.UTC), "every 14d"},
		{"every 3 days", flows.Repeat{Days: 3}, time.Date(2026, time.February, 3, 18, 30, 0, 0, time.UTC), "every 3d"},
		{"every 366d", flows.Repeat{Days: 366}, time.Date(2027, time.February, 1, 18, 30, 0, 0, time.UTC), "every 366d"},
	}
	for _, tt := range tests {
		got, err := flows.ParseRepeat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseRepeat(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			continue
		}
		if next := got.Next(finished); !next.Equal(tt.next) {
			t.Errorf("ParseRepeat(%q).Next(%v) = %v; want %v", tt.in, finished, next, tt.next)
		}
		if s := got.String(); s != tt.str {
			t.Errorf("ParseRepeat(%q).String() = %q; want %q", tt.in, s, tt.str)
		}
	}
	for _, bad := range []string{"fortnightly", "every 0d", "every 367d", "every d", "every 2w", "daily", "7"} {
		if got, err := flows.ParseRepeat(bad); err == nil || !strings.Contains(err.Error(), "every") {
			t.Errorf("ParseRepeat(%q) = %v, %v; want an error naming the forms (every Nd)", bad, got, err)
		}
	}
}

// TestRepeatParsed checks that a flow file's repeat: reaches the flow,
// and that a flow without one is taken once.
func TestRepeatParsed(t *testing.T) {
	src := "id: checkin\ntitle: Check-in\ntheme: T\nrepeat: every 14d\nquestions:\n  - {id: q, type: choice, prompt: Pick one, options: [yes, no]}\n"
	f, probs := flows.Parse("checkin.yaml", []byte(src))
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	if want := (flows.Repeat{Days: 14}); f.Repeat != want {
		t.Errorf("Parse(repeat: every 14d).Repeat = %v; want %v", f.Repeat, want)
	}
	f, probs = flows.Parse("checkin.yaml", []byte(strings.Replace(src, "repeat: every 14d\n", "", 1)))
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	if !f.Repeat.IsZero() {
		t.Errorf("Parse(no repeat).Repeat = %v; want zero", f.Repeat)
	}
}

// TestRepeatDocExample parses the example of docs/flows.md's section on
// repeating check-ins, so the guide's example stays a flow that loads.
func TestRepeatDocExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/flows.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "## Repeating check-ins: `repeat`")
	if !ok {
		t.Fatal("docs/flows.md has no section on repeating check-ins")
	}
	_, block, _ := strings.Cut(section, "```yaml\n")
	src, _, _ := strings.Cut(block, "```")
	f, probs := flows.Parse("monthly-checkin.yaml", []byte(src))
	if err := probs.Err(); err != nil {
		t.Fatalf("the example in docs/flows.md: %v", err)
	}
	if want := (flows.Repeat{Months: 1}); f.Repeat != want {
		t.Errorf("the example's repeat = %v; want %v", f.Repeat, want)
	}
}
