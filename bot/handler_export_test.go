package bot

import (
	"cmp"
	"slices"
)

// Route is one entry of the bot's command table, as tests see it: the
// command, its subcommand ("" for none), the name of the role it needs
// ("anyone" for none) and whether it is slow.
type Route struct {
	Command, Sub, Role string
	Slow               bool
}

// Routes lists the bot's command table, by command and subcommand.
func Routes(b *Bot) []Route {
	var out []Route
	for name, c := range b.commands {
		for sub, r := range c.routes {
			out = append(out, Route{Command: name, Sub: sub, Role: r.role.String(), Slow: r.slow})
		}
	}
	slices.SortFunc(out, func(a, b Route) int {
		if a.Command != b.Command {
			return cmp.Compare(a.Command, b.Command)
		}
		return cmp.Compare(a.Sub, b.Sub)
	})
	return out
}

// PrivilegedActions are the buttons only a role may use, with the name of
// that role.
func PrivilegedActions() map[Action]string {
	out := map[Action]string{}
	for a, p := range privilegedActions {
		out[a] = p.role.String()
	}
	return out
}
