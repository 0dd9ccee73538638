package terminal_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
	"github.com/peervoice/peervoice/terminal"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func service(t *testing.T, path string) *participant.Service {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := participant.New(db, participant.Config{Flows: func() *flows.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// TestChatGolden replays a conversation through the menu, consent, a
// whole flow with every kind of input, and back to the menu.
func TestChatGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "peervoice.db")
	input := strings.Join([]string{
		"help",   // support at the menu
		"8",      // recommendations
		"1", "2", // consent: take part, no quotes
		"More time with the same worker", // one thing to change
		"back", "",                       // back, then keep the answer with Enter
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
	golden := filepath.Join("testdata", "chat.golden")
	if *update {
		os.WriteFile(golden, []byte(out.String()), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Errorf("transcript differs from %s (go test ./terminal -update if intended):\n%s", golden, out.String())
	}
}
