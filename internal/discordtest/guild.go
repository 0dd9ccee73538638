package discordtest

import (
	"net/http"
	"time"
)

// Permission sets the emulator hands out.
const (
	// allPermissions is every permission bit Discord defines today.
	allPermissions int64 = 1<<51 - 1
	// defaultEveryonePermissions is roughly what @everyone gets in a new
	// server: view channels, send messages, read history, use commands.
	defaultEveryonePermissions int64 = 1<<10 | 1<<11 | 1<<14 | 1<<15 | 1<<16 | 1<<6 | 1<<18 | 1<<31
	// botPermissions is what the bot's managed role gets when invited.
	botPermissions int64 = 1<<10 | 1<<11 | 1<<14 | 1<<15 | 1<<16 | 1<<31 | 1<<38
	// PermissionManageGuild is the "Manage Server" permission.
	PermissionManageGuild int64 = permissionManageGuild
	// PermissionAdministrator is the "Administrator" permission.
	PermissionAdministrator int64 = permissionAdministrator
)

// Guild is a server the bot is in. Make one with Emulator.AddGuild.
type Guild struct {
	ID   string
	Name string

	e        *Emulator
	owner    *User
	everyone *Role
	roles    []*Role
	channels []*Channel
	members  map[string]*member
	joined   time.Time
}

// Role is a role in a Guild.
type Role struct {
	ID          string
	Name        string
	Permissions int64
	position    int
	managed     bool
}

// member is a user's membership of a guild.
type member struct {
	userID string
	user   *User // nil for the bot
	roles  []*Role
	joined time.Time
}

// AddGuild creates a server with an @everyone role, an owner (a simulated
// user named name+" owner") and the bot as a member. If the bot is
// connected, it receives GUILD_CREATE, as when it is invited.
func (e *Emulator) AddGuild(name string) *Guild {
	owner := e.User(name + " owner")
	e.mu.Lock()
	g := &Guild{ID: e.ids.next(), Name: name, e: e, members: make(map[string]*member), joined: e.cfg.clock.Now()}
	g.everyone = &Role{ID: g.ID, Name: "@everyone", Permissions: defaultEveryonePermissions}
	bot := &Role{ID: e.ids.next(), Name: e.cfg.botName, Permissions: botPermissions, position: 1, managed: true}
	g.roles = []*Role{g.everyone, bot}
	g.owner = owner
	g.members[owner.ID] = &member{userID: owner.ID, user: owner, joined: g.joined}
	g.members[e.botID] = &member{userID: e.botID, roles: []*Role{bot}, joined: g.joined}
	e.guilds[g.ID] = g
	e.guildOrder = append(e.guildOrder, g)
	payload := e.guildJSON(g, true)
	e.mu.Unlock()
	e.gw.dispatch("GUILD_CREATE", payload, g.ID, IntentGuilds)
	return g
}

// Owner returns the guild's owner, who has every permission.
func (g *Guild) Owner() *User { return g.owner }

// Everyone returns the guild's @everyone role.
func (g *Guild) Everyone() *Role { return g.everyone }

// AddChannel creates a text channel in the guild.
func (g *Guild) AddChannel(name string) *Channel {
	e := g.e
	e.mu.Lock()
	ch := &Channel{ID: e.ids.next(), Name: name, GuildID: g.ID, guild: g, position: len(g.channels)}
	g.channels = append(g.channels, ch)
	e.channels[ch.ID] = ch
	payload := e.channelJSON(ch)
	e.mu.Unlock()
	e.gw.dispatch("CHANNEL_CREATE", payload, g.ID, IntentGuilds)
	return ch
}

// AddRole creates a role with the given permissions, such as
// PermissionManageGuild.
func (g *Guild) AddRole(name string, permissions int64) *Role {
	e := g.e
	e.mu.Lock()
	r := &Role{ID: e.ids.next(), Name: name, Permissions: permissions, position: len(g.roles)}
	g.roles = append(g.roles, r)
	payload := map[string]any{"guild_id": g.ID, "role": roleJSONOf(r)}
	e.mu.Unlock()
	e.gw.dispatch("GUILD_ROLE_CREATE", payload, g.ID, IntentGuilds)
	return r
}

// AddMember makes u a member of the guild with the given roles (replacing
// the roles of an existing member).
func (g *Guild) AddMember(u *User, roles ...*Role) {
	e := g.e
	e.mu.Lock()
	m := g.members[u.ID]
	added := m == nil
	if added {
		m = &member{userID: u.ID, user: u, joined: e.cfg.clock.Now()}
		g.members[u.ID] = m
	}
	m.roles = append([]*Role(nil), roles...)
	mj := e.memberJSON(g, m, false)
	e.mu.Unlock()
	event := "GUILD_MEMBER_UPDATE"
	if added {
		event = "GUILD_MEMBER_ADD"
	}
	e.gw.dispatch(event, struct {
		memberJSON
		GuildID string `json:"guild_id"`
	}{mj, g.ID}, g.ID, IntentGuildMembers)
}

// Permissions returns u's permissions in the guild, as Discord computes them
// for interactions: @everyone, plus the member's roles; everything for the
// owner and for administrators. Zero if u is not a member.
func (g *Guild) Permissions(u *User) int64 {
	g.e.mu.Lock()
	defer g.e.mu.Unlock()
	return g.permissions(u.ID)
}

// permissions computes a member's permissions; call with e.mu held.
func (g *Guild) permissions(userID string) int64 {
	m := g.members[userID]
	if m == nil {
		return 0
	}
	if userID == g.owner.ID {
		return allPermissions
	}
	p := g.everyone.Permissions
	for _, r := range m.roles {
		p |= r.Permissions
	}
	if p&permissionAdministrator != 0 {
		return allPermissions
	}
	return p
}

func roleJSONOf(r *Role) roleJSON {
	return roleJSON{ID: r.ID, Name: r.Name, Position: r.position, Permissions: permissionsString(r.Permissions), Managed: r.managed}
}

// memberJSON renders a membership; withPermissions adds the computed
// permissions, as interactions carry them. Call with e.mu held.
func (e *Emulator) memberJSON(g *Guild, m *member, withPermissions bool) memberJSON {
	j := memberJSON{Roles: []string{}, JoinedAt: timestamp(m.joined)}
	for _, r := range m.roles {
		j.Roles = append(j.Roles, r.ID)
	}
	if m.user != nil {
		u := m.user.json()
		j.User = &u
	} else {
		u := e.botJSON()
		j.User = &u
	}
	if withPermissions {
		j.Permissions = permissionsString(g.permissions(m.userID))
	}
	return j
}

// guildJSON renders a guild; full adds what GUILD_CREATE carries. Call with
// e.mu held.
func (e *Emulator) guildJSON(g *Guild, full bool) map[string]any {
	roles := make([]roleJSON, 0, len(g.roles))
	for _, r := range g.roles {
		roles = append(roles, roleJSONOf(r))
	}
	j := map[string]any{
		"id": g.ID, "name": g.Name, "icon": nil, "splash": nil, "discovery_splash": nil,
		"owner_id": g.owner.ID, "afk_channel_id": nil, "afk_timeout": 300,
		"verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
		"roles": roles, "emojis": []any{}, "stickers": []any{}, "features": []string{},
		"mfa_level": 0, "application_id": nil, "system_channel_id": nil, "system_channel_flags": 0,
		"rules_channel_id": nil, "vanity_url_code": nil, "description": nil, "banner": nil,
		"premium_tier": 0, "premium_subscription_count": 0, "preferred_locale": "en-US",
		"public_updates_channel_id": nil, "nsfw_level": 0, "premium_progress_bar_enabled": false,
	}
	if full {
		channels := make([]channelJSON, 0, len(g.channels))
		for _, ch := range g.channels {
			c := e.channelJSON(ch)
			c.GuildID = "" // channels inside GUILD_CREATE carry no guild_id
			channels = append(channels, c)
		}
		j["channels"] = channels
		j["members"] = []memberJSON{e.memberJSON(g, g.members[e.botID], false)}
		j["member_count"] = len(g.members)
		j["joined_at"] = timestamp(g.joined)
		j["large"] = false
		j["unavailable"] = false
		j["threads"] = []any{}
		j["presences"] = []any{}
		j["voice_states"] = []any{}
		j["stage_instances"] = []any{}
		j["guild_scheduled_events"] = []any{}
	}
	return j
}

// handleGuild serves GET /guilds/{guild_id}.
func (e *Emulator) handleGuild(req *apiRequest) reply {
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.guilds[req.r.PathValue("guild_id")]
	if g == nil {
		return errorReply(http.StatusNotFound, 10004, "Unknown Guild")
	}
	return jsonReply(http.StatusOK, e.guildJSON(g, false))
}

// handleGuildMember serves GET /guilds/{guild_id}/members/{user_id}.
func (e *Emulator) handleGuildMember(req *apiRequest) reply {
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.guilds[req.r.PathValue("guild_id")]
	if g == nil {
		return errorReply(http.StatusNotFound, 10004, "Unknown Guild")
	}
	m := g.members[req.r.PathValue("user_id")]
	if m == nil {
		return errorReply(http.StatusNotFound, 10007, "Unknown Member")
	}
	return jsonReply(http.StatusOK, e.memberJSON(g, m, false))
}

// handleGuildRoles serves GET /guilds/{guild_id}/roles.
func (e *Emulator) handleGuildRoles(req *apiRequest) reply {
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.guilds[req.r.PathValue("guild_id")]
	if g == nil {
		return errorReply(http.StatusNotFound, 10004, "Unknown Guild")
	}
	roles := make([]roleJSON, 0, len(g.roles))
	for _, r := range g.roles {
		roles = append(roles, roleJSONOf(r))
	}
	return jsonReply(http.StatusOK, roles)
}

// handleGuildChannels serves GET /guilds/{guild_id}/channels.
func (e *Emulator) handleGuildChannels(req *apiRequest) reply {
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.guilds[req.r.PathValue("guild_id")]
	if g == nil {
		return errorReply(http.StatusNotFound, 10004, "Unknown Guild")
	}
	channels := make([]channelJSON, 0, len(g.channels))
	for _, ch := range g.channels {
		channels = append(channels, e.channelJSON(ch))
	}
	return jsonReply(http.StatusOK, channels)
}
