package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/terminal"
)

func (a *app) chatCmd() *cobra.Command {
	var flowID, name, lang string
	cmd := &cobra.Command{
		Use:   "chat",
		Short: "Answer PeerVoice's questions in the terminal (no Discord needed)",
		Long: `Holds the participant's conversation in the terminal: consent, then a flow
of questions, stored in SQLite. Options are numbered; type skip, back,
stop or help at any question. Input can be piped, one answer per line;
when input ends the session pauses, and the next run carries on.
--lang cy shows flows in Welsh where they have it (and PeerVoice's own
words in Welsh: hepgor, nôl and stopio work too); the choice is kept.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(); err != nil {
				return err
			}
			if name == "" {
				name = osUser()
			}
			if name == "" {
				return errors.New("no --user given and the OS user is unknown; pass --user NAME")
			}
			db, svc, err := a.openService(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			if flowID != "" {
				if _, err := svc.Flows().Get(flowID); err != nil {
					return err
				}
			}
			c := &terminal.Chat{
				Service: svc,
				User:    participant.User{Platform: "terminal", ID: name},
				In:      a.stdin,
				Out:     a.stdout,
				Flow:    flowID,
				Echo:    !isTerminal(a.stdin),
				Lang:    lang,
			}
			if err := c.Run(cmd.Context()); err != nil {
				return fmt.Errorf("chat: %w", err)
			}
			return nil
		},
	}
	a.dbFlags(cmd)
	cmd.Flags().StringVar(&flowID, "flow", "", "run this flow only (default: choose from a menu)")
	cmd.Flags().StringVar(&name, "user", "", "participant name (default: your OS user name)")
	cmd.Flags().StringVar(&lang, "lang", "", "language to answer in, such as cy or en (default: each flow's default language, or the one chosen before)")
	cmd.Flags().String("flows", "", "directory of flow YAML files (default: the built-in pack)")
	a.bind(cmd.Flags(), "flows", "flows_dir")
	return cmd
}

func (a *app) dbFlags(cmd *cobra.Command) {
	cmd.Flags().String("db", "", "SQLite database path (default ./peervoice.db)")
	a.bind(cmd.Flags(), "db", "db")
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
