package discordtest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Message flags the emulator looks at.
const (
	flagSuppressEmbeds        = 1 << 2
	flagEphemeral             = 1 << 6
	flagLoading               = 1 << 7
	flagSuppressNotifications = 1 << 12
	flagComponentsV2          = 1 << 15
	flagsSettable             = flagSuppressEmbeds | flagSuppressNotifications | flagComponentsV2
)

// message is the emulator's record of a message; guarded by Emulator.mu.
type message struct {
	id          string
	ch          *Channel
	author      *User // nil when the bot sent it
	content     string
	embeds      []json.RawMessage
	components  []json.RawMessage
	attachments []*attachment
	flags       int64
	msgType     int
	created     time.Time
	edited      time.Time
	version     int
	deleted     bool
	in          *interaction // the interaction it answers, if any
	followup    bool
	viewer      *User   // for an ephemeral message, the only user who sees it
	feeds       []*feed // the feeds that list it, woken on every change
	nonce       string  // from the create request, for enforce_nonce (nonce.go)
}

// attachment is an uploaded file kept by the emulator.
type attachment struct {
	id          string
	filename    string
	contentType string
	description string
	data        []byte
	downloads   int // fetched from the CDN (user_upload.go)
}

// changed records an edit or deletion and wakes whoever waits on it.
func (m *message) changed(now time.Time) {
	m.version++
	m.edited = now
	for _, f := range m.feeds {
		f.sig.broadcast()
	}
}

// loading reports whether the message is a deferred response still showing
// "Bot is thinking...".
func (m *message) loading() bool { return m.flags&flagLoading != 0 }

// applyFields sets the fields present in a create or edit body. Absent
// fields keep their value, as Discord's PATCH does.
func (e *Emulator) applyFields(m *message, fields map[string]json.RawMessage, files []File, edit bool) error {
	if raw, ok := fields["content"]; ok {
		var s *string
		if err := json.Unmarshal(raw, &s); err != nil {
			return fmt.Errorf("content: %w", err)
		}
		m.content = ""
		if s != nil {
			m.content = *s
		}
	}
	for _, f := range []struct {
		name string
		dst  *[]json.RawMessage
	}{{"embeds", &m.embeds}, {"components", &m.components}} {
		if raw, ok := fields[f.name]; ok {
			var items []json.RawMessage
			if err := json.Unmarshal(raw, &items); err != nil {
				return fmt.Errorf("%s: %w", f.name, err)
			}
			*f.dst = items
		}
	}
	if raw, ok := fields["flags"]; ok {
		var v *int64
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("flags: %w", err)
		}
		if v != nil {
			m.flags = m.flags&(flagEphemeral|flagLoading) | *v&flagsSettable
		}
	}
	// New files come with optional metadata in "attachments", keyed by
	// their index; existing attachments listed there are kept.
	type attachmentRef struct {
		ID          json.Number `json:"id"`
		Filename    string      `json:"filename"`
		Description string      `json:"description"`
	}
	var refs []attachmentRef
	if raw, ok := fields["attachments"]; ok {
		if err := json.Unmarshal(raw, &refs); err != nil {
			return fmt.Errorf("attachments: %w", err)
		}
		if edit {
			keep := make(map[string]bool, len(refs))
			for _, r := range refs {
				keep[r.ID.String()] = true
			}
			kept := m.attachments[:0:0]
			for _, a := range m.attachments {
				if keep[a.id] {
					kept = append(kept, a)
				}
			}
			m.attachments = kept
		}
	}
	for i, f := range files {
		a := &attachment{id: e.ids.next(), filename: f.Name, contentType: f.ContentType, data: f.Data}
		for _, r := range refs {
			if r.ID.String() == fmt.Sprint(i) {
				if r.Filename != "" {
					a.filename = r.Filename
				}
				a.description = r.Description
			}
		}
		if a.contentType == "" {
			a.contentType = "application/octet-stream"
		}
		e.attachments[a.id] = a
		m.attachments = append(m.attachments, a)
	}
	return nil
}

// empty reports whether the message has nothing to show, which Discord
// refuses with 50006.
func (m *message) empty() bool {
	return m.content == "" && len(m.embeds) == 0 && len(m.components) == 0 && len(m.attachments) == 0
}

// Message is a snapshot of a message: what a user would see at the moment
// it was taken. Treat its slices as read-only.
type Message struct {
	ID            string
	ChannelID     string
	GuildID       string // empty in DMs
	AuthorID      string // the bot's id for messages the bot sent
	Content       string
	Embeds        []*discordgo.MessageEmbed
	Components    []discordgo.MessageComponent
	Attachments   []Attachment
	Flags         discordgo.MessageFlags
	Ephemeral     bool   // only the interacting user can see it
	InteractionID string // the interaction it answers, for responses and follow-ups
	Followup      bool   // sent as a follow-up rather than the original response
	Edits         int    // how many times it was edited
	Deleted       bool
	CreatedAt     time.Time
	EditedAt      time.Time // zero if never edited
}

// Attachment is a file attached to a message.
type Attachment struct {
	ID          string
	Filename    string
	ContentType string
	Description string
	URL         string
	Data        []byte
}

// snapshot copies the message's current state. Call with e.mu held.
func (e *Emulator) snapshot(m *message) Message {
	s := Message{
		ID:        m.id,
		ChannelID: m.ch.ID,
		GuildID:   m.ch.GuildID,
		AuthorID:  e.botID,
		Content:   m.content,
		Flags:     discordgo.MessageFlags(m.flags),
		Ephemeral: m.flags&flagEphemeral != 0,
		Followup:  m.followup,
		Edits:     m.version,
		Deleted:   m.deleted,
		CreatedAt: m.created,
		EditedAt:  m.edited,
	}
	if m.author != nil {
		s.AuthorID = m.author.ID
	}
	if m.in != nil {
		s.InteractionID = m.in.id
	}
	for _, raw := range m.embeds {
		var em discordgo.MessageEmbed
		if json.Unmarshal(raw, &em) == nil {
			s.Embeds = append(s.Embeds, &em)
		}
	}
	for _, raw := range m.components {
		if c, err := discordgo.MessageComponentFromJSON(raw); err == nil {
			s.Components = append(s.Components, c)
		}
	}
	for _, a := range m.attachments {
		s.Attachments = append(s.Attachments, Attachment{
			ID: a.id, Filename: a.filename, ContentType: a.contentType,
			Description: a.description, URL: e.attachmentURL(m.ch.ID, a), Data: a.data,
		})
	}
	return s
}

// Button returns the button with the given custom_id, or nil.
func (m Message) Button(customID string) *discordgo.Button {
	var found *discordgo.Button
	walkComponents(m.Components, func(c discordgo.MessageComponent) {
		if b, ok := c.(*discordgo.Button); ok && b.CustomID == customID && found == nil {
			found = b
		}
	})
	return found
}

// SelectMenu returns the select menu with the given custom_id, or nil.
func (m Message) SelectMenu(customID string) *discordgo.SelectMenu {
	var found *discordgo.SelectMenu
	walkComponents(m.Components, func(c discordgo.MessageComponent) {
		if s, ok := c.(*discordgo.SelectMenu); ok && s.CustomID == customID && found == nil {
			found = s
		}
	})
	return found
}

// CustomIDs returns the custom_id of every button and select menu, in order.
func (m Message) CustomIDs() []string {
	var ids []string
	walkComponents(m.Components, func(c discordgo.MessageComponent) {
		switch c := c.(type) {
		case *discordgo.Button:
			if c.CustomID != "" {
				ids = append(ids, c.CustomID)
			}
		case *discordgo.SelectMenu:
			ids = append(ids, c.CustomID)
		}
	})
	return ids
}

// Interactive reports whether any button or select menu can still be used:
// false once the bot has disabled (or removed) them all.
func (m Message) Interactive() bool {
	live := false
	walkComponents(m.Components, func(c discordgo.MessageComponent) {
		switch c := c.(type) {
		case *discordgo.Button:
			live = live || (!c.Disabled && c.Style != discordgo.LinkButton)
		case *discordgo.SelectMenu:
			live = live || !c.Disabled
		}
	})
	return live
}

// walkComponents calls fn for every component, depth first.
func walkComponents(cs []discordgo.MessageComponent, fn func(discordgo.MessageComponent)) {
	for _, c := range cs {
		fn(c)
		switch c := c.(type) {
		case *discordgo.ActionsRow:
			walkComponents(c.Components, fn)
		}
	}
}
