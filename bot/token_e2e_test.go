package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// TestTokenResetWhileRunning resets the bot's token in the emulator, as
// Reset Token in the Developer Portal does, while the bot runs: Run ends
// with the explanation instead of reconnecting for ever, and neither the
// error nor the log shows the token.
func TestTokenResetWhileRunning(t *testing.T) {
	e := discordtest.New(t, hangDeadline)
	db := storetest.Open(t, storetest.Path(t), store.Options{})
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := participant.New(db, participant.Config{Flows: func() *flows.Catalog { return cat }})
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	old := e.Token()
	b, err := bot.New(bot.Config{Token: old, APIURL: e.URL(), TokenCheckAfter: 100 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}, svc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	select {
	case <-b.Ready():
	case err := <-done:
		t.Fatalf("Run ended before the bot was ready: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("the bot was never ready")
	}
	e.ResetToken()
	select {
	case err := <-done:
		if !errors.Is(err, bot.ErrTokenRefused) || !strings.Contains(err.Error(), "HTTP 401") || !strings.Contains(err.Error(), "Reset Token") {
			t.Errorf("Run() = %v; want the refused token explained", err)
		}
		if err != nil && strings.Contains(err.Error(), old) {
			t.Errorf("the error shows the token: %v", err)
		}
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("Run did not end after the token was reset; log:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), old) {
		t.Errorf("the log shows the token:\n%s", logs.String())
	}
}
