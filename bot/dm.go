package bot

import (
	"context"
	"errors"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/uitext"
)

// onMessage handles what a participant types in their DM with the bot:
// an answer (typed answers work for every question, for accessibility),
// skip, back, stop or help. Crisis language gets the signpost at once.
func (b *Bot) onMessage(s *discordgo.Session, m *discordgo.MessageCreate) {
	if m.Author == nil || m.Author.Bot || m.GuildID != "" {
		return
	}
	done, ok := b.track()
	if !ok {
		return
	}
	defer done()
	defer b.lockUser(m.Author.ID)()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u := person(m.Author)
	reply, err := b.svc.Input(ctx, u, participant.Step{Input: flows.Typed(m.Content)})
	if errors.Is(err, participant.ErrNoSession) {
		if reply.Signpost != "" {
			b.sendDMOrLog(m.ChannelID, supportMessage(reply.Signpost, ""))
		}
		b.sendDMOrLog(m.ChannelID, message{Content: uitext.T("", uitext.BotHello)})
		return
	}
	if err != nil {
		b.log.Error("typed answer", "err", err)
		b.sendDMOrLog(m.ChannelID, message{Content: uitext.T(reply.Session.Lang, uitext.BotSorry)})
		return
	}
	if len(reply.Outputs) > 0 {
		b.markAnswered(reply)
	}
	for _, msg := range renderReply(reply, true, "") {
		if err := b.sendDM(m.ChannelID, msg); err != nil {
			b.log.Error("send DM", "err", err)
			return
		}
	}
}

// markAnswered disables the buttons of the question a typed answer
// answered, so a later click on them cannot record again.
func (b *Bot) markAnswered(reply participant.Reply) {
	b.mu.Lock()
	ref, ok := b.last[reply.Session.ID]
	delete(b.last, reply.Session.ID)
	b.mu.Unlock()
	if !ok {
		return
	}
	embeds, comps := answered(ref.msg, note(reply, 0))
	edit := &discordgo.MessageEdit{ID: ref.messageID, Channel: ref.channelID, Embeds: &embeds, Components: &comps}
	if err := editMessage(b.s, edit); err != nil {
		b.log.Warn("mark question answered", "err", err)
	}
}

func (b *Bot) sendDMOrLog(channelID string, m message) {
	if err := b.sendDM(channelID, m); err != nil {
		b.log.Error("send DM", "err", err)
	}
}
