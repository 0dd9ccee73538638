package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/uitext"
)

// moderatorPerms are the permissions that make a member a moderator
// until the roles configuration arrives: Manage Server, or Administrator.
const moderatorPerms = discordgo.PermissionManageServer | discordgo.PermissionAdministrator

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
		handle: b.prompt,
	}
}

// promptOptions are a subcommand's options by name; channels as ids.
type promptOptions map[string]string

func (b *Bot) prompt(ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	b.respond(i, true, func(ctx context.Context) (response, error) {
		if !b.isModerator(ic) {
			return response{}, b.refuse("prompt", "moderator")
		}
		data := i.ApplicationCommandData()
		if len(data.Options) == 0 {
			return response{}, userError{"Use `/prompt post` or `/prompt schedule`."}
		}
		sub := data.Options[0]
		opts := promptOptions{}
		for _, o := range sub.Options {
			opts[o.Name] = fmt.Sprint(o.Value)
		}
		switch sub.Name {
		case "post":
			return b.promptPost(opts)
		case "schedule":
			return b.promptSchedule(ctx, opts)
		case "schedules":
			return b.promptSchedules(ctx)
		case "unschedule":
			return b.promptUnschedule(ctx, opts["id"])
		}
		return response{}, userError{"Use `/prompt post` or `/prompt schedule`."}
	})
}

// promptPost posts an invitation now.
func (b *Bot) promptPost(opts promptOptions) (response, error) {
	channelID := opts["channel"]
	msg, err := b.invitation(opts["flow"], opts["text"])
	if err != nil {
		return response{}, userError{err.Error()}
	}
	send := &discordgo.MessageSend{Embeds: msg.Embeds, Components: msg.Components}
	if _, err := b.s.ChannelMessageSendComplex(channelID, send); err != nil {
		return response{}, fmt.Errorf("post prompt: %w", err)
	}
	return response{initial: ephemeralReply(message{Content: fmt.Sprintf("Posted the invitation in <#%s>.", channelID)})}, nil
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
