package bot

import (
	"context"
	"errors"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordfix"
	"github.com/peervoice/peervoice/uitext"
)

// ackAfter is how long a handler may work before the bot defers its
// response: well inside Discord's 3 seconds, allowing for the network.
var ackAfter = 1500 * time.Millisecond

// response is what a handler wants to say first, and what to send after.
type response struct {
	initial *discordgo.InteractionResponse
	after   func() // follow-ups, run once the initial response is sent
}

// userError is a mistake the person who clicked or typed can fix (a
// participant, or a moderator missing a setting): fail shows its text as
// is, in place of the kind apology, and logs nothing. A missing role is a
// roleError (roles.go).
type userError struct{ msg string }

func (e userError) Error() string { return e.msg }

// respond runs work and answers the interaction with its result. If the
// work is slow, it first sends a deferred response (ephemeral for
// commands when asked), so the 3-second deadline is always met, then
// edits the original response with the result.
func (b *Bot) respond(i *discordgo.Interaction, ephemeral bool, work func(ctx context.Context) (response, error)) {
	ctx := context.Background()
	type result struct {
		r   response
		err error
	}
	ch := make(chan result, 1)
	go func() {
		r, err := work(ctx)
		ch <- result{r, err}
	}()
	// Count from when Discord created the interaction (its id is a
	// snowflake with a timestamp), not from when the event reached us: a
	// busy gateway must not eat into the 3 seconds unnoticed.
	start := time.Now()
	if t, err := discordgo.SnowflakeTimestamp(i.ID); err == nil && time.Since(t) >= 0 && time.Since(t) < time.Minute {
		start = t
	}
	timer := time.NewTimer(time.Until(start.Add(ackAfter)))
	defer timer.Stop()
	var res result
	deferred := false
	select {
	case res = <-ch:
	case <-timer.C:
		deferred = true
		d := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
		if i.Type == discordgo.InteractionMessageComponent || i.Type == discordgo.InteractionModalSubmit {
			d.Type = discordgo.InteractionResponseDeferredMessageUpdate
		} else if ephemeral {
			d.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
		}
		if err := b.s.InteractionRespond(i, d); err != nil {
			b.log.Error("defer interaction response", "err", err)
		}
		res = <-ch
	}
	if res.err != nil {
		b.fail(i, res.err, deferred)
		return
	}
	init := res.r.initial
	switch {
	case init == nil:
	case !deferred:
		// On failure (Discord refused a late response, say), still run
		// the follow-ups: in a DM the next question goes out by DM, and
		// the answer already saved is not left without one.
		if err := b.s.InteractionRespond(i, init); err != nil {
			b.log.Error("respond to interaction", "type", init.Type, "err", err)
		}
	case init.Type == discordgo.InteractionResponseModal:
		// A modal cannot follow a deferral; the participant clicks again.
		b.followup(i, message{Content: "Sorry, that took too long. Please click the button again."}, true)
	default:
		if err := b.editOriginal(i, init.Data); err != nil {
			b.log.Error("edit deferred response", "err", err)
		}
	}
	if res.r.after != nil {
		res.r.after()
	}
}

// fail tells the participant kindly and logs the detail.
func (b *Bot) fail(i *discordgo.Interaction, err error, deferred bool) {
	text, ours := userFacing(err, string(i.Locale))
	if ours {
		b.log.Error("interaction failed", "type", i.Type.String(), "err", err)
	}
	if deferred {
		b.followup(i, message{Content: text}, true)
		return
	}
	if rerr := b.s.InteractionRespond(i, ephemeralReply(message{Content: text})); rerr != nil {
		b.log.Error("respond with error", "err", rerr)
	}
}

// userFacing is the one place where an error becomes what the person
// who acted reads: a mistake of theirs (userError) or a refusal for want
// of a role (roleError, from requireRole) as it is; anything else is a
// failure on our side (ours), which gets the kind apology in their
// language and is logged by fail.
func userFacing(err error, locale string) (text string, ours bool) {
	var ue userError
	var re roleError
	switch {
	case errors.As(err, &ue):
		return ue.msg, false
	case errors.As(err, &re):
		return re.Error(), false
	}
	return uitext.T(locale, uitext.BotSorry), true
}

func (b *Bot) editOriginal(i *discordgo.Interaction, d *discordgo.InteractionResponseData) error {
	comps := d.Components
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	edit := &discordgo.WebhookEdit{Content: &d.Content, Embeds: &d.Embeds, Components: &comps, Files: d.Files}
	return discordfix.EditResponse(b.s, i, edit)
}

// followup sends m as a follow-up message to the interaction.
func (b *Bot) followup(i *discordgo.Interaction, m message, ephemeral bool) (*discordgo.Message, error) {
	p := &discordgo.WebhookParams{Content: m.Content, Embeds: m.Embeds, Components: m.Components, Files: m.Files}
	if p.Components == nil {
		p.Components = []discordgo.MessageComponent{}
	}
	if ephemeral {
		p.Flags = discordgo.MessageFlagsEphemeral
	}
	msg, err := b.s.FollowupMessageCreate(i, true, p)
	if err != nil {
		b.log.Error("send follow-up", "err", err)
	}
	return msg, err
}

// ephemeralReply is a response only the person who acted can see.
func ephemeralReply(m message) *discordgo.InteractionResponse {
	d := data(m)
	d.Flags = discordgo.MessageFlagsEphemeral
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: d}
}

// publicReply is a response in the channel (used in DMs, which are
// private anyway).
func publicReply(m message) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data(m)}
}

// updateReply replaces the message a component is on.
func updateReply(m message) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: data(m)}
}

func data(m message) *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{Content: m.Content, Embeds: m.Embeds, Components: m.Components, Files: m.Files}
	if d.Components == nil {
		d.Components = []discordgo.MessageComponent{}
	}
	if d.Embeds == nil {
		d.Embeds = []*discordgo.MessageEmbed{}
	}
	return d
}
