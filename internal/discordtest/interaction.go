package discordtest

import (
	"context"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Interaction types the emulator creates.
const (
	interactionCommand      = 2
	interactionComponent    = 3
	interactionAutocomplete = 4
	interactionModalSubmit  = 5
)

// interaction is the emulator's record of an interaction; guarded by
// Emulator.mu.
type interaction struct {
	id, token string
	kind      int
	user      *User
	ch        *Channel
	guild     *Guild
	created   time.Time
	what      string   // "/name" or "button custom_id", for messages
	source    *message // the message whose component was used
	delivered bool     // the bot had a session to receive it
	acked     bool
	ackType   int
	ackedAt   time.Time
	failed    bool // its deadline violation is already recorded
	original  *message
	followups []*message
}

// Interaction is a handle on an interaction a simulated user started.
type Interaction struct {
	ID    string
	Token string
	Type  discordgo.InteractionType

	e  *Emulator
	in *interaction
}

// Response reports how the bot acknowledged the interaction: the callback
// type of its accepted initial response, and whether there was one.
func (i *Interaction) Response() (discordgo.InteractionResponseType, bool) {
	i.e.mu.Lock()
	defer i.e.mu.Unlock()
	return discordgo.InteractionResponseType(i.in.ackType), i.in.acked
}

// WaitResponse waits until the bot's initial response to the interaction
// is accepted and returns its callback type.
func (i *Interaction) WaitResponse(ctx context.Context) (discordgo.InteractionResponseType, error) {
	var t int
	err := i.e.waitUntil(ctx, "the response to interaction "+i.in.what, func() *signal { return &i.in.user.inbox.sig }, func() bool {
		t = i.in.ackType
		return i.in.acked
	})
	return discordgo.InteractionResponseType(t), err
}

// owners is the interaction's authorizing_integration_owners: the bot is
// installed to the guild, or used in its DM by the user.
func (in *interaction) owners() map[string]string {
	if in.guild != nil {
		return map[string]string{"0": in.guild.ID}
	}
	return map[string]string{"0": "0"}
}

// guildIDOrEmpty returns the guild id, or "" in DMs.
func (in *interaction) guildIDOrEmpty() string {
	if in.guild == nil {
		return ""
	}
	return in.guild.ID
}

// startInteraction records an interaction by u in ch and sends
// INTERACTION_CREATE to the bot. data is the interaction's data object.
func (e *Emulator) startInteraction(u *User, kind int, ch *Channel, what string, data any, source *message) (*Interaction, error) {
	e.mu.Lock()
	if g := ch.guild; g != nil && g.members[u.ID] == nil {
		e.mu.Unlock()
		return nil, fmt.Errorf("%s by %s: not a member of guild %s", what, u.Name, g.Name)
	}
	in := &interaction{
		id: e.ids.next(), token: "aW50ZXJhY3Rpb246" + randomString(48), kind: kind, user: u, ch: ch,
		guild: ch.guild, created: e.cfg.clock.Now(), what: what, source: source,
	}
	e.interactions[in.id] = in
	e.tokens[in.token] = in
	locale := u.locale
	if locale == "" {
		locale = "en-US"
	}
	payload := map[string]any{
		"id": in.id, "application_id": e.appID, "type": kind, "data": data, "token": in.token,
		"version": 1, "channel_id": ch.ID, "channel": e.channelJSON(ch), "locale": locale,
		"entitlements":                   []any{},
		"authorizing_integration_owners": in.owners(),
		"attachment_size_limit":          10 << 20,
	}
	if g := ch.guild; g != nil {
		payload["guild_id"] = g.ID
		payload["guild"] = map[string]any{"id": g.ID, "locale": "en-US", "features": []string{}}
		payload["guild_locale"] = "en-US"
		payload["member"] = e.memberJSON(g, g.members[u.ID], true)
		payload["app_permissions"] = permissionsString(g.permissions(e.botID))
		payload["context"] = 0
	} else {
		payload["user"] = u.json()
		payload["app_permissions"] = permissionsString(botPermissions)
		payload["context"] = 1
	}
	if source != nil {
		payload["message"] = e.messageJSON(source)
	}
	e.mu.Unlock()
	n := e.gw.dispatch("INTERACTION_CREATE", payload, in.guildIDOrEmpty(), 0)
	e.mu.Lock()
	in.delivered = n > 0
	e.mu.Unlock()
	handle := &Interaction{ID: in.id, Token: in.token, Type: discordgo.InteractionType(kind), e: e, in: in}
	if n == 0 {
		return handle, fmt.Errorf("%s by %s: %w", what, u.Name, ErrBotOffline)
	}
	return handle, nil
}

// checkUnanswered reports interactions the bot never answered although
// their deadline passed: Discord showed "This interaction failed".
func (e *Emulator) checkUnanswered() {
	e.mu.Lock()
	now := e.cfg.clock.Now()
	var late []string
	for _, in := range e.interactions {
		if in.delivered && !in.acked && !in.failed && now.Sub(in.created) > e.cfg.deadline {
			in.failed = true
			late = append(late, fmt.Sprintf("interaction %s (%s by %s) was never answered; Discord shows \"This interaction failed\" after %v", in.id, in.what, in.user.Name, e.cfg.deadline))
		}
	}
	e.mu.Unlock()
	for _, d := range late {
		e.violate(RuleInteraction, "INTERACTION_CREATE", d)
	}
}
