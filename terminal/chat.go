// Package terminal holds a questionnaire conversation in a terminal: the
// same consent, flows, safety checks and storage as Discord, with numbered
// options, so PeerVoice can be tried, tested and replayed with no Discord
// at all. Piped input works too, one answer per line.
package terminal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/uitext"
)

// Chat is one terminal conversation.
type Chat struct {
	Service *participant.Service
	User    participant.User
	In      io.Reader
	Out     io.Writer
	// Flow, if set, is the one flow to run; otherwise the participant
	// picks from a menu, and returns to it after each flow.
	Flow string
	// Echo writes each input line after its prompt, so a transcript of
	// piped input reads like the conversation it was.
	Echo bool
	// Lang, if set, is the language the participant chose (chat --lang):
	// flows are shown in it where they have it, the flow under way is
	// switched to it, and the choice is remembered for later flows.
	// Interface strings follow the flow's language (see package uitext).
	Lang string

	shown string // the language of the last flow shown, for what follows it
}

// ui is the language of the terminal's own words outside a flow: the
// last flow's, else Lang.
func (c *Chat) ui() string {
	if c.shown != "" {
		return c.shown
	}
	return c.Lang
}

// errQuit ends the conversation at the participant's request.
var errQuit = errors.New("quit")

// Run holds the conversation until the participant finishes or quits,
// input ends, or ctx is cancelled (Ctrl-C). Whenever it ends mid-flow the
// session is paused where it was, and the next Run resumes it.
func (c *Chat) Run(ctx context.Context) error {
	lines := readLines(c.In)
	w := &writer{w: c.Out}
	reply, err := c.open(ctx)
	for {
		if errors.Is(err, participant.ErrNoSession) {
			if c.Flow != "" {
				reply, err = c.begin(ctx, c.Flow)
				continue
			}
			reply, err = c.menu(ctx, w, lines)
			if errors.Is(err, errQuit) {
				w.printf("%s\n", uitext.T(c.ui(), uitext.TermGoodbye))
				return w.err
			}
			continue
		}
		if err != nil {
			return err
		}
		finished, stopped := c.show(w, reply)
		if reply.Declined {
			return w.err
		}
		if stopped && c.Flow != "" {
			return w.err
		}
		if finished || stopped {
			if c.Flow != "" {
				return w.err
			}
			err = participant.ErrNoSession // back to the menu
			continue
		}
		line, ok := c.read(ctx, w, lines)
		if !ok || isQuit(line) {
			return c.pause(ctx, w)
		}
		reply, err = c.Service.Input(ctx, c.User, participant.Step{Input: c.input(reply, line), Lang: c.Lang})
		if errors.Is(err, participant.ErrNoSession) && reply.Signpost != "" {
			w.printf("\n%s\n", reply.Signpost)
		}
	}
}

// open resumes the flow under way, or starts the one asked for.
func (c *Chat) open(ctx context.Context) (participant.Reply, error) {
	if c.Flow != "" {
		if _, err := c.Service.Flows().Get(c.Flow); err != nil {
			return participant.Reply{}, err
		}
		return c.begin(ctx, c.Flow)
	}
	reply, err := c.Service.Continue(ctx, c.User)
	if err == nil && c.Lang != "" {
		return c.Service.SetLanguage(ctx, c.User, reply.Session.ID, c.Lang)
	}
	return reply, err
}

// begin starts or resumes flowID, in the language the participant chose.
func (c *Chat) begin(ctx context.Context, flowID string) (participant.Reply, error) {
	if c.Lang != "" {
		return c.Service.BeginIn(ctx, c.User, flowID, c.Lang)
	}
	return c.Service.Begin(ctx, c.User, flowID, "")
}

// input turns a typed line into engine input. An empty line keeps the
// earlier answer shown as the default after going back.
func (c *Chat) input(reply participant.Reply, line string) flows.Input {
	if strings.TrimSpace(line) == "" {
		if ask, ok := lastAsk(reply); ok && ask.Default != nil {
			if len(ask.Default.Choices) > 0 {
				return flows.Input{Kind: flows.Choose, Choices: ask.Default.Choices}
			}
			if ask.Default.Text != "" {
				return flows.Input{Kind: flows.Enter, Text: ask.Default.Text}
			}
			if ask.Default.Number != nil {
				return flows.Input{Kind: flows.Enter, Text: strconv.FormatFloat(*ask.Default.Number, 'f', -1, 64)}
			}
		}
	}
	return flows.Typed(line)
}

func (c *Chat) pause(ctx context.Context, w *writer) error {
	// Pause even when ctx was cancelled: the step must reach the disk.
	_, err := c.Service.Pause(context.WithoutCancel(ctx), c.User)
	if err != nil && !errors.Is(err, participant.ErrNoSession) {
		return err
	}
	if err == nil {
		w.printf("\n%s\n", uitext.T(c.ui(), uitext.TermQuitPaused))
	}
	return w.err
}

// menu lists the flows with the participant's progress and starts the
// one they pick.
func (c *Chat) menu(ctx context.Context, w *writer, lines <-chan string) (participant.Reply, error) {
	for {
		list, err := c.Service.Overview(ctx, c.User)
		if err != nil {
			return participant.Reply{}, err
		}
		w.printf("\n%s\n", uitext.T(c.ui(), uitext.MenuTitle))
		for i, fs := range list {
			w.printf("  %d. %s (%s)\n", i+1, fs.Flow.Title.In(fs.Flow.Lang(c.Lang)), fs.Progress.In(c.ui()))
		}
		w.printf("%s\n", uitext.T(c.ui(), uitext.TermMenuHint))
		line, ok := c.read(ctx, w, lines)
		if !ok {
			return participant.Reply{}, errQuit
		}
		choice := strings.ToLower(strings.TrimSpace(line))
		switch {
		case isQuit(choice):
			return participant.Reply{}, errQuit
		case choice == "":
			continue
		case uitext.Typed(choice) == uitext.CmdHelp:
			w.printf("\n%s\n", c.Service.HelpIn(c.ui()))
			continue
		}
		id := choice
		if n, err := strconv.Atoi(choice); err == nil && n >= 1 && n <= len(list) {
			id = list[n-1].Flow.ID
		}
		if _, err := c.Service.Flows().Get(id); err != nil {
			w.printf("%s\n", uitext.T(c.ui(), uitext.TermNotRecognise, line, len(list)))
			continue
		}
		return c.begin(ctx, id)
	}
}

// isQuit reports whether a typed line asks to leave the terminal (quit,
// exit, q, or gadael: see uitext.WordsQuit).
func isQuit(line string) bool {
	return uitext.Typed(line) == uitext.CmdQuit
}

// read prompts and waits for a line; false means input ended or ctx was
// cancelled.
func (c *Chat) read(ctx context.Context, w *writer, lines <-chan string) (string, bool) {
	w.printf("> ")
	select {
	case <-ctx.Done():
		return "", false
	case line, ok := <-lines:
		if !ok {
			return "", false
		}
		if c.Echo {
			w.printf("%s\n", line)
		}
		return line, true
	}
}

// readLines delivers lines from r on a channel, so a read can be
// abandoned when ctx is cancelled.
func readLines(r io.Reader) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			ch <- strings.TrimRight(sc.Text(), "\r")
		}
	}()
	return ch
}

// writer remembers the first write error, so printing stays readable.
type writer struct {
	w   io.Writer
	err error
}

func (w *writer) printf(format string, args ...any) {
	if w.err != nil {
		return
	}
	_, w.err = fmt.Fprintf(w.w, format, args...)
}
