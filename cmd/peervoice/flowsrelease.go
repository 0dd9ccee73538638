package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/release"
)

// releaseCmds are the flows subcommands that change or read the
// published versions in the database: the command line's /flows.
func (a *app) releaseCmds() []*cobra.Command {
	publish := &cobra.Command{
		Use:   "publish FILE...",
		Short: "Lint flow files and publish them live as new versions",
		Long: `Lints each FILE as peervoice flows lint does and, when every one is clean,
publishes them live as the next version of their flows, all or nothing;
a file identical to its flow's live version publishes nothing new. On any
problem it prints file:line:col: message for each, exits 1 and changes
nothing. Sessions under way finish on the version they started on.`,
		Args: cobra.MinimumNArgs(1),
		RunE: a.withReleases(func(ctx context.Context, rel *release.Service, args []string) error {
			var srcs []release.Source
			for _, name := range args {
				b, err := os.ReadFile(name)
				if err != nil {
					return fmt.Errorf("publish: %w; nothing published", err)
				}
				srcs = append(srcs, release.Source{Name: name, Src: b})
			}
			list, err := rel.List(ctx)
			if err != nil {
				return err
			}
			before := map[string]int{} // the live versions, to tell a new one
			for _, s := range list {
				before[s.FlowID] = s.Live
			}
			vs, err := rel.PublishSources(ctx, srcs, cliActor())
			var lerr *release.LintError
			if errors.As(err, &lerr) {
				for _, p := range lerr.Problems {
					fmt.Fprintln(a.stdout, p.Error())
				}
				fmt.Fprintf(a.stderr, "%d problem(s) found; nothing published\n", len(lerr.Problems))
				return exitError{1}
			}
			if err != nil {
				return err
			}
			for _, v := range vs {
				if before[v.FlowID] == v.N {
					fmt.Fprintf(a.stdout, "%s v%d is live (unchanged: the file is the live version already)\n", v.FlowID, v.N)
					continue
				}
				fmt.Fprintf(a.stdout, "%s v%d is live (%s)\n", v.FlowID, v.N, v.Summary)
			}
			return nil
		}),
	}
	history := &cobra.Command{
		Use:   "history ID",
		Short: "List a flow's versions: when, who, what changed; the live one marked",
		Args:  cobra.ExactArgs(1),
		RunE: a.withReleases(func(ctx context.Context, rel *release.Service, args []string) error {
			vs, err := rel.History(ctx, args[0])
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			for _, v := range vs {
				live := ""
				if v.Live {
					live = "live"
				}
				fmt.Fprintf(tw, "v%d\t%s\t%s\t%s\t%s\n", v.N, live, v.At.UTC().Format("2006-01-02 15:04 UTC"), v.Actor, v.Summary)
			}
			return tw.Flush()
		}),
	}
	var showVersion int
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Print a version's source exactly as published (default: the live one)",
		Args:  cobra.ExactArgs(1),
		RunE: a.withReleases(func(ctx context.Context, rel *release.Service, args []string) error {
			v, err := rel.Show(ctx, args[0], showVersion)
			if err != nil {
				return err
			}
			_, err = a.stdout.Write(v.Source)
			return err
		}),
	}
	show.Flags().IntVar(&showVersion, "version", 0, "the version number (default: the live one)")
	rollback := &cobra.Command{
		Use:   "rollback ID N",
		Short: "Make version N's source live again, as a new version",
		Args:  cobra.ExactArgs(2),
		RunE: a.withReleases(func(ctx context.Context, rel *release.Service, args []string) error {
			n, err := versionArg(args[1])
			if err != nil {
				return err
			}
			v, err := rel.Rollback(ctx, args[0], n, cliActor())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s v%d is live (%s)\n", v.FlowID, v.N, v.Summary)
			return nil
		}),
	}
	closeCmd := &cobra.Command{
		Use:   "close ID",
		Short: "Stop new sessions of a flow and take it off the menu; sessions under way may finish",
		Args:  cobra.ExactArgs(1),
		RunE: a.withReleases(func(ctx context.Context, rel *release.Service, args []string) error {
			if err := rel.Close(ctx, args[0], cliActor()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s is closed: no new sessions; sessions under way may finish\n", args[0])
			return nil
		}),
	}
	reopen := &cobra.Command{
		Use:   "reopen ID",
		Short: "Put a closed flow back on the menu",
		Args:  cobra.ExactArgs(1),
		RunE: a.withReleases(func(ctx context.Context, rel *release.Service, args []string) error {
			if err := rel.Reopen(ctx, args[0], cliActor()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s is open again\n", args[0])
			return nil
		}),
	}
	diff := &cobra.Command{
		Use:   "diff ID A B",
		Short: "List what changed from version A to version B, with the answers each change touches",
		Args:  cobra.ExactArgs(3),
		RunE: a.withReleases(func(ctx context.Context, rel *release.Service, args []string) error {
			va, err := versionArg(args[1])
			if err != nil {
				return err
			}
			vb, err := versionArg(args[2])
			if err != nil {
				return err
			}
			cs, err := rel.Diff(ctx, args[0], va, vb)
			if err != nil {
				return err
			}
			if len(cs) == 0 {
				fmt.Fprintf(a.stdout, "no question changes from v%d to v%d\n", va, vb)
			}
			for _, c := range cs {
				line := c.Detail
				if c.Affected > 0 {
					line += fmt.Sprintf(" (%d answer(s) given touched)", c.Affected)
				}
				fmt.Fprintln(a.stdout, line)
			}
			return nil
		}),
	}
	cmds := []*cobra.Command{publish, history, show, rollback, closeCmd, reopen, diff}
	for _, c := range cmds {
		a.dbFlags(c)
	}
	return cmds
}

// withReleases runs fn with the release service over the configured
// database, which must exist: these commands never create a study.
func (a *app) withReleases(fn func(ctx context.Context, rel *release.Service, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := a.load(); err != nil {
			return err
		}
		db, err := a.openStore(cmd.Context())
		if err != nil {
			return err
		}
		defer db.Close()
		return fn(cmd.Context(), a.releases(db), args)
	}
}

// versionArg reads a version number: 3 or v3.
func versionArg(s string) (int, error) {
	t := s
	if len(t) > 1 && (t[0] == 'v' || t[0] == 'V') {
		t = t[1:]
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("version %q: want a version number such as 2 or v2", s)
	}
	return n, nil
}
