package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/digest"
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
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "post", Description: "Post the digest in the research channel", Options: period(),
			}},
		},
		handle: b.digest,
	}
}

func (b *Bot) digest(ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	b.respond(i, true, func(ctx context.Context) (response, error) {
		if !b.isResearcher(ic) {
			return response{}, b.refuse("digest", "researcher")
		}
		data := i.ApplicationCommandData()
		if len(data.Options) == 0 {
			return response{}, userError{"Use `/digest preview` or `/digest post`."}
		}
		sub := data.Options[0]
		period := ""
		for _, o := range sub.Options {
			if o.Name == "period" {
				period = o.StringValue()
			}
		}
		if b.cfg.Digests == nil {
			b.log.Warn("/digest: this bot was started without digests")
			return response{}, userError{"Digests are not available from this bot. Run `peervoice digest` on the server instead."}
		}
		switch sub.Name {
		case "preview":
			return b.digestPreview(ctx, i, period)
		case "post":
			return b.digestPost(ctx, period)
		}
		return response{}, userError{"Use `/digest preview` or `/digest post`."}
	})
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
// message as the response, the rest as ephemeral follow-ups.
func (b *Bot) digestPreview(ctx context.Context, i *discordgo.Interaction, period string) (response, error) {
	d, err := b.buildDigest(ctx, period)
	if err != nil {
		return response{}, err
	}
	msgs := digestMessages(d)
	first := message{Content: fmt.Sprintf("Preview of the digest for %s, only you can see it (%d message(s)).", d.Period.Name, len(msgs))}
	if len(msgs) > 0 {
		first.Embeds = msgs[0]
	}
	return response{
		initial: ephemeralReply(first),
		after: func() {
			for _, embeds := range msgs[min(1, len(msgs)):] {
				if _, err := b.followup(i, message{Embeds: embeds}, true); err != nil {
					return // followup logged it
				}
			}
		},
	}, nil
}

// digestPost posts the digest in the research channel. When Discord
// refuses, the researcher is told why and how to fix it, and the admin
// reads the same in the log; nothing is lost, as the digest is built
// from the store again on the next try.
func (b *Bot) digestPost(ctx context.Context, period string) (response, error) {
	channel := b.cfg.ResearchChannelID
	if channel == "" {
		b.log.Warn("cannot post digest", "err", ErrNoResearchChannel)
		return response{}, userError{"There is no research channel to post in. A server admin should set `discord.research_channel_id` to the research channel's id (right-click the channel, Copy Channel ID) and restart PeerVoice; then run `/digest post` again. `/digest preview` works meanwhile."}
	}
	d, err := b.buildDigest(ctx, period)
	if err != nil {
		return response{}, err
	}
	name := b.channelName(channel)
	n, err := postDigest(ctx, b.s, channel, name, d)
	var pe *DigestPostError
	if errors.As(err, &pe) {
		b.log.Warn("cannot post digest; post it again once fixed", "period", d.Period.Name, "channel", name, "err", pe.Reason, "fix", pe.Fix, "posted", n)
		text := fmt.Sprintf("Could not post the digest for %s in %s: %s.", d.Period.Name, name, pe.Reason)
		if pe.Fix != "" {
			text += " To fix it: " + pe.Fix + "."
		}
		text += " Nothing is lost: run `/digest post` again once it is fixed."
		return response{}, userError{text}
	}
	if err != nil {
		return response{}, err
	}
	b.log.Info("posted digest", "period", d.Period.Name, "channel", name, "messages", n)
	return response{initial: ephemeralReply(message{Content: fmt.Sprintf("Posted the digest for %s in <#%s> (%d message(s)).", d.Period.Name, channel, n)})}, nil
}
