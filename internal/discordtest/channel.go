package discordtest

import (
	"context"
	"encoding/json"
	"net/http"
)

// Channel types the emulator has.
const (
	channelGuildText = 0
	channelDM        = 1
)

// Channel is a text channel in a Guild, or the DM channel between a
// simulated user and the bot.
type Channel struct {
	ID      string
	Name    string // empty for DMs
	GuildID string // empty for DMs

	guild     *Guild
	recipient *User // the user of a DM channel
	position  int
	messages  []*message
	feed      feed // messages the bot sent here, for WaitChannelMessage
}

// dmChannel returns u's DM channel with the bot, creating it. Call with
// e.mu held.
func (e *Emulator) dmChannel(u *User) *Channel {
	if u.dm == nil {
		u.dm = &Channel{ID: e.ids.next(), recipient: u}
		e.channels[u.dm.ID] = u.dm
	}
	return u.dm
}

// channelJSON renders ch; call with e.mu held.
func (e *Emulator) channelJSON(ch *Channel) channelJSON {
	j := channelJSON{ID: ch.ID, Type: channelGuildText}
	if n := len(ch.messages); n > 0 {
		j.LastMessageID = &ch.messages[n-1].id
	}
	if ch.recipient != nil {
		j.Type = channelDM
		j.Recipients = []userJSON{ch.recipient.json()}
		return j
	}
	name, pos, no, zero := ch.Name, ch.position, false, 0
	j.GuildID = ch.GuildID
	j.Name = &name
	j.Position = &pos
	j.PermissionOverwrites = []struct{}{}
	j.NSFW = &no
	j.RateLimitPerUser = &zero
	return j
}

// ChannelMessages returns the messages in the channel that everyone in it
// can see (not ephemeral ones), oldest first, including deleted ones.
func (e *Emulator) ChannelMessages(channelID string) []Message {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch := e.channels[channelID]
	if ch == nil {
		return nil
	}
	var out []Message
	for _, m := range ch.messages {
		if m.flags&flagEphemeral == 0 {
			out = append(out, e.snapshot(m))
		}
	}
	return out
}

// Message returns the current state of the message with the given id.
func (e *Emulator) Message(id string) (Message, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := e.messages[id]
	if m == nil {
		return Message{}, false
	}
	return e.snapshot(m), true
}

// WaitChannelMessage waits for a message the bot sent to the channel (not
// an ephemeral one) for which match returns true; see User.WaitMessage for
// which messages count.
func (e *Emulator) WaitChannelMessage(ctx context.Context, channelID string, match func(Message) bool) (Message, error) {
	e.mu.Lock()
	ch := e.channels[channelID]
	e.mu.Unlock()
	if ch == nil {
		return Message{}, errorf("wait for a message in channel %s: no such channel", channelID)
	}
	return e.waitFeed(ctx, &ch.feed, "channel "+channelID, match)
}

// newMessage starts a message the bot sends to ch; publish stores it.
// Call with e.mu held.
func (e *Emulator) newMessage(ch *Channel, in *interaction, ephemeralFor *User) *message {
	m := &message{id: e.ids.next(), ch: ch, in: in, created: e.cfg.clock.Now()}
	if ephemeralFor != nil {
		m.flags |= flagEphemeral
		m.viewer = ephemeralFor
	}
	return m
}

// publish stores a new bot message, lists it in the feeds of those who can
// see it and returns the MESSAGE_CREATE payload, or nil for an ephemeral
// message, which is not dispatched. Call with e.mu held.
func (e *Emulator) publish(m *message) any {
	e.messages[m.id] = m
	m.ch.messages = append(m.ch.messages, m)
	if m.viewer != nil {
		m.viewer.inbox.add(m)
		return nil
	}
	if in := m.in; in != nil {
		in.user.inbox.add(m)
	}
	if m.ch.recipient != nil {
		m.ch.recipient.inbox.add(m)
	}
	m.ch.feed.add(m)
	return e.messageJSON(m)
}

// handleCreateMessage serves POST /channels/{channel_id}/messages.
func (e *Emulator) handleCreateMessage(req *apiRequest) reply {
	fields := req.fields()
	e.mu.Lock()
	ch := e.channels[req.r.PathValue("channel_id")]
	if ch == nil {
		e.mu.Unlock()
		return errorReply(http.StatusNotFound, 10003, "Unknown Channel")
	}
	if u := ch.recipient; u != nil && u.dmClosed {
		e.mu.Unlock()
		return errorReply(http.StatusForbidden, 50007, "Cannot send messages to this user")
	}
	nonce, enforce, err := messageNonce(fields)
	if err != nil {
		e.mu.Unlock()
		return invalidFormReply(err.Error())
	}
	if prior := e.nonceMessage(nonce); enforce && prior != nil {
		body := e.messageJSON(prior) // enforce_nonce: the earlier message, nothing new
		e.mu.Unlock()
		return jsonReply(http.StatusOK, body)
	}
	m := e.newMessage(ch, nil, nil)
	m.nonce = nonce
	if err := e.applyFields(m, fields, req.files, false); err != nil {
		e.mu.Unlock()
		return invalidFormReply(err.Error())
	}
	m.flags &^= flagEphemeral
	if m.empty() {
		e.mu.Unlock()
		return errorReply(http.StatusBadRequest, 50006, "Cannot send an empty message")
	}
	if _, ok := fields["message_reference"]; ok {
		m.msgType = 19
	}
	payload := e.publish(m)
	body := e.messageJSON(m)
	e.mu.Unlock()
	e.dispatchMessage("MESSAGE_CREATE", ch, payload)
	return jsonReply(http.StatusOK, body)
}

// channelMessage finds a message of the bot's that the channel endpoints
// can reach. Call with e.mu held.
func (e *Emulator) channelMessage(req *apiRequest) (*message, *reply) {
	ch := e.channels[req.r.PathValue("channel_id")]
	if ch == nil {
		r := errorReply(http.StatusNotFound, 10003, "Unknown Channel")
		return nil, &r
	}
	m := e.messages[req.r.PathValue("message_id")]
	if m == nil || m.ch != ch || m.deleted || m.flags&flagEphemeral != 0 {
		r := errorReply(http.StatusNotFound, 10008, "Unknown Message")
		return nil, &r
	}
	return m, nil
}

// handleGetMessage serves GET /channels/{channel_id}/messages/{message_id}.
func (e *Emulator) handleGetMessage(req *apiRequest) reply {
	return e.getMessage(req, e.channelMessage)
}

// getMessage serves a GET of the message find names, for the channel and
// the webhook endpoints alike. find is called with e.mu held.
func (e *Emulator) getMessage(req *apiRequest, find func(*apiRequest) (*message, *reply)) reply {
	e.mu.Lock()
	defer e.mu.Unlock()
	m, bad := find(req)
	if bad != nil {
		return *bad
	}
	return jsonReply(http.StatusOK, e.messageJSON(m))
}

// handleEditMessage serves PATCH /channels/{channel_id}/messages/{message_id}.
func (e *Emulator) handleEditMessage(req *apiRequest) reply {
	fields := req.fields()
	e.mu.Lock()
	m, bad := e.channelMessage(req)
	if bad != nil {
		e.mu.Unlock()
		return *bad
	}
	if m.author != nil {
		e.mu.Unlock()
		return errorReply(http.StatusForbidden, 50005, "Cannot edit a message authored by another user")
	}
	if r, ok := e.editMessage(m, fields, req.files); !ok {
		e.mu.Unlock()
		return r
	}
	body := e.messageJSON(m)
	e.mu.Unlock()
	e.dispatchMessage("MESSAGE_UPDATE", m.ch, body)
	return jsonReply(http.StatusOK, body)
}

// editMessage applies an edit body to m. Call with e.mu held.
func (e *Emulator) editMessage(m *message, fields map[string]json.RawMessage, files []File) (reply, bool) {
	if err := e.applyFields(m, fields, files, true); err != nil {
		return invalidFormReply(err.Error()), false
	}
	m.flags &^= flagLoading
	m.changed(e.cfg.clock.Now())
	return reply{}, true
}

// handleDeleteMessage serves DELETE /channels/{channel_id}/messages/{message_id}.
func (e *Emulator) handleDeleteMessage(req *apiRequest) reply {
	return e.deleteMessage(req, e.channelMessage)
}

// deleteMessage serves a DELETE of the message find names, for the channel
// and the webhook endpoints alike: the bot is told of it unless it was
// ephemeral, which Discord never dispatches. find is called with e.mu held.
func (e *Emulator) deleteMessage(req *apiRequest, find func(*apiRequest) (*message, *reply)) reply {
	e.mu.Lock()
	m, bad := find(req)
	if bad != nil {
		e.mu.Unlock()
		return *bad
	}
	m.deleted = true
	m.changed(e.cfg.clock.Now())
	e.mu.Unlock()
	if m.flags&flagEphemeral == 0 {
		e.dispatchMessage("MESSAGE_DELETE", m.ch, map[string]any{"id": m.id, "channel_id": m.ch.ID, "guild_id": m.ch.GuildID})
	}
	return reply{status: http.StatusNoContent}
}

// handleCreateDM serves POST /users/@me/channels.
func (e *Emulator) handleCreateDM(req *apiRequest) reply {
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	_ = json.Unmarshal(req.body, &body)
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[body.RecipientID]
	if u == nil {
		return errorReply(http.StatusBadRequest, 50033, "Invalid Recipient(s)")
	}
	return jsonReply(http.StatusOK, e.channelJSON(e.dmChannel(u)))
}

// handleGetChannel serves GET /channels/{channel_id}.
func (e *Emulator) handleGetChannel(req *apiRequest) reply {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch := e.channels[req.r.PathValue("channel_id")]
	if ch == nil {
		return errorReply(http.StatusNotFound, 10003, "Unknown Channel")
	}
	return jsonReply(http.StatusOK, e.channelJSON(ch))
}

// dispatchMessage sends a message event for ch to the bot, if payload is
// not nil, with the intent that event needs in that kind of channel.
func (e *Emulator) dispatchMessage(event string, ch *Channel, payload any) {
	if payload == nil {
		return
	}
	if ch.guild == nil {
		e.gw.dispatch(event, payload, "", IntentDirectMessages)
		return
	}
	e.gw.dispatch(event, payload, ch.GuildID, IntentGuildMessages)
}
