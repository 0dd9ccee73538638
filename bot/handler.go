package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
)

// command is a slash command: its definition beside its handlers, one
// per subcommand. The bot's commands, by name (commandTable), are the one
// table that dispatch reads: which handler runs, the role it needs and
// whether it may be slow.
type command struct {
	def *discordgo.ApplicationCommand
	// routes are the handlers by subcommand; "" is the command's own,
	// for a command without subcommands.
	routes map[string]route
	// usage is what a person reads when the subcommand is none of
	// routes' (Discord sends only registered ones, so this is for a
	// definition left over from another version).
	usage string
}

// route is one entry of the table: a handler and what dispatch must see
// to before and around it.
type route struct {
	// role is who may run it; dispatch checks it with requireRole on
	// every use, whatever Discord's own gate let through.
	role role
	// slow marks a handler that may take minutes (building an export):
	// its work is bounded by slowTimeout instead of running unbounded.
	// Every handler, slow or not, is deferred by respond once it has
	// taken ackAfter.
	slow bool
	// audit is the action each use is recorded as in the audit log, with
	// what the handler notes (request.note) and its outcome; "": not
	// recorded (a read such as /prompt schedules). Refusals are recorded
	// whatever it says (requireRole).
	audit  string
	handle handler
}

// slowTimeout bounds a slow handler: within the 15 minutes an
// interaction token lives, so the person hears the end.
const slowTimeout = 10 * time.Minute

// handler does what a slash command asks and says what to show. It sends
// nothing itself, except in reply.after; an error is shown by fail.
type handler func(ctx context.Context, rq request) (reply, error)

// request is one slash command as a handler sees it.
type request struct {
	ic *discordgo.InteractionCreate
	i  *discordgo.Interaction
	// name and sub are the command and subcommand ("" for none).
	name, sub string
	// opts are the subcommand's options (the command's, without one),
	// by name.
	opts map[string]*discordgo.ApplicationCommandInteractionDataOption
	// note is what the handler tells the audit log of its action
	// (route.audit); never nil in a handler dispatch runs.
	note *auditNote
}

// str is the option's value as text (a channel's id for a channel); ""
// when it was not given.
func (rq request) str(name string) string {
	o, ok := rq.opts[name]
	if !ok {
		return ""
	}
	return fmt.Sprint(o.Value)
}

// flag is a boolean option's value; false when it was not given.
func (rq request) flag(name string) bool {
	o, ok := rq.opts[name]
	return ok && o.Type == discordgo.ApplicationCommandOptionBoolean && o.BoolValue()
}

// locale is the language of the person who asked.
func (rq request) locale() string { return string(rq.i.Locale) }

// reply is what a handler shows: one message as the interaction's
// response, then whatever after sends.
type reply struct {
	message
	// public shows the message in the channel; by default only the
	// person who asked sees it, so a handler that forgets to choose
	// publishes nothing.
	public bool
	// update replaces the message whose component was clicked instead of
	// sending one (a flow chosen from a menu).
	update bool
	// after sends the follow-ups, once the message is shown.
	after func()
}

// shown is what the person who asked sees, and nothing more.
func shown(m message) reply { return reply{message: m} }

// response is r as respond sends it.
func (r reply) response() response {
	initial := ephemeralReply(r.message)
	switch {
	case r.update:
		initial = updateReply(r.message)
	case r.public:
		initial = publicReply(r.message)
	}
	return response{initial: initial, after: r.after}
}

// newRequest reads the command and subcommand of a slash command.
func newRequest(ic *discordgo.InteractionCreate) request {
	i := ic.Interaction
	data := i.ApplicationCommandData()
	rq := request{ic: ic, i: i, name: data.Name, opts: map[string]*discordgo.ApplicationCommandInteractionDataOption{}}
	opts := data.Options
	if len(opts) > 0 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		rq.sub, opts = opts[0].Name, opts[0].Options
	}
	for _, o := range opts {
		rq.opts[o.Name] = o
	}
	return rq
}

// dispatch runs the handler the table has for a slash command, after
// its server and role check, and sends what it returns through respond:
// deferred when slow to come, an error told kindly (fail).
func (b *Bot) dispatch(ic *discordgo.InteractionCreate, c command) {
	rq := newRequest(ic)
	r, ok := c.routes[rq.sub]
	b.respond(rq.i, true, func(ctx context.Context) (response, error) {
		// Checked first, so a server PeerVoice does not serve learns
		// nothing, not even a command's usage (an unknown route is
		// anyone's).
		if err := b.requireRole(ic, r.role, rq.name); err != nil {
			return response{}, err
		}
		if !ok {
			return response{}, userError{c.usage}
		}
		if r.slow {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, slowTimeout)
			defer cancel()
		}
		rq.note = &auditNote{}
		res, err := r.handle(ctx, rq)
		if r.audit != "" {
			b.auditUse(ctx, rq, r.audit, rq.note, err)
		}
		if err != nil {
			return response{}, err
		}
		return res.response(), nil
	})
}

// one is the routes of a command without subcommands.
func one(r route) map[string]route { return map[string]route{"": r} }
