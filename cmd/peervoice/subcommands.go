package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// requireSubcommands makes every command under root that has
// subcommands refuse an unknown one. Cobra checks only the root's: for
// `peervoice flows lnt` it printed the help of flows and exited 0, so a
// typo in a script passed unseen. Such a command now fails with cobra's
// own wording and suggestions, and on its own still shows its help.
func requireSubcommands(root *cobra.Command) {
	for _, c := range root.Commands() {
		if c.HasSubCommands() {
			if c.Args == nil {
				c.Args = knownSubcommand
			}
			if c.Run == nil && c.RunE == nil {
				c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
			}
		}
		requireSubcommands(c)
	}
}

// knownSubcommand refuses any argument of a command that only holds
// subcommands: cobra found no subcommand of that name.
func knownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's default, set only on the root
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t") + "\n"
	}
	var names []string
	for _, sub := range cmd.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	return fmt.Errorf("%s\nThe commands of %s are: %s (%s --help for more)", msg, cmd.CommandPath(), strings.Join(names, ", "), cmd.CommandPath())
}
