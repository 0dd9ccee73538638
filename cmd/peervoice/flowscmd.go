package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/flows"
)

func (a *app) flowsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "flows",
		Short: "Check, list, publish and roll back question flows",
	}
	lint := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check flow files; prints file:line:col: message for each problem",
		Long: `Checks flow files (or directories of them) and prints each problem as
file:line:col: message. Exits 1 if there are problems, 0 with a summary
line when all is well. With no PATH, checks the configured flows.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.load(); err != nil {
				return err
			}
			if len(args) == 0 {
				if a.cfg.FlowsDir != "" {
					args = []string{a.cfg.FlowsDir}
				}
			}
			var all flows.Problems
			count, questions := 0, 0
			check := func(c *flows.Catalog, probs flows.Problems) {
				all = append(all, probs...)
				if c != nil {
					for _, f := range c.Flows() {
						count++
						questions += f.Len()
					}
				}
			}
			if len(args) == 0 {
				check(flows.Load(flows.Pack(), "(built-in)"))
			}
			for _, p := range args {
				check(flows.LoadDir(p))
			}
			for _, p := range all {
				fmt.Fprintln(a.stdout, p.Error())
			}
			if len(all) > 0 {
				fmt.Fprintf(a.stderr, "%d problem(s) found\n", len(all))
				return exitError{1}
			}
			fmt.Fprintf(a.stdout, "ok: %d flows, %d questions, no problems\n", count, questions)
			return nil
		},
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the flows with their question counts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(); err != nil {
				return err
			}
			cat, err := a.flows()
			if err != nil {
				return err
			}
			c := cat()
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tQUESTIONS\tTITLE")
			for _, f := range c.Flows() {
				fmt.Fprintf(tw, "%s\t%d\t%s\n", f.ID, f.Len(), f.Title.String())
			}
			return tw.Flush()
		},
	}
	for _, c := range []*cobra.Command{lint, list} {
		c.Flags().String("flows", "", "directory of flow YAML files (default: the built-in pack)")
		a.bind(c.Flags(), "flows", "flows_dir")
	}
	cmd.AddCommand(lint, list)
	cmd.AddCommand(a.releaseCmds()...)
	return cmd
}
