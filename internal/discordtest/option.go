package discordtest

import "time"

// Default values of the emulator's settings.
const (
	// DefaultHeartbeatInterval is the heartbeat_interval sent in HELLO. It is
	// much shorter than Discord's 41.25 s so that heartbeat behaviour shows up
	// in tests.
	DefaultHeartbeatInterval = time.Second
	// DefaultInteractionDeadline is how long Discord waits for the initial
	// response to an interaction.
	DefaultInteractionDeadline = 3 * time.Second
	// DefaultTokenLifetime is how long an interaction token stays valid for
	// edits and follow-ups.
	DefaultTokenLifetime = 15 * time.Minute
	// DefaultUploadLimit is how many bytes of files one message may carry:
	// Discord's limit for a server without boosts, which applies to the
	// whole request, not to each file.
	DefaultUploadLimit = 10 << 20
)

// config holds the settings that Options change.
type config struct {
	heartbeat     time.Duration
	clock         Clock
	deadline      time.Duration
	tokenLifetime time.Duration
	uploadLimit   int64
	specPath      string
	noSpec        bool
	sample        int // WithValidationSample; ≤ 1: every body
	botName       string
	token         string
	privileged    int64
	logf          func(format string, args ...any)
}

func defaultConfig() config {
	return config{
		heartbeat:     DefaultHeartbeatInterval,
		clock:         realClock{},
		deadline:      DefaultInteractionDeadline,
		tokenLifetime: DefaultTokenLifetime,
		uploadLimit:   DefaultUploadLimit,
		botName:       "PeerVoice",
		privileged:    IntentGuildMembers | IntentGuildPresences | IntentMessageContent,
	}
}

// Option changes a setting of an Emulator made by New.
type Option func(*config)

// WithHeartbeatInterval sets the heartbeat_interval announced in HELLO.
// discordgo treats five intervals without an ACK as a dead connection.
func WithHeartbeatInterval(d time.Duration) Option {
	return func(c *config) { c.heartbeat = d }
}

// WithClock makes the emulator read time from clock, for example a
// *FakeClock, instead of the wall clock.
func WithClock(clock Clock) Option {
	return func(c *config) { c.clock = clock }
}

// WithInteractionDeadline sets how long after an interaction is created its
// initial response is still accepted (Discord: 3 seconds).
func WithInteractionDeadline(d time.Duration) Option {
	return func(c *config) { c.deadline = d }
}

// WithTokenLifetime sets how long an interaction token stays valid for
// editing the response and sending follow-ups (Discord: 15 minutes).
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.tokenLifetime = d }
}

// WithUploadLimit sets how many bytes of files one request may upload
// (Discord: DefaultUploadLimit without boosts, more on boosted servers).
// A request over it is answered 413 with code 40005 and recorded as a
// limit violation, so a test can use a small limit instead of large files.
func WithUploadLimit(bytes int64) Option {
	return func(c *config) { c.uploadLimit = bytes }
}

// WithSpecPath validates requests against the OpenAPI description at path
// instead of looking it up (see the package documentation).
func WithSpecPath(path string) Option {
	return func(c *config) { c.specPath = path }
}

// WithoutSpec turns off validation against the OpenAPI description. The
// documented-limit checks stay on.
func WithoutSpec() Option {
	return func(c *config) { c.noSpec = true }
}

// WithBotName sets the username of the bot user.
func WithBotName(name string) Option {
	return func(c *config) { c.botName = name }
}

// WithToken sets the bot token the emulator accepts instead of a generated
// one.
func WithToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithPrivilegedIntents sets which privileged intents (IntentGuildMembers,
// IntentGuildPresences, IntentMessageContent) are enabled for the
// application, as the switches in Discord's developer portal do. An IDENTIFY
// asking for any other privileged intent is closed with code 4014. By default
// all three are enabled.
func WithPrivilegedIntents(mask int64) Option {
	return func(c *config) { c.privileged = mask }
}

// WithLogf sends the emulator's debug log (each request and gateway frame)
// to logf, for example t.Logf. By default nothing is logged.
func WithLogf(logf func(format string, args ...any)) Option {
	return func(c *config) { c.logf = logf }
}

// Gateway intents the emulator looks at.
const (
	IntentGuilds            int64 = 1 << 0
	IntentGuildMembers      int64 = 1 << 1
	IntentGuildPresences    int64 = 1 << 8
	IntentGuildMessages     int64 = 1 << 9
	IntentDirectMessages    int64 = 1 << 12
	IntentMessageContent    int64 = 1 << 15
	privilegedIntents             = IntentGuildMembers | IntentGuildPresences | IntentMessageContent
	permissionAdministrator       = 1 << 3
	permissionManageGuild         = 1 << 5
)
