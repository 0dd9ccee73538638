package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/uitext"
)

// commandTable lists the bot's slash commands, by name: with their
// handlers, the table dispatch reads (handler.go).
func (b *Bot) commandTable() map[string]command {
	cmds := []command{b.surveyCommand(), b.helpCommand(), b.mydataCommand(), b.withdrawCommand(), b.promptCommand(), b.digestCommand(), b.exportCommand(), b.flowsCommand(), b.auditCommand()}
	table := map[string]command{}
	for _, c := range cmds {
		table[c.def.Name] = c
	}
	return table
}

// register replaces the bot's commands (bulk overwrite): participants'
// globally, the privileged ones in the configured guild (registerScoped).
// The definitions are built afresh, because /survey and /prompt list
// the current flows as choices.
func (b *Bot) register() error {
	key := strings.Join(b.svc.Flows().IDs(), ",")
	table := b.commandTable()
	var defs []*discordgo.ApplicationCommand
	for _, name := range []string{"survey", "help", "mydata", "withdraw", "prompt", "digest", "export", "flows", "audit"} {
		defs = append(defs, table[name].def)
	}
	if err := b.registerScoped(table, defs); err != nil { // guild.go: participants' globally, the rest in discord.guild_id
		return err
	}
	b.mu.Lock()
	b.registered = key
	b.mu.Unlock()
	return nil
}

// FlowsChanged tells the bot the flows it serves may have changed
// outside it (a flow closed, reopened or published from the command
// line or the folder): /survey's choices are registered again if they
// did.
func (b *Bot) FlowsChanged() { b.refreshCommands() }

// refreshCommands registers the commands again when moderators have
// added, removed or renamed flows, so the choices of /survey match.
func (b *Bot) refreshCommands() {
	key := strings.Join(b.svc.Flows().IDs(), ",")
	b.mu.Lock()
	stale := b.registered != "" && key != b.registered
	if stale {
		b.registered = key // one refresh at a time
	}
	b.mu.Unlock()
	if !stale {
		return
	}
	done, ok := b.track()
	if !ok {
		return
	}
	go func() {
		defer done()
		if err := b.register(); err != nil {
			b.log.Error("refresh slash commands after a flows change", "err", err)
		} else {
			b.log.Info("slash commands refreshed: the flows changed")
		}
	}()
}

func (b *Bot) surveyCommand() command {
	var choices []*discordgo.ApplicationCommandOptionChoice
	for i, f := range b.svc.Flows().Flows() {
		if i == 25 {
			break
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(f.Title.String(), 100), Value: f.ID})
	}
	dm := true
	return command{
		def: &discordgo.ApplicationCommand{
			Name:         "survey",
			Description:  "Answer a set of questions about recovery, privately",
			DMPermission: &dm,
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "flow", Description: "Which set of questions (leave empty to choose from a list)",
				Required: false, Choices: choices,
			}},
		},
		routes: one(route{handle: b.survey}),
	}
}

// survey starts the flow asked for privately, or, without one, lists the
// flows with the participant's progress.
func (b *Bot) survey(ctx context.Context, rq request) (reply, error) {
	b.refreshCommands()
	if _, ok := rq.opts["flow"]; ok {
		return b.beginLocked(ctx, rq.ic, rq.str("flow"))
	}
	list, err := b.svc.Overview(ctx, person(userOf(rq.ic)))
	if err != nil {
		return reply{}, err
	}
	return shown(flowMenu(list, rq.locale())), nil
}

// HelpText says how PeerVoice uses answers, shown with the support
// resources by /help, in English; /help shows it in the participant's
// language (uitext.BotHelpText).
var HelpText = uitext.T(uitext.English, uitext.BotHelpText)

func (b *Bot) helpCommand() command {
	dm := true
	return command{
		def: &discordgo.ApplicationCommand{Name: "help", Description: "Where to find support, and how PeerVoice uses your answers", DMPermission: &dm},
		routes: one(route{handle: func(_ context.Context, rq request) (reply, error) {
			lang := rq.locale()
			m := supportMessage(b.svc.HelpIn(lang), lang)
			m.Embeds = append(m.Embeds, &discordgo.MessageEmbed{Description: uitext.T(lang, uitext.BotHelpText), Color: colourQuestion})
			return shown(m), nil
		}}),
	}
}

func (b *Bot) mydataCommand() command {
	dm := true
	return command{
		def: &discordgo.ApplicationCommand{Name: "mydata", Description: "See everything PeerVoice has stored about you", DMPermission: &dm},
		routes: one(route{handle: func(ctx context.Context, rq request) (reply, error) {
			d, err := b.svc.MyData(ctx, person(userOf(rq.ic)))
			if err != nil {
				return reply{}, err
			}
			return shown(myDataMessage(d)), nil
		}}),
	}
}

// myDataMessage shows a participant their data: inline when short, as
// an attached text file when it would not fit in a message.
func myDataMessage(d participant.Data) message {
	var sb strings.Builder
	if d.Consent == nil && len(d.Answers) == 0 {
		return message{Content: "Nothing is stored about you."}
	}
	if c := d.Consent; c != nil {
		fmt.Fprintf(&sb, "**Consent** (version %s, given %s): take part: %s; anonymised quotes: %s\n", c.Version, c.GivenAt.Format("2 January 2006"), yesNo(c.TakePart), yesNo(c.Quotes))
	}
	sb.WriteString(remindersLine(d.Reminders)) // reminder.go
	flow := ""
	for _, a := range d.Answers {
		if a.FlowID != flow {
			flow = a.FlowID
			fmt.Fprintf(&sb, "\n**%s**\n", a.FlowTitle)
		}
		fmt.Fprintf(&sb, "• %s\n  → %s\n", a.Prompt, a.Answer)
	}
	text := sb.String()
	if len([]rune(text)) <= maxContent {
		return message{Content: text}
	}
	return message{
		Content: "Everything stored about you is in the attached file. Use `/withdraw` to delete it.",
		Files:   []*discordgo.File{{Name: "peervoice-my-data.txt", ContentType: "text/plain; charset=utf-8", Reader: strings.NewReader(strings.ReplaceAll(text, "**", ""))}},
	}
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

func (b *Bot) withdrawCommand() command {
	dm := true
	return command{
		def: &discordgo.ApplicationCommand{Name: "withdraw", Description: "Delete everything PeerVoice has stored about you", DMPermission: &dm},
		routes: one(route{handle: func(context.Context, request) (reply, error) {
			return shown(message{
				Content: "This deletes your consent and every answer you have given, for good. Researchers' summaries already published cannot be changed, but nothing more of yours will be used. Are you sure?",
				Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
					discordgo.Button{Label: "Yes, delete my data", Style: discordgo.DangerButton, CustomID: ID{Action: ActWithdraw, Value: "yes"}.String()},
					discordgo.Button{Label: "No, keep it", Style: discordgo.SecondaryButton, CustomID: ID{Action: ActWithdraw, Value: "no"}.String()},
				}}},
			}), nil
		}}),
	}
}

func (b *Bot) withdraw(ic *discordgo.InteractionCreate, yes bool) {
	b.respond(ic.Interaction, true, func(ctx context.Context) (response, error) {
		text := "Nothing was deleted."
		if yes {
			found, err := b.svc.Withdraw(ctx, person(userOf(ic)))
			if err != nil {
				return response{}, err
			}
			text = "Done: everything PeerVoice stored about you has been deleted."
			if !found {
				text = "There was nothing stored about you."
			}
		}
		return response{initial: updateReply(message{Content: text})}, nil
	})
}
