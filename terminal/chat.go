// Package terminal holds a questionnaire conversation in a terminal: the
// same consent, flows, safety checks and storage as Discord, with numbered
// options, so PeerVoice can be tried, tested and replayed with no Discord
// at all. Piped input works too, one answer per line (see
// Chat.Interactive for a last line without a newline).
//
// Of PeerVoice it imports only participant, flows and uitext: never store
// directly, nor discordgo or viper.
package terminal

import (
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
	// Interactive says In is a person at a terminal. There a line is
	// sent with Enter, so text left unsent when input ends (typed, then
	// Ctrl-D) is not taken as an answer: the session pauses at the
	// question instead. From a pipe or a file the last line counts even
	// without a final newline, since nobody is part-way through typing
	// it: `printf 'words'` and `echo -n` are a common way to write one.
	Interactive bool
	// Lang, if set, is the language the participant chose (chat --lang):
	// flows are shown in it where they have it, the flow under way is
	// switched to it, and the choice is remembered for later flows.
	// Interface strings follow the flow's language (see package uitext).
	Lang string
	// Scratch says the database goes when the chat ends (chat --scratch),
	// so leaving does not promise that the answers are kept.
	Scratch bool

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

var (
	// errQuit ends the conversation at the participant's request.
	errQuit = errors.New("quit")
	// errBack returns to the menu from a flow not started after all.
	errBack = errors.New("back to the menu")
)

// Run holds the conversation until the participant finishes or quits,
// input ends, or ctx is cancelled (Ctrl-C). Whenever it ends mid-flow the
// session is paused where it was, and the next Run resumes it.
func (c *Chat) Run(ctx context.Context) error {
	lines := readLines(c.In)
	w := &writer{w: c.Out}
	reply, err := c.open(ctx, w, lines)
	for {
		switch {
		case errors.Is(err, errQuit), errors.Is(err, errBack):
			w.printf("%s\n", uitext.T(c.ui(), uitext.TermGoodbye))
			return w.err
		case errors.Is(err, participant.ErrNoSession):
			reply, err = c.choose(ctx, w, lines)
			continue
		case err != nil:
			return err
		}
		finished, stopped := c.show(w, reply)
		if reply.Declined {
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
		if participant.IsHelp(line) {
			c.help(w, uitext.TermQuestionHelp)
			reply = again(reply)
			continue
		}
		reply, err = c.Service.Input(ctx, c.User, participant.Step{Input: c.input(reply, line), Lang: c.Lang})
		if errors.Is(err, participant.ErrNoSession) && reply.Signpost != "" {
			w.printf("\n%s\n", reply.Signpost)
		}
	}
}

// choose starts the flow asked for, or the one picked from the menu.
func (c *Chat) choose(ctx context.Context, w *writer, lines <-chan line) (participant.Reply, error) {
	if c.Flow != "" {
		return c.start(ctx, w, lines, c.Flow)
	}
	return c.menu(ctx, w, lines)
}

// help shows how to answer here (commands, a catalog key), then where
// to find support.
func (c *Chat) help(w *writer, commands uitext.Key) {
	w.printf("\n%s\n\n%s\n", uitext.T(c.ui(), commands), c.Service.HelpIn(c.ui()))
}

// again is reply cut down to its question, shown without the flow's
// introduction, to ask it again after help.
func again(reply participant.Reply) participant.Reply {
	ask, ok := lastAsk(reply)
	if !ok {
		return participant.Reply{Flow: reply.Flow, Session: reply.Session}
	}
	ask.Intro = ""
	return participant.Reply{Flow: reply.Flow, Session: reply.Session, Outputs: []flows.Output{ask}}
}

// open resumes the flow under way, or starts the one asked for.
func (c *Chat) open(ctx context.Context, w *writer, lines <-chan line) (participant.Reply, error) {
	if c.Flow != "" {
		if _, err := c.Service.Flows().Get(c.Flow); err != nil {
			return participant.Reply{}, err
		}
		return c.start(ctx, w, lines, c.Flow)
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
		msg := uitext.TermQuitPaused
		if c.Scratch {
			msg = uitext.TermScratchEnded
		}
		w.printf("\n%s\n", uitext.T(c.ui(), msg))
	}
	return w.err
}

// menu lists the flows with the participant's progress and starts the
// one they pick.
func (c *Chat) menu(ctx context.Context, w *writer, lines <-chan line) (participant.Reply, error) {
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
		case participant.IsHelp(choice):
			c.help(w, uitext.TermMenuHelp)
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
		reply, err := c.start(ctx, w, lines, id)
		if errors.Is(err, errBack) {
			continue
		}
		return reply, err
	}
}

// isQuit reports whether a typed line asks to leave the terminal (quit,
// exit, q, or gadael: see uitext.WordsQuit).
func isQuit(line string) bool {
	return uitext.Typed(line) == uitext.CmdQuit
}

// read prompts and waits for a line; false means input ended or ctx was
// cancelled. An over-long line is refused, and read waits for another.
func (c *Chat) read(ctx context.Context, w *writer, lines <-chan line) (string, bool) {
	for {
		w.printf("> ")
		var l line
		select {
		case <-ctx.Done():
			return "", false
		case next, ok := <-lines:
			if !ok {
				return "", false
			}
			l = next
		}
		switch {
		case l.partial && c.Interactive:
			w.printf("\n%s\n", uitext.T(c.ui(), uitext.TermUnsent))
			return "", false
		case l.tooLong:
			if c.Echo {
				w.printf("%s\n", uitext.T(c.ui(), uitext.TermEchoTooLong, l.runes))
			}
			w.printf("%s\n", uitext.T(c.ui(), uitext.TermTooLong, l.runes, flows.MaxMaxLength))
			continue
		}
		if c.Echo {
			w.printf("%s\n", l.text)
		}
		return l.text, true
	}
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
