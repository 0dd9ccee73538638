package discordtest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

func TestLimitViolations(t *testing.T) {
	t.Parallel()
	row := func(n int) discordgo.ActionsRow {
		var r discordgo.ActionsRow
		for i := range n {
			r.Components = append(r.Components, discordgo.Button{Label: "b", CustomID: "b" + string(rune('a'+i))})
		}
		return r
	}
	tests := []struct {
		name string
		msg  *discordgo.MessageSend
		want string
	}{
		{"content", &discordgo.MessageSend{Content: strings.Repeat("x", 2001)}, "content is 2001 characters; Discord allows 2000"},
		{"buttons", &discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{row(6)}}, "has 6 buttons"},
		{"rows", &discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "1", CustomID: "1"}}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "2", CustomID: "2"}}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "3", CustomID: "3"}}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "4", CustomID: "4"}}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "5", CustomID: "5"}}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "6", CustomID: "6"}}},
		}}, "6 action rows"},
		{"custom_id", &discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{Label: "b", CustomID: strings.Repeat("c", 101)}}},
		}}, "custom_id is 101 characters"},
		{"embed total", &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{
			{Description: strings.Repeat("d", 4000)}, {Description: strings.Repeat("d", 2001)},
		}}, "embeds total 6001 characters"},
		{"embed fields", &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Fields: fields(26)}}}, "26 fields"},
		{"files", &discordgo.MessageSend{Content: "x", Files: files(11, 10)}, "11 files attached; Discord allows 10 per message"},
		{"attachment ref", &discordgo.MessageSend{Files: files(1, 10), Embeds: []*discordgo.MessageEmbed{{Image: &discordgo.MessageEmbedImage{URL: "attachment://chart.png"}}}},
			`at /embeds/0/image/url: "attachment://chart.png" names no file attached to the message`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := discordtest.New(t)
			e.ExpectViolation(tt.want)
			if tt.name == "files" {
				// Eleven files also break the field names: files[10].
				e.ExpectViolation(`multipart field "files[10]"`)
			}
			s := open(t, e)
			dm, err := s.UserChannelCreate(e.User("alice").ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.ChannelMessageSendComplex(dm.ID, tt.msg)
			if code, _ := restCode(err); code != 50035 {
				t.Errorf("send = %v; want 400 Invalid Form Body (50035)", err)
			}
			v := e.Violations()
			if len(v) == 0 {
				t.Errorf("no violations; want a limit violation")
			}
			for _, x := range v {
				if x.Rule != discordtest.RuleLimit {
					t.Errorf("violation %v; want only limit violations", x)
				}
			}
		})
	}
}

func fields(n int) []*discordgo.MessageEmbedField {
	var fs []*discordgo.MessageEmbedField
	for range n {
		fs = append(fs, &discordgo.MessageEmbedField{Name: "n", Value: "v"})
	}
	return fs
}

func TestModalLimit(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	e.ExpectViolation("max_length is 5000")
	results := make(chan error, 1)
	s := open(t, e, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		results <- s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
			CustomID: "m", Title: "Story",
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{CustomID: "t", Label: "Tell", Style: discordgo.TextInputParagraph, MaxLength: 5000},
			}}},
		}})
	})
	register(t, s, e, "", pingCommand)
	if _, err := e.User("alice").RunCommand("ping"); err != nil {
		t.Fatal(err)
	}
	if code, _ := restCode(<-results); code != 50035 {
		t.Errorf("modal with max_length 5000: code %d; want 50035", code)
	}
}

func TestOpenAPIViolation(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	if !e.ValidatesOpenAPI() {
		// Skip before ExpectViolation: nothing here can meet it.
		t.Skipf("no OpenAPI description: set %s to Discord's openapi.json (github.com/discord/discord-api-spec) or clone that repository to ../shared/discord-api-spec beside the module root", discordtest.SpecEnv)
	}
	s := open(t, e)
	dm, err := s.UserChannelCreate(e.User("alice").ID)
	if err != nil {
		t.Fatal(err)
	}
	e.ExpectViolation("at /components/0/components: got null, want array")
	// An action row with no components: discordgo sends "components": null,
	// which Discord refuses.
	_, err = s.ChannelMessageSendComplex(dm.ID, &discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{discordgo.ActionsRow{}}})
	if code, _ := restCode(err); code != 50035 {
		t.Errorf("send = %v; want 50035", err)
	}
	if v := e.Violations(); len(v) == 0 || v[0].Rule != discordtest.RuleOpenAPI {
		t.Errorf("violations = %v; want one with rule %q", v, discordtest.RuleOpenAPI)
	}
	// A malformed component: a button whose style is a string.
	e.ExpectViolation("at /components/0/components/0/style: got string, want integer")
	_, err = s.RequestWithBucketID("POST", discordgo.EndpointChannelMessages(dm.ID), map[string]any{
		"content": "x", "components": []any{map[string]any{"type": 1, "components": []any{
			map[string]any{"type": 2, "style": "primary", "custom_id": "a", "label": "A"},
		}}},
	}, discordgo.EndpointChannelMessages(dm.ID))
	if code, _ := restCode(err); code != 50035 {
		t.Errorf("malformed button: %v; want 50035", err)
	}
}

func TestWithoutSpecStillChecksLimits(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t, discordtest.WithSpecPath("/nonexistent/openapi.json"))
	s := open(t, e)
	dm, err := s.UserChannelCreate(e.User("alice").ID)
	if err != nil {
		t.Fatal(err)
	}
	// Skipped layer: the empty row goes through.
	if _, err := s.ChannelMessageSendComplex(dm.ID, &discordgo.MessageSend{Content: "x", Components: []discordgo.MessageComponent{discordgo.ActionsRow{}}}); err != nil {
		t.Errorf("with no description, an empty row = %v; want accepted", err)
	}
	e.ExpectViolation("content is 2001")
	if _, err := s.ChannelMessageSend(dm.ID, strings.Repeat("y", 2001)); err == nil {
		t.Error("2001 characters accepted; want the limit enforced")
	}
}

func TestUnsupportedEndpoint(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	e.ExpectViolation("does not implement")
	s, _ := discordgo.New("Bot " + e.Token())
	s.Client = e.HTTPClient()
	if _, err := s.GuildBans("1", 10, "", ""); err == nil {
		t.Error("GuildBans succeeded against an endpoint the emulator lacks")
	}
}

func TestHTTPClient(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	c := e.HTTPClient()
	for _, url := range []string{"https://discord.com/api/v10/gateway", e.URL() + "/api/v9/gateway"} {
		resp, err := c.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), e.GatewayURL()) {
			t.Errorf("GET %s = %s; want the emulator's gateway URL", url, body)
		}
	}
	if _, err := c.Get("https://example.com/"); err == nil {
		t.Error("request to another host went through")
	}
	resp, err := http.Get(e.URL() + "/api/v10/users/@me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /users/@me without a token = %d; want 401", resp.StatusCode)
	}
}

// files are n files of size bytes each, named f0.png, f1.png, ...
func files(n, size int) []*discordgo.File {
	var out []*discordgo.File
	for i := range n {
		out = append(out, &discordgo.File{Name: fmt.Sprintf("f%d.png", i), ContentType: "image/png", Reader: bytes.NewReader(make([]byte, size))})
	}
	return out
}

// TestExpectViolationSkipped: an expectation nothing met fails the test,
// unless the test was skipped (it may skip after ExpectViolation, for
// example when a file it needs is missing).
func TestExpectViolationSkipped(t *testing.T) {
	t.Parallel()
	for _, skipped := range []bool{false, true} {
		tb := &recordingTB{TB: t, skipped: skipped}
		e := discordtest.New(tb, discordtest.WithoutSpec())
		e.ExpectViolation("never provoked")
		tb.cleanup()
		failed := strings.Contains(strings.Join(tb.errors, "\n"), `expected a violation containing "never provoked"`)
		if failed == skipped {
			t.Errorf("skipped %v: errors %q; want the unmet expectation reported %v", skipped, tb.errors, !skipped)
		}
	}
}

// recordingTB is a test that records its errors instead of failing, runs
// its cleanups when told, and says whether it was skipped.
type recordingTB struct {
	testing.TB
	skipped  bool
	errors   []string
	cleanups []func()
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Skipped() bool    { return r.skipped }
func (r *recordingTB) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recordingTB) cleanup() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}
