package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/release"
)

// /flows: the moderators manage the question flows from Discord (issue
// 12): list them, upload a new version as a draft, preview it, publish
// it, see the history, fetch a version's source, roll back, close and
// reopen. Every subcommand and button needs the moderator role, checked
// by requireRole on each use; the work is the FlowAdmin's (the release
// service), which records it in the audit log. docs/moderators.md walks
// through it with the replies.

// flowsCommand is /flows and its routes.
func (b *Bot) flowsCommand() command {
	perms := int64(discordgo.PermissionManageServer)
	dm := false
	id := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "id", Description: "The flow's id, as /flows list shows it", Required: true, MaxLength: 64}
	minVersion := float64(1)
	version := func(required bool, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: "version", Description: desc, Required: required, MinValue: &minVersion}
	}
	sub := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts}
	}
	mod := func(h handler) route { return route{role: moderator, handle: h} }
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "flows",
			Description:              "Manage the sets of questions: upload, preview, publish, roll back (moderators)",
			DefaultMemberPermissions: &perms,
			DMPermission:             &dm,
			Options: []*discordgo.ApplicationCommandOption{
				sub("list", "List the flows: live version, open or closed, questions, responses"),
				sub("upload", "Upload a flow file (YAML) as a draft, checked and compared with the live version",
					&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", Description: "The flow file, .yaml, at most 256 KiB", Required: true}),
				sub("preview", "Walk through the draft (or a version) privately; nothing you answer is stored",
					id, version(false, "A published version instead of the draft")),
				sub("publish", "Make the draft live as the next version",
					id, &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: "confirm", Description: "Publish even though the draft changes answers already given"}),
				sub("history", "List the flow's versions: when, who, what changed, which is live", id),
				sub("show", "Get a version's source file exactly as published", id, version(false, "Which version (leave empty for the live one)")),
				sub("rollback", "Make an earlier version's source live again, as a new version", id, version(true, "The version to go back to")),
				sub("close", "Stop new starts of the flow; people part-way through may finish", id),
				sub("reopen", "Let people start the flow again", id),
			},
		},
		routes: map[string]route{
			"list":     mod(b.flowsList),
			"upload":   mod(b.flowsUpload),
			"preview":  mod(b.flowsPreview),
			"publish":  mod(b.flowsPublish),
			"history":  mod(b.flowsHistory),
			"show":     mod(b.flowsShow),
			"rollback": mod(b.flowsRollback),
			"close":    mod(b.flowsClose),
			"reopen":   mod(b.flowsReopen),
		},
		usage: "Use `/flows list`, `upload`, `preview`, `publish`, `history`, `show`, `rollback`, `close` or `reopen`.",
	}
}

// num is an integer option's value; 0 when it was not given.
func (rq request) num(name string) int {
	o, ok := rq.opts[name]
	if !ok || o.Type != discordgo.ApplicationCommandOptionInteger {
		return 0
	}
	return int(o.IntValue())
}

func (b *Bot) flowsList(ctx context.Context, _ request) (reply, error) {
	fa, err := b.flowAdmin()
	if err != nil {
		return reply{}, err
	}
	all, err := fa.List(ctx)
	if err != nil {
		return reply{}, err
	}
	if len(all) == 0 {
		return shown(message{Content: "There are no flows yet. Upload one with `/flows upload`."}), nil
	}
	var sb strings.Builder
	sb.WriteString("**Flows**\n")
	for _, s := range all {
		live := "no live version"
		if s.Live > 0 {
			live = fmt.Sprintf("v%d live", s.Live)
		}
		state := "open"
		if s.Closed {
			state = "closed"
		}
		draft := ""
		if s.Draft {
			draft = " · a draft awaits publication"
		}
		fmt.Fprintf(&sb, "• `%s` **%s**: %s, %s, %d questions, %d responses%s\n", s.FlowID, s.Title, live, state, s.Questions, s.Responses, draft)
	}
	return shown(textOrFile(sb.String(), "peervoice-flows.txt", "The flows are listed in the attached file.")), nil
}

// flowsPublish makes the draft live; a draft that changes answers already
// given needs confirm:true (or the Publish anyway button).
func (b *Bot) flowsPublish(ctx context.Context, rq request) (reply, error) {
	return b.publishDraft(ctx, rq.ic, rq.str("id"), rq.flag("confirm"))
}

// publishDraft is /flows publish and the Publish buttons: the reply says
// which version is live, or why nothing was published.
func (b *Bot) publishDraft(ctx context.Context, ic *discordgo.InteractionCreate, id string, confirm bool) (reply, error) {
	fa, err := b.flowAdmin()
	if err != nil {
		return reply{}, err
	}
	v, err := fa.Publish(ctx, id, confirm, actorOf(ic))
	if errors.Is(err, release.ErrNeedsConfirm) {
		d, ok, derr := fa.Draft(ctx, id)
		if derr != nil {
			return reply{}, derr
		}
		if !ok {
			return reply{}, flowError(id, release.ErrNoDraft)
		}
		return shown(message{
			Content:    fmt.Sprintf("Nothing was published: the draft of `%s` changes **%d answers** already given (`/flows upload` listed the changes). To publish it all the same, use **Publish anyway** or `/flows publish id:%s confirm:true`.", id, d.Affected, id),
			Components: draftButtons(d, true),
		}), nil
	}
	if err != nil {
		return reply{}, flowError(id, err)
	}
	b.refreshCommands()
	return shown(message{Content: fmt.Sprintf("**%s** v%d is live. People part-way through keep the version they started on; new starts get v%d.", v.FlowID, v.N, v.N)}), nil
}

func (b *Bot) flowsHistory(ctx context.Context, rq request) (reply, error) {
	fa, err := b.flowAdmin()
	if err != nil {
		return reply{}, err
	}
	id := rq.str("id")
	vs, err := fa.History(ctx, id)
	if err != nil {
		return reply{}, flowError(id, err)
	}
	if len(vs) == 0 {
		return shown(message{Content: fmt.Sprintf("`%s` has no published version yet.", id)}), nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "**%s**: %d versions, oldest first\n", id, len(vs))
	for _, v := range vs {
		live := ""
		if v.Live {
			live = " · **live**"
		}
		summary := v.Summary
		if summary == "" {
			summary = "no summary"
		}
		fmt.Fprintf(&sb, "`v%d` %s · %s · %s%s\n", v.N, b.when(v.At), who(v.Actor), summary, live)
	}
	return shown(textOrFile(sb.String(), "peervoice-"+id+"-history.txt", fmt.Sprintf("`%s` has %d versions: they are listed in the attached file.", id, len(vs)))), nil
}

// flowsShow attaches a version's source exactly as published.
func (b *Bot) flowsShow(ctx context.Context, rq request) (reply, error) {
	fa, err := b.flowAdmin()
	if err != nil {
		return reply{}, err
	}
	id := rq.str("id")
	v, err := fa.Show(ctx, id, rq.num("version"))
	if err != nil {
		return reply{}, flowError(id, err)
	}
	live := ""
	if v.Live {
		live = ", live"
	}
	return shown(message{
		Content: fmt.Sprintf("**%s** v%d%s: published %s by %s. The source is attached exactly as published.", v.FlowID, v.N, live, b.when(v.At), who(v.Actor)),
		Files:   []*discordgo.File{{Name: fmt.Sprintf("%s-v%d.yaml", v.FlowID, v.N), ContentType: "application/x-yaml", Reader: bytes.NewReader(v.Source)}},
	}), nil
}

func (b *Bot) flowsRollback(ctx context.Context, rq request) (reply, error) {
	fa, err := b.flowAdmin()
	if err != nil {
		return reply{}, err
	}
	id, n := rq.str("id"), rq.num("version")
	v, err := fa.Rollback(ctx, id, n, actorOf(rq.ic))
	if err != nil {
		return reply{}, flowError(id, err)
	}
	b.refreshCommands()
	return shown(message{Content: fmt.Sprintf("**%s** v%d's questions are live again, as v%d (history is never rewritten). People part-way through keep the version they started on.", v.FlowID, n, v.N)}), nil
}

func (b *Bot) flowsClose(ctx context.Context, rq request) (reply, error) {
	fa, err := b.flowAdmin()
	if err != nil {
		return reply{}, err
	}
	id := rq.str("id")
	if err := fa.Close(ctx, id, actorOf(rq.ic)); err != nil {
		return reply{}, flowError(id, err)
	}
	b.refreshCommands()
	return shown(message{Content: fmt.Sprintf("**%s** is closed: it has left the `/survey` menu and nobody can start it. People part-way through may finish. `/flows reopen id:%s` opens it again.", id, id)}), nil
}

func (b *Bot) flowsReopen(ctx context.Context, rq request) (reply, error) {
	fa, err := b.flowAdmin()
	if err != nil {
		return reply{}, err
	}
	id := rq.str("id")
	if err := fa.Reopen(ctx, id, actorOf(rq.ic)); err != nil {
		return reply{}, flowError(id, err)
	}
	b.refreshCommands()
	return shown(message{Content: fmt.Sprintf("**%s** is open again: people can start it from `/survey`.", id)}), nil
}

// textOrFile is text as a message, or, when it would not fit, note with
// the text in an attached file.
func textOrFile(text, name, note string) message {
	if len([]rune(text)) <= maxContent {
		return message{Content: text}
	}
	return message{Content: note, Files: []*discordgo.File{{Name: name, ContentType: "text/plain; charset=utf-8", Reader: strings.NewReader(strings.ReplaceAll(text, "**", ""))}}}
}
