package discordtest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

func TestClosedDMs50007(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	s := open(t, e)
	alice := e.User("alice")
	e.CloseDMs(alice.ID)
	dm, err := s.UserChannelCreate(alice.ID) // still works on Discord
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ChannelMessageSend(dm.ID, "hello?")
	if code, status := restCode(err); code != 50007 || status != http.StatusForbidden {
		t.Errorf("DM to a user with closed DMs: %v; want 403 with code 50007", err)
	}
	alice.OpenDMs()
	if _, err := s.ChannelMessageSend(dm.ID, "hello again"); err != nil {
		t.Errorf("DM after OpenDMs: %v", err)
	}
}

// TestRateLimits covers the 429 shapes, and how discordgo v0.28.1 reacts.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	const route = "POST /channels/{channel_id}/messages"
	tests := []struct {
		name      string
		fault     discordtest.Fault
		times     int
		wantErr   bool
		wantTries int
	}{
		// JSON body: discordgo sleeps retry_after and retries, forever.
		{"json", discordtest.RateLimit(20 * time.Millisecond), 2, false, 3},
		{"global", discordtest.RateLimitGlobal(20 * time.Millisecond), 1, false, 2},
		// Non-JSON body: discordgo fails to decode it and returns the
		// decode error (not a *RESTError), without retrying.
		{"non-json", discordtest.RateLimitNonJSON(20 * time.Millisecond), 1, true, 1},
		{"cloudflare", discordtest.Fault{Status: 429, RetryAfter: time.Second, OnlyRetryAfter: true, RawBody: "error code: 1015", RawType: "text/plain"}, 1, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := discordtest.New(t)
			s := open(t, e)
			dm, err := s.UserChannelCreate(e.User("alice").ID)
			if err != nil {
				t.Fatal(err)
			}
			e.FailNext(route, tt.times, tt.fault)
			_, err = s.ChannelMessageSend(dm.ID, "hi")
			if (err != nil) != tt.wantErr {
				t.Errorf("ChannelMessageSend = %v; want error %v", err, tt.wantErr)
			}
			var syntax *json.SyntaxError
			if tt.wantErr && !errors.As(err, &syntax) {
				t.Errorf("error %T %v; want the *json.SyntaxError discordgo returns", err, err)
			}
			if got := len(e.RequestsTo(route)); got != tt.wantTries {
				t.Errorf("%d attempts; want %d", got, tt.wantTries)
			}
		})
	}
}

func TestServerErrors(t *testing.T) {
	t.Parallel()
	const route = "GET /users/@me"
	tests := []struct {
		status    int
		wantErr   bool
		wantTries int
	}{
		{http.StatusBadGateway, false, 3}, // discordgo retries 502 (MaxRestRetries 3)
		{http.StatusInternalServerError, true, 1},
		{http.StatusServiceUnavailable, true, 1},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			e := discordtest.New(t)
			s, _ := discordgo.New("Bot " + e.Token())
			s.Client = e.HTTPClient()
			e.FailNext(route, 2, discordtest.ServerError(tt.status))
			_, err := s.User("@me")
			if (err != nil) != tt.wantErr {
				t.Errorf("User(@me) after two %d = %v; want error %v", tt.status, err, tt.wantErr)
			}
			if _, status := restCode(err); tt.wantErr && status != tt.status {
				t.Errorf("status = %d; want %d", status, tt.status)
			}
			if got := len(e.RequestsTo(route)); got != tt.wantTries {
				t.Errorf("%d attempts; want %d", got, tt.wantTries)
			}
		})
	}
}

// lateBot defers nothing: it waits for the test to move the clock before
// answering, to play a slow handler.
func lateBot(bot errs, ready <-chan struct{}, results chan<- error) func(*discordgo.Session, *discordgo.InteractionCreate) {
	return func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		<-ready
		results <- s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "sorry, slow"},
		})
	}
}

func TestLateResponse10062(t *testing.T) {
	t.Parallel()
	clock := discordtest.NewFakeClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	e := discordtest.New(t, discordtest.WithClock(clock))
	e.ExpectViolation("initial response to interaction")
	ready, results := make(chan struct{}), make(chan error, 1)
	s := open(t, e, lateBot(newErrs(), ready, results))
	register(t, s, e, "", pingCommand)
	if _, err := e.User("alice").RunCommand("ping"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(3*time.Second + time.Millisecond)
	close(ready)
	err := <-results
	if code, status := restCode(err); code != 10062 || status != http.StatusNotFound {
		t.Errorf("late InteractionRespond = %v; want 404 Unknown interaction (10062)", err)
	}
}

func TestSecondResponse40060(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	e.ExpectViolation("second initial response")
	results := make(chan error, 2)
	s := open(t, e, func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		for range 2 {
			results <- s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "twice"},
			})
		}
	})
	register(t, s, e, "", pingCommand)
	if _, err := e.User("alice").RunCommand("ping"); err != nil {
		t.Fatal(err)
	}
	if err := <-results; err != nil {
		t.Fatalf("first response: %v", err)
	}
	if code, status := restCode(<-results); code != 40060 || status != http.StatusBadRequest {
		t.Errorf("second response: code %d status %d; want 400 with 40060", code, status)
	}
}

func TestExpiredTokenFollowup(t *testing.T) {
	t.Parallel()
	clock := discordtest.NewFakeClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	e := discordtest.New(t, discordtest.WithClock(clock))
	interactions := make(chan *discordgo.Interaction, 1)
	s := open(t, e, pingBot(newErrs(), nil), func(_ *discordgo.Session, i *discordgo.InteractionCreate) { interactions <- i.Interaction })
	register(t, s, e, "", pingCommand)
	alice := e.User("alice")
	if _, err := alice.RunCommand("ping"); err != nil {
		t.Fatal(err)
	}
	in := <-interactions
	if _, err := alice.WaitMessage(ctx(t), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "in time"}); err != nil {
		t.Errorf("follow-up within 15 minutes: %v", err)
	}
	clock.Advance(15*time.Minute + time.Second)
	_, err := s.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "too late"})
	if code, status := restCode(err); code != 50027 || status != http.StatusUnauthorized {
		t.Errorf("follow-up after 15 minutes = %v; want 401 Invalid Webhook Token (50027)", err)
	}
	_, err = s.InteractionResponseEdit(in, &discordgo.WebhookEdit{Content: ptr("edit")})
	if code, _ := restCode(err); code != 50027 {
		t.Errorf("edit after 15 minutes = %v; want 50027", err)
	}
}
