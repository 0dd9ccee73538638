package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
)

// Discord's limits that rendering must respect.
const (
	maxContent     = 2000
	maxEmbedDesc   = 4096
	maxEmbedTitle  = 256
	maxButtonsRow  = 5
	maxButtonsAsk  = 10 // more options than this go in a select menu
	maxModalTitle  = 45
	maxPlaceholder = 100
	maxSelectLabel = 100
)

// Colours of PeerVoice's embeds: one calm colour for questions, another
// for support, so the two never look alike.
const (
	colourQuestion = 0x5865F2
	colourSupport  = 0x2D7D46
	colourDone     = 0x99AAB5
)

// message is one message to show, whichever way it is delivered: as a
// DM, an interaction response, or an ephemeral follow-up.
type message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Files      []*discordgo.File
	// Ask is set on a question message, so the bot can later mark it
	// answered.
	Ask *askRef
}

// askRef identifies the question a message shows.
type askRef struct {
	Session, Question string
}

// renderReply turns a service reply into messages, in order: the
// signpost first, then reasons, questions and endings.
func renderReply(r participant.Reply, dm bool) []message {
	var out []message
	if r.Signpost != "" {
		out = append(out, supportMessage(r.Signpost))
	}
	for _, o := range r.Outputs {
		switch o := o.(type) {
		case flows.Invalid:
			out = append(out, message{Content: o.Reason})
		case flows.Ask:
			out = append(out, renderAsk(r.Flow, r.Session.ID, o, dm))
		case flows.Stopped:
			out = append(out, message{Content: "Paused. Your answers so far are saved. Use `/survey` whenever you'd like to carry on from here."})
		case flows.Finished:
			out = append(out, renderFinished(r, o))
		}
	}
	return out
}

func supportMessage(text string) message {
	return message{Embeds: []*discordgo.MessageEmbed{{
		Title:       "Support",
		Description: clip(text, maxEmbedDesc),
		Color:       colourSupport,
	}}}
}

func renderFinished(r participant.Reply, f flows.Finished) message {
	var text string
	switch {
	case r.Declined:
		text = "That's fine. Nothing about you has been kept. If you change your mind, you're welcome to run `/survey` any time."
	case r.Flow != nil && r.Flow.ID == participant.ConsentFlowID:
		text = "Thank you. Use `/survey` to choose a set of questions. You can see your data with `/mydata` and withdraw it with `/withdraw` at any time."
	case f.Outro != "":
		text = f.Outro + "\n\nUse `/survey` to answer another set of questions."
	default:
		text = "That's the end of this set of questions. Thank you for your answers.\n\nUse `/survey` to answer another set."
	}
	return message{Embeds: []*discordgo.MessageEmbed{{Description: clip(text, maxEmbedDesc), Color: colourDone}}}
}

// renderAsk shows a question: the flow's intro on its first question,
// the prompt, where the participant is, and the ways to answer.
func renderAsk(f *flows.Flow, session string, a flows.Ask, dm bool) message {
	q := a.Question
	title := ""
	if f != nil {
		title = f.Title.In(a.Lang)
	}
	var embeds []*discordgo.MessageEmbed
	if a.Intro != "" {
		embeds = append(embeds, &discordgo.MessageEmbed{Title: clip(title, maxEmbedTitle), Description: clip(a.Intro, 4000), Color: colourQuestion})
	}
	e := &discordgo.MessageEmbed{
		Title:       clip(title, maxEmbedTitle),
		Description: q.Prompt.In(a.Lang),
		Color:       colourQuestion,
		Footer:      &discordgo.MessageEmbedFooter{Text: a.Progress.String()},
	}
	if a.Intro != "" {
		e.Title = ""
	}
	if a.Default != nil {
		e.Fields = []*discordgo.MessageEmbedField{{Name: "Your earlier answer", Value: clip(q.Format(*a.Default, a.Lang), 1024)}}
	}
	switch q.Type {
	case flows.TypeText:
		if dm {
			e.Footer.Text += " · type your answer as a message, or use the button"
		}
	case flows.TypeNumber:
		if dm {
			e.Footer.Text += " · type a number as a message, or use the button"
		}
	}
	embeds = append(embeds, e)
	return message{Embeds: embeds, Components: askComponents(session, a), Ask: &askRef{Session: session, Question: q.ID}}
}

// askComponents lays out the answers within Discord's limits: options as
// buttons (five a row) up to ten, a select menu beyond that and for
// multi-choice; a button that opens a form for text and numbers; and
// Skip, Back and Stop for now on every question.
func askComponents(session string, a flows.Ask) []discordgo.MessageComponent {
	q := a.Question
	id := func(act Action, value string) string {
		return ID{Action: act, Session: session, Question: q.ID, Value: value}.String()
	}
	var rows []discordgo.MessageComponent
	chosen := map[string]bool{}
	if a.Default != nil {
		for _, c := range a.Default.Choices {
			chosen[c] = true
		}
	}
	switch {
	case (q.Type == flows.TypeChoice || q.Type == flows.TypeScale) && len(q.Options) <= maxButtonsAsk:
		var row []discordgo.MessageComponent
		for _, o := range q.Options {
			style := discordgo.PrimaryButton
			if chosen[o.ID] {
				style = discordgo.SuccessButton
			}
			row = append(row, discordgo.Button{Label: o.Label.In(a.Lang), Style: style, CustomID: id(ActAnswer, o.ID)})
			if len(row) == maxButtonsRow {
				rows = append(rows, discordgo.ActionsRow{Components: row})
				row = nil
			}
		}
		if len(row) > 0 {
			rows = append(rows, discordgo.ActionsRow{Components: row})
		}
	case q.HasOptions():
		minV, maxV := 1, 1
		placeholder := "Choose one"
		if q.Type == flows.TypeMulti {
			maxV = len(q.Options)
			if q.Max != nil {
				maxV = int(*q.Max)
			}
			if q.Min != nil {
				minV = max(int(*q.Min), 1)
			}
			placeholder = fmt.Sprintf("Choose up to %d", maxV)
		}
		var opts []discordgo.SelectMenuOption
		for _, o := range q.Options {
			opts = append(opts, discordgo.SelectMenuOption{Label: clip(o.Label.In(a.Lang), maxSelectLabel), Value: o.ID, Default: chosen[o.ID]})
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: id(ActSelect, ""), Placeholder: placeholder,
			MinValues: &minV, MaxValues: maxV, Options: opts,
		}}})
	}
	var controls []discordgo.MessageComponent
	switch q.Type {
	case flows.TypeText, flows.TypeNumber:
		controls = append(controls, discordgo.Button{Label: "Write my answer", Style: discordgo.PrimaryButton, CustomID: id(ActWrite, "")})
	case flows.TypeInfo:
		controls = append(controls, discordgo.Button{Label: "Continue", Style: discordgo.PrimaryButton, CustomID: id(ActContinue, "")})
	}
	if q.Type != flows.TypeInfo {
		controls = append(controls, discordgo.Button{Label: "Skip", Style: discordgo.SecondaryButton, CustomID: id(ActSkip, "")})
	}
	if a.Progress.Number > 1 {
		controls = append(controls, discordgo.Button{Label: "Back", Style: discordgo.SecondaryButton, CustomID: id(ActBack, "")})
	}
	controls = append(controls, discordgo.Button{Label: "Stop for now", Style: discordgo.SecondaryButton, CustomID: id(ActStop, "")})
	return append(rows, discordgo.ActionsRow{Components: controls})
}

// answerModal is the form for a typed answer, for participants who would
// rather not type in the chat, and in ephemeral mode where they cannot.
func answerModal(f *flows.Flow, session string, q *flows.Question, lang string, def *flows.Answer) *discordgo.InteractionResponse {
	style, maxLen := discordgo.TextInputParagraph, q.MaxLength
	if q.Type == flows.TypeNumber {
		style, maxLen = discordgo.TextInputShort, 20
	}
	value := ""
	if def != nil {
		value = q.Format(*def, lang)
	}
	title := "Your answer"
	if f != nil {
		title = clip(f.Title.In(lang), maxModalTitle)
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: ID{Action: ActModal, Session: session, Question: q.ID}.String(),
			Title:    title,
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{
					CustomID:    "answer",
					Label:       "Your answer",
					Style:       style,
					Placeholder: clip(q.Prompt.In(lang), maxPlaceholder),
					Value:       value,
					Required:    true,
					MinLength:   1,
					MaxLength:   maxLen,
				},
			}}},
		},
	}
}

// answered returns a question message's embeds marked with what the
// participant did, and its buttons disabled, so a second click cannot
// record twice.
func answered(m *discordgo.Message, note string) ([]*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	var embeds []*discordgo.MessageEmbed
	for _, e := range m.Embeds {
		c := *e
		c.Fields = nil
		embeds = append(embeds, &c)
	}
	if n := len(embeds); n > 0 && note != "" {
		embeds[n-1].Fields = []*discordgo.MessageEmbedField{{Name: "✓", Value: clip(note, 1024)}}
	}
	return embeds, disable(m.Components)
}

// disable returns components with every button and menu disabled.
func disable(cs []discordgo.MessageComponent) []discordgo.MessageComponent {
	out := make([]discordgo.MessageComponent, 0, len(cs))
	for _, c := range cs {
		switch c := c.(type) {
		case *discordgo.ActionsRow:
			out = append(out, discordgo.ActionsRow{Components: disable(c.Components)})
		case discordgo.ActionsRow:
			out = append(out, discordgo.ActionsRow{Components: disable(c.Components)})
		case *discordgo.Button:
			b := *c
			b.Disabled = true
			out = append(out, b)
		case discordgo.Button:
			c.Disabled = true
			out = append(out, c)
		case *discordgo.SelectMenu:
			s := *c
			s.Disabled = true
			out = append(out, s)
		case discordgo.SelectMenu:
			c.Disabled = true
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out
}

// note says what a step did to the question it left.
func note(r participant.Reply, act Action) string {
	for _, o := range r.Outputs {
		if a, ok := o.(flows.Answered); ok {
			if a.Answer.Skipped {
				return "Skipped"
			}
			return "Your answer: " + a.Question.Format(a.Answer, r.Session.Lang)
		}
	}
	switch act {
	case ActBack:
		return "Went back"
	case ActStop:
		return "Paused"
	case ActContinue:
		return "Read"
	}
	return ""
}

// clip cuts s to n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// flowMenu lists the flows with the participant's progress in a select
// menu.
func flowMenu(list []participant.FlowStatus) message {
	var opts []discordgo.SelectMenuOption
	for i, fs := range list {
		if i == 25 {
			break
		}
		opts = append(opts, discordgo.SelectMenuOption{Label: clip(fs.Flow.Title.String(), maxSelectLabel), Value: fs.Flow.ID, Description: string(fs.Progress)})
	}
	var lines []string
	for _, fs := range list {
		lines = append(lines, fmt.Sprintf("• **%s** (%s)", fs.Flow.Title.String(), fs.Progress))
	}
	return message{
		Embeds: []*discordgo.MessageEmbed{{
			Title:       "Which would you like to answer?",
			Description: clip(strings.Join(lines, "\n")+"\n\nYour answers are private. You can skip any question and stop whenever you like.", maxEmbedDesc),
			Color:       colourQuestion,
		}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: ID{Action: ActMenu}.String(), Placeholder: "Choose a set of questions", Options: opts,
		}}}},
	}
}
