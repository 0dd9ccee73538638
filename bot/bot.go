// Package bot is PeerVoice's Discord front end: slash commands, private
// questionnaires in DMs (or ephemeral messages when DMs are closed) and
// community prompts. For a participant it is a thin adapter over the
// participant service: it turns clicks and messages into steps, and
// replies into messages (interaction.go, dm.go, render.go, respond.go).
// Slash commands are routes in one table (handler.go): each handler
// returns a reply and an error, the dispatcher checks the role
// (requireRole, roles.go) and sends the reply.
//
// The workarounds for discordgo v0.28.1's gateway and REST client live in
// internal/discordfix; connect.go keeps what the bot tells the person
// setting it up (a refused token, a fatal close code). It also holds the
// prompt scheduler (schedule*.go), the one digest poster that the
// scheduler, /digest post and `peervoice digest --post` share
// (digest*.go), the moderators' quote review (quote_*.go), the export
// upload (export_command.go), the moderators' /flows (flows_*.go, over
// the FlowAdmin interface, with previews on a scratch participant
// service of their own) and the one gentle reminder to a participant
// who paused a flow (reminder.go). These post through narrow sender
// interfaces (send.go), not a *Bot back-pointer, and keep their records
// through interfaces bot defines (Store); docs/architecture.md follows a
// digest post through these files.
//
// Of PeerVoice it may import flows, participant, uitext, schedule,
// internal/keylock and internal/discordfix; research, for the types of
// what it is handed to post (quote candidates); digest and digest/chart, to
// render a digest for Discord; store, for the record types of its
// Store interfaces; and release and audit, for the types of FlowAdmin.
// Never config or viper: cmd passes plain values.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordfix"
	"github.com/peervoice/peervoice/internal/keylock"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/schedule"
	"github.com/peervoice/peervoice/store"
)

// Participants is what the bot needs from the participant service;
// *participant.Service satisfies it.
type Participants interface {
	Begin(ctx context.Context, u participant.User, flowID, lang string) (participant.Reply, error)
	Continue(ctx context.Context, u participant.User) (participant.Reply, error)
	Input(ctx context.Context, u participant.User, step participant.Step) (participant.Reply, error)
	Overview(ctx context.Context, u participant.User) ([]participant.FlowStatus, error)
	MyData(ctx context.Context, u participant.User) (participant.Data, error)
	Withdraw(ctx context.Context, u participant.User) (bool, error)
	Help() string
	HelpIn(lang string) string
	SetLanguage(ctx context.Context, u participant.User, sessionID, lang string) (participant.Reply, error)
	Flows() *flows.Catalog
	// For reminders (reminder.go): No more reminders, and the language
	// a session is shown in.
	StopReminders(ctx context.Context, u participant.User) (bool, error)
	CarryOn(ctx context.Context, u participant.User, flowID, lang string) (participant.Reply, error)
	SessionLanguage(ctx context.Context, sessionID string) string
}

var _ Participants = (*participant.Service)(nil)

// Config configures the bot.
type Config struct {
	Token              string // without the "Bot " prefix
	GuildID            string // the study's server: privileged commands work there alone (guild.go); "" for none
	APIURL             string // REST base URL; "" for Discord's
	GatewayURL         string // "" to ask GET /gateway
	ResearchChannelID  string
	ModeratorChannelID string
	// ModeratorRoles and ResearcherRoles are role ids checked on every
	// privileged command; empty: Manage Server stands in.
	ModeratorRoles, ResearcherRoles []string
	// HTTPTransport is the transport under the bot's own; nil for the
	// default. Tests pass the emulator's.
	HTTPTransport http.RoundTripper
	Log           *slog.Logger
	// Store is the database the scheduler, the digest poster and the
	// quote reviewer keep their records in; nil: no scheduled prompts
	// nor digests, no claim on a posted digest, no quote review.
	Store Store
	// Now is the clock of schedules, digest periods and quote reviews;
	// nil: time.Now. Tests pin it.
	Now func() time.Time
	// Location is digest.timezone, where digest periods and the digest
	// schedule are read, and the zone prompt schedules fall back on
	// (PromptsConfig.Location); nil: schedule.DefaultTimezone.
	Location *time.Location
	// Prompts configures scheduled community prompts (schedule_run.go);
	// the zero value schedules only what /prompt schedule adds.
	Prompts PromptsConfig
	// Digests builds a period's research digest for /digest; nil: the
	// command says digests are not available.
	Digests DigestSource
	// InvalidSessionBackoff is the wait before identifying again after
	// op 9 INVALID_SESSION (internal/discordfix); nil: a random 1 to 5
	// seconds, as Discord asks. Tests shorten it.
	InvalidSessionBackoff func() time.Duration
	// Exports builds the research export for /export, scrubbed; nil: the
	// command says exports are not available.
	Exports ExportSource
	// UploadLimit is the most bytes of files the bot uploads in one
	// message; 0: DefaultUploadLimit, Discord's limit without boosts.
	UploadLimit int64
	// DigestPosting configures posting digests: the weekly schedule and
	// the charts (digest_post.go).
	DigestPosting DigestPosting
	// Quotes configures the moderators' approval of quotes in
	// ModeratorChannelID (quote_review.go); the zero value: approval off.
	Quotes QuotesConfig
	// FlowAdmin manages the flows' versions for /flows (flows_*.go); nil:
	// /flows says flow management is not set up.
	FlowAdmin FlowAdmin
	// Preview configures the participant service each /flows preview runs
	// on: give it the study's safety detector, signpost and resources, so
	// a preview signposts as the study does. The bot sets its Flows,
	// ConsentVersion, NewID and Log, and its store is the preview's own
	// (flows_preview.go). The zero value: participant's defaults.
	Preview participant.Config
	// TokenCheckAfter is how long the gateway may stay disconnected
	// before the bot asks the REST API whether its token still works, and
	// then how often it asks again (connect.go); 0: 10 seconds. Tests
	// shorten it.
	TokenCheckAfter time.Duration
	// Audit keeps the audit log of privileged actions (audit.go): each
	// audited command, quote decision, scheduled post and refusal; nil:
	// audit.Discard.
	Audit audit.Recorder
	// Reminders configures the gentle reminder to participants who
	// paused a flow (reminder.go); the zero value: none.
	Reminders RemindersConfig
}

// Store is what the bot keeps in the database: the schedules and the
// claim on each post (ScheduleStore), the claim on each digest and its
// messages (DigestStore), the moderators' quote reviews (QuoteStore).
// *store.DB satisfies it; the scheduler, the digest poster and the quote
// reviewer each see only their part.
type Store interface {
	ScheduleStore
	DigestStore
	QuoteStore
	ReminderStore
}

var _ Store = (*store.DB)(nil)

// withDefaults fills in what cfg leaves to the bot: the log (with
// discordgo's errors cleaned), the clock and the time zone.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	cfg.Log = discordfix.CleanErrors(cfg.Log)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		loc, err := schedule.Location("")
		if err != nil {
			return cfg, fmt.Errorf("digest.timezone: %w", err)
		}
		cfg.Location = loc
	}
	return cfg, nil
}

// discordfix is what the discordgo workarounds need of cfg.
func (cfg Config) discordfix() discordfix.Options {
	return discordfix.Options{APIURL: cfg.APIURL, GatewayURL: cfg.GatewayURL, Base: cfg.HTTPTransport, Log: cfg.Log, InvalidSessionBackoff: cfg.InvalidSessionBackoff}
}

// ErrNoToken is returned by New without a token.
var ErrNoToken = errors.New(`no Discord bot token: create an application at https://discord.com/developers/applications, add a bot, copy its token, and set it as PEERVOICE_DISCORD_TOKEN (or discord.token in the config file). To try PeerVoice without Discord, run: peervoice chat`)

// Bot is a running PeerVoice Discord bot.
type Bot struct {
	cfg Config
	svc Participants
	log *slog.Logger
	s   *discordgo.Session
	gw  *discordfix.Gateway

	appID      string
	commands   map[string]command
	registered string         // the flow ids the registered commands list
	sched      *scheduler     // nil: no scheduled prompts nor digests
	poster     *digestPoster  // posts every digest: the scheduler's and /digest post's
	quotes     *quoteReviewer // nil: quote approval off
	audit      auditLog       // the audit log of privileged actions (audit.go)
	reminders  *reminderJob   // nil: reminders off

	inflight  sync.WaitGroup
	userLocks keylock.Locks // lockUser
	mu        sync.Mutex
	closing   bool
	last      map[string]messageRef // session id → its latest question message in a DM
	ready     chan struct{}         // closed once connected and commands registered
	connected chan struct{}         // closed at the first READY
	readyOnce sync.Once

	watch *tokenWatch // stops Run when the token is refused while it runs

	previews previews     // the /flows previews under way (flows_preview.go)
	files    *http.Client // downloads the files moderators attach (flows_upload.go)
}

// messageRef is a question message the bot sent to a DM, kept so a typed
// answer can mark it answered without fetching it back.
type messageRef struct {
	channelID, messageID string
	msg                  *discordgo.Message
}

// New builds a bot; Run connects it.
func New(cfg Config, svc Participants) (*Bot, error) {
	if cfg.Token == "" {
		return nil, ErrNoToken
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	discordfix.RouteLog(cfg.Log)
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	fix := cfg.discordfix()
	tr, err := discordfix.NewTransport(fix)
	if err != nil {
		return nil, err
	}
	s.Client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	// The least the bot needs: guild events for slash commands in servers,
	// and DMs for typed answers. Message content in DMs needs no
	// privileged intent.
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages
	// No per-payload compression (discordgo asks for it by default):
	// discordgo inflates each compressed event with a new zlib reader,
	// about 40 KB of garbage per event, a quarter of what the bot
	// allocated under load; the bot's events are a few KB of JSON.
	s.Identify.Compress = false
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	s.LogLevel = discordgo.LogError
	gw := discordfix.Install(s, fix)
	b := &Bot{gw: gw, cfg: cfg, svc: svc, log: cfg.Log, s: s, last: map[string]messageRef{}, ready: make(chan struct{}), connected: make(chan struct{})}
	// Its own client, with a timeout: an attachment is fetched from
	// Discord's CDN, not through the API's rate-limited transport.
	b.files = &http.Client{Transport: cfg.HTTPTransport, Timeout: 30 * time.Second}
	b.audit = newAuditLog(cfg)
	b.commands = b.commandTable()
	// The posters reach Discord through a sender, not through b.
	b.poster = newDigestPoster(cfg, discordSender{s})
	if b.sched, err = newScheduler(cfg, b, svc.Flows(), b.poster); err != nil {
		return nil, err
	}
	b.quotes = newQuoteReviewer(cfg, discordSender{s}, b.lockQuote)
	if b.reminders, err = newReminderJob(cfg, discordSender{s}, svc); err != nil {
		return nil, err
	}
	b.watch = newTokenWatch(b, cfg.TokenCheckAfter)
	s.AddHandler(b.watch.onConnect)
	s.AddHandler(b.watch.onDisconnect)
	s.AddHandler(b.onReady)
	s.AddHandler(b.serverWatch()) // guild.go: warns of servers not served
	s.AddHandler(b.onInteraction)
	s.AddHandler(b.onMessage)
	return b, nil
}

// Run connects to Discord, registers the slash commands and serves until
// ctx is cancelled; then it finishes the steps in flight and closes the
// gateway cleanly.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.s.Open(); err != nil {
		return explain("connect to Discord", err)
	}
	select {
	case <-b.connected:
	case <-ctx.Done():
		b.closeGateway()
		return nil
	case <-time.After(30 * time.Second):
		b.closeGateway()
		return errors.New("connect to Discord: no READY within 30 seconds")
	}
	if err := b.register(); err != nil {
		b.closeGateway()
		return err
	}
	b.log.Info("PeerVoice bot ready", "commands", len(b.commands), "guild", b.cfg.GuildID, "upload_limit", b.uploadLimit())
	b.logServerBinding() // guild.go
	b.startScheduler(ctx)
	b.startQuoteReviewer(ctx)
	b.startReminders(ctx)
	close(b.ready)
	var fatal error
	select {
	case <-ctx.Done():
	case fatal = <-b.watch.refused:
		b.log.Error("stopping: Discord refused the bot token", "fix", "reset the token in the Discord Developer Portal and set the new one")
	}
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	b.inflight.Wait()
	if err := b.closeGateway(); err != nil && fatal == nil {
		return fmt.Errorf("close gateway: %w", err)
	}
	b.log.Info("PeerVoice bot stopped")
	return fatal
}

// closeGateway closes the gateway connection for good: discordgo's
// reconnect loop, if one is running, cannot open it again.
func (b *Bot) closeGateway() error {
	b.gw.Shutdown()
	return b.s.Close()
}

// Ready is closed once the bot has connected and registered its commands.
func (b *Bot) Ready() <-chan struct{} { return b.ready }

func (b *Bot) onReady(s *discordgo.Session, r *discordgo.Ready) {
	// Only the first READY counts: the application never changes, and a
	// READY after a new IDENTIFY (op 9) comes in a handler goroutine of
	// its own, which must not write what register reads.
	b.readyOnce.Do(func() {
		if r.Application != nil && r.Application.ID != "" {
			b.appID = r.Application.ID
		} else if r.User != nil {
			b.appID = r.User.ID
		}
		close(b.connected)
	})
}

// lockUser serialises one person's steps together with the delivery of
// their replies, so their next answer is handled only once the question
// it answers is on screen and known to the bot (a fast typist must not
// overtake the bot's own messages). The lock is that person's alone:
// nobody waits for anyone else. Returns the unlock function.
func (b *Bot) lockUser(userID string) func() { return b.userLocks.Lock(userID) }

// track runs a handler as an in-flight step unless the bot is closing.
func (b *Bot) track() (done func(), ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing {
		return nil, false
	}
	b.inflight.Add(1)
	return b.inflight.Done, true
}

// userOf returns the person behind an interaction, in a DM or a server.
func userOf(i *discordgo.InteractionCreate) *discordgo.User {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User
	}
	return i.User
}

func person(u *discordgo.User) participant.User {
	return participant.User{Platform: "discord", ID: u.ID}
}
