package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// command is a registered application command; guarded by Emulator.mu.
type command struct {
	id      string
	name    string
	typ     int
	scope   string // guild id, or "" for a global command
	raw     map[string]json.RawMessage
	def     commandDef
	version string
}

// commandDef is the part of a command definition the emulator enforces.
type commandDef struct {
	Name                     string      `json:"name"`
	Type                     int         `json:"type"`
	Options                  []optionDef `json:"options"`
	DefaultMemberPermissions *string     `json:"default_member_permissions"`
	DMPermission             *bool       `json:"dm_permission"`
	Contexts                 *[]int      `json:"contexts"`
}

// optionDef is a command option's definition.
type optionDef struct {
	Type     int         `json:"type"`
	Name     string      `json:"name"`
	Required bool        `json:"required"`
	Options  []optionDef `json:"options"`
	Choices  []struct {
		Value any `json:"value"`
	} `json:"choices"`
}

// handlePutCommands serves PUT /applications/{application_id}/commands and
// PUT /applications/{application_id}/guilds/{guild_id}/commands: a bulk
// overwrite. Commands keep their id when their name and type stay.
func (e *Emulator) handlePutCommands(req *apiRequest) reply {
	var raws []map[string]json.RawMessage
	if err := json.Unmarshal(req.body, &raws); err != nil {
		return invalidFormReply("body: " + err.Error())
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	scope, bad := e.commandScope(req)
	if bad != nil {
		return *bad
	}
	old := e.commands[scope]
	var cmds []*command
	for i, raw := range raws {
		b, _ := json.Marshal(raw)
		var def commandDef
		if err := json.Unmarshal(b, &def); err != nil {
			return invalidFormReply(fmt.Sprintf("%d: %v", i, err))
		}
		if def.Type == 0 {
			def.Type = 1
		}
		c := &command{name: def.Name, typ: def.Type, scope: scope, raw: raw, def: def, version: e.ids.next()}
		for _, o := range old {
			if o.name == c.name && o.typ == c.typ {
				c.id = o.id
			}
		}
		if c.id == "" {
			c.id = e.ids.next()
		}
		cmds = append(cmds, c)
	}
	e.commands[scope] = cmds
	e.commandsSig.broadcast()
	return jsonReply(http.StatusOK, e.commandsJSON(cmds))
}

// handleGetCommands serves GET of the same two routes.
func (e *Emulator) handleGetCommands(req *apiRequest) reply {
	e.mu.Lock()
	defer e.mu.Unlock()
	scope, bad := e.commandScope(req)
	if bad != nil {
		return *bad
	}
	return jsonReply(http.StatusOK, e.commandsJSON(e.commands[scope]))
}

// commandScope checks the application and guild of a commands route; call
// with e.mu held.
func (e *Emulator) commandScope(req *apiRequest) (string, *reply) {
	if req.r.PathValue("application_id") != e.appID {
		r := errorReply(http.StatusForbidden, 50001, "Missing Access")
		return "", &r
	}
	scope := req.r.PathValue("guild_id")
	if scope != "" && e.guilds[scope] == nil {
		r := errorReply(http.StatusForbidden, 50001, "Missing Access")
		return "", &r
	}
	return scope, nil
}

// commandsJSON renders commands as Discord returns them: the definition the
// bot sent, plus the fields Discord fills in.
func (e *Emulator) commandsJSON(cmds []*command) []map[string]any {
	out := make([]map[string]any, 0, len(cmds))
	for _, c := range cmds {
		j := make(map[string]any, len(c.raw)+6)
		for k, v := range c.raw {
			j[k] = v
		}
		j["id"], j["application_id"], j["version"], j["type"] = c.id, e.appID, c.version, c.typ
		if _, ok := j["description"]; !ok {
			j["description"] = ""
		}
		if c.scope != "" {
			j["guild_id"] = c.scope
		}
		if _, ok := j["default_member_permissions"]; !ok {
			j["default_member_permissions"] = nil
		}
		j["nsfw"] = false
		out = append(out, j)
	}
	return out
}

// Commands returns the commands the bot registered, globally for guildID
// "" or in that guild.
func (e *Emulator) Commands(guildID string) []*discordgo.ApplicationCommand {
	e.mu.Lock()
	b, _ := json.Marshal(e.commandsJSON(e.commands[guildID]))
	e.mu.Unlock()
	var out []*discordgo.ApplicationCommand
	_ = json.Unmarshal(b, &out)
	return out
}

// WaitCommands waits until the bot has registered commands with all the
// given names, globally for guildID "" or in that guild.
func (e *Emulator) WaitCommands(ctx context.Context, guildID string, names ...string) error {
	return e.waitUntil(ctx, fmt.Sprintf("commands %v", names), func() *signal { return &e.commandsSig }, func() bool {
		for _, n := range names {
			if e.findCommand(guildID, n) == nil {
				return false
			}
		}
		return true
	})
}

// findCommand returns the chat command called name in scope; call with
// e.mu held.
func (e *Emulator) findCommand(scope, name string) *command {
	for _, c := range e.commands[scope] {
		if c.name == name && c.typ == 1 {
			return c
		}
	}
	return nil
}

// RunCommand runs the bot's slash command /name in the user's DM with the
// bot. Options are checked against the registered definition, as Discord's
// client does.
func (u *User) RunCommand(name string, opts ...CommandOption) (*Interaction, error) {
	e := u.e
	e.mu.Lock()
	ch := e.dmChannel(u)
	c := e.findCommand("", name)
	if c == nil {
		e.mu.Unlock()
		return nil, fmt.Errorf("run /%s: no global command of that name is registered (have %v)", name, e.commandNames(""))
	}
	if c.def.DMPermission != nil && !*c.def.DMPermission || c.def.Contexts != nil && !slices.Contains(*c.def.Contexts, 1) {
		e.mu.Unlock()
		return nil, fmt.Errorf("run /%s: the command is not available in DMs", name)
	}
	data, err := e.commandData(c, opts, nil)
	e.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("run /%s: %w", name, err)
	}
	return e.startInteraction(u, interactionCommand, ch, "/"+name, data, nil)
}

// RunCommandIn runs the bot's slash command /name in a guild channel. The
// user must be a member; a command registered with
// default_member_permissions is only available to members who have them
// (or are administrators), as in Discord.
func (u *User) RunCommandIn(ch *Channel, name string, opts ...CommandOption) (*Interaction, error) {
	e := u.e
	e.mu.Lock()
	g := ch.guild
	if g == nil || g.members[u.ID] == nil {
		e.mu.Unlock()
		return nil, fmt.Errorf("run /%s: user %s is not a member of the channel's guild", name, u.Name)
	}
	c := e.findCommand(g.ID, name)
	if c == nil {
		c = e.findCommand("", name)
	}
	if c == nil {
		e.mu.Unlock()
		return nil, fmt.Errorf("run /%s: no command of that name is registered for guild %s or globally", name, g.Name)
	}
	if c.def.Contexts != nil && !slices.Contains(*c.def.Contexts, 0) {
		e.mu.Unlock()
		return nil, fmt.Errorf("run /%s: the command is not available in guilds", name)
	}
	if p := c.def.DefaultMemberPermissions; p != nil {
		need, _ := strconv.ParseInt(*p, 10, 64)
		have := g.permissions(u.ID)
		if need == 0 && have != allPermissions || have&need != need {
			e.mu.Unlock()
			return nil, fmt.Errorf("run /%s: user %s lacks the permissions %s the command requires, so Discord does not offer it", name, u.Name, *p)
		}
	}
	data, err := e.commandData(c, opts, g)
	e.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("run /%s: %w", name, err)
	}
	return e.startInteraction(u, interactionCommand, ch, "/"+name, data, nil)
}

// commandNames lists the chat commands in scope; call with e.mu held.
func (e *Emulator) commandNames(scope string) []string {
	var names []string
	for _, c := range e.commands[scope] {
		names = append(names, c.name)
	}
	return names
}

// commandData builds the data object of a command interaction; call with
// e.mu held.
func (e *Emulator) commandData(c *command, opts []CommandOption, g *Guild) (map[string]any, error) {
	res := newResolved()
	options, err := e.buildOptions(c.def.Options, opts, g, res)
	if err != nil {
		return nil, err
	}
	data := map[string]any{"id": c.id, "name": c.name, "type": c.typ}
	if len(options) > 0 {
		data["options"] = options
	}
	if !res.empty() {
		data["resolved"] = res
	}
	if c.scope != "" {
		data["guild_id"] = c.scope
	}
	return data, nil
}
