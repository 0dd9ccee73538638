package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/digest"
)

// colourDigest is the digest embeds' colour: a mid blue that reads in
// dark and light themes.
const colourDigest = 0x3B7DD8

// DigestSource builds the digest for a period ("2026-W47", "2026-11", or
// "" for the last complete week) from the store, afresh each time: a
// digest that failed to post is never lost, only built again.
type DigestSource func(ctx context.Context, period string) (*digest.Digest, error)

// ErrNoResearchChannel is returned when a digest is to be posted but no
// research channel is configured.
var ErrNoResearchChannel = errors.New("no research channel: set discord.research_channel_id (or PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID) to the id of the channel researchers watch (right-click the channel, Copy Channel ID)")

// DigestPostError is a digest Discord refused to take, with what a
// server admin can do about it.
type DigestPostError struct {
	Channel string // the channel id
	Reason  string // e.g. "Unknown Channel"
	Fix     string // "" when there is nothing to suggest
	Err     error
}

func (e *DigestPostError) Error() string {
	s := fmt.Sprintf("post digest in channel %s: %s", e.Channel, e.Reason)
	if e.Fix != "" {
		s += ": " + e.Fix
	}
	return s
}

func (e *DigestPostError) Unwrap() error { return e.Err }

// digestMessages converts the digest's embeds into Discord's, one
// message each.
func digestMessages(d *digest.Digest) [][]*discordgo.MessageEmbed {
	var out [][]*discordgo.MessageEmbed
	for _, m := range d.Embeds() {
		var embeds []*discordgo.MessageEmbed
		for _, e := range m {
			de := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: e.Title, Description: e.Description, Color: colourDigest}
			for _, f := range e.Fields {
				de.Fields = append(de.Fields, &discordgo.MessageEmbedField{Name: f.Name, Value: f.Value})
			}
			if e.Footer != "" {
				de.Footer = &discordgo.MessageEmbedFooter{Text: e.Footer}
			}
			embeds = append(embeds, de)
		}
		out = append(out, embeds)
	}
	return out
}

// postDigest posts d in the channel, message by message. It returns how
// many messages were posted and, on failure, a *DigestPostError.
func postDigest(ctx context.Context, s *discordgo.Session, channelID, channelName string, d *digest.Digest) (int, error) {
	if channelID == "" {
		return 0, ErrNoResearchChannel
	}
	msgs := digestMessages(d)
	for i, embeds := range msgs {
		if _, err := s.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Embeds: embeds}, discordgo.WithContext(ctx)); err != nil {
			reason, fix := postProblem(err, channelName)
			if fix != "" {
				// postProblem speaks of schedules; a digest goes to the
				// configured research channel.
				fix = digestFix(err, channelName, fix)
			}
			return i, &DigestPostError{Channel: channelID, Reason: reason, Fix: fix, Err: err}
		}
	}
	return len(msgs), nil
}

// digestFix says how to fix a refused digest post.
func digestFix(err error, channel, fix string) string {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeUnknownChannel {
		return fmt.Sprintf("%s does not exist, or the bot cannot see it: check discord.research_channel_id (right-click the channel, Copy Channel ID), and give the bot View Channel, Send Messages and Embed Links there", channel)
	}
	return fix
}

// PostDigest posts d to cfg.ResearchChannelID over REST alone, with the
// same transport as the bot (API URL, 429 handling), without opening a
// gateway connection: for `peervoice digest --post`.
func PostDigest(ctx context.Context, cfg Config, d *digest.Digest) error {
	if cfg.Token == "" {
		return ErrNoToken
	}
	if cfg.ResearchChannelID == "" {
		return ErrNoResearchChannel
	}
	s, err := restSession(cfg)
	if err != nil {
		return err
	}
	n, err := postDigest(ctx, s, cfg.ResearchChannelID, "channel "+cfg.ResearchChannelID, d)
	if err != nil {
		if n > 0 {
			return fmt.Errorf("%w (%d of the digest's messages were posted before the failure; posting again posts it whole)", err, n)
		}
		return err
	}
	return nil
}

// restSession is a discordgo session for REST calls only.
func restSession(cfg Config) (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	tr, err := newTransport(cfg.HTTPTransport, cfg.APIURL, cfg.GatewayURL, log)
	if err != nil {
		return nil, err
	}
	s.Client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	s.LogLevel = discordgo.LogError
	return s, nil
}
