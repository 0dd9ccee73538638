package discordtest

import (
	"encoding/json"
	"strconv"
)

// The JSON shapes Discord uses for the objects the emulator returns and
// dispatches. Field sets follow Discord's documentation; every one of them
// decodes into discordgo's types.

type userJSON struct {
	ID            string  `json:"id"`
	Username      string  `json:"username"`
	Discriminator string  `json:"discriminator"`
	GlobalName    *string `json:"global_name"`
	Avatar        *string `json:"avatar"`
	Bot           bool    `json:"bot,omitempty"`
	PublicFlags   int     `json:"public_flags"`
	Flags         int     `json:"flags"`
	Verified      *bool   `json:"verified,omitempty"`
	MFAEnabled    *bool   `json:"mfa_enabled,omitempty"`
}

type memberJSON struct {
	User         *userJSON `json:"user,omitempty"`
	Nick         *string   `json:"nick"`
	Avatar       *string   `json:"avatar"`
	Roles        []string  `json:"roles"`
	JoinedAt     string    `json:"joined_at"`
	PremiumSince *string   `json:"premium_since"`
	Deaf         bool      `json:"deaf"`
	Mute         bool      `json:"mute"`
	Flags        int       `json:"flags"`
	Pending      bool      `json:"pending"`
	Permissions  string    `json:"permissions,omitempty"`
	TimeoutUntil *string   `json:"communication_disabled_until"`
}

type roleJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Color       int    `json:"color"`
	Hoist       bool   `json:"hoist"`
	Icon        *int   `json:"icon"`
	Position    int    `json:"position"`
	Permissions string `json:"permissions"`
	Managed     bool   `json:"managed"`
	Mentionable bool   `json:"mentionable"`
	Flags       int    `json:"flags"`
}

type channelJSON struct {
	ID                   string     `json:"id"`
	Type                 int        `json:"type"`
	GuildID              string     `json:"guild_id,omitempty"`
	Name                 *string    `json:"name,omitempty"`
	Position             *int       `json:"position,omitempty"`
	PermissionOverwrites []struct{} `json:"permission_overwrites,omitempty"`
	Topic                *string    `json:"topic,omitempty"`
	NSFW                 *bool      `json:"nsfw,omitempty"`
	ParentID             *string    `json:"parent_id,omitempty"`
	RateLimitPerUser     *int       `json:"rate_limit_per_user,omitempty"`
	LastMessageID        *string    `json:"last_message_id"`
	Recipients           []userJSON `json:"recipients,omitempty"`
	Flags                int        `json:"flags"`
}

type attachmentJSON struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	Description string `json:"description,omitempty"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	URL         string `json:"url"`
	ProxyURL    string `json:"proxy_url"`
	Ephemeral   bool   `json:"ephemeral,omitempty"`
}

type interactionMetadataJSON struct {
	ID                  string            `json:"id"`
	Type                int               `json:"type"`
	User                userJSON          `json:"user"`
	AuthorizingOwners   map[string]string `json:"authorizing_integration_owners"`
	OriginalResponseID  string            `json:"original_response_message_id,omitempty"`
	InteractedMessageID string            `json:"interacted_message_id,omitempty"`
}

type messageJSON struct {
	ID                  string                   `json:"id"`
	Type                int                      `json:"type"`
	ChannelID           string                   `json:"channel_id"`
	GuildID             string                   `json:"guild_id,omitempty"`
	Author              userJSON                 `json:"author"`
	Member              *memberJSON              `json:"member,omitempty"`
	Content             string                   `json:"content"`
	Timestamp           string                   `json:"timestamp"`
	EditedTimestamp     *string                  `json:"edited_timestamp"`
	TTS                 bool                     `json:"tts"`
	MentionEveryone     bool                     `json:"mention_everyone"`
	Mentions            []userJSON               `json:"mentions"`
	MentionRoles        []string                 `json:"mention_roles"`
	Attachments         []attachmentJSON         `json:"attachments"`
	Embeds              []json.RawMessage        `json:"embeds"`
	Components          []json.RawMessage        `json:"components"`
	Pinned              bool                     `json:"pinned"`
	Flags               int64                    `json:"flags"`
	WebhookID           string                   `json:"webhook_id,omitempty"`
	ApplicationID       string                   `json:"application_id,omitempty"`
	InteractionMetadata *interactionMetadataJSON `json:"interaction_metadata,omitempty"`
}

// botJSON is the bot user.
func (e *Emulator) botJSON() userJSON {
	yes, no := true, false
	return userJSON{ID: e.botID, Username: e.cfg.botName, Discriminator: "0", Bot: true, Verified: &yes, MFAEnabled: &no}
}

// json returns the simulated user as other users see it.
func (u *User) json() userJSON {
	name := u.Name
	return userJSON{ID: u.ID, Username: u.Name, Discriminator: "0", GlobalName: &name}
}

// messageJSON renders m as Discord returns and dispatches it. Call with
// e.mu held.
func (e *Emulator) messageJSON(m *message) messageJSON {
	j := messageJSON{
		ID:              m.id,
		Type:            m.msgType,
		ChannelID:       m.ch.ID,
		GuildID:         m.ch.GuildID,
		Author:          e.botJSON(),
		Content:         m.content,
		Timestamp:       timestamp(m.created),
		Mentions:        []userJSON{},
		MentionRoles:    []string{},
		Attachments:     []attachmentJSON{},
		Embeds:          m.embeds,
		Components:      m.components,
		Flags:           m.flags,
		EditedTimestamp: nil,
	}
	if j.Embeds == nil {
		j.Embeds = []json.RawMessage{}
	}
	if j.Components == nil {
		j.Components = []json.RawMessage{}
	}
	if !m.edited.IsZero() {
		s := timestamp(m.edited)
		j.EditedTimestamp = &s
	}
	if m.author != nil {
		j.Author = m.author.json()
		if g := m.ch.guild; g != nil {
			if mem := g.members[m.author.ID]; mem != nil {
				mj := e.memberJSON(g, mem, false)
				j.Member = &mj
			}
		}
	}
	for _, a := range m.attachments {
		j.Attachments = append(j.Attachments, attachmentJSON{
			ID: a.id, Filename: a.filename, Description: a.description, ContentType: a.contentType,
			Size: len(a.data), URL: e.attachmentURL(m.ch.ID, a), ProxyURL: e.attachmentURL(m.ch.ID, a),
			Ephemeral: m.flags&flagEphemeral != 0,
		})
	}
	if in := m.in; in != nil {
		j.WebhookID = e.appID
		j.ApplicationID = e.appID
		j.InteractionMetadata = &interactionMetadataJSON{
			ID: in.id, Type: in.kind, User: in.user.json(),
			AuthorizingOwners: map[string]string{"0": in.guildIDOrEmpty(), "1": in.user.ID},
		}
		if in.source != nil {
			j.InteractionMetadata.InteractedMessageID = in.source.id
		}
		if in.original != nil && m.followup {
			j.InteractionMetadata.OriginalResponseID = in.original.id
		}
	}
	return j
}

// permissionsString formats a permission set the way Discord does.
func permissionsString(p int64) string { return strconv.FormatInt(p, 10) }
