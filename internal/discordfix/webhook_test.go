package discordfix_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordfix"
)

// TestEditResponseOwnBucket: while the edit of one interaction's
// response is in flight, the edit of another's goes out, rather than
// waiting in one bucket shared by every webhook edit, as discordgo's
// InteractionResponseEdit makes it.
func TestEditResponseOwnBucket(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.Method == http.MethodPatch && strings.Contains(r.URL.Path, "/token-a/") {
			close(started)
			<-release
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"1"}`)
	}))
	defer srv.Close()
	defer close(release) // before srv.Close, which waits for the held request
	tr, err := discordfix.NewTransport(discordfix.Options{APIURL: srv.URL, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := discordgo.New("Bot token")
	s.Client = &http.Client{Transport: tr}
	content := "answered"
	edit := &discordgo.WebhookEdit{Content: &content}
	a := &discordgo.Interaction{AppID: "10", Token: "token-a"}
	b := &discordgo.Interaction{AppID: "10", Token: "token-b"}
	doneA := make(chan error, 1)
	go func() { doneA <- discordfix.EditResponse(s, a, edit) }()
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("the first edit never reached the server")
	}
	doneB := make(chan error, 1)
	go func() { doneB <- discordfix.EditResponse(s, b, edit) }()
	select {
	case err := <-doneB:
		if err != nil {
			t.Errorf("EditResponse(b) = %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the edit of one response waited for the edit of another")
	}
	release <- struct{}{}
	if err := <-doneA; err != nil {
		t.Errorf("EditResponse(a) = %v", err)
	}
}
