package safety_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/internal/testutil"
	"github.com/peervoice/peervoice/safety"
)

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", name), got)
}

func TestSignpostDefaults(t *testing.T) {
	golden(t, "signpost.golden", safety.Signpost(safety.DefaultMessage, safety.DefaultResources()))
}

func TestSignpost(t *testing.T) {
	for _, tc := range []struct {
		name      string
		message   string
		resources []safety.Resource
		want      string
	}{
		{
			name:      "full",
			message:   "You're not alone.",
			resources: []safety.Resource{{Name: "Samaritans", Contact: "Call 116 123", Description: "any time"}},
			want:      "You're not alone.\n\n• Samaritans: Call 116 123 — any time",
		},
		{
			name:    "missing fields leave out their punctuation",
			message: "Help:",
			resources: []safety.Resource{
				{Name: "A", Contact: "Call 1"},
				{Name: "B", Description: "walk in"},
				{Name: "C"},
			},
			want: "Help:\n\n• A: Call 1\n• B — walk in\n• C",
		},
		{
			name:      "line breaks in fields are flattened",
			message:   "  Help:\n",
			resources: []safety.Resource{{Name: "A\nB", Contact: "Call\r\n 1", Description: "open\tlate "}},
			want:      "Help:\n\n• A B: Call 1 — open late",
		},
		{
			name:      "no message",
			resources: []safety.Resource{{Name: "A", Contact: "Call 1"}, {Name: "B", Contact: "Text 2"}},
			want:      "• A: Call 1\n• B: Text 2",
		},
		{
			name:    "no resources",
			message: "Take care.",
			want:    "Take care.",
		},
		{name: "nothing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := safety.Signpost(tc.message, tc.resources); got != tc.want {
				t.Errorf("Signpost(%q, %v) = %q; want %q", tc.message, tc.resources, got, tc.want)
			}
		})
	}
}

func TestDefaultResources(t *testing.T) {
	got := safety.DefaultResources()
	for _, want := range []string{"116 123", "SHOUT", "85258", "111", "option 2", "999", "A&E"} {
		found := false
		for _, r := range got {
			found = found || strings.Contains(r.Contact, want)
		}
		if !found {
			t.Errorf("DefaultResources() has no contact mentioning %q: %v", want, got)
		}
	}
	for _, r := range got {
		if r.Name == "" || r.Contact == "" || r.Description == "" {
			t.Errorf("DefaultResources() has an incomplete entry: %+v", r)
		}
	}
	// Callers may edit the slice, for example to add a local service.
	got[0].Name = "changed"
	if safety.DefaultResources()[0].Name == "changed" {
		t.Errorf("DefaultResources() returned shared state; want a fresh slice each call")
	}
}

func TestDefaultMessage(t *testing.T) {
	// The message must stay warm and non-clinical: no diagnosis, no
	// instructions about treatment.
	msg := strings.ToLower(safety.DefaultMessage)
	for _, word := range []string{"symptom", "diagnos", "disorder", "medication", "treatment", "you should", "you must", "patient"} {
		if strings.Contains(msg, word) {
			t.Errorf("DefaultMessage contains %q; keep it non-clinical: %q", word, safety.DefaultMessage)
		}
	}
	if got := safety.Signpost(safety.DefaultMessage, nil); got != safety.DefaultMessage {
		t.Errorf("Signpost(DefaultMessage, nil) = %q; want the message unchanged", got)
	}
}
