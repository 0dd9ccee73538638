package discordtest_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// quietHeartbeat keeps discordgo's heartbeat goroutine idle during a test.
// Otherwise a heartbeat failing on a dropped connection races with the
// reader: both call Session.Close and reconnect, and the late Close can
// end the new connection with code 1000 (a discordgo v0.28.1 race).
var quietHeartbeat = discordtest.WithHeartbeatInterval(time.Minute)

// settle waits for the first heartbeat ACK. discordgo v0.28.1 sends its
// first heartbeat from a goroutine started by Open; a connection disrupted
// before that heartbeat went out makes that goroutine reconnect as well,
// racing (a data race, under -race) with the reader's reconnect.
func settle(t *testing.T, e *discordtest.Emulator) {
	t.Helper()
	if _, err := e.WaitGateway(ctx(t), func(s discordtest.GatewayStats) bool { return s.HeartbeatACKs > 0 }); err != nil {
		t.Fatal(err)
	}
}

func TestConnectReady(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	g := e.AddGuild("Peer Support")
	ch := g.AddChannel("general")
	ready := make(chan *discordgo.Ready, 1)
	s := open(t, e, func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
	r := <-ready
	if r.SessionID == "" || r.User.ID != e.BotID() || r.Application.ID != e.AppID() {
		t.Errorf("READY = session %q user %q app %q; want a session, user %s, app %s", r.SessionID, r.User.ID, r.Application.ID, e.BotID(), e.AppID())
	}
	if err := e.WaitReady(ctx(t)); err != nil {
		t.Fatal(err)
	}
	st := e.GatewayStats()
	if st.Identifies != 1 || st.Resumes != 0 || st.Token != "Bot "+e.Token() {
		t.Errorf("stats = %+v; want 1 IDENTIFY with the bot token", st)
	}
	if st.Intents != int64(discordgo.IntentsAllWithoutPrivileged) {
		t.Errorf("intents = %d; want discordgo's default %d", st.Intents, discordgo.IntentsAllWithoutPrivileged)
	}
	if got := e.RequestsTo("GET /gateway"); len(got) != 1 || got[0].APIVersion != "9" {
		t.Errorf("GET /gateway requests = %+v; want one, on API v9", got)
	}
	// GUILD_CREATE fills discordgo's state.
	if _, err := e.WaitGateway(ctx(t), func(discordtest.GatewayStats) bool {
		_, err := s.State.Channel(ch.ID)
		return err == nil
	}); err != nil {
		t.Fatalf("channel %s never reached discordgo's state: %v", ch.ID, err)
	}
}

// TestEventsDecode checks that every event the emulator dispatches decodes
// into discordgo's type for it, so discordgo never drops one silently.
func TestEventsDecode(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	e.AddGuild("Before")
	s := open(t, e)
	g := e.AddGuild("Guild") // added live: GUILD_CREATE, CHANNEL_CREATE, ...
	ch := g.AddChannel("general")
	mod := g.AddRole("Mods", discordtest.PermissionManageGuild)
	register(t, s, e, "", &discordgo.ApplicationCommand{Name: "ping", Description: "Ping", Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionUser, Name: "who", Description: "who"},
	}})
	alice := e.User("alice")
	g.AddMember(alice, mod)
	alice.SendDM("hi")
	if _, err := alice.RunCommandIn(ch, "ping", discordtest.Opt("who", alice)); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.RunCommand("ping"); err != nil {
		t.Fatal(err)
	}
	types := map[string]any{
		"READY": &discordgo.Ready{}, "GUILD_CREATE": &discordgo.GuildCreate{}, "CHANNEL_CREATE": &discordgo.ChannelCreate{},
		"GUILD_ROLE_CREATE": &discordgo.GuildRoleCreate{}, "GUILD_MEMBER_ADD": &discordgo.GuildMemberAdd{},
		"MESSAGE_CREATE": &discordgo.MessageCreate{}, "INTERACTION_CREATE": &discordgo.InteractionCreate{},
	}
	seen := map[string]bool{}
	for _, ev := range e.GatewayEvents() {
		v, ok := types[ev.Type]
		if !ok {
			continue
		}
		seen[ev.Type] = true
		fresh := reflect.New(reflect.TypeOf(v).Elem()).Interface()
		if err := json.Unmarshal(ev.Data, fresh); err != nil {
			t.Errorf("%s does not decode into %T: %v\n%s", ev.Type, fresh, err, ev.Data)
		}
	}
	for typ := range types {
		if typ != "GUILD_MEMBER_ADD" && !seen[typ] { // discordgo's default intents lack GUILD_MEMBERS
			t.Errorf("no %s event was dispatched", typ)
		}
	}
}

func TestBadTokenClosedWith4004(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	s, _ := discordgo.New("Bot not-the-token")
	s.Client = e.HTTPClient()
	s.LogLevel = -1
	s.ShouldReconnectOnError = false
	err := s.Open()
	if err == nil || !strings.Contains(err.Error(), "4004") {
		t.Errorf("Open with a wrong token = %v; want a close with code 4004", err)
	}
	if st := e.GatewayStats(); st.AuthFailures != 1 {
		t.Errorf("AuthFailures = %d; want 1", st.AuthFailures)
	}
	if _, err := s.User("@me"); err == nil {
		t.Error("GET /users/@me with a wrong token succeeded; want 401")
	}
}

// TestResetToken: after ResetToken the old token is refused everywhere,
// as after Reset Token in the developer portal, and the new one works.
func TestResetToken(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t, quietHeartbeat)
	old := e.Token()
	dial := func(token string) (*discordgo.Session, chan struct{}, error) {
		s, _ := discordgo.New("Bot " + token)
		s.Client = e.HTTPClient()
		s.LogLevel = -1
		s.ShouldReconnectOnError = false
		gone := make(chan struct{}, 1)
		s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { gone <- struct{}{} })
		return s, gone, s.Open()
	}
	s, gone, err := dial(old)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	settle(t, e)
	tok := e.ResetToken()
	if tok == old || e.Token() != tok {
		t.Fatalf("ResetToken() = %q, Token() = %q; want a new token, %q before", tok, e.Token(), old)
	}
	select {
	case <-gone:
	case <-ctx(t).Done():
		t.Fatal("the connection with the old token stayed open")
	}
	if _, err := s.User("@me"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("GET /users/@me with the old token = %v; want 401", err)
	}
	if again, _, err := dial(old); err == nil || !strings.Contains(err.Error(), "4004") {
		again.Close()
		t.Errorf("IDENTIFY with the old token: %v; want a close with 4004", err)
	}
	if st := e.GatewayStats(); st.AuthFailures != 1 {
		t.Errorf("AuthFailures = %d; want 1", st.AuthFailures)
	}
	fresh := open(t, e)
	if _, err := fresh.User("@me"); err != nil {
		t.Errorf("GET /users/@me with the new token: %v", err)
	}
}

func TestReconnectResumesAndReplays(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t, quietHeartbeat)
	bot := newErrs()
	open(t, e, echoDMs(bot.report))
	alice := e.User("alice")
	settle(t, e)
	if e.RequestReconnect() != 1 {
		t.Fatal("RequestReconnect reached no connection")
	}
	// discordgo waits a second before reconnecting; this DM lands in the
	// gap and must be replayed on RESUME.
	if _, err := e.WaitGateway(ctx(t), func(s discordtest.GatewayStats) bool { return s.Connected == 0 }); err != nil {
		t.Fatal(err)
	}
	alice.SendDM("during the gap")
	if _, err := alice.WaitMessage(ctx(t), discordtest.ContentContains("echo: during the gap")); err != nil {
		t.Fatal(err)
	}
	st := e.GatewayStats()
	if st.Identifies != 1 || st.SuccessfulResumes != 1 || st.ReplayedEvents < 1 {
		t.Errorf("after op 7: %d IDENTIFY, %d RESUMED, %d replayed; want 1, 1, >=1", st.Identifies, st.SuccessfulResumes, st.ReplayedEvents)
	}
	if st.ResumeURLConnections != 0 {
		t.Errorf("discordgo v0.28.1 used resume_gateway_url %d times; it is known to ignore it", st.ResumeURLConnections)
	}
	if len(st.ClientCloseCodes) == 0 || st.ClientCloseCodes[0] != 1012 {
		t.Errorf("client close codes = %v; want 1012 (service restart) first", st.ClientCloseCodes)
	}
	bot.none(t)
}

func TestDroppedConnectionReconnects(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t, quietHeartbeat)
	bot := newErrs()
	open(t, e, echoDMs(bot.report))
	settle(t, e)
	e.DropConnections()
	alice := e.User("alice")
	alice.SendDM("are you there")
	if _, err := alice.WaitMessage(ctx(t), discordtest.ContentContains("echo: are you there")); err != nil {
		t.Fatal(err)
	}
	st, err := e.WaitGateway(ctx(t), func(s discordtest.GatewayStats) bool { return s.SuccessfulResumes == 1 })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stats after drop: %+v", st)
	if st.Connections != 2 || st.Identifies != 1 {
		t.Errorf("after a drop: %d connections, %d IDENTIFY; want 2 and 1", st.Connections, st.Identifies)
	}
	bot.none(t)
}

// TestMissedHeartbeatACKs shows a discordgo v0.28.1 quirk: after five
// intervals without an ACK it closes with code 1000, which ends the session
// on Discord, so its RESUME fails and it identifies again.
func TestMissedHeartbeatACKs(t *testing.T) {
	t.Parallel()
	// Five missed intervals end the connection: at 200 ms that is a second,
	// long enough that a busy machine does not miss ACKs before the test
	// suspends them.
	e := discordtest.New(t, discordtest.WithHeartbeatInterval(200*time.Millisecond))
	open(t, e)
	if _, err := e.WaitGateway(ctx(t), func(s discordtest.GatewayStats) bool { return s.HeartbeatACKs > 0 }); err != nil {
		t.Fatal(err)
	}
	e.SuspendHeartbeatACKs()
	st, err := e.WaitGateway(ctx(t), func(s discordtest.GatewayStats) bool { return s.Identifies == 2 && s.Connected == 1 })
	if err != nil {
		t.Fatal(err)
	}
	if st.Resumes != 1 || st.SuccessfulResumes != 0 || st.InvalidSessionsSent != 1 {
		t.Errorf("after missed ACKs: %d RESUME (%d ok), %d op 9; want 1 failed RESUME answered with op 9", st.Resumes, st.SuccessfulResumes, st.InvalidSessionsSent)
	}
}

func TestInvalidSessionReidentifies(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t, quietHeartbeat)
	bot := newErrs()
	open(t, e, echoDMs(bot.report))
	settle(t, e)
	e.InvalidateSession(false)
	st, err := e.WaitGateway(ctx(t), func(s discordtest.GatewayStats) bool { return s.Identifies == 2 && s.Connected == 1 })
	if err != nil {
		t.Fatal(err)
	}
	if st.Connections != 1 {
		t.Errorf("discordgo opened %d connections; v0.28.1 identifies again on the same one", st.Connections)
	}
	alice := e.User("alice")
	alice.SendDM("still there?")
	if _, err := alice.WaitMessage(ctx(t), discordtest.ContentContains("echo: still there?")); err != nil {
		t.Fatal(err)
	}
	bot.none(t)
}

func TestServerCloseResumes(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t, quietHeartbeat)
	open(t, e)
	settle(t, e)
	e.CloseConnections(4000, "Unknown error.")
	st, err := e.WaitGateway(ctx(t), func(s discordtest.GatewayStats) bool { return s.SuccessfulResumes == 1 && s.Connected == 1 })
	if err != nil {
		t.Fatal(err)
	}
	if st.Identifies != 1 {
		t.Errorf("after close 4000: %d IDENTIFY; want 1 (resumed)", st.Identifies)
	}
}

// TestRefusedResumeRepeats shows a discordgo v0.28.1 gap: after a RESUME
// is closed with 4007 (invalid seq), which tells the client to start a
// new session, it resumes the same session again on every try and never
// identifies. (internal/discordfix makes it identify.)
func TestRefusedResumeRepeats(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t, quietHeartbeat)
	open(t, e)
	settle(t, e)
	e.RefuseResumes(4007, "Invalid seq.")
	e.DropConnections()
	st, err := e.WaitGateway(ctx(t), func(s discordtest.GatewayStats) bool { return s.ResumesRefused >= 2 })
	if err != nil {
		t.Fatal(err)
	}
	if st.Identifies != 1 || st.SuccessfulResumes != 0 || st.Resumes != st.ResumesRefused {
		t.Errorf("%d IDENTIFY, %d RESUME (%d ok, %d refused); want 1 IDENTIFY and only refused RESUMEs", st.Identifies, st.Resumes, st.SuccessfulResumes, st.ResumesRefused)
	}
	// Its reconnect loop ends once a RESUME gets op 9 instead, so that
	// the test's Close is not undone.
	e.RefuseResumes(0, "")
	if _, err := e.WaitGateway(ctx(t), func(s discordtest.GatewayStats) bool { return s.Identifies == 2 && s.Connected == 1 }); err != nil {
		t.Fatal(err)
	}
}
