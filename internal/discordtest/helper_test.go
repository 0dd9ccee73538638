package discordtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// waitTime bounds every wait in these tests (a hang, not a slow machine);
// nothing sleeps.
const waitTime = time.Minute

// ctx returns a context that ends after waitTime or with the test.
func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), waitTime)
	t.Cleanup(cancel)
	return c
}

// open connects a real discordgo session to the emulator, with handlers
// added before Open, and closes it when the test ends.
func open(t testing.TB, e *discordtest.Emulator, handlers ...any) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot " + e.Token())
	if err != nil {
		t.Fatalf("discordgo.New: %v", err)
	}
	s.Client = e.HTTPClient()
	s.LogLevel = -1 // discordgo logs expected reconnect errors; keep test output readable
	for _, h := range handlers {
		s.AddHandler(h)
	}
	if err := s.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// echoDMs answers every DM from a user with "echo: " and its content.
func echoDMs(report func(error)) func(*discordgo.Session, *discordgo.MessageCreate) {
	return func(s *discordgo.Session, m *discordgo.MessageCreate) {
		if m.Author.Bot || m.GuildID != "" {
			return
		}
		if _, err := s.ChannelMessageSend(m.ChannelID, "echo: "+m.Content); err != nil {
			report(err)
		}
	}
}

// restCode returns the Discord error code and HTTP status of err, if it is
// a REST error with a JSON body.
func restCode(err error) (code, status int) {
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		return 0, 0
	}
	if re.Message != nil {
		code = re.Message.Code
	}
	return code, re.Response.StatusCode
}

// errs collects errors from handler goroutines for the test goroutine.
type errs chan error

func newErrs() errs { return make(errs, 100) }

func (c errs) report(err error) {
	select {
	case c <- err:
	default:
	}
}

// none fails the test with any collected error.
func (c errs) none(t testing.TB) {
	t.Helper()
	for {
		select {
		case err := <-c:
			t.Errorf("bot handler: %v", err)
		default:
			return
		}
	}
}

// register overwrites the bot's global commands and waits for them.
func register(t testing.TB, s *discordgo.Session, e *discordtest.Emulator, guildID string, cmds ...*discordgo.ApplicationCommand) {
	t.Helper()
	if _, err := s.ApplicationCommandBulkOverwrite(s.State.User.ID, guildID, cmds); err != nil {
		t.Fatalf("ApplicationCommandBulkOverwrite: %v", err)
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	if err := e.WaitCommands(ctx(t), guildID, names...); err != nil {
		t.Fatal(err)
	}
}
