package terminal_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/internal/testutil"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
	"github.com/peervoice/peervoice/terminal"
)

func service(t *testing.T, path string) *participant.Service {
	t.Helper()
	return serviceAt(t, path, nil)
}

// serviceAt is service with a clock: nil for the real one.
func serviceAt(t *testing.T, path string, now func() time.Time) *participant.Service {
	t.Helper()
	return storetest.Service(t, storetest.Open(t, path, store.Options{}), participant.Config{Now: now})
}

// TestChatGolden replays a conversation through the menu, consent (its
// Markdown shown as plain text), a whole flow with every kind of input,
// help at the menu and at a question, and back to the menu.
func TestChatGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "peervoice.db")
	input := strings.Join([]string{
		"help",   // support at the menu
		"8",      // recommendations
		"1", "2", // consent: take part, no quotes
		"More time with the same worker", // one thing to change
		"back", "",                       // back, then keep the answer with Enter
		"help",  // the commands and support, then the question again
		"9, 10", // a multi answer by numbers
		"skip",  // skip
		"stop",  // pause: back to the menu, showing progress
		"",      // nothing: asks again
		"8",     // carry on where they stopped
		"quit",  // leave mid-flow: paused
	}, "\n") + "\n"
	var out strings.Builder
	c := &terminal.Chat{Service: service(t, path), User: participant.User{Platform: "terminal", ID: "sam"}, In: strings.NewReader(input), Out: &out, Echo: true}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "chat.golden", out.String())
}

// checkGolden compares a transcript with testdata/name, or rewrites it
// with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", name), got)
}

var sam = participant.User{Platform: "terminal", ID: "sam"}

// chat runs one conversation over svc and returns its transcript.
func chat(t *testing.T, svc *participant.Service, c terminal.Chat, input string) string {
	t.Helper()
	var out strings.Builder
	c.Service, c.User, c.In, c.Out = svc, sam, strings.NewReader(input), &out
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	return out.String()
}

// answersOf returns sam's stored answers, one string.
func answersOf(t *testing.T, svc *participant.Service) string {
	t.Helper()
	d, err := svc.MyData(context.Background(), sam)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, a := range d.Answers {
		b.WriteString(a.QuestionID + ": " + a.Answer + "\n")
	}
	return b.String()
}

// TestChatUnendedLastLine: text typed at a terminal and left without
// Enter when input ends (Ctrl-D) is not an answer, and the session
// pauses at the question; piped, a last line without a newline is one.
func TestChatUnendedLastLine(t *testing.T) {
	for _, tc := range []struct {
		name        string
		interactive bool
		stored      bool
	}{
		{"terminal", true, false},
		{"pipe", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc := service(t, filepath.Join(t.TempDir(), "peervoice.db"))
			out := chat(t, svc, terminal.Chat{Flow: "recovery", Interactive: tc.interactive}, "1\n1\nhalf of my ans")
			got := answersOf(t, svc)
			if stored := strings.Contains(got, "half of my ans"); stored != tc.stored {
				t.Errorf("answer stored = %v; want %v. Stored:\n%s\nTranscript:\n%s", stored, tc.stored, got, out)
			}
			if unsent := strings.Contains(out, "What you had typed was not sent"); unsent != tc.interactive {
				t.Errorf("says the text was not sent = %v; want %v:\n%s", unsent, tc.interactive, out)
			}
			if !strings.Contains(out, "Paused. Your answers so far are saved") {
				t.Errorf("did not pause:\n%s", out)
			}
			// The next run carries on: at the same question if nothing
			// was stored, at the next one otherwise.
			next := chat(t, svc, terminal.Chat{}, "")
			first := "In your own words, what does recovery mean to you?"
			if resumed := strings.Contains(next, first); resumed == tc.stored {
				t.Errorf("second run shows %q = %v; want %v:\n%s", first, resumed, !tc.stored, next)
			}
		})
	}
}

// TestChatOverLongLine: a line far longer than any answer is refused
// with its length, and the conversation goes on with the next line.
func TestChatOverLongLine(t *testing.T) {
	svc := service(t, filepath.Join(t.TempDir(), "peervoice.db"))
	long := strings.Repeat("x", 2<<20)
	out := chat(t, svc, terminal.Chat{Flow: "recovery"}, "1\n1\n"+long+"\nthe short answer\nskip\n")
	if want := "That answer is too long (2097152 characters; no question takes more than 4000). Please shorten it."; !strings.Contains(out, want) {
		t.Errorf("transcript lacks %q:\n%.3000s", want, out)
	}
	got := answersOf(t, svc)
	if !strings.Contains(got, "the short answer") || strings.Contains(got, "xxxx") {
		t.Errorf("stored answers after an over-long line:\n%.500s", got)
	}
}

// TestChatFinishedFlow: a finished flow picked from the menu or named
// with --flow is not started again unasked: the participant is told
// when they finished it, can see their answers, go back, or choose to
// answer again.
func TestChatFinishedFlow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "peervoice.db")
	at := time.Date(2026, 11, 20, 15, 4, 0, 0, time.Local)
	svc := serviceAt(t, path, func() time.Time { return at })
	input := strings.Join([]string{
		"7", "1", "1", // recovery tools; consent
		"no",     // no tools used: the end of the flow, back to the menu
		"7",      // again: finished, so asks what to do
		"1",      // see the answers
		"maybe",  // not an option
		"3",      // back to the menu
		"7", "2", // answer again
		"quit",
	}, "\n") + "\n"
	out := chat(t, svc, terminal.Chat{Echo: true}, input)
	checkGolden(t, "finished.golden", out)
	if got := strings.Count(answersOf(t, svc), "used_any"); got != 1 {
		t.Errorf("%d answers to used_any; want 1 (answering again has not answered yet)", got)
	}
	progress := func() participant.Progress {
		t.Helper()
		list, err := svc.Overview(context.Background(), sam)
		if err != nil {
			t.Fatal(err)
		}
		for _, fs := range list {
			if fs.Flow.ID == "recovery-tools" {
				return fs.Progress
			}
		}
		return ""
	}
	if got := progress(); got != participant.InProgress {
		t.Errorf("after choosing to answer again, progress %q; want %q", got, participant.InProgress)
	}

	// With --flow, leaving starts nothing.
	svc = serviceAt(t, filepath.Join(t.TempDir(), "peervoice.db"), func() time.Time { return at })
	chat(t, svc, terminal.Chat{Flow: "recovery-tools"}, "1\n1\nno\n")
	out = chat(t, svc, terminal.Chat{Flow: "recovery-tools"}, "3\n")
	for _, want := range []string{`You finished "Recovery tools and care plans" on 20 November 2026.`, "3. Leave for now", "Goodbye."} {
		if !strings.Contains(out, want) {
			t.Errorf("--flow on a finished flow: transcript lacks %q:\n%s", want, out)
		}
	}
	if got := progress(); got != participant.Completed {
		t.Errorf("after leaving, progress %q; want %q (no second set started)", got, participant.Completed)
	}
}
