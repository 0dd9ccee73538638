package discordtest

import (
	"fmt"
	"slices"
)

// Command option types, as Discord numbers them.
const (
	optSubCommand      = 1
	optSubCommandGroup = 2
	optString          = 3
	optInteger         = 4
	optBoolean         = 5
	optUser            = 6
	optChannel         = 7
	optRole            = 8
	optMentionable     = 9
	optNumber          = 10
	optAttachment      = 11
)

// CommandOption is an option a simulated user fills in when running a
// slash command. Make them with Opt and Sub.
type CommandOption struct {
	Name    string
	Value   any // string, int, float64, bool, *User, *Channel, *Role or *Upload
	Options []CommandOption
}

// Opt is an option called name with the given value: a string, an integer,
// a float64, a bool, a *User, a *Channel, a *Role or an *Upload (from
// Emulator.NewUpload), matching the option's registered type.
func Opt(name string, value any) CommandOption {
	return CommandOption{Name: name, Value: value}
}

// Sub is a subcommand (or subcommand group) called name with its options.
func Sub(name string, opts ...CommandOption) CommandOption {
	return CommandOption{Name: name, Options: opts}
}

// resolved is the resolved object of a command interaction.
type resolved struct {
	Users    map[string]userJSON    `json:"users,omitempty"`
	Members  map[string]memberJSON  `json:"members,omitempty"`
	Channels map[string]channelJSON `json:"channels,omitempty"`
	Roles    map[string]roleJSON    `json:"roles,omitempty"`
	// Attachments are the files attached to attachment options.
	Attachments map[string]map[string]any `json:"attachments,omitempty"`
}

func newResolved() *resolved {
	return &resolved{Users: map[string]userJSON{}, Members: map[string]memberJSON{}, Channels: map[string]channelJSON{}, Roles: map[string]roleJSON{}, Attachments: map[string]map[string]any{}}
}

func (r *resolved) empty() bool {
	return len(r.Users)+len(r.Members)+len(r.Channels)+len(r.Roles)+len(r.Attachments) == 0
}

// buildOptions turns the user's options into the interaction's options,
// checking them against the definitions as Discord's client does; call
// with e.mu held.
func (e *Emulator) buildOptions(defs []optionDef, opts []CommandOption, g *Guild, res *resolved) ([]map[string]any, error) {
	given := map[string]bool{}
	var out []map[string]any
	for _, o := range opts {
		i := slices.IndexFunc(defs, func(d optionDef) bool { return d.Name == o.Name })
		if i < 0 {
			return nil, fmt.Errorf("no option %q (options: %v)", o.Name, defNames(defs))
		}
		d := defs[i]
		given[o.Name] = true
		opt := map[string]any{"name": o.Name, "type": d.Type}
		if d.Type == optSubCommand || d.Type == optSubCommandGroup {
			sub, err := e.buildOptions(d.Options, o.Options, g, res)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", o.Name, err)
			}
			opt["options"] = sub
			if sub == nil {
				opt["options"] = []any{}
			}
			out = append(out, opt)
			continue
		}
		v, err := e.optionValue(d, o.Value, g, res)
		if err != nil {
			return nil, fmt.Errorf("option %q: %w", o.Name, err)
		}
		if len(d.Choices) > 0 && !slices.ContainsFunc(d.Choices, func(c struct {
			Value any `json:"value"`
		}) bool {
			return fmt.Sprint(c.Value) == fmt.Sprint(v)
		}) {
			return nil, fmt.Errorf("option %q: %v is not one of its choices", o.Name, v)
		}
		opt["value"] = v
		out = append(out, opt)
	}
	for _, d := range defs {
		if d.Required && !given[d.Name] {
			return nil, fmt.Errorf("required option %q is missing", d.Name)
		}
	}
	return out, nil
}

// optionValue checks a value against its option type and returns it as
// the interaction carries it.
func (e *Emulator) optionValue(d optionDef, v any, g *Guild, res *resolved) (any, error) {
	bad := func() (any, error) { return nil, fmt.Errorf("value %v (%T) does not fit option type %d", v, v, d.Type) }
	switch d.Type {
	case optString:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case optInteger:
		switch n := v.(type) {
		case int:
			return n, nil
		case int64:
			return n, nil
		}
	case optNumber:
		switch n := v.(type) {
		case int:
			return float64(n), nil
		case float64:
			return n, nil
		}
	case optBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case optUser, optMentionable:
		if u, ok := v.(*User); ok {
			res.Users[u.ID] = u.json()
			if g != nil && g.members[u.ID] != nil {
				m := e.memberJSON(g, g.members[u.ID], true)
				m.User = nil
				res.Members[u.ID] = m
			}
			return u.ID, nil
		}
		if r, ok := v.(*Role); ok && d.Type == optMentionable {
			res.Roles[r.ID] = roleJSONOf(r)
			return r.ID, nil
		}
	case optChannel:
		if c, ok := v.(*Channel); ok {
			res.Channels[c.ID] = e.channelJSON(c)
			return c.ID, nil
		}
	case optRole:
		if r, ok := v.(*Role); ok {
			res.Roles[r.ID] = roleJSONOf(r)
			return r.ID, nil
		}
	case optAttachment:
		if u, ok := v.(*Upload); ok {
			res.Attachments[u.ID] = u.json()
			return u.ID, nil
		}
	}
	return bad()
}

func defNames(defs []optionDef) []string {
	var names []string
	for _, d := range defs {
		names = append(names, d.Name)
	}
	return names
}
