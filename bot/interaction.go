package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/uitext"
)

// onInteraction dispatches slash commands, clicks and form submissions.
func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	done, ok := b.track()
	if !ok {
		return
	}
	defer done()
	i := ic.Interaction
	if userOf(ic) == nil {
		return
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		name := i.ApplicationCommandData().Name
		c, ok := b.commands[name]
		if !ok {
			b.respond(i, true, func(context.Context) (response, error) {
				return response{}, userError{uitext.T(string(i.Locale), uitext.BotUnknownCmd)}
			})
			return
		}
		b.dispatch(ic, c)
	case discordgo.InteractionMessageComponent:
		b.onComponent(ic)
	case discordgo.InteractionModalSubmit:
		b.onModal(ic)
	}
}

// onComponent handles a click or a choice on one of the bot's messages.
func (b *Bot) onComponent(ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	cd := i.MessageComponentData()
	id, err := ParseID(cd.CustomID)
	if err != nil {
		b.respond(i, true, func(context.Context) (response, error) {
			return response{}, userError{uitext.T(string(i.Locale), uitext.BotOutOfDate)}
		})
		return
	}
	p := privilegeOf(id) // flows_preview.go
	if err := b.requireRole(ic, p.role, p.what); err != nil {
		b.respond(i, true, func(context.Context) (response, error) { return response{}, err })
		return
	}
	switch id.Action {
	case ActPrompt:
		b.startPrivately(ic, id.Value)
		return
	case ActMenu:
		if len(cd.Values) != 1 {
			b.respond(i, true, func(context.Context) (response, error) {
				return response{}, userError{uitext.T(string(i.Locale), uitext.MenuOneSet)}
			})
			return
		}
		b.startPrivately(ic, cd.Values[0])
		return
	case ActWithdraw:
		b.withdraw(ic, id.Value == "yes")
		return
	case ActCarryOn: // a reminder's: resumes the flow as /survey does
		b.carryOn(ic, id.Value)
		return
	case ActNoReminders:
		b.stopReminders(ic)
		return
	case ActWrite:
		b.openModal(ic, id)
		return
	case ActLang:
		lang := id.Value
		if len(cd.Values) == 1 {
			lang = cd.Values[0]
		}
		b.stepWith(ic, id, func(ctx context.Context, svc Participants, u participant.User) (participant.Reply, error) {
			return svc.SetLanguage(ctx, u, id.Session, lang)
		})
		return
	case ActApproveQuote, ActRejectQuote, ActUndoQuote:
		b.reviewQuote(ic, id)
		return
	case ActPreviewDraft, ActPublishDraft, ActPublishAnyway:
		b.flowButton(ic, id) // flows_upload.go
		return
	}
	// One mapping of a click to the participant's input, the
	// playground's too (render_export.go).
	in, ok := ComponentInput(id, cd.Values)
	if !ok {
		return
	}
	b.step(ic, id, participant.Step{SessionID: id.Session, QuestionID: id.Question, Input: in})
}

// onModal handles a typed answer sent with the "Write my answer" form.
func (b *Bot) onModal(ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	md := i.ModalSubmitData()
	id, err := ParseID(md.CustomID)
	if err != nil || id.Action != ActModal {
		b.respond(i, true, func(context.Context) (response, error) {
			return response{}, userError{uitext.T(string(i.Locale), uitext.BotFormOutdated)}
		})
		return
	}
	p := privilegeOf(id) // a preview's form needs the moderator role
	if p.role == anyone {
		p.what = "form"
	}
	if err := b.requireRole(ic, p.role, p.what); err != nil { // and anyone's is refused from a server not served
		b.respond(i, true, func(context.Context) (response, error) { return response{}, err })
		return
	}
	text := ""
	for _, row := range md.Components {
		if r, ok := row.(*discordgo.ActionsRow); ok {
			for _, c := range r.Components {
				if ti, ok := c.(*discordgo.TextInput); ok && ti.CustomID == "answer" {
					text = ti.Value
				}
			}
		}
	}
	// A typed answer is text, even if it reads "skip": the form has its
	// own Skip button beside it.
	b.step(ic, id, participant.Step{SessionID: id.Session, QuestionID: id.Question, Input: flows.Input{Kind: flows.Enter, Text: text}})
}

// step applies one input from a component or form; see stepWith.
func (b *Bot) step(ic *discordgo.InteractionCreate, id ID, st participant.Step) {
	st.Lang = string(ic.Locale)
	b.stepWith(ic, id, func(ctx context.Context, svc Participants, u participant.User) (participant.Reply, error) {
		return svc.Input(ctx, u, st)
	})
}

// stepWith applies one step from a component or form (do, on the
// session's service: the study's, or a preview's) and shows the result:
// the old question is marked answered and disabled, and what follows is
// sent after it, in the DM or as ephemeral follow-ups.
func (b *Bot) stepWith(ic *discordgo.InteractionCreate, id ID, do func(context.Context, Participants, participant.User) (participant.Reply, error)) {
	i := ic.Interaction
	u := userOf(ic)
	dm := i.GuildID == ""
	locale := string(i.Locale)
	b.respond(i, true, func(ctx context.Context) (response, error) {
		// Locked here, after respond has armed its deferral timer, and
		// released once the replies are delivered.
		svc, preview, err := b.participantsFor(id.Session) // flows_preview.go
		if err != nil {
			return response{}, err
		}
		unlock := b.lockUser(u.ID)
		reply, err := do(ctx, svc, person(u))
		if errors.Is(err, participant.ErrNoSession) {
			unlock()
			return response{initial: ephemeralReply(message{Content: uitext.T(locale, uitext.BotNoSession)})}, nil
		}
		if err != nil {
			unlock()
			return response{}, err
		}
		if reply.Stale {
			unlock()
			return response{initial: ephemeralReply(message{Content: uitext.T(pick(reply.Session.Lang, locale), uitext.BotStale)})}, nil
		}
		b.forget(id.Session) // the click's message is updated below; no typed answer will mark it
		msgs := renderReply(reply, dm, locale)
		if preview != nil {
			msgs = preview.banner(msgs)
		}
		var initial *discordgo.InteractionResponse
		if i.Message != nil {
			embeds, comps := answered(i.Message, note(reply, id.Action))
			initial = updateReply(message{Content: i.Message.Content, Embeds: embeds, Components: comps})
		} else {
			initial = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
		}
		return response{initial: initial, after: func() {
			defer unlock()
			b.deliver(i, dm, msgs)
		}}, nil
	})
}

// forget drops the remembered question message of a session.
func (b *Bot) forget(session string) {
	b.mu.Lock()
	delete(b.last, session)
	b.mu.Unlock()
}

// deliver sends messages after an interaction response: in a DM as
// ordinary messages, elsewhere as ephemeral follow-ups that only the
// participant sees.
func (b *Bot) deliver(i *discordgo.Interaction, dm bool, msgs []message) {
	for _, m := range msgs {
		if dm {
			if err := b.sendDM(i.ChannelID, m); err != nil {
				b.log.Error("send DM", "err", err)
				return
			}
			continue
		}
		if _, err := b.followup(i, m, true); err != nil {
			return
		}
	}
}

// sendDM sends m to a DM channel, remembering a question message so a
// typed answer can later mark it answered.
func (b *Bot) sendDM(channelID string, m message) error {
	send := &discordgo.MessageSend{Content: m.Content, Embeds: m.Embeds, Components: m.Components, Files: m.Files}
	if send.Components == nil {
		send.Components = []discordgo.MessageComponent{}
	}
	id, err := postMessage(b.s, channelID, send)
	if err != nil {
		return err
	}
	if m.Ask != nil {
		b.mu.Lock()
		b.last[m.Ask.Session] = messageRef{channelID: channelID, messageID: id, msg: &discordgo.Message{Embeds: m.Embeds, Components: m.Components}}
		b.mu.Unlock()
	}
	return nil
}

// openModal shows the form for a typed answer.
func (b *Bot) openModal(ic *discordgo.InteractionCreate, id ID) {
	i := ic.Interaction
	b.respond(i, true, func(ctx context.Context) (response, error) {
		svc, _, err := b.participantsFor(id.Session)
		if err != nil {
			return response{}, err
		}
		// Continue shows where the participant is without changing it.
		reply, err := svc.Continue(ctx, person(userOf(ic)))
		if errors.Is(err, participant.ErrNoSession) {
			return response{initial: ephemeralReply(message{Content: uitext.T(string(i.Locale), uitext.BotNoSession)})}, nil
		}
		if err != nil {
			return response{}, err
		}
		if reply.Session.ID != id.Session || reply.Session.Current != id.Question {
			return response{initial: ephemeralReply(message{Content: uitext.T(pick(reply.Session.Lang, string(i.Locale)), uitext.BotStaleForm)})}, nil
		}
		q := reply.Flow.Question(id.Question)
		var def *flows.Answer
		if a, ok := reply.Session.Answers[q.ID]; ok && !a.Skipped {
			def = &a
		}
		return response{initial: answerModal(reply.Flow, id.Session, q, reply.Session.Lang, def)}, nil
	})
}

// startPrivately begins or resumes a flow for the person who clicked;
// see beginLocked.
func (b *Bot) startPrivately(ic *discordgo.InteractionCreate, flowID string) {
	b.respond(ic.Interaction, true, func(ctx context.Context) (response, error) {
		r, err := b.beginLocked(ctx, ic, flowID)
		return r.response(), err
	})
}

// beginLocked begins or resumes a flow for the person who asked, in
// their DMs; if Discord refuses the DM (they closed DMs), it carries on
// in ephemeral messages that only they can see. The person is locked
// until what follows is delivered.
func (b *Bot) beginLocked(ctx context.Context, ic *discordgo.InteractionCreate, flowID string) (reply, error) {
	return b.beginLockedWith(ctx, ic, flowID, b.svc.Begin)
}

// beginFunc starts or resumes a flow: Participants.Begin, or CarryOn for
// a reminder's button.
type beginFunc func(ctx context.Context, u participant.User, flowID, lang string) (participant.Reply, error)

// beginLockedWith is beginLocked with the participant service's begin
// given.
func (b *Bot) beginLockedWith(ctx context.Context, ic *discordgo.InteractionCreate, flowID string, begin beginFunc) (reply, error) {
	u := userOf(ic)
	unlock := b.lockUser(u.ID)
	r, err := b.beginPrivately(ctx, ic.Interaction, u, ic.GuildID == "", flowID, begin)
	if err != nil || r.after == nil {
		unlock()
		return r, err
	}
	r.after = holdUntilDone(r.after, unlock)
	return r, nil
}

// holdUntilDone returns after followed by unlock (after may be nil): a
// lock taken for a step is held until its follow-ups have gone out, so
// the next step cannot overtake them.
func holdUntilDone(after, unlock func()) func() {
	return func() {
		defer unlock()
		if after != nil {
			after()
		}
	}
}

// beginPrivately starts the flow and says how to show it: in the DM the
// command came from, in a new DM, or in ephemeral messages.
func (b *Bot) beginPrivately(ctx context.Context, i *discordgo.Interaction, u *discordgo.User, inDM bool, flowID string, begin beginFunc) (reply, error) {
	pr, err := begin(ctx, person(u), flowID, string(i.Locale))
	if errors.Is(err, flows.ErrUnknownFlow) {
		return reply{}, userError{uitext.T(string(i.Locale), uitext.BotUnknownFlow, flowID, strings.Join(b.svc.Flows().IDs(), ", "))}
	}
	if wait := (*participant.WaveNotOpenError)(nil); errors.As(err, &wait) {
		// Not a mistake: the next round of a check-in opens later.
		return reply{}, userError{wait.Message(string(i.Locale))}
	}
	if err != nil {
		return reply{}, err
	}
	lang := pick(pr.Session.Lang, string(i.Locale))
	if inDM {
		msgs := renderReply(pr, true, lang)
		title := pr.Flow.Title.In(pr.Session.Lang)
		r := reply{message: message{Content: uitext.T(lang, uitext.BotHereAre, title)}, public: true}
		if i.Type == discordgo.InteractionMessageComponent && i.Message != nil {
			embeds, comps := answered(i.Message, uitext.T(lang, uitext.NoteChosenFlow, title))
			r = reply{message: message{Content: i.Message.Content, Embeds: embeds, Components: comps}, update: true}
		}
		r.after = func() {
			if err := b.sendAllDM(i.ChannelID, msgs); err != nil {
				b.log.Error("send DM", "err", err)
			}
		}
		return r, nil
	}
	ch, err := b.s.UserChannelCreate(u.ID)
	if err == nil {
		msgs := renderReply(pr, true, lang)
		if err = b.sendAllDM(ch.ID, msgs); err == nil {
			return shown(message{Content: uitext.T(lang, uitext.BotSentDM)}), nil
		}
	}
	if !isDMClosed(err) {
		return reply{}, fmt.Errorf("open DM: %w", err)
	}
	msgs := renderReply(pr, false, lang)
	first := msgs[0]
	first.Content = uitext.T(lang, uitext.BotDMClosed) + "\n\n" + first.Content
	r := shown(first)
	r.after = func() {
		for _, m := range msgs[1:] {
			if _, err := b.followup(i, m, true); err != nil {
				return
			}
		}
	}
	return r, nil
}

// sendAllDM sends messages to a DM channel in order.
func (b *Bot) sendAllDM(channelID string, msgs []message) error {
	for _, m := range msgs {
		if err := b.sendDM(channelID, m); err != nil {
			return err
		}
	}
	return nil
}

// pick returns the session's language, or the locale when it has none.
func pick(session, locale string) string {
	if session != "" {
		return session
	}
	return locale
}

// isDMClosed reports Discord's "Cannot send messages to this user".
func isDMClosed(err error) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeCannotSendMessagesToThisUser
}
