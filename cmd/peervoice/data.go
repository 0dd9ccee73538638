package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/terminal"
)

func (a *app) mydataCmd() *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "mydata",
		Short: "Show a participant everything stored about them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			u, who, err := a.participantFor(name)
			if err != nil {
				return err
			}
			db, svc, err := a.openService(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			d, err := svc.MyData(cmd.Context(), u)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Participant %s, in %s:\n\n", who, a.cfg.DB)
			return terminal.WriteData(a.stdout, d)
		},
	}
	a.dbFlags(cmd)
	cmd.Flags().StringVar(&name, "user", "", "participant name, as given to chat (default: your OS user name, as chat's)")
	return cmd
}

func (a *app) withdrawCmd() *cobra.Command {
	var name string
	var yes bool
	cmd := &cobra.Command{
		Use:   "withdraw",
		Short: "Delete everything stored about a participant",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			u, who, err := a.participantFor(name)
			if err != nil {
				return err
			}
			if !yes {
				fmt.Fprintf(a.stdout, "This deletes every answer and the consent of participant %s, in %s, for good. Type yes (or y) to go ahead: ", who, a.cfg.DB)
				line, _ := bufio.NewReader(a.stdin).ReadString('\n')
				if !isYes(line) {
					return errors.New("nothing deleted: type yes (or y) to confirm, or give --yes")
				}
			}
			db, svc, err := a.openService(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			found, err := svc.Withdraw(cmd.Context(), u)
			// That it happened, never who: the participant is not named,
			// nor is the OS user, who is the participant by default.
			details := "a participant's data was deleted"
			if !found {
				details = "nothing was stored about the participant"
			}
			e := audit.Entry{Actor: audit.Actor{Kind: audit.KindCLI}, Action: "withdraw", Outcome: audit.OK, Details: details + "; who is not recorded"}
			if err != nil {
				e.Outcome, e.Details = audit.Failed, "withdrawal failed; who is not recorded"
			}
			a.record(cmd.Context(), db, e)
			if err != nil {
				return err
			}
			if !found {
				fmt.Fprintf(a.stdout, "Nothing was stored about participant %q.\n", u.ID)
				return nil
			}
			fmt.Fprintf(a.stdout, "Done: everything stored about participant %q has been deleted.\n", u.ID)
			return nil
		},
	}
	a.dbFlags(cmd)
	cmd.Flags().StringVar(&name, "user", "", "participant name, as given to chat (default: your OS user name, as chat's)")
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	return cmd
}

// participantFor loads the configuration and returns the terminal
// participant that mydata or withdraw is for (terminalUser), and how to
// name them.
func (a *app) participantFor(name string) (participant.User, string, error) {
	if err := a.load(); err != nil {
		return participant.User{}, "", err
	}
	user, who, err := terminalUser(name)
	if err != nil {
		return participant.User{}, "", err
	}
	return participant.User{Platform: "terminal", ID: user}, who, nil
}

// terminalUser returns the terminal participant a command is for: name
// (--user), or else the OS user name, as chat chooses it; and how to
// name them in messages, saying where a default came from.
func terminalUser(name string) (user, who string, err error) {
	if name != "" {
		return name, fmt.Sprintf("%q", name), nil
	}
	if name = osUser(); name == "" {
		return "", "", errors.New("no --user given and the OS user is unknown; pass --user NAME")
	}
	return name, fmt.Sprintf("%q (your OS user name; --user NAME for another)", name), nil
}

// isYes reports whether a typed line confirms: yes or y, in any case.
func isYes(line string) bool {
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "yes", "y":
		return true
	}
	return false
}
