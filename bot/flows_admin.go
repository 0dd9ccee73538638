package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/release"
)

// FlowAdmin is what /flows needs of the flows' versions; *release.Service
// satisfies it. Each change records itself in the audit log with the
// actor given; a refusal for want of the role is recorded by requireRole.
type FlowAdmin interface {
	// List is every flow with its live version, state and counts.
	List(ctx context.Context) ([]release.Summary, error)
	// Upload lints src (as `peervoice flows lint` does) and keeps it as
	// the draft of its flow, compared with the live version. A source
	// with problems is a *release.LintError, and nothing changes.
	Upload(ctx context.Context, src []byte, name string, actor audit.Actor) (release.Draft, error)
	// Draft is the flow's draft awaiting publication, if any.
	Draft(ctx context.Context, id string) (release.Draft, bool, error)
	// Publish makes the draft live as the next version: release.ErrNoDraft
	// without one; release.ErrNeedsConfirm when the draft touches answers
	// already given (Draft.Affected > 0) and confirm is not set.
	Publish(ctx context.Context, id string, confirm bool, actor audit.Actor) (release.Version, error)
	// History is the flow's versions, oldest first.
	History(ctx context.Context, id string) ([]release.Version, error)
	// Show is version n of the flow (0: the live one); release.ErrNoVersion
	// when there is none.
	Show(ctx context.Context, id string, n int) (release.Version, error)
	// Rollback makes version n's source live again as a new version.
	Rollback(ctx context.Context, id string, n int, actor audit.Actor) (release.Version, error)
	// Close stops new starts of the flow; Reopen allows them again.
	Close(ctx context.Context, id string, actor audit.Actor) error
	Reopen(ctx context.Context, id string, actor audit.Actor) error
}

// errNoFlowAdmin is what a moderator reads when the bot runs without
// flow management.
var errNoFlowAdmin = userError{"Flow management is not set up on this bot: its flows change only in the flows folder. Ask whoever runs PeerVoice."}

// flowAdmin returns the configured FlowAdmin, or the error to show.
func (b *Bot) flowAdmin() (FlowAdmin, error) {
	if b.cfg.FlowAdmin == nil {
		return nil, errNoFlowAdmin
	}
	return b.cfg.FlowAdmin, nil
}

// actorOf is the staff member behind an interaction, as the audit log
// names them: their Discord id and the name the server shows now.
func actorOf(ic *discordgo.InteractionCreate) audit.Actor {
	u := userOf(ic)
	name := u.Username
	if u.GlobalName != "" {
		name = u.GlobalName
	}
	if ic.Member != nil && ic.Member.Nick != "" {
		name = ic.Member.Nick
	}
	return audit.Actor{Kind: audit.KindDiscord, ID: u.ID, Name: name}
}

// who names an actor for moderators: a colleague by name, the command
// line by its user, the folder as "the flows folder".
func who(a audit.Actor) string {
	switch a.Kind {
	case audit.KindDiscord:
		if a.Name != "" {
			return a.Name
		}
		return a.ID // not a <@mention>: the notice must ping no one
	case audit.KindFile:
		return "the flows folder"
	}
	return a.String()
}

// when formats a time for /flows replies, in the digest's time zone.
func (b *Bot) when(t time.Time) string {
	return t.In(b.cfg.Location).Format("2 Jan 2006 15:04 MST")
}

// flowError turns the release service's refusals into what a moderator
// reads and can act on; anything else is ours, and gets the apology.
func flowError(id string, err error) error {
	switch {
	case errors.Is(err, release.ErrUnknownFlow):
		return userError{fmt.Sprintf("There is no flow `%s`. `/flows list` shows them all; a new one starts with `/flows upload`.", id)}
	case errors.Is(err, release.ErrNoDraft):
		return userError{fmt.Sprintf("There is no draft of `%s` to publish: upload one first with `/flows upload`.", id)}
	case errors.Is(err, release.ErrNoVersion):
		return userError{fmt.Sprintf("`%s` has no such version: `/flows history id:%s` lists them.", id, id)}
	}
	return err
}

// FlowLive tells the moderators, in the moderator channel, that a
// version of a flow went live: published or rolled back from Discord or
// the command line, or imported from the flows folder. The release
// service calls it for every version it makes live. It does not wait for
// Discord: the post is sent in the background (Run waits for it before
// it returns), and a failure is logged, since the version is live and
// recorded in the audit log either way. Without a moderator channel it
// only logs.
func (b *Bot) FlowLive(v release.Version) {
	b.log.Info("flow version live", "flow", v.FlowID, "version", v.N, "actor", v.Actor.Kind)
	ch := b.cfg.ModeratorChannelID
	if ch == "" {
		return
	}
	done, ok := b.track()
	if !ok {
		return
	}
	m := message{Content: liveNotice(v)}
	go func() {
		defer done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// The nonce makes a retry of this very notice post it once.
		if _, err := b.send(ctx, ch, m, nonceFor("flow-live/"+v.FlowID+"/"+fmt.Sprint(v.N)+"/"+v.Hash, v.At)); err != nil {
			b.log.Error("tell the moderators a flow version is live", "flow", v.FlowID, "version", v.N, "channel", b.channelName(ch), "err", err)
		}
	}()
}

// FlowFileProblems tells the moderators, in the moderator channel, that
// a file in the flows folder has problems, so nothing of it went live:
// the flow's live version stays until the file is fixed. problems are
// `file:line:col: message` lines. Without a moderator channel it does
// nothing (the caller has logged each problem).
func (b *Bot) FlowFileProblems(problems []string) {
	ch := b.cfg.ModeratorChannelID
	if ch == "" || len(problems) == 0 {
		return
	}
	done, ok := b.track()
	if !ok {
		return
	}
	m := message{Content: problemsNotice(problems)}
	go func() {
		defer done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// The same problems, told again by a retry, are posted once.
		if _, err := b.send(ctx, ch, m, nonceFor("flow-problems/"+strings.Join(problems, "\n"), time.Time{})); err != nil {
			b.log.Error("tell the moderators a flow file has problems", "channel", b.channelName(ch), "err", err)
		}
	}()
}

// problemsNotice is the moderator channel's message for a flow file that
// could not be imported: the first ten problems, in a code block.
func problemsNotice(problems []string) string {
	shown := problems[:min(len(problems), 10)]
	more := ""
	if len(problems) > len(shown) {
		more = fmt.Sprintf("\n…and %d more: `peervoice flows lint` lists them all.", len(problems)-len(shown))
	}
	block := strings.ReplaceAll(strings.Join(shown, "\n"), "```", "'''")
	return clip(noPing("⚠️ A file in the flows folder has problems, so nothing in it went live; the flow's live version stays until the file is fixed:\n```\n"+block+"\n```"+more), maxContent)
}

// liveNotice is the moderator channel's line for a version gone live.
func liveNotice(v release.Version) string {
	summary := ""
	if v.Summary != "" {
		summary = ": " + v.Summary
	}
	return clip(noPing(fmt.Sprintf("📢 **%s** v%d is live, from %s%s. People part-way through keep the version they started on. `/flows history id:%s` lists every version.",
		v.FlowID, v.N, who(v.Actor), summary, v.FlowID)), maxContent)
}

// noPing keeps a name or a summary from pinging anyone when posted: a
// nickname such as "@everyone", or a question quoted in a summary, gets
// a zero-width space after each @, so Discord shows it as text.
func noPing(s string) string { return strings.ReplaceAll(s, "@", "@\u200b") }

// problemLine is a lint problem as the /flows upload reply lists it:
// `line:col: message`, without the file, which the reply names once.
func problemLine(p flows.Problem) string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%d:%d: %s", p.Line, p.Col, p.Msg)
	case p.Line > 0:
		return fmt.Sprintf("%d: %s", p.Line, p.Msg)
	}
	return p.Msg
}
