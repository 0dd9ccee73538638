package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/uitext"
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
// signpost first, then reasons, questions and endings. The interface
// strings are in the session's language, or in lang (the interaction's
// locale) when the reply has none.
func renderReply(r participant.Reply, dm bool, lang string) []message {
	if r.Session.Lang != "" {
		lang = r.Session.Lang
	}
	var out []message
	if r.Signpost != "" {
		out = append(out, supportMessage(r.Signpost, lang))
	}
	if r.Kept {
		out = append(out, message{Content: uitext.T(lang, uitext.ExpiredKept)})
	}
	for _, o := range r.Outputs {
		switch o := o.(type) {
		case flows.Invalid:
			out = append(out, message{Content: o.Reason})
		case flows.Ask:
			out = append(out, renderAsk(r.Flow, r.Session.ID, o, dm))
		case flows.Stopped:
			out = append(out, message{Content: uitext.T(lang, uitext.BotPaused)})
		case flows.Finished:
			out = append(out, renderFinished(r, o, lang))
		}
	}
	return out
}

func supportMessage(text, lang string) message {
	return message{Embeds: []*discordgo.MessageEmbed{{
		Title:       uitext.T(lang, uitext.SupportTitle),
		Description: clip(text, maxEmbedDesc),
		Color:       colourSupport,
	}}}
}

func renderFinished(r participant.Reply, f flows.Finished, lang string) message {
	var text string
	switch {
	case r.Declined:
		text = uitext.T(lang, uitext.Declined)
	case r.Flow != nil && r.Flow.ID == participant.ConsentFlowID:
		text = uitext.T(lang, uitext.ConsentDone)
	case f.Outro != "":
		text = f.Outro + "\n\n" + uitext.T(lang, uitext.AnotherSet)
	default:
		text = uitext.T(lang, uitext.Finished) + "\n\n" + uitext.T(lang, uitext.AnotherSet)
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
		Footer:      &discordgo.MessageEmbedFooter{Text: a.Progress.In(a.Lang)},
	}
	if a.Intro != "" {
		e.Title = ""
	}
	if a.Default != nil {
		e.Fields = []*discordgo.MessageEmbedField{{Name: uitext.T(a.Lang, uitext.EarlierAnswer), Value: clip(q.Format(*a.Default, a.Lang), 1024)}}
	}
	switch q.Type {
	case flows.TypeText:
		if dm {
			e.Footer.Text += uitext.T(a.Lang, uitext.DMTextHint)
		}
	case flows.TypeNumber:
		if dm {
			e.Footer.Text += uitext.T(a.Lang, uitext.DMNumberHint)
		}
	}
	embeds = append(embeds, e)
	return message{Embeds: embeds, Components: askComponents(f, session, a), Ask: &askRef{Session: session, Question: q.ID}}
}

// askComponents lays out the answers within Discord's limits: options as
// buttons (five a row) up to ten, a select menu beyond that and for
// multi-choice; a button that opens a form for text and numbers; and
// Skip, Back and Stop for now on every question; and in a flow with more
// than one language, a way to switch: a button for the other language,
// or a menu of them all.
func askComponents(f *flows.Flow, session string, a flows.Ask) []discordgo.MessageComponent {
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
		placeholder := uitext.T(a.Lang, uitext.ChooseOne)
		if q.Type == flows.TypeMulti {
			maxV = len(q.Options)
			if q.Max != nil {
				maxV = int(*q.Max)
			}
			if q.Min != nil {
				minV = max(int(*q.Min), 1)
			}
			placeholder = uitext.T(a.Lang, uitext.ChooseUpTo, maxV)
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
		controls = append(controls, discordgo.Button{Label: uitext.T(a.Lang, uitext.WriteAnswer), Style: discordgo.PrimaryButton, CustomID: id(ActWrite, "")})
	case flows.TypeInfo:
		controls = append(controls, discordgo.Button{Label: uitext.T(a.Lang, uitext.Continue), Style: discordgo.PrimaryButton, CustomID: id(ActContinue, "")})
	}
	if q.Type != flows.TypeInfo {
		controls = append(controls, discordgo.Button{Label: uitext.T(a.Lang, uitext.Skip), Style: discordgo.SecondaryButton, CustomID: id(ActSkip, "")})
	}
	if a.Progress.Number > 1 {
		controls = append(controls, discordgo.Button{Label: uitext.T(a.Lang, uitext.Back), Style: discordgo.SecondaryButton, CustomID: id(ActBack, "")})
	}
	controls = append(controls, discordgo.Button{Label: uitext.T(a.Lang, uitext.StopForNow), Style: discordgo.SecondaryButton, CustomID: id(ActStop, "")})
	if f != nil && len(f.Languages) == 2 {
		other := f.Languages[0]
		if other == a.Lang {
			other = f.Languages[1]
		}
		// Named in its own language, so someone who cannot read the
		// current one still finds theirs.
		controls = append(controls, discordgo.Button{Label: uitext.Name(other), Style: discordgo.SecondaryButton, CustomID: id(ActLang, other), Emoji: &discordgo.ComponentEmoji{Name: "🌐"}})
	}
	rows = append(rows, discordgo.ActionsRow{Components: controls})
	if f != nil && len(f.Languages) > 2 {
		var opts []discordgo.SelectMenuOption
		for _, l := range f.Languages {
			opts = append(opts, discordgo.SelectMenuOption{Label: clip(uitext.Name(l), maxSelectLabel), Value: l, Default: l == a.Lang})
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: id(ActLang, ""), Placeholder: "🌐 " + uitext.T(a.Lang, uitext.Language), Options: opts,
		}}})
	}
	return rows
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
	title := uitext.T(lang, uitext.YourAnswer)
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
					Label:       uitext.T(lang, uitext.YourAnswer),
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
// Components come as values or pointers (discordgo decodes pointers, the
// bot builds values): pointers are read as their values first.
func disable(cs []discordgo.MessageComponent) []discordgo.MessageComponent {
	out := make([]discordgo.MessageComponent, 0, len(cs))
	for _, c := range cs {
		switch p := c.(type) {
		case *discordgo.ActionsRow:
			c = *p
		case *discordgo.Button:
			c = *p
		case *discordgo.SelectMenu:
			c = *p
		}
		switch c := c.(type) {
		case discordgo.ActionsRow:
			out = append(out, discordgo.ActionsRow{Components: disable(c.Components)})
		case discordgo.Button:
			c.Disabled = true
			out = append(out, c)
		case discordgo.SelectMenu:
			c.Disabled = true
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out
}

// note says what a step did to the question it left, in the session's
// language.
func note(r participant.Reply, act Action) string {
	lang := r.Session.Lang
	for _, o := range r.Outputs {
		if a, ok := o.(flows.Answered); ok {
			if a.Answer.Skipped {
				return uitext.T(lang, uitext.NoteSkipped)
			}
			return uitext.T(lang, uitext.NoteAnswer, a.Question.Format(a.Answer, lang))
		}
	}
	switch act {
	case ActBack:
		return uitext.T(lang, uitext.NoteBack)
	case ActStop:
		return uitext.T(lang, uitext.NotePaused)
	case ActContinue:
		return uitext.T(lang, uitext.NoteRead)
	case ActLang:
		return uitext.T(lang, uitext.NoteLanguage, uitext.Name(lang))
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
// menu: each flow's title in its language for lang (the participant's
// locale), the rest in lang.
func flowMenu(list []participant.FlowStatus, lang string) message {
	var opts []discordgo.SelectMenuOption
	for i, fs := range list {
		if i == 25 {
			break
		}
		opts = append(opts, discordgo.SelectMenuOption{Label: clip(fs.Flow.Title.In(fs.Flow.Lang(lang)), maxSelectLabel), Value: fs.Flow.ID, Description: fs.Progress.In(lang)})
	}
	var lines []string
	for _, fs := range list {
		lines = append(lines, fmt.Sprintf("• **%s** (%s)", fs.Flow.Title.In(fs.Flow.Lang(lang)), fs.Progress.In(lang)))
	}
	return message{
		Embeds: []*discordgo.MessageEmbed{{
			Title:       uitext.T(lang, uitext.MenuTitle),
			Description: clip(strings.Join(lines, "\n")+"\n\n"+uitext.T(lang, uitext.MenuPrivacy), maxEmbedDesc),
			Color:       colourQuestion,
		}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: ID{Action: ActMenu}.String(), Placeholder: uitext.T(lang, uitext.MenuPlaceholder), Options: opts,
		}}}},
	}
}
