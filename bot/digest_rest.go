package bot

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/internal/discordfix"
)

// DigestPosted says where a digest posted with PostDigest is.
type DigestPosted struct {
	ChannelID string
	MessageID string // the first message
	Link      string // opens the first message in Discord
	Messages  int    // how many messages it took; 0 when it was already posted
	// Already is set when the period's digest had been posted before (by
	// the schedule, /digest post or an earlier run) and was not posted
	// again.
	Already  bool
	PostedAt time.Time // when it was first posted, if Already
}

// PostDigest posts d, with its charts, to cfg.ResearchChannelID over
// REST alone, with the same transport as the bot (API URL, 429
// handling), without opening a gateway connection: for `peervoice digest
// --post`. It posts through the bot's own digest poster: with cfg.Store,
// a complete period is claimed like the bot's own posts: one whose post
// failed earlier is resumed, and one already posted is not posted again
// (the result says where it is) unless again is set.
func PostDigest(ctx context.Context, cfg Config, d *digest.Digest, again bool) (DigestPosted, error) {
	if cfg.Token == "" {
		return DigestPosted{}, ErrNoToken
	}
	if cfg.ResearchChannelID == "" {
		return DigestPosted{}, ErrNoResearchChannel
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return DigestPosted{}, err
	}
	s, err := restSession(cfg)
	if err != nil {
		return DigestPosted{}, err
	}
	dp := newDigestPoster(cfg, discordSender{s})
	channel := cfg.ResearchChannelID
	link := func(messageID string) string {
		guild := ""
		if ch, err := s.Channel(channel, discordgo.WithContext(ctx)); err == nil {
			guild = ch.GuildID
		}
		return messageLink(guild, channel, messageID)
	}
	pp, err := dp.postOnce(ctx, d, again)
	if e := setupProblem("post the digest", err); e != nil {
		return DigestPosted{}, e
	}
	switch {
	case err != nil && pp.n > 0:
		return DigestPosted{}, fmt.Errorf("%w (%d of the digest's messages were posted before the failure; posting again posts the rest)", err, pp.n)
	case err != nil:
		return DigestPosted{}, err
	case pp.prior != nil:
		return DigestPosted{ChannelID: pp.prior.ChannelID, MessageID: pp.prior.MessageID, Link: link(pp.prior.MessageID), Already: true, PostedAt: pp.prior.PostedAt}, nil
	case !pp.unclaimed:
		return DigestPosted{ChannelID: channel, MessageID: pp.first, Link: link(pp.first), Messages: pp.n}, nil
	}
	msgs, err := dp.messages(d)
	if err != nil {
		return DigestPosted{}, err
	}
	// Each run posts anew (the period is under way, or again was asked
	// for): its nonces are its own, told apart by the wall clock, which
	// a pinned Config.Now would not do.
	run := time.Now().UnixNano()
	var ids []string
	n, err := dp.postUnclaimed(ctx, msgs, func(i int) string {
		return nonceFor(fmt.Sprintf("digest-cli/%s/%d/%d", d.Period.Name, run, i), time.Time{})
	}, &ids)
	if e := setupProblem("post the digest", err); e != nil && n == 0 {
		return DigestPosted{}, e
	}
	if err != nil {
		if n > 0 {
			return DigestPosted{}, fmt.Errorf("%w (%d of the digest's %d messages were posted before the failure; posting again posts it whole)", err, n, len(msgs))
		}
		return DigestPosted{}, err
	}
	return DigestPosted{ChannelID: channel, MessageID: ids[0], Link: link(ids[0]), Messages: n}, nil
}

// restSession is a discordgo session for REST calls only; cfg's log is
// set (Config.withDefaults).
func restSession(cfg Config) (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	discordfix.RouteLog(cfg.Log)
	tr, err := discordfix.NewTransport(cfg.discordfix())
	if err != nil {
		return nil, err
	}
	s.Client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	s.LogLevel = discordgo.LogError
	return s, nil
}
