package discordtest_test

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestValidationSample sends the same requests to an emulator that
// validates every body (the default, which every e2e test uses) and to
// one that samples 1 in 3 (WithValidationSample, for the load benchmark):
// the sampled one validates the first body of each route, every third
// after it and every body of a shape the route has not shown before, and
// still checks the documented limits of every body.
func TestValidationSample(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []discordtest.Option
		// Bodies: one POST /users/@me/channels, then ten POST
		// /channels/{channel_id}/messages (see below).
		want discordtest.ValidationStats
	}{
		{"default: every body", nil, discordtest.ValidationStats{Validated: 11, Routes: 2}}, // no shapes kept
		{"sample 1", []discordtest.Option{discordtest.WithValidationSample(1)}, discordtest.ValidationStats{Validated: 11, Routes: 2}},
		// Validated: the DM channel (first of its route), messages 0, 3,
		// 6 and 9 (1 in 3), and 7 (a new shape). Skipped: 1, 2, 4, 5, 8.
		{"sample 3", []discordtest.Option{discordtest.WithValidationSample(3)}, discordtest.ValidationStats{Validated: 6, Sampled: 5, Routes: 2, Shapes: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := discordtest.New(t, tt.opts...)
			if !e.ValidatesOpenAPI() {
				t.Skipf("no OpenAPI description: set %s to Discord's openapi.json", discordtest.SpecEnv)
			}
			s := open(t, e)
			dm, err := s.UserChannelCreate(e.User("alice").ID)
			if err != nil {
				t.Fatal(err)
			}
			for k := range 7 { // messages 0 to 6: one shape
				if _, err := s.ChannelMessageSend(dm.ID, "hello"); err != nil {
					t.Fatalf("message %d: %v", k, err)
				}
			}
			// Message 7 is in a slot sampling skips, but of a new shape
			// ("components": [{"components": null, ...}]), which Discord
			// refuses: it is validated, and refused.
			e.ExpectViolation("at /components/0/components: got null, want array")
			_, err = s.ChannelMessageSendComplex(dm.ID, &discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{discordgo.ActionsRow{}}})
			if code, _ := restCode(err); code != 50035 {
				t.Errorf("message 7, a new shape with an empty row: %v; want 50035", err)
			}
			// Message 8, of the first shape, is in a skipped slot; its
			// limits are checked all the same.
			e.ExpectViolation("content is 2001 characters")
			if _, err := s.ChannelMessageSend(dm.ID, strings.Repeat("y", 2001)); err == nil {
				t.Error("message 8 of 2001 characters accepted; want the limit enforced")
			}
			if _, err := s.ChannelMessageSend(dm.ID, "bye"); err != nil { // message 9
				t.Fatal(err)
			}
			if got := e.ValidationStats(); got != tt.want {
				t.Errorf("ValidationStats() = %+v; want %+v", got, tt.want)
			}
			for _, v := range e.Violations() {
				if v.Rule == discordtest.RuleOpenAPI && !strings.Contains(v.Detail, "/components/0/components") {
					t.Errorf("unexpected violation %v", v)
				}
			}
		})
	}
}

// TestValidationSampleWithoutSpec: without a description nothing is
// validated or sampled, and the counts say so.
func TestValidationSampleWithoutSpec(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t, discordtest.WithoutSpec(), discordtest.WithValidationSample(3))
	s := open(t, e)
	dm, err := s.UserChannelCreate(e.User("alice").ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChannelMessageSend(dm.ID, "hello"); err != nil {
		t.Fatal(err)
	}
	if got := e.ValidationStats(); got != (discordtest.ValidationStats{}) {
		t.Errorf("ValidationStats() = %+v; want zero", got)
	}
}
