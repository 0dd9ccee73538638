// Command peervoice runs PeerVoice: a questionnaire conversation in the
// terminal (chat), the Discord bot (run), participants' own data (mydata,
// withdraw), tools for moderators (flows lint, flows list, config check)
// and for researchers (digest, export, quotes).
//
// It wires the other packages together and may import any of them; no
// package imports it. Research logic that lives here today (building a
// digest from the store, quote candidates, guarding exports) is to move
// to a package of its own (issue 10, step 4): see docs/architecture.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/internal/redact"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// exitError carries an exit code for failures already reported in full,
// such as lint problems.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// run is main without the process: tests call it too.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := newApp(stdin, stdout, stderr)
	defer a.cleanup()
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	default:
		// An error can carry an API's reply, so it is redacted like the log.
		fmt.Fprintf(stderr, "peervoice: %s\n", redact.New(a.cfg.Discord.Token).String(err.Error()))
		return 1
	}
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "peervoice",
		Short: "User-led research conversations for mental-health peer-support communities",
		Long: `PeerVoice lets peer-support communities run user-led research: participants
answer short question flows in private, researchers get anonymised summaries.

Start with:  peervoice chat`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&a.configFile, "config", "", "config file (default ./peervoice.yaml if present)")
	root.PersistentFlags().String("log-format", "", "log format: text or json")
	root.PersistentFlags().String("log-level", "", "log level: debug, info, warn or error")
	a.bind(root.PersistentFlags(), "log-format", "log.format")
	a.bind(root.PersistentFlags(), "log-level", "log.level")
	root.AddCommand(a.chatCmd(), a.runCmd(), a.mydataCmd(), a.withdrawCmd(), a.flowsCmd(), a.configCmd(), a.exportCmd(), a.digestCmd(), a.quotesCmd(), a.auditCmd(), a.retentionCmd(), a.playgroundCmd())
	requireSubcommands(root)
	return root
}
