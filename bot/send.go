package bot

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// sender is what the scheduler, the digest poster and the quote reviewer
// need of Discord to post in a channel: a message sent with a nonce, and
// the channel named as people see it for the log and the fix. They hold
// a sender, never the *Bot, so posting reaches down to Discord and never
// back up into the bot. discordSender is the real one.
type sender interface {
	// send posts m in the channel with the nonce and enforce_nonce
	// (sendWithNonce): a retry within Discord's nonce window gets the
	// message already posted back instead of posting it twice.
	send(ctx context.Context, channelID string, m message, nonce string) (*discordgo.Message, error)
	// channelName is "#name" when the bot can see the channel, else
	// "channel <id>".
	channelName(channelID string) string
}

// discordSender is a sender over a discordgo session: the bot's, or the
// REST-only session of `peervoice digest --post`.
type discordSender struct{ s *discordgo.Session }

var _ sender = discordSender{}

func (d discordSender) send(ctx context.Context, channelID string, m message, nonce string) (*discordgo.Message, error) {
	return sendWithNonce(ctx, d.s, channelID, m, nonce)
}

// edit replaces a message the bot posted, for the quote reviewer's
// withdrawals.
func (d discordSender) edit(ctx context.Context, e *discordgo.MessageEdit) error {
	_, err := d.s.ChannelMessageEditComplex(e, discordgo.WithContext(ctx))
	return err
}

// channelName is "#name" when the bot knows the channel, else its id. A
// channel not in discordgo's state yet (the guild's GUILD_CREATE can come
// after the first checks on start) is asked for over REST, so the fix a
// log or a moderator reads names the channel as people see it; a channel
// the bot cannot view stays an id.
func (d discordSender) channelName(channelID string) string {
	if ch, err := d.s.State.Channel(channelID); err == nil && ch.Name != "" {
		return "#" + ch.Name
	}
	if !isSnowflake(channelID) {
		return "channel " + channelID // none configured: nothing to ask Discord
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if ch, err := d.s.Channel(channelID, discordgo.WithContext(ctx)); err == nil && ch.Name != "" {
		return "#" + ch.Name
	}
	return "channel " + channelID
}

// channelName names a channel for the command handlers as the posters
// do (discordSender.channelName).
func (b *Bot) channelName(channelID string) string { return discordSender{b.s}.channelName(channelID) }

// send posts with a nonce over the bot's session, for the scheduler
// (promptSender).
func (b *Bot) send(ctx context.Context, channelID string, m message, nonce string) (*discordgo.Message, error) {
	return discordSender{b.s}.send(ctx, channelID, m, nonce)
}

// isSnowflake reports whether id looks like a Discord id (digits), so
// worth asking Discord about.
func isSnowflake(id string) bool {
	_, err := strconv.ParseUint(id, 10, 64)
	return err == nil
}

// nonceFor is the occurrence's nonce: the same in every process, at most
// 20 digits (Discord allows 25 characters).
func nonceFor(id string, occ time.Time) string {
	sum := sha256.Sum256([]byte(id + "\x00" + occ.UTC().Format(time.RFC3339)))
	return strconv.FormatUint(binary.BigEndian.Uint64(sum[:8])>>1, 10)
}

// nonceMessageSend is a create-message body with a nonce. discordgo
// v0.28.1's MessageSend has no nonce field.
type nonceMessageSend struct {
	Content      string                       `json:"content,omitempty"`
	Embeds       []*discordgo.MessageEmbed    `json:"embeds,omitempty"`
	Components   []discordgo.MessageComponent `json:"components,omitempty"`
	Attachments  []nonceAttachment            `json:"attachments,omitempty"`
	Nonce        string                       `json:"nonce"`
	EnforceNonce bool                         `json:"enforce_nonce"`
}

// nonceAttachment names the file uploaded as files[ID].
type nonceAttachment struct {
	ID       string `json:"id"` // the index, as a snowflake is written
	Filename string `json:"filename"`
}

// sendWithNonce posts m with enforce_nonce: if a message with the same
// nonce was created in the last few minutes, Discord returns it instead
// of posting another. m's files go as a multipart body.
func sendWithNonce(ctx context.Context, s *discordgo.Session, channelID string, m message, nonce string) (*discordgo.Message, error) {
	for _, e := range m.Embeds {
		if e.Type == "" {
			e.Type = discordgo.EmbedTypeRich
		}
	}
	body := nonceMessageSend{Content: m.Content, Embeds: m.Embeds, Components: m.Components, Nonce: nonce, EnforceNonce: true}
	for i, f := range m.Files {
		body.Attachments = append(body.Attachments, nonceAttachment{ID: strconv.Itoa(i), Filename: f.Name})
	}
	endpoint := discordgo.EndpointChannelMessages(channelID)
	var resp []byte
	var err error
	if len(m.Files) > 0 {
		contentType, payload, merr := discordgo.MultipartBodyWithJSON(body, m.Files)
		if merr != nil {
			return nil, fmt.Errorf("encode message with files: %w", merr)
		}
		resp, err = s.RequestWithLockedBucket(http.MethodPost, endpoint, contentType, payload, s.Ratelimiter.LockBucket(endpoint), 0, discordgo.WithContext(ctx))
	} else {
		resp, err = s.RequestWithBucketID(http.MethodPost, endpoint, body, endpoint, discordgo.WithContext(ctx))
	}
	if err != nil {
		return nil, err
	}
	var msg discordgo.Message
	if err := json.Unmarshal(resp, &msg); err != nil {
		return nil, fmt.Errorf("read the posted message: %w", err)
	}
	return &msg, nil
}

// postProblem names what went wrong posting in a channel and, when a
// server admin can fix it, how. The fixes speak of a schedule's channel;
// the digest poster and the quote reviewer, whose channels come from the
// config, say which key to check instead (digestFix, moderatorChannelFix).
func postProblem(err error, channel string) (reason, fix string) {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Message == nil {
		return err.Error(), ""
	}
	switch re.Message.Code {
	case discordgo.ErrCodeUnknownChannel:
		return "Unknown Channel", fmt.Sprintf("%s does not exist, or the bot cannot see it: check the schedule's channel id (right-click the channel, Copy Channel ID), and give the bot View Channel and Send Messages there", channel)
	case discordgo.ErrCodeMissingAccess:
		return "Missing Access", fmt.Sprintf("give the bot View Channel and Send Messages in %s", channel)
	case discordgo.ErrCodeMissingPermissions:
		return "Missing Permissions", fmt.Sprintf("give the bot Send Messages and Embed Links in %s", channel)
	}
	return err.Error(), ""
}
