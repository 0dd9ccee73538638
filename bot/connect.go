package bot

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/peervoice/peervoice/internal/discordfix"
)

// ErrTokenRefused is what every error for a bot token Discord refuses
// matches (errors.Is): a REST call answered 401 Unauthorized, or the
// gateway closed with 4004 Authentication failed. Its text says where to
// get a working token; the token itself is never in it.
var ErrTokenRefused = errors.New("Discord refused the bot token")

// tokenRefused is a refused token, told with how Discord refused it.
type tokenRefused struct{ how string }

func (e *tokenRefused) Error() string {
	return fmt.Sprintf("%v (%s): it is wrong, or it was reset. Copy the current one from the Discord Developer Portal "+
		"(https://discord.com/developers/applications → your application → Bot → Reset Token) and set it as "+
		"PEERVOICE_DISCORD_TOKEN, or discord.token in the config file (the token alone, without \"Bot \")", ErrTokenRefused, e.how)
}

func (e *tokenRefused) Is(target error) bool { return target == ErrTokenRefused }

// gatewayClosed explains the gateway close codes after which connecting
// again cannot help (Discord's docs: "do not reconnect"), or returns nil.
func gatewayClosed(err error) error {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return nil
	}
	what := fmt.Sprintf("the gateway closed the connection with %d %s", ce.Code, strings.TrimSuffix(ce.Text, "."))
	switch ce.Code {
	case 4004:
		return &tokenRefused{how: what}
	case 4014:
		return fmt.Errorf("Discord refused the gateway intents the bot asked for (%s): PeerVoice asks for no privileged intents, "+
			"so this should not happen; turn on the intents in the Discord Developer Portal (your application → Bot → "+
			"Privileged Gateway Intents) if you changed the bot to ask for some, and report it otherwise", what)
	case 4013, 4010, 4012:
		return fmt.Errorf("Discord refused the bot's gateway connection (%s): this is a bug in PeerVoice or discordgo; please report it", what)
	case 4011:
		return fmt.Errorf("Discord asks for sharding (%s): the bot is in more servers than one gateway connection may serve (2,500), "+
			"and PeerVoice does not shard; run one PeerVoice per community, with its own application", what)
	}
	return nil
}

// restTokenRefused reports whether err is Discord refusing the bot token
// on a REST call: 401 with code 0. (An interaction's or webhook's own
// token refused is 401 with code 50027, and is not the bot's.)
func restTokenRefused(err error) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized &&
		(re.Message == nil || re.Message.Code == 0)
}

// explain turns the errors someone setting the bot up can fix into ones
// that say how (setupProblem); other errors get the context what.
func explain(what string, err error) error {
	if err == nil {
		return nil
	}
	if e := setupProblem(what, err); e != nil {
		return e
	}
	return fmt.Errorf("%s: %w", what, err)
}

// setupProblem explains err if it is a refused token, a closed gateway, a
// gateway URL that is no gateway, or a host that cannot be reached, named as it was dialled (the discord.com
// URL discordgo asked for is dropped: with discord.api_url set, it was
// never dialled), with the context what; otherwise it returns nil.
func setupProblem(what string, err error) error {
	if e := gatewayClosed(err); e != nil {
		return e
	}
	if restTokenRefused(err) {
		return &tokenRefused{how: "the REST API answered HTTP 401 Unauthorized"}
	}
	var u *discordfix.Unreachable
	if errors.As(err, &u) {
		return fmt.Errorf("%s: %w", what, u)
	}
	if errors.Is(err, websocket.ErrBadHandshake) {
		return fmt.Errorf("%s: the gateway URL answered, but not as a websocket gateway (%w): check discord.gateway_url "+
			"(a ws:// or wss:// URL such as wss://gateway.discord.gg), or leave it empty to ask GET /gateway", what, err)
	}
	return nil
}

// tokenWatch notices a token refused while the bot runs, as after Reset
// Token in the Developer Portal: the gateway closes with 4004, and
// discordgo's reconnect loop then tries again for ever, each try closed
// with 4004, while the bot looks alive. When the gateway stays down for
// a while, the watch asks the REST API (GET /users/@me) whether the
// token still works; a 401 ends Run with the explanation.
type tokenWatch struct {
	b       *Bot
	every   time.Duration
	up      atomic.Bool
	outage  atomic.Uint64 // counts disconnects, so a watch ends with its outage
	refused chan error    // gets the explanation once
}

func newTokenWatch(b *Bot, every time.Duration) *tokenWatch {
	if every <= 0 {
		every = 10 * time.Second
	}
	return &tokenWatch{b: b, every: every, refused: make(chan error, 1)}
}

func (w *tokenWatch) onConnect(*discordgo.Session, *discordgo.Connect) { w.up.Store(true) }

// onDisconnect watches the outage that starts, until the gateway is back
// or the bot has stopped.
func (w *tokenWatch) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	w.up.Store(false)
	n := w.outage.Add(1)
	go func() {
		t := time.NewTicker(w.every)
		defer t.Stop()
		for range t.C {
			if w.up.Load() || w.outage.Load() != n || w.b.gw.Closed() {
				return
			}
			_, err := w.b.s.User("@me")
			if restTokenRefused(err) {
				select {
				case w.refused <- &tokenRefused{how: "the gateway disconnected, and the REST API now answers HTTP 401 Unauthorized"}:
				default:
				}
				return
			}
		}
	}()
}
