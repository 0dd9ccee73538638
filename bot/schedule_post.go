package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/store"
)

// post sends a claimed occurrence and records it. On failure the claim
// stays pending and is retried on the next check; it is never marked done
// unless Discord has the message.
func (s *scheduler) post(ctx context.Context, sc prompt, p store.Post, now time.Time) {
	log := s.b.log.With("schedule", sc.id, "occurrence", p.Occurrence.In(s.loc))
	fail := func(reason, fix string, err error) {
		if rerr := s.st.PostFailed(ctx, p.ScheduleID, p.Occurrence, reason); rerr != nil {
			log.Error("scheduled prompts: record failed post", "err", rerr)
		}
		// Say it loudly the first time and when it changes; a channel
		// that stays missing would otherwise fill the log every tick.
		level := log.Warn
		if p.Attempts > 0 && p.LastError == reason {
			level = log.Debug
		}
		if fix != "" {
			level("cannot post scheduled prompt; will retry", "channel", s.b.channelName(sc.channelID), "err", reason, "fix", fix)
		} else {
			level("cannot post scheduled prompt; will retry", "channel", s.b.channelName(sc.channelID), "err", err)
		}
	}
	msg, err := s.b.invitation(sc.flowID, sc.text)
	if err != nil {
		fail(err.Error(), "check the schedule's flow: `peervoice flows list` shows the flows", err)
		return
	}
	m, err := sendWithNonce(ctx, s.b.s, sc.channelID, msg, p.Nonce)
	if err != nil {
		reason, fix := postProblem(err, s.b.channelName(sc.channelID))
		fail(reason, fix, err)
		return
	}
	if err := s.st.PostDone(ctx, p.ScheduleID, p.Occurrence, sc.channelID, m.ID, now); err != nil {
		// Posted but not recorded: it stays pending, and the retry's
		// nonce gets this same message back from Discord.
		log.Error("scheduled prompts: posted, but could not record it; will check again", "message", m.ID, "err", err)
		return
	}
	log.Info("posted scheduled prompt", "channel", s.b.channelName(sc.channelID), "message", m.ID)
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
// server admin can fix it, how.
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

// channelName is "#name" when the bot knows the channel, else its id. A
// channel not in discordgo's state yet (the guild's GUILD_CREATE can come
// after the first checks on start) is asked for over REST, so the fix a
// log or a moderator reads names the channel as people see it; a channel
// the bot cannot view stays an id.
func (b *Bot) channelName(channelID string) string {
	if ch, err := b.s.State.Channel(channelID); err == nil && ch.Name != "" {
		return "#" + ch.Name
	}
	if !isSnowflake(channelID) {
		return "channel " + channelID // none configured: nothing to ask Discord
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if ch, err := b.s.Channel(channelID, discordgo.WithContext(ctx)); err == nil && ch.Name != "" {
		return "#" + ch.Name
	}
	return "channel " + channelID
}

// isSnowflake reports whether id looks like a Discord id (digits), so
// worth asking Discord about.
func isSnowflake(id string) bool {
	_, err := strconv.ParseUint(id, 10, 64)
	return err == nil
}
