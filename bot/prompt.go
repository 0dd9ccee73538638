package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/uitext"
)

func (b *Bot) promptCommand() command {
	perms := int64(discordgo.PermissionManageServer)
	dm := false
	var choices []*discordgo.ApplicationCommandOptionChoice
	for i, f := range b.svc.Flows().Flows() {
		if i == 25 {
			break
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(f.Title.String(), 100), Value: f.ID})
	}
	flow := func(desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "flow", Description: desc, Required: true, Choices: choices}
	}
	channel := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", Description: "Where to post it", Required: true, ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText}}
	text := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "Your own words of invitation", MaxLength: 1000}
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "prompt",
			Description:              "Invite the community to answer a set of questions (moderators)",
			DefaultMemberPermissions: &perms,
			DMPermission:             &dm,
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "post", Description: "Post an invitation with an \"Answer privately\" button",
				Options: []*discordgo.ApplicationCommandOption{flow("Which set of questions"), channel, text},
			}, {
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "schedule", Description: "Post an invitation every week, or once, at a set time",
				Options: []*discordgo.ApplicationCommandOption{
					flow("Which set of questions"), channel,
					{Type: discordgo.ApplicationCommandOptionString, Name: "when", Description: "e.g. \"weekly mon 18:00\" or \"2026-12-01 18:00\"", Required: true, MaxLength: 100},
					text,
				},
			}, {
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "schedules", Description: "List the scheduled invitations",
			}, {
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "unschedule", Description: "Stop a scheduled invitation",
				Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "id", Description: "Its id, from /prompt schedules", Required: true, MaxLength: 40},
				},
			}},
		},
		routes: map[string]route{
			"post":       {role: moderator, audit: "prompt.post", handle: b.promptPost},
			"schedule":   {role: moderator, audit: "prompt.schedule", handle: b.promptSchedule},
			"schedules":  {role: moderator, handle: b.promptSchedules},
			"unschedule": {role: moderator, audit: "prompt.unschedule", handle: b.promptUnschedule},
		},
		usage: "Use `/prompt post` or `/prompt schedule`.",
	}
}

// promptPost posts an invitation now.
func (b *Bot) promptPost(_ context.Context, rq request) (reply, error) {
	channelID := rq.str("channel")
	rq.note.target, rq.note.details = rq.str("flow"), "channel="+channelID
	msg, err := b.invitation(rq.str("flow"), rq.str("text"))
	if errors.Is(err, flows.ErrUnknownFlow) {
		return reply{}, userError{err.Error()}
	}
	if err != nil {
		return reply{}, err
	}
	send := &discordgo.MessageSend{Embeds: msg.Embeds, Components: msg.Components}
	if _, err := b.s.ChannelMessageSendComplex(channelID, send); err != nil {
		return reply{}, fmt.Errorf("post prompt: %w", err)
	}
	return shown(message{Content: fmt.Sprintf("Posted the invitation in <#%s>.", channelID)}), nil
}

// invitation is a community prompt: an invitation to answer a flow, with
// a button that starts it privately for whoever clicks.
func (b *Bot) invitation(flowID, text string) (message, error) {
	f, err := b.svc.Flows().Get(flowID)
	if err != nil {
		return message{}, err
	}
	// Everyone sees the invitation, so it is in the flow's default
	// language, and its interface strings in each of the flow's languages
	// PeerVoice has a catalog for ("Answer privately / Ateb yn breifat").
	def := f.DefaultLang()
	langs := promptLangs(f)
	if text == "" {
		text = f.Intro.In(def)
	}
	if text == "" {
		text = uitext.T(def, uitext.PromptDefault)
	}
	var privacy, label []string
	for _, l := range langs {
		privacy = append(privacy, uitext.T(l, uitext.PromptPrivacy))
		label = append(label, uitext.T(l, uitext.AnswerPrivately))
	}
	return message{
		Embeds: []*discordgo.MessageEmbed{{
			Title:       clip(f.Title.In(def), maxEmbedTitle),
			Description: clip(text+"\n\n"+strings.Join(privacy, "\n"), maxEmbedDesc),
			Color:       colourQuestion,
		}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: clip(strings.Join(label, " / "), maxButtonLabel), Style: discordgo.PrimaryButton, CustomID: ID{Action: ActPrompt, Value: f.ID}.String()},
		}}},
	}, nil
}

// maxButtonLabel is Discord's limit on a button's label.
const maxButtonLabel = 80

// promptLangs returns the catalogued languages of f, its default first,
// each once; English for a flow with none.
func promptLangs(f *flows.Flow) []string {
	var out []string
	add := func(l string) {
		if uitext.Has(l) && !slices.Contains(out, uitext.Lang(l)) {
			out = append(out, uitext.Lang(l))
		}
	}
	add(f.DefaultLang())
	for _, l := range f.Languages {
		add(l)
	}
	if len(out) == 0 {
		out = []string{uitext.English}
	}
	return out
}
