// Package discordfix holds every workaround of discordgo v0.28.1's gaps,
// and nothing else: what the bot does with Discord is in package bot.
//
// It owns:
//
//   - NewTransport, the HTTP transport under discordgo's REST client. It
//     sends discordgo's https://discord.com requests to discord.api_url,
//     answers GET /gateway with discord.gateway_url, waits out every 429
//     itself (JSON or not: discordgo fails on a non-JSON one, its issue
//     #659), retries 502, 503 and 504, and names the host it dialled when
//     a request cannot connect (transport.go).
//   - Install, the gateway workarounds on a session: reconnects go to the
//     session's resume_gateway_url (discordgo ignores it), an IDENTIFY
//     after op 9 INVALID_SESSION waits the 1 to 5 seconds Discord asks
//     for (discordgo identifies again at once), a session Discord will
//     not resume (op 9 on the resume URL, or close code 4007 or 4009)
//     starts anew with an IDENTIFY on a new connection to the gateway URL
//     (discordgo would identify on the resume URL's, or RESUME for ever),
//     and once Shutdown is called no connection is made and a back-off in
//     progress ends (discordgo's reconnect loop would undo a Close, and
//     its Close would wait the back-off out). The dialer opens HTTP proxy
//     tunnels itself (the REST transport's Proxy, or the environment's),
//     so that connections through a proxy are watched too. See
//     gateway.go, gatewayconn.go, gatewayread.go, session.go and proxy.go.
//   - Install also frees discordgo's rate-limit buckets, which it keeps
//     for every route (every channel, every interaction) for ever: a
//     request through NewTransport's transport, at most once a minute,
//     drops those nobody holds whose reset is over (ratelimit.go).
//   - Unreachable, the error for a host the transport or the gateway
//     dialer could not reach, named as dialled rather than as the
//     discord.com URL discordgo asked for (unreachable.go).
//   - CleanErrors and RouteLog: logged errors show a REST call's route,
//     not discordgo's discord.com URL with its ids and tokens, and
//     discordgo's package-level Logger goes to the bot's logger (log.go).
//   - EditResponse, an interaction response's edit in a rate-limit
//     bucket of its own rather than one shared by every webhook edit
//     (webhook.go).
//
// Fields discordgo's request types lack (a message's nonce and
// enforce_nonce) are not its business: the code that sends such a
// request builds its body.
//
// It goes through discordgo's exported API (Session.Client,
// Session.Dialer, event handlers, Logger, RequestWithBucketID) wherever
// one exists. It is the only package allowed to import reflect or unsafe,
// and uses them where none does, each checked against discordgo
// v0.28.1's types when the session is set up (with a warning and the
// workaround off if they changed): to clear Session.sessionID and
// Session.sequence inside Open, so that discordgo identifies
// (session.go), and to drop entries of RateLimiter.buckets under its
// lock (ratelimit.go). Nothing writes discordgo's gateway URL, which its
// heartbeat reads without a lock (a test checks it).
//
// It imports discordgo, gorilla/websocket and the standard library, and
// nothing of PeerVoice's.
package discordfix

import (
	"log/slog"
	"net/http"
	"time"
)

// Options configures the workarounds. The zero value works against
// Discord itself.
type Options struct {
	// APIURL is the REST base URL (discord.api_url): a local emulator or
	// a REST proxy such as nirn-proxy; "": Discord's own.
	APIURL string
	// GatewayURL is the gateway URL (discord.gateway_url), handed to
	// discordgo as the answer to GET /gateway; "": ask the API.
	GatewayURL string
	// Base is the HTTP transport under NewTransport's; nil: a clone of
	// http.DefaultTransport keeping more idle connections. Tests pass
	// the emulator's. Install's gateway dialer uses its Proxy when it is
	// an *http.Transport, and the environment's proxy otherwise.
	Base http.RoundTripper
	// Log gets the workarounds' warnings; nil: slog.Default().
	Log *slog.Logger
	// InvalidSessionBackoff is the wait before identifying again after
	// op 9 INVALID_SESSION; nil: a random 1 to 5 seconds, as Discord
	// asks. Tests shorten it.
	InvalidSessionBackoff func() time.Duration
}

func (o Options) log() *slog.Logger {
	if o.Log == nil {
		return slog.Default()
	}
	return o.Log
}
