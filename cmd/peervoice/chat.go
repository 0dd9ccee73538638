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
	var scratch bool
	cmd := &cobra.Command{
		Use:   "chat",
		Short: "Answer PeerVoice's questions in the terminal (no Discord needed)",
		Long: `Holds the participant's conversation in the terminal: consent, then a flow
of questions, stored in SQLite. Options are numbered; type skip, back,
stop or help at any question. Input can be piped, one answer per line
(a last line without a newline counts; at a terminal, text not sent with
Enter does not); when input ends the session pauses, and the next run
carries on.
--lang cy shows flows in Welsh where they have it (and PeerVoice's own
words in Welsh: hepgor, nôl and stopio work too); the choice is kept.

The answers go to the study's database (--db, default ./peervoice.db),
created if there is none. To try PeerVoice without touching a study, use
--scratch (or --db :memory:): a new database and key in a temporary
directory, removed at exit.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(); err != nil {
				return err
			}
			user, _, err := terminalUser(name)
			if err != nil {
				return err
			}
			if lang != "" {
				if err := participant.CheckLanguage(lang); err != nil {
					return fmt.Errorf("--lang: %w", err)
				}
			}
			if scratch && cmd.Flags().Changed("db") {
				return errors.New("--scratch uses a throwaway database: give --scratch or --db, not both")
			}
			a.createDB, a.scratch, a.live = true, scratch, true
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
				User:    participant.User{Platform: "terminal", ID: user},
				In:      a.stdin,
				Out:     a.stdout,
				Flow:    flowID,
				Echo:    !isTerminal(a.stdin),
				// At a terminal, text left without Enter at Ctrl-D is no answer.
				Interactive: isTerminal(a.stdin),
				Lang:        lang,
				Scratch:     a.scratch || a.cfg.DB == scratchDB,
			}
			err = c.Run(cmd.Context())
			if a.scratch || a.cfg.DB == scratchDB {
				// The chat says answers are saved; in scratch mode they
				// are gone at exit.
				a.log.Info("scratch mode: the database is removed at exit, so nothing was kept")
			}
			if err != nil {
				return fmt.Errorf("chat: %w", err)
			}
			return nil
		},
	}
	a.dbFlags(cmd)
	cmd.Flags().StringVar(&flowID, "flow", "", "run this flow only (default: choose from a menu)")
	cmd.Flags().StringVar(&name, "user", "", "participant name (default: your OS user name)")
	cmd.Flags().BoolVar(&scratch, "scratch", false, "use a throwaway database, removed at exit (same as --db :memory:)")
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
