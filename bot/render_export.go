package bot

import (
	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
)

// This file lends the bot's renderer to other front ends that show what
// Discord would (the playground), so that there is one source of what a
// question looks like. It only wraps the unexported functions the bot
// itself uses; nothing here changes how the bot renders.

// Message is one message as the bot would show it in a participant's DM.
type Message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
}

func exported(m message) Message {
	return Message{Content: m.Content, Embeds: m.Embeds, Components: m.Components}
}

// RenderReply turns a participant service reply into the messages the
// bot sends in a DM, in order; lang is the participant's locale, used
// when the reply has no language of its own.
func RenderReply(r participant.Reply, lang string) []Message {
	var out []Message
	for _, m := range renderReply(r, true, lang) {
		out = append(out, exported(m))
	}
	return out
}

// RenderFlowMenu is the bot's menu of flows with the participant's
// progress in each (list from participant.Service.Overview).
func RenderFlowMenu(list []participant.FlowStatus, lang string) Message {
	return exported(flowMenu(list, lang))
}

// RenderSupport is the bot's support message for a signpost text, as
// it sends one when there is no flow under way.
func RenderSupport(text, lang string) Message { return exported(supportMessage(text, lang)) }

// RenderAnswered returns m as the bot leaves a question message once it
// is answered: note (see AnswerNote) in place of its fields, and every
// button and menu disabled.
func RenderAnswered(m Message, note string) Message {
	embeds, comps := answered(&discordgo.Message{Content: m.Content, Embeds: m.Embeds, Components: m.Components}, note)
	return Message{Content: m.Content, Embeds: embeds, Components: comps}
}

// AnswerNote says what a step (act, or 0 for a typed answer) did to the
// question it left, as the bot marks the question's message.
func AnswerNote(r participant.Reply, act Action) string { return note(r, act) }

// AnswerForm is the bot's form (a Discord modal) for a typed answer to
// question q of session; def is the earlier answer to fill in, if any.
func AnswerForm(f *flows.Flow, session string, q *flows.Question, lang string, def *flows.Answer) *discordgo.InteractionResponseData {
	return answerModal(f, session, q, lang, def).Data
}

// ComponentInput is the engine input a click on a question's component
// means, as the bot's interaction handler reads it: values are a select
// menu's chosen values. ok is false for actions that are no answer to a
// question (the flows menu, the answer form's button, a language
// switch), which the caller handles itself. onComponent maps clicks
// through it, so the bot and the playground read a click alike.
func ComponentInput(id ID, values []string) (in flows.Input, ok bool) {
	switch id.Action {
	case ActAnswer:
		return flows.Input{Kind: flows.Choose, Choices: []string{id.Value}}, true
	case ActSelect:
		return flows.Input{Kind: flows.Choose, Choices: values}, true
	case ActSkip:
		return flows.Input{Kind: flows.Skip}, true
	case ActBack:
		return flows.Input{Kind: flows.Back}, true
	case ActStop:
		return flows.Input{Kind: flows.Stop}, true
	case ActContinue:
		return flows.Input{Kind: flows.Enter}, true
	}
	return flows.Input{}, false
}
