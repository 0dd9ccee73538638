package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

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
			if err := a.load(); err != nil {
				return err
			}
			db, svc, err := a.openService(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			d, err := svc.MyData(cmd.Context(), participant.User{Platform: "terminal", ID: name})
			if err != nil {
				return err
			}
			return terminal.WriteData(a.stdout, d)
		},
	}
	a.dbFlags(cmd)
	cmd.Flags().StringVar(&name, "user", "", "participant name, as given to chat (required)")
	_ = cmd.MarkFlagRequired("user")
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
			if err := a.load(); err != nil {
				return err
			}
			if !yes {
				fmt.Fprintf(a.stdout, "This deletes every answer and the consent of %q, for good. Type yes to go ahead: ", name)
				line, _ := bufio.NewReader(a.stdin).ReadString('\n')
				if strings.ToLower(strings.TrimSpace(line)) != "yes" {
					return errors.New("nothing deleted")
				}
			}
			db, svc, err := a.openService(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			found, err := svc.Withdraw(cmd.Context(), participant.User{Platform: "terminal", ID: name})
			if err != nil {
				return err
			}
			if !found {
				fmt.Fprintln(a.stdout, "Nothing was stored about this participant.")
				return nil
			}
			fmt.Fprintln(a.stdout, "Done: everything stored about this participant has been deleted.")
			return nil
		},
	}
	a.dbFlags(cmd)
	cmd.Flags().StringVar(&name, "user", "", "participant name, as given to chat (required)")
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	_ = cmd.MarkFlagRequired("user")
	return cmd
}
