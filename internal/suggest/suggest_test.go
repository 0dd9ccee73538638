package suggest_test

import (
	"testing"

	"github.com/peervoice/peervoice/internal/suggest"
)

func TestClosest(t *testing.T) {
	known := []string{"prompt", "options", "quotable", "flows_dir", "log.format"}
	tests := []struct {
		in, want string
	}{
		{"promt", "prompt"}, {"option", "options"}, {"qoutable", "quotable"}, {"flows_dri", "flows_dir"},
		{"log.formt", "log.format"}, {"colour", ""}, {"", ""},
	}
	for _, tt := range tests {
		if got := suggest.Closest(tt.in, known, 3); got != tt.want {
			t.Errorf("Closest(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"kitten", "sitting", 3}, {"promt", "prompt", 1},
	}
	for _, tt := range tests {
		if got := suggest.Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
