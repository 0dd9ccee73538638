package discordfix_test

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordfix"
	"github.com/peervoice/peervoice/internal/testutil"
)

// TestUnreachable checks that a REST call or a gateway dial that cannot
// connect fails with an *Unreachable naming the host dialled and the
// setting that chose it, and why, never the discord.com URL discordgo
// asked for.
func TestUnreachable(t *testing.T) {
	addr := testutil.ClosedAddr(t)
	plain := httptest.NewServer(http.NotFoundHandler()) // speaks no TLS
	defer plain.Close()
	plainAddr := strings.TrimPrefix(plain.URL, "http://")
	quiet := slog.New(slog.DiscardHandler)
	rest := func(o discordfix.Options) error {
		tr, err := discordfix.NewTransport(o)
		if err != nil {
			t.Fatal(err)
		}
		_, err = (&http.Client{Transport: tr}).Get("https://discord.com/api/v9/gateway")
		return err
	}
	gateway := func(o discordfix.Options, url string) error {
		s, _ := discordgo.New("Bot token")
		discordfix.Install(s, o)
		ws, _, err := s.Dialer.Dial(url, nil)
		if err == nil {
			ws.Close()
		}
		return err
	}
	tests := []struct {
		name string
		err  error
		want discordfix.Unreachable // Err not compared
		text []string
	}{
		{"API refused", rest(discordfix.Options{APIURL: "http://" + addr, Log: quiet}),
			discordfix.Unreachable{What: "the Discord API", Addr: addr, Key: "discord.api_url", Value: "http://" + addr},
			[]string{"cannot reach the Discord API at " + addr, "connection refused", `discord.api_url is "http://` + addr + `"`}},
		{"API without TLS", rest(discordfix.Options{APIURL: "https://" + plainAddr, Log: quiet}),
			discordfix.Unreachable{What: "the Discord API", Addr: plainAddr, Key: "discord.api_url", Value: "https://" + plainAddr},
			[]string{"does not speak TLS: use http:// rather than https://"}},
		{"gateway refused", gateway(discordfix.Options{GatewayURL: "ws://" + addr, Log: quiet}, "ws://"+addr+"/?v=9&encoding=json"),
			discordfix.Unreachable{What: "the Discord gateway", Addr: addr, Key: "discord.gateway_url", Value: "ws://" + addr},
			[]string{"cannot reach the Discord gateway at " + addr, "connection refused", `discord.gateway_url is "ws://` + addr + `"`}},
		{"gateway from GET /gateway, without TLS", gateway(discordfix.Options{Log: quiet}, "wss://"+plainAddr+"/?v=9&encoding=json"),
			discordfix.Unreachable{What: "the Discord gateway", Addr: plainAddr, Key: "discord.gateway_url"},
			[]string{"does not speak TLS: use ws:// rather than wss://", "came from GET /gateway"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var u *discordfix.Unreachable
			if !errors.As(tt.err, &u) {
				t.Fatalf("error = %v; want an *Unreachable", tt.err)
			}
			got := *u
			got.Err = nil
			if got != tt.want {
				t.Errorf("Unreachable = %+v; want %+v", got, tt.want)
			}
			if u.Err == nil || errors.Unwrap(u) != u.Err {
				t.Errorf("Unreachable.Err = %v; want the dial's error, unwrapped", u.Err)
			}
			for _, w := range tt.text {
				if !strings.Contains(u.Error(), w) {
					t.Errorf("error = %q; want it to contain %q", u, w)
				}
			}
			if strings.Contains(u.Error(), "discord.com") {
				t.Errorf("error = %q; names discord.com, which was never dialled", u)
			}
		})
	}
}
