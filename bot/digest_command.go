package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/store"
)

// digestCommand is /digest preview and /digest post, for researchers.
func (b *Bot) digestCommand() command {
	perms := int64(discordgo.PermissionManageServer)
	dm := false
	period := func() []*discordgo.ApplicationCommandOption {
		return []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionString, Name: "period",
			Description: "An ISO week such as 2026-W47, or a month such as 2026-11 (default: the last complete week)",
			MaxLength:   10,
		}}
	}
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "digest",
			Description:              "The anonymised research digest (researchers)",
			DefaultMemberPermissions: &perms,
			DMPermission:             &dm,
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "preview", Description: "Show the digest to you alone", Options: period(),
			}, {
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "post", Description: "Post the digest in the research channel", Options: append(period(), &discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionBoolean, Name: "again",
					Description: "Post it even if this period's digest was posted already (default: no)",
				}),
			}},
		},
		routes: map[string]route{
			"preview": {role: researcher, audit: "digest.preview", handle: b.digestPreview},
			"post":    {role: researcher, audit: "digest.post", handle: b.digestPost},
		},
		usage: "Use `/digest preview` or `/digest post`.",
	}
}

// digestsAvailable says so when the bot was started without digests
// (Config.Digests), before anything else of /digest is checked.
func (b *Bot) digestsAvailable() error {
	if b.cfg.Digests != nil {
		return nil
	}
	b.log.Warn("/digest: this bot was started without digests")
	return userError{"Digests are not available from this bot. Run `peervoice digest` on the server instead."}
}

// buildDigest builds the period's digest. A mistyped period is the
// researcher's to fix; any other failure is ours, logged by respond.
func (b *Bot) buildDigest(ctx context.Context, period string) (*digest.Digest, error) {
	if period != "" {
		// The time zone does not matter to the syntax.
		if _, err := digest.ParsePeriod(period, time.UTC); err != nil {
			return nil, userError{fmt.Sprintf("%v. Leave the period empty for the last complete week.", err)}
		}
	}
	d, err := b.cfg.Digests(ctx, period)
	if err != nil {
		return nil, fmt.Errorf("build digest %q: %w", period, err)
	}
	return d, nil
}

// digestPreview shows the digest to the researcher alone: the first
// message as the response, the rest, charts included, as ephemeral
// follow-ups.
func (b *Bot) digestPreview(ctx context.Context, rq request) (reply, error) {
	rq.note.target = rq.str("period")
	if err := b.digestsAvailable(); err != nil {
		return reply{}, err
	}
	d, err := b.buildDigest(ctx, rq.str("period"))
	if err != nil {
		return reply{}, err
	}
	rq.note.target = d.Period.Name
	msgs, err := digestMessages(d, b.cfg.DigestPosting.charts())
	if err != nil {
		return reply{}, err
	}
	first := message{Content: fmt.Sprintf("Preview of the digest for %s, only you can see it (%d message(s)).", d.Period.Name, len(msgs))}
	if len(msgs) > 0 {
		first.Embeds = msgs[0].embeds
	}
	r := shown(first)
	r.after = func() {
		for _, m := range msgs[min(1, len(msgs)):] {
			if _, err := b.followup(rq.i, message{Content: m.content, Embeds: m.embeds, Files: m.discordFiles()}, true); err != nil {
				return // followup logged it
			}
		}
	}
	return r, nil
}

// digestPost posts the digest in the research channel, once a period:
// a period already posted (by the schedule or by hand) is not posted
// again unless the researcher says again:true; one whose post failed
// earlier is resumed. When Discord refuses, the researcher is told why
// and how to fix it, and the admin reads the same in the log; nothing
// is lost, as the claim stays pending and the digest is built from the
// store again on the next try.
func (b *Bot) digestPost(ctx context.Context, rq request) (reply, error) {
	if err := b.digestsAvailable(); err != nil {
		return reply{}, err
	}
	i, period, again := rq.i, rq.str("period"), rq.flag("again")
	channel := b.cfg.ResearchChannelID
	rq.note.target, rq.note.details = period, fmt.Sprintf("channel=%s again=%t", channel, again)
	if channel == "" {
		b.log.Warn("cannot post digest", "err", ErrNoResearchChannel)
		return reply{}, userError{"There is no research channel to post in. A server admin should set `discord.research_channel_id` to the research channel's id (right-click the channel, Copy Channel ID) and restart PeerVoice; then run `/digest post` again. `/digest preview` works meanwhile."}
	}
	d, err := b.buildDigest(ctx, period)
	if err != nil {
		return reply{}, err
	}
	rq.note.target = d.Period.Name
	pp, err := b.poster.postOnce(ctx, d, again)
	var pe *DigestPostError
	switch {
	case errors.Is(err, ErrPeriodUnderWay):
		return reply{}, userError{fmt.Sprintf("The %s %s is not over yet, so its digest is not posted: a digest of part of a %s, beside the whole %s's posted once it ends, would let readers work out small counts from the difference. `/digest preview period:%s` shows it to you alone; it is posted once the %s ends.",
			d.Period.Unit, d.Period.Name, d.Period.Unit, d.Period.Unit, d.Period.Name, d.Period.Unit)}
	case errors.As(err, &pe):
		text := fmt.Sprintf("Could not post the digest for %s in %s: %s.", d.Period.Name, b.channelName(channel), pe.Reason)
		if pe.Fix != "" {
			text += " To fix it: " + pe.Fix + "."
		}
		text += " Nothing is lost: PeerVoice keeps trying and posts it once fixed (or run `/digest post` again then)."
		return reply{}, userError{text}
	case err != nil:
		return reply{}, err
	case pp.unclaimed:
		return b.digestPostUnclaimed(ctx, i, d, again)
	case pp.prior != nil:
		rq.note.details = joinDetails(rq.note.details, "already posted, not posted again")
		return b.alreadyPosted(i, d, *pp.prior)
	}
	rq.note.details = joinDetails(rq.note.details, fmt.Sprintf("posted %d message(s)", pp.n))
	return shown(message{Content: fmt.Sprintf("Posted the digest for %s in <#%s> (%d message(s)): %s",
		d.Period.Name, channel, pp.n, messageLink(i.GuildID, channel, pp.first))}), nil
}

// alreadyPosted tells the researcher where the period's digest is, and
// how to post it again if they mean to.
func (b *Bot) alreadyPosted(i *discordgo.Interaction, d *digest.Digest, p store.Post) (reply, error) {
	text := fmt.Sprintf("The digest for %s was already posted in <#%s> on %s: %s. It was not posted again. To post it once more, run `/digest post period:%s again:True`.",
		d.Period.Name, p.ChannelID, p.PostedAt.In(b.poster.loc).Format("2 January 2006"), messageLink(i.GuildID, p.ChannelID, p.MessageID), d.Period.Name)
	return shown(message{Content: text}), nil
}

// digestPostUnclaimed posts the digest without a claim, with nonces of
// this interaction's own (a retried request gets its message back).
func (b *Bot) digestPostUnclaimed(ctx context.Context, i *discordgo.Interaction, d *digest.Digest, again bool) (reply, error) {
	channel := b.cfg.ResearchChannelID
	msgs, err := digestMessages(d, b.cfg.DigestPosting.charts())
	if err != nil {
		return reply{}, err
	}
	name := b.channelName(channel)
	n, err := b.poster.postUnclaimed(ctx, msgs, func(k int) string {
		return nonceFor(fmt.Sprintf("digest/%s/%s/%d", d.Period.Name, i.ID, k), time.Time{})
	}, nil)
	var pe *DigestPostError
	if errors.As(err, &pe) {
		b.log.Warn("cannot post digest; post it again once fixed", "period", d.Period.Name, "channel", name, "err", pe.Reason, "fix", pe.Fix, "posted", n)
		text := fmt.Sprintf("Could not post the digest for %s in %s: %s.", d.Period.Name, name, pe.Reason)
		if pe.Fix != "" {
			text += " To fix it: " + pe.Fix + "."
		}
		text += " Nothing is lost: run `/digest post` again once it is fixed."
		return reply{}, userError{text}
	}
	if err != nil {
		return reply{}, err
	}
	b.log.Info("posted digest", "period", d.Period.Name, "channel", name, "messages", n, "again", again)
	text := fmt.Sprintf("Posted the digest for %s in <#%s> (%d message(s)).", d.Period.Name, channel, n)
	return shown(message{Content: text}), nil
}

// messageLink is a link that opens a message in Discord.
func messageLink(guildID, channelID, messageID string) string {
	if guildID == "" {
		guildID = "@me"
	}
	return fmt.Sprintf("https://discord.com/channels/%s/%s/%s", guildID, channelID, messageID)
}
