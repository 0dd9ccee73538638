package flows_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/flows"
)

// TestGetUnknownFlow: an unknown id matches ErrUnknownFlow, so callers
// need not read the message, and the message names the flows there are.
func TestGetUnknownFlow(t *testing.T) {
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, err = cat.Get("recvery")
	if !errors.Is(err, flows.ErrUnknownFlow) {
		t.Fatalf("Get(%q) = %v; want an error matching ErrUnknownFlow", "recvery", err)
	}
	if want := `unknown flow "recvery"; available flows: ` + strings.Join(cat.IDs(), ", "); err.Error() != want {
		t.Errorf("Get(%q) = %q; want %q", "recvery", err, want)
	}
	if _, err := cat.Get("recovery"); err != nil {
		t.Errorf("Get(%q) = %v; want the flow", "recovery", err)
	}
}
