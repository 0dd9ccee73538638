package bot

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/audit"
)

// The audit log of privileged actions (docs/security.md): every
// moderator and researcher command the table marks (route.audit), every
// quote decision, every post the scheduler makes, and every refusal of a
// privileged command or button, or of anything from a server not served.
// An entry names staff by Discord user id and display name; it never
// holds a participant's id, pseudonym, answers, nor a custom id (which
// carries a session id).

// auditTimeout bounds one Record: the log is a local SQLite file, so
// this is only a guard against a wedged disk holding a handler forever.
const auditTimeout = 10 * time.Second

// auditLog records entries through Config.Audit. A failure to record is
// logged and never undoes, nor hides, the action: it has been done, and
// the person who asked is told so.
type auditLog struct {
	rec audit.Recorder
	log *slog.Logger
	now func() time.Time
}

func newAuditLog(cfg Config) auditLog {
	rec := cfg.Audit
	if rec == nil {
		rec = audit.Discard
	}
	return auditLog{rec: rec, log: cfg.Log, now: cfg.Now}
}

// record appends e, stamped now when its time is zero. It runs even when
// ctx is done (an interaction's work can finish as its context ends):
// the action happened, so its record must be kept. The zero auditLog
// (a Bot built by a test without New) keeps nothing.
func (l auditLog) record(ctx context.Context, e audit.Entry) {
	if l.rec == nil {
		return
	}
	if e.At.IsZero() {
		e.At = l.now()
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditTimeout)
	defer cancel()
	if err := l.rec.Record(ctx, e); err != nil {
		l.log.Error("audit: could not record a privileged action in the audit log; the action itself stands",
			"action", e.Action, "actor_kind", e.Actor.Kind, "target", e.Target, "outcome", e.Outcome, "details", e.Details, "err", err)
	}
}

// systemActor is the bot itself: the scheduler's posts.
var systemActor = audit.Actor{Kind: audit.KindSystem}

// staffActor is the member behind an interaction, by user id and the
// name the server showed at the time: their nickname there, else their
// global display name, else their user name. Only for members who hold
// a staff role (or act as one): participants are never named.
func staffActor(ic *discordgo.InteractionCreate) audit.Actor {
	u := userOf(ic)
	if u == nil {
		return audit.Actor{Kind: audit.KindDiscord}
	}
	name := u.Username
	if u.GlobalName != "" {
		name = u.GlobalName
	}
	if ic.Member != nil && ic.Member.Nick != "" {
		name = ic.Member.Nick
	}
	return audit.Actor{Kind: audit.KindDiscord, ID: u.ID, Name: name}
}

// refusedActor is who a refusal names: a member holding a staff role
// (a researcher trying a moderator's command) by id and name; anyone
// else, who may be a participant, by no id at all.
func (b *Bot) refusedActor(ic *discordgo.InteractionCreate) audit.Actor {
	if ic.GuildID == b.cfg.GuildID && b.cfg.GuildID != "" &&
		(allowed(ic, b.cfg.ModeratorRoles, moderatorPerms) || allowed(ic, b.cfg.ResearcherRoles, moderatorPerms)) {
		return staffActor(ic)
	}
	return audit.Actor{Kind: audit.KindDiscord}
}

// anonymousNote is the details of a refusal whose actor is not named.
const anonymousNote = "the member holds no staff role, so they are not named (they may be a participant)"

// auditRefusal records a refused interaction: what was asked (never its
// options, which a participant's step could hold) and why it was refused.
func (b *Bot) auditRefusal(ic *discordgo.InteractionCreate, why string) {
	actor := b.refusedActor(ic)
	if actor.ID == "" {
		why += "; " + anonymousNote
	}
	b.audit.record(context.Background(), audit.Entry{Actor: actor, Action: interactionAction(ic), Outcome: audit.Refused, Details: why})
}

// interactionAction names what an interaction asked for, as its entry in
// the log does: "prompt.post", "export", "quote.approve", "button", "form".
func interactionAction(ic *discordgo.InteractionCreate) string {
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		return commandAction(newRequest(ic))
	case discordgo.InteractionMessageComponent:
		if id, err := ParseID(ic.MessageComponentData().CustomID); err == nil {
			if a, ok := buttonActions[id.Action]; ok {
				return a
			}
		}
		return "button"
	case discordgo.InteractionModalSubmit:
		return "form"
	}
	return "interaction"
}

// commandAction is a slash command's action: its name, and subcommand.
func commandAction(rq request) string {
	if rq.sub == "" {
		return rq.name
	}
	return rq.name + "." + rq.sub
}

// buttonActions are the privileged buttons' actions in the log.
var buttonActions = map[Action]string{
	ActApproveQuote: "quote.approve",
	ActRejectQuote:  "quote.reject",
	ActUndoQuote:    "quote.undo",
}

// auditNote is what a handler tells the log about its action, filled in
// as it goes: dispatch records it with the outcome once it returns.
type auditNote struct {
	target, details string
}

// auditUse records one use of a route that the table audits, with
// the outcome of err.
func (b *Bot) auditUse(ctx context.Context, rq request, action string, note *auditNote, err error) {
	e := audit.Entry{Actor: staffActor(rq.ic), Action: action, Target: note.target, Outcome: audit.OK, Details: note.details}
	if err != nil {
		e.Outcome = audit.Failed
		e.Details = joinDetails(e.Details, failure(err))
	}
	b.audit.record(ctx, e)
}

// failure is what the log keeps of an error: what the person was told,
// or the error, cut short.
func failure(err error) string {
	var ue userError
	if errors.As(err, &ue) {
		return clip(ue.msg, 300)
	}
	return clip("error: "+err.Error(), 300)
}

// joinDetails joins the non-empty parts with "; ".
func joinDetails(parts ...string) string {
	out := ""
	for _, p := range parts {
		switch {
		case p == "":
		case out == "":
			out = p
		default:
			out += "; " + p
		}
	}
	return out
}
