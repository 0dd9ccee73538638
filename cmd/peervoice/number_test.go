package main_test

import (
	"strings"
	"testing"
)

// numberFlow asks one number question, then a text one.
const numberFlow = "id: count\ntitle: Counting\ntheme: Testing\nquestions:\n  - id: n\n    type: number\n    prompt: How many days?\n  - id: why\n    type: text\n    prompt: Why?\n"

// TestChatRefusesNonFiniteNumbers: NaN and the infinities parse as
// floats but cannot be saved (JSON has no NaN), so typed at a number
// question they are refused as not a number and the chat carries on;
// before, `chat` exited with "encode session: json: unsupported value".
func TestChatRefusesNonFiniteNumbers(t *testing.T) {
	dir := flowsDir(t, map[string]string{"count.yaml": numberFlow})
	for _, typed := range []string{"NaN", "nan", "-NaN", "Inf", "+inf", "-Inf", "infinity", "-INFINITY", "1e999", "0x1p99999"} {
		t.Run(typed, func(t *testing.T) {
			r := peervoice(t, t.TempDir(), "1\n1\n"+typed+"\n3\nbecause\n", nil, "chat", "--scratch", "--user", "sam", "--flows", dir, "--flow", "count")
			if r.code != 0 || strings.Contains(r.stderr, "unsupported value") {
				t.Fatalf("chat with %q typed at a number question: exit %d\n%s\n%s", typed, r.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, "Please type a number, such as 3.") || !strings.Contains(r.stdout, "Why?") {
				t.Errorf("chat with %q: stdout\n%s\nwant it refused as not a number, then the next question after 3", typed, r.stdout)
			}
		})
	}
}
