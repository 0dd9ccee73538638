package discordtest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// ErrBotOffline is returned when a simulated user does something that needs
// the bot's gateway session (running a command, clicking a button) while the
// bot has never identified or its session was invalidated.
var ErrBotOffline = errors.New("discordtest: the bot has no gateway session")

// Emulator is an in-process fake of the parts of Discord a bot uses: the
// REST API under /api/v9 and /api/v10, and the JSON gateway over websocket.
// Make one per test with New. All methods are safe for concurrent use.
type Emulator struct {
	t      testing.TB
	cfg    config
	srv    *httptest.Server
	mux    *http.ServeMux
	client *http.Client
	ids    snowflakes
	token  atomic.Pointer[string] // the bot token accepted now (ResetToken changes it)
	appID  string
	botID  string
	gw     *gateway
	spec   *spec
	// sampler picks the bodies validated against spec
	// (WithValidationSample).
	sampler sampler
	checks  *violations

	// mu guards everything below, and the unexported state of Users,
	// Guilds, Channels and messages.
	mu           sync.Mutex
	users        map[string]*User
	usersByName  map[string]*User
	channels     map[string]*Channel
	guilds       map[string]*Guild
	guildOrder   []*Guild
	messages     map[string]*message
	interactions map[string]*interaction
	tokens       map[string]*interaction
	commands     map[string][]*command
	commandsSig  signal
	requests     []Request
	faults       []*fault
	attachments  map[string]*attachment
}

// New starts an emulator for the test t and stops it when the test ends.
// Violations of Discord's rules by the bot are reported with t.Errorf.
func New(t testing.TB, opts ...Option) *Emulator {
	t.Helper()
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	e := &Emulator{
		t:            t,
		cfg:          cfg,
		users:        make(map[string]*User),
		usersByName:  make(map[string]*User),
		channels:     make(map[string]*Channel),
		guilds:       make(map[string]*Guild),
		messages:     make(map[string]*message),
		interactions: make(map[string]*interaction),
		tokens:       make(map[string]*interaction),
		commands:     make(map[string][]*command),
		attachments:  make(map[string]*attachment),
	}
	e.ids.clock = cfg.clock
	e.sampler.n = cfg.sample
	e.checks = newViolations(t)
	e.appID = e.ids.next()
	e.botID = e.appID
	token := cfg.token
	if token == "" {
		token = e.newToken()
	}
	e.token.Store(&token)
	e.loadSpec()
	e.gw = newGateway(e)
	e.mux = http.NewServeMux()
	e.routes()
	// Assign before starting: handlers read e.srv, and a connection
	// arriving through the kernel gives the race detector no
	// happens-before edge with an assignment made after Start.
	e.srv = httptest.NewUnstartedServer(http.HandlerFunc(e.serveHTTP))
	e.srv.Start()
	e.client = newClient(e.srv.URL)
	t.Cleanup(e.close)
	return e
}

// close stops the server and the gateway, then checks the expectations.
func (e *Emulator) close() {
	e.gw.close()
	e.srv.Close()
	e.client.CloseIdleConnections()
	e.checkUnanswered()
	e.checks.finish()
}

// URL returns the base http URL of the emulator, such as
// "http://127.0.0.1:41234". The REST API is under URL()+"/api/v10/".
func (e *Emulator) URL() string { return e.srv.URL }

// GatewayURL returns the websocket URL that GET /gateway hands out.
func (e *Emulator) GatewayURL() string {
	return "ws" + strings.TrimPrefix(e.srv.URL, "http")
}

// ResumeGatewayURL returns the resume_gateway_url sent in READY. A client
// that follows Discord's guidance reconnects here before sending RESUME.
func (e *Emulator) ResumeGatewayURL() string {
	return e.GatewayURL() + "/resume"
}

// Token returns the bot token the emulator accepts, without the "Bot "
// prefix.
func (e *Emulator) Token() string { return *e.token.Load() }

// newToken makes a token of the form Discord's have: the bot's id in
// base64, a timestamp part and an HMAC part.
func (e *Emulator) newToken() string {
	return base64.RawURLEncoding.EncodeToString([]byte(e.botID)) + "." + randomString(4) + "." + randomString(20)
}

// ResetToken does what Reset Token in Discord's developer portal does:
// from now on only the new token it returns is accepted. REST calls with
// the old one are answered 401, every gateway connection open now is
// closed with 4004 Authentication failed, and so is every IDENTIFY or
// RESUME with the old token.
func (e *Emulator) ResetToken() string {
	token := e.newToken()
	e.token.Store(&token)
	e.CloseConnections(4004, "Authentication failed.")
	return token
}

// AppID returns the bot's application id.
func (e *Emulator) AppID() string { return e.appID }

// BotID returns the bot user's id (the same as the application id, as for
// bots made in the developer portal).
func (e *Emulator) BotID() string { return e.botID }

// BotName returns the bot user's username.
func (e *Emulator) BotName() string { return e.cfg.botName }

// serveHTTP sends websocket upgrades to the gateway and /api/vN/ to the
// REST routes.
func (e *Emulator) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if isWebsocketUpgrade(r) {
		e.gw.serve(w, r)
		return
	}
	for _, v := range []string{"9", "10"} {
		prefix := "/api/v" + v
		if rest, ok := strings.CutPrefix(r.URL.Path, prefix); ok && strings.HasPrefix(rest, "/") {
			r2 := r.Clone(r.Context())
			r2.URL.Path = rest
			r2.URL.RawPath = ""
			r2.Header.Set(apiVersionHeader, v)
			e.mux.ServeHTTP(w, r2)
			return
		}
	}
	if strings.HasPrefix(r.URL.Path, "/attachments/") || strings.HasPrefix(r.URL.Path, "/ephemeral-attachments/") {
		e.serveCDN(w, r)
		return
	}
	writeJSON(w, http.StatusNotFound, apiError{Message: "404: Not Found", Code: 0})
}

// apiVersionHeader carries the API version from the prefix to the routes.
const apiVersionHeader = "X-Discordtest-Api-Version"

func isWebsocketUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// randomString returns n random bytes as URL-safe base64.
func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("discordtest: read random: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("discordtest: read random: " + err.Error())
	}
	return hex.EncodeToString(b)
}

func formatUint(v uint64) string { return strconv.FormatUint(v, 10) }
