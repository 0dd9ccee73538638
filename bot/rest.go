package bot

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/bwmarrin/discordgo"
)

// The participant's path posts and edits a DM message for nearly every
// answer. discordgo's ChannelMessageSendComplex and
// ChannelMessageEditComplex decode Discord's whole reply into a Message,
// parsing every embed and component twice (its components' own
// UnmarshalJSON), which was about a tenth of the bot's CPU per answer
// under load; the bot needs only the new message's id, and nothing of an
// edit's reply. These make the same requests, to the same rate-limit
// buckets, and decode only that. Messages with files go through
// discordgo as before.

// postMessage posts send in the channel and returns the new message's
// id.
func postMessage(s *discordgo.Session, channelID string, send *discordgo.MessageSend) (string, error) {
	if len(send.Files) > 0 || send.File != nil || send.Embed != nil {
		msg, err := s.ChannelMessageSendComplex(channelID, send)
		if err != nil {
			return "", err
		}
		return msg.ID, nil
	}
	defaultEmbedType(send.Embeds)
	endpoint := discordgo.EndpointChannelMessages(channelID)
	resp, err := s.RequestWithBucketID(http.MethodPost, endpoint, send, endpoint)
	if err != nil {
		return "", err
	}
	var msg struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp, &msg); err != nil {
		return "", fmt.Errorf("%w: %s", discordgo.ErrJSONUnmarshal, err)
	}
	return msg.ID, nil
}

// editMessage edits a message, ignoring the reply's body.
func editMessage(s *discordgo.Session, e *discordgo.MessageEdit) error {
	if len(e.Files) > 0 || e.Embed != nil {
		_, err := s.ChannelMessageEditComplex(e)
		return err
	}
	if e.Embeds != nil {
		defaultEmbedType(*e.Embeds)
	}
	_, err := s.RequestWithBucketID(http.MethodPatch, discordgo.EndpointChannelMessage(e.Channel, e.ID), e, discordgo.EndpointChannelMessage(e.Channel, ""))
	return err
}

// defaultEmbedType marks embeds without a type rich, as discordgo does.
func defaultEmbedType(embeds []*discordgo.MessageEmbed) {
	for _, e := range embeds {
		if e.Type == "" {
			e.Type = discordgo.EmbedTypeRich
		}
	}
}
